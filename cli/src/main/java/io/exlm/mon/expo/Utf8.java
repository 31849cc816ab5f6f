package io.exlm.mon.expo;

/** UTF-8 in byte ranges: where it breaks, and how many code points it holds. */
final class Utf8 {
    private Utf8() {
    }

    /** The position of the first byte that breaks UTF-8 in b[s, e), or -1. */
    static int invalid(byte[] b, int s, int e) {
        int i = s;
        while (i < e) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + n >= e) {
                return i;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int d = b[i + k] & 0xff;
                if ((d & 0xC0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | d & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                return i;
            }
            i += n + 1;
        }
        return -1;
    }

    /** The code points in b[s, e) (every byte that does not continue a sequence starts one). */
    static int codePoints(byte[] b, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }
}
