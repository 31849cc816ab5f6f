package io.exlm.mon.expo;

import java.nio.charset.StandardCharsets;

/**
 * The line being parsed, {@code b[ls, le)}, the format and mode it is read in, and what every part of the parser
 * asks of it: blanks skipped, words compared, a position turned into a column, a character described for a message,
 * and the parse of the line given up ({@link #fail}) with a message and where.
 */
final class Line {
    /** Unwinds the parse of one line; preallocated and without a stack trace, since a strict check may throw many. */
    static final class Error extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Error() {
            super(null, null, false, false);
        }
    }

    private static final Error ERROR = new Error();

    final ExpositionFormat format;
    /** OpenMetrics rather than the text format. */
    final boolean om;
    /** {@link ParseMode#STRICT}. */
    final boolean strict;

    byte[] b;
    int ls;
    int le;
    /** The number of the line, from 1; the number of lines read once the body is done. */
    int no;

    Line(ExpositionFormat format, ParseMode mode) {
        this.om = format == ExpositionFormat.OPENMETRICS;
        this.strict = mode == ParseMode.STRICT;
        this.format = format;
    }

    void next(byte[] buf, int start, int end) {
        no++;
        b = buf;
        ls = start;
        le = end;
    }

    /** No text: a problem of the body rather than of one line (an over-long line, a missing '# EOF'). */
    void none() {
        ls = 0;
        le = 0;
    }

    /** Where the last {@link #fail} happened, and why. */
    int errPos;
    String errMsg;

    /** Gives up the parse of the line: the error to throw, after noting where and why. */
    Error fail(int pos, String message) {
        errPos = pos;
        errMsg = message;
        return ERROR;
    }

    /** The column of a position on the line, counting code points from 1. */
    int column(int pos) {
        int end = Math.min(pos, le);
        return 1 + Utf8.codePoints(b, ls, end) + Math.max(0, pos - le);
    }

    static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    int skipBlanks(int p) {
        byte[] b = this.b;
        int le = this.le;
        while (p < le && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    boolean startsWith(int p, String word) {
        int n = word.length();
        if (p + n > le) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean equalsAscii(int s, int e, String word) {
        return e - s == word.length() && startsWith(s, word);
    }

    /** b[p, p + lower.length()) is {@code lower} in any case (the caller knows the bytes are there). */
    boolean ciEquals(int p, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((b[p + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** b[s, e) as ASCII (names, type words, units). */
    String ascii(int s, int e) {
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    /** b[s, e) as UTF-8 (label values, bad tokens). */
    String utf8(int s, int e) {
        return new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** The character at p for a message: quoted, or named when it cannot be printed. */
    String quoteChar(int p) {
        if (p >= le) {
            return "the end of the line";
        }
        int c = b[p] & 0xff;
        if (c == '\r') {
            return "a carriage return (CRLF line endings? lines must end with LF alone)";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format(java.util.Locale.ROOT, "byte 0x%02x", c);
        }
        if (c >= 0x80) {
            int end = p + 1;
            while (end < le && (b[end] & 0xC0) == 0x80) {
                end++;
            }
            return "'" + utf8(p, end) + "'";
        }
        return "'" + (char) c + "'";
    }

    /** A token of the line for a message: control characters as \xNN, at most 60 characters. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 60; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
