package io.exlm.mon.config;

import java.time.Duration;

/**
 * Durations written the way Prometheus writes them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 2d}. A bare number is seconds, because that is what a person typing {@code --timeout 10} means.
 */
public final class Durations {
    private Durations() {
    }

    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = text.trim();
        if (s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
            return ofSeconds(Double.parseDouble(requireNumber(s, text)), text);
        }
        long totalMillis = 0;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw bad(text);
            }
            double value = Double.parseDouble(requireNumber(s.substring(start, i), text));
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long unitMillis = switch (unit) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "w" -> 7 * 86_400_000L;
                default -> throw bad(text);
            };
            double millis = value * unitMillis;
            if (millis > Long.MAX_VALUE / 4.0 || totalMillis > Long.MAX_VALUE / 4) {
                throw bad(text);
            }
            totalMillis += Math.round(millis);
        }
        return Duration.ofMillis(totalMillis);
    }

    /** The shortest Prometheus-style text for a duration: 1m30s, 250ms, 2h. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        for (int u = 0; u < units.length; u++) {
            long n = ms / units[u];
            if (n > 0) {
                sb.append(n).append(names[u]);
                ms -= n * units[u];
            }
        }
        return sb.toString();
    }

    private static String requireNumber(String s, String original) {
        if (s.isEmpty() || s.equals(".") || s.indexOf('.') != s.lastIndexOf('.')) {
            throw bad(original);
        }
        return s;
    }

    private static Duration ofSeconds(double seconds, String original) {
        if (seconds < 0 || Double.isNaN(seconds) || Double.isInfinite(seconds)) {
            throw bad(original);
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException(
                "'" + text + "' is not a duration (examples: 500ms, 30s, 5m, 1h30m; a bare number is seconds)");
    }
}
