package io.exlm.mon.expo;

import java.nio.charset.StandardCharsets;

/**
 * Decodes byte ranges to strings and shares the result when the same bytes come again (metric names, label names,
 * the values of {@code le}, {@code method}, ...): one direct-mapped slot per hash, so memory stays bounded however
 * many distinct values a body has, and a repeated name costs a comparison instead of an allocation.
 */
final class Strings {
    private static final int SIZE = 1 << 13;

    private final String[] strings = new String[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private final int[] hashes = new int[SIZE];

    static int hash(byte[] b, int off, int end) {
        int h = 0;
        for (int i = off; i < end; i++) {
            h = 31 * h + b[i];
        }
        return h;
    }

    String get(byte[] b, int off, int len, int hash) {
        int slot = (hash ^ (hash >>> 13)) & (SIZE - 1);
        String s = strings[slot];
        if (s != null && hashes[slot] == hash) {
            byte[] k = keys[slot];
            if (k.length == len && java.util.Arrays.equals(k, 0, len, b, off, off + len)) {
                return s;
            }
        }
        s = decode(b, off, len);
        strings[slot] = s;
        keys[slot] = java.util.Arrays.copyOfRange(b, off, off + len);
        hashes[slot] = hash;
        return s;
    }

    static String decode(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] < 0) {
                return new String(b, off, len, StandardCharsets.UTF_8);
            }
        }
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
