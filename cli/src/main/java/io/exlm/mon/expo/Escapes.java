package io.exlm.mon.expo;

import java.nio.charset.StandardCharsets;

/**
 * The escapes of both formats, in one place: a backslash before a backslash or an n, and in label values (and in
 * OpenMetrics's HELP) before a double quote. What a strict check refuses and what is unescaped are the same set.
 */
final class Escapes {
    private final Line line;
    private byte[] scratch = new byte[256];

    Escapes(Line line) {
        this.line = line;
    }

    /** Whether {@code \c} is an escape of the formats ({@code \"} only where double quotes are escaped). */
    static boolean known(byte c, boolean quote) {
        return c == '\\' || c == 'n' || quote && c == '"';
    }

    /**
     * Unescapes a HELP text of the line, b[s, e). The text format escapes backslash and line feed; OpenMetrics also
     * the double quote. Strict mode refuses any other escape; lenient keeps it as written, as Prometheus does.
     */
    String help(int s, int e, boolean quoteEscape) {
        byte[] b = line.b;
        boolean strict = line.strict;
        boolean om = line.om;
        boolean any = false;
        boolean hi = false;
        for (int i = s; i < e; i++) {
            if (b[i] == '\\') {
                any = true;
                if (i + 1 >= e) {
                    if (strict) {
                        throw line.fail(i, "the help text ends with a lone backslash");
                    }
                    break;
                }
                byte n = b[i + 1];
                // OpenMetrics's ABNF allows a backslash before any other character too (escaped-char =/ BS normal-char)
                if (strict && !om && !known(n, quoteEscape)) {
                    throw line.fail(i, "invalid escape '\\" + (char) (n & 0xff) + "' in help text (allowed: \\\\, \\n"
                            + (quoteEscape ? " and \\\"" : "") + ")");
                }
                i++;
            } else if (b[i] < 0) {
                hi = true;
            } else if (strict && om && b[i] == '"') {
                throw line.fail(i, "a double quote in help text must be escaped as \\\"");
            }
        }
        if (hi && strict) {
            int bad = Utf8.invalid(b, s, e);
            if (bad >= 0) {
                throw line.fail(bad, "help text is not valid UTF-8");
            }
        }
        if (!any) {
            return Strings.decode(b, s, e - s);
        }
        return unescape(b, s, e, quoteEscape);
    }

    /** b[s, e) unescaped: \\ \n, and \" when asked; any other backslash stays as written. */
    String unescape(byte[] b, int s, int e, boolean quoteEscape) {
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        byte[] out = scratch;
        int n = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < e) {
                byte d = b[i + 1];
                if (known(d, quoteEscape)) {
                    out[n++] = d == 'n' ? (byte) '\n' : d;
                    i++;
                    continue;
                }
            }
            out[n++] = c;
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }
}
