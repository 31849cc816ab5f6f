package io.exlm.mon.expo;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.nio.charset.StandardCharsets;

/**
 * Numbers read from the bytes of the line: sample and exemplar values, label values read as numbers (le, quantile),
 * OpenMetrics's timestamps in seconds and the text format's in milliseconds; and a number written back for a message.
 */
final class NumberSyntax {
    private final Line line;

    NumberSyntax(Line line) {
        this.line = line;
    }

    /**
     * A number as both formats (and Prometheus, which refuses Go's hexadecimal and underscore forms) write it: an
     * optional sign, digits with an optional point and exponent, or Inf/Infinity/NaN in any case
     * ({@code special}).
     */
    double number(int s, int e, String what, boolean special) {
        if (s == e) {
            throw line.fail(s, "expected a " + what);
        }
        byte[] b = line.b;
        int p = s;
        byte c = b[p];
        if (c == '+' || c == '-') {
            p++;
        }
        // integers up to 18 digits, the common case, are exact as longs and converted with correct rounding
        if (e - p <= 18 && p < e) {
            long v = 0;
            int q = p;
            while (q < e) {
                int d = b[q] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
                q++;
            }
            if (q == e) {
                return c == '-' ? (v == 0 ? -0.0 : -(double) v) : (double) v;
            }
        }
        if (p < e && special) {
            int lc = b[p] | 0x20;
            if (lc == 'i') {
                int n = e - p;
                if (n == 3 && line.ciEquals(p, "inf") || n == 8 && line.ciEquals(p, "infinity")) {
                    return c == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
            } else if (lc == 'n' && p == s && e - p == 3 && line.ciEquals(p, "nan")) {
                return Double.NaN;
            }
        }
        int q = p;
        int digits = 0;
        while (q < e && b[q] >= '0' && b[q] <= '9') {
            q++;
            digits++;
        }
        if (q < e && b[q] == '.') {
            q++;
            while (q < e && b[q] >= '0' && b[q] <= '9') {
                q++;
                digits++;
            }
        }
        boolean ok = digits > 0;
        if (ok && q < e && (b[q] | 0x20) == 'e') {
            q++;
            if (q < e && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            int ed = 0;
            while (q < e && b[q] >= '0' && b[q] <= '9') {
                q++;
                ed++;
            }
            ok = ed > 0;
        }
        if (ok && q == e) {
            return JavaDoubleParser.parseDouble(b, s, e - s);
        }
        if (line.strict && !line.om && special) {
            double go = goFloat(s, e);
            if (!Double.isNaN(go)) {
                return go;
            }
        }
        throw line.fail(s, "invalid " + what + " '" + Line.printable(line.utf8(s, e)) + "'" + hint(s, e, special));
    }

    /** b[s, e) as a number (a label value: le, quantile); NaN when it is not one (or is "NaN"). */
    double numberOrNaN(int s, int e) {
        try {
            return number(s, e, "label", true);
        } catch (Line.Error err) {
            return Double.NaN;
        }
    }

    private String hint(int s, int e, boolean special) {
        byte[] b = line.b;
        for (int i = s; i < e; i++) {
            if (b[i] == '\r') {
                return " (a carriage return: CRLF line endings? lines must end with LF alone)";
            }
        }
        if (!special) {
            return line.om ? " (a timestamp is a number of seconds)" : "";
        }
        return " (expected a number like 12, 0.5, 1e-3, +Inf, -Inf or NaN)";
    }

    /**
     * The text format defers to Go's ParseFloat, which also reads hexadecimal floats (0x1p-3) and underscores
     * between digits (1_000); strict text checks accept them as the specification does (Prometheus itself does not).
     * NaN when the token is not one of those either.
     */
    private double goFloat(int s, int e) {
        String t = new String(line.b, s, e - s, StandardCharsets.ISO_8859_1);
        String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (body.indexOf('_') >= 0) {
            // underscores only between digits, or between a base prefix and a digit
            for (int i = 0; i < body.length(); i++) {
                if (body.charAt(i) == '_') {
                    boolean before = i > 0 && (Character.digit(body.charAt(i - 1), 16) >= 0
                            || i == 1 && body.charAt(0) == '0' || (body.charAt(i - 1) | 0x20) == 'x');
                    boolean after = i + 1 < body.length() && Character.digit(body.charAt(i + 1), 16) >= 0;
                    if (!before || !after) {
                        return Double.NaN;
                    }
                }
            }
            t = t.replace("_", "");
            body = body.replace("_", "");
        }
        if (body.length() > 2 && body.charAt(0) == '0' && (body.charAt(1) | 0x20) == 'x') {
            if (!body.matches("0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+")) {
                return Double.NaN;
            }
            return Double.parseDouble(t);
        }
        if (body.matches("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return Double.parseDouble(t);
        }
        return Double.NaN;
    }

    /** A text-format timestamp: integer milliseconds, as Go's ParseInt reads them. */
    long millis(int s, int e) {
        byte[] b = line.b;
        int p = s;
        boolean neg = false;
        if (b[p] == '+' || b[p] == '-') {
            neg = b[p] == '-';
            p++;
        }
        if (p == e) {
            throw line.fail(s, "invalid timestamp (expected integer milliseconds)");
        }
        long v = 0;
        for (; p < e; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw line.fail(s, "invalid timestamp '" + Line.printable(line.utf8(s, e))
                        + "' (the text format wants integer milliseconds)" + (b[p] == '\r' ? hint(s, e, false) : ""));
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw line.fail(s, "timestamp out of range");
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    /** A number for a message, as the formats write it: +Inf, -Inf, NaN, an integer without a point. */
    static String fmt(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
