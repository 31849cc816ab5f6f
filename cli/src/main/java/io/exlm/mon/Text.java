package io.exlm.mon;

/**
 * Text that came from elsewhere (a server's error body, a label value, an annotation), made safe to print: control
 * characters, escape sequences among them, would let an endpoint move the cursor or recolour a terminal, and a line
 * break would split what must stay one line.
 */
public final class Text {
    private Text() {
    }

    /** {@code s} with every control character (C0, DEL, C1) replaced by '?': one safe line; null stays null. */
    public static String printable(String s) {
        return replace(s, false);
    }

    /**
     * {@code s} with the control characters that drive a terminal (escape, bell, ...) replaced by '?', but line
     * breaks and tabs kept: for text that may rightly span lines, such as a configuration file.
     */
    public static String noEscapes(String s) {
        return replace(s, true);
    }

    private static String replace(String s, boolean keepLines) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean kept = c == '\t' || keepLines && (c == '\n' || c == '\r');
            boolean control = !kept && (c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0);
            if (control) {
                if (sb == null) {
                    sb = new StringBuilder(s.length()).append(s, 0, i);
                }
                sb.append('?');
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }
}
