package io.exlm.mon.config;

import java.time.Duration;

/**
 * The one reader and writer of durations, in the syntax Prometheus uses: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 1h30m}, {@code 2d}, {@code 1w}, {@code 1y}. A year is 365 days, a week 7 and a day 24 hours, as Prometheus
 * counts them.
 *
 * <p>{@link #parse} is what exlm-mon accepts from a person (options, the config file, the environment) and from
 * Prometheus's own configuration: everything Prometheus accepts, and also a bare number as seconds (what a person
 * typing {@code --timeout 10} means), decimals ({@code 1.5s}) and units in any order. {@link #parsePrometheus} is
 * Prometheus's grammar exactly, for text that exlm-mon hands to Prometheus unchanged. {@link #format} writes text
 * that both accept.
 */
public final class Durations {
    private static final String[] UNITS = {"y", "w", "d", "h", "m", "s", "ms"};
    private static final long DAY = 86_400_000L;
    private static final long[] MILLIS = {365 * DAY, 7 * DAY, DAY, 3_600_000L, 60_000L, 1_000L, 1L};

    private Durations() {
    }

    /** A duration as a person or Prometheus writes it; an IllegalArgumentException that says why otherwise. */
    public static Duration parse(String text) {
        return parse(text, false);
    }

    /** A duration that may be missing or wrong: the fallback then (for settings read from another program). */
    public static Duration parseOr(String text, Duration fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /**
     * Prometheus's own grammar ({@code model.ParseDuration}): whole numbers, each followed by a unit, the units from
     * the largest to the smallest and each once; {@code 0} alone is allowed.
     */
    public static Duration parsePrometheus(String text) {
        return parse(text, true);
    }

    private static Duration parse(String text, boolean strict) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration");
        }
        String s = strict ? text : text.trim();
        if (s.equals("0") || !strict && s.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) {
            return ofSeconds(Double.parseDouble(requireNumber(s, text)), text);
        }
        long totalMillis = 0;
        int lastUnit = -1;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || !strict && s.charAt(i) == '.')) {
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
            int unit = unit(s.substring(unitStart, i));
            if (unit < 0 || strict && unit <= lastUnit) {
                throw bad(text);
            }
            lastUnit = unit;
            double millis = value * MILLIS[unit];
            if (millis > Long.MAX_VALUE / 4.0 || totalMillis > Long.MAX_VALUE / 4) {
                throw bad(text);
            }
            totalMillis += Math.round(millis);
        }
        return Duration.ofMillis(totalMillis);
    }

    /**
     * The text for a duration, largest unit first, in days and smaller ({@code 1m30s}, {@code 250ms}, {@code 2h},
     * {@code 14d}): what a person reads easily, and what Prometheus and {@link #parse} read back to the same duration.
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        for (int u = unit("d"); u < UNITS.length; u++) {
            long n = ms / MILLIS[u];
            if (n > 0) {
                sb.append(n).append(UNITS[u]);
                ms -= n * MILLIS[u];
            }
        }
        return sb.toString();
    }

    /**
     * A measured duration as Go's {@code time.Duration.String} writes it, which is how Prometheus, Alertmanager and
     * promtool print one: {@code 150ms}, {@code 1.042s}, {@code 2m0.011s}, {@code 1h0m0s}, {@code 26h3m4s}; below a
     * second in ms, µs or ns with a fraction ({@code 1.5ms}). For what a person reads: how long something took, how
     * old it is. A duration that is handed back to Prometheus or echoes a flag is written by {@link #format}.
     */
    public static String human(Duration d) {
        boolean negative = d.isNegative();
        Duration a = d.abs();
        long seconds = a.getSeconds();
        int nanos = a.getNano();
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        if (seconds == 0) {
            if (nanos == 0) {
                return "0s";
            }
            if (nanos < 1_000) {
                return sb.append(nanos).append("ns").toString();
            }
            if (nanos < 1_000_000) {
                return sb.append(decimal(nanos, 3)).append("\u00b5s").toString();
            }
            return sb.append(decimal(nanos, 6)).append("ms").toString();
        }
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        if (h > 0) {
            sb.append(h).append('h');
        }
        if (h > 0 || m > 0) {
            sb.append(m).append('m');
        }
        sb.append(decimal(s * 1_000_000_000L + nanos, 9)).append('s');
        return sb.toString();
    }

    /** {@code value / 10^digits}, with the fraction's trailing zeros dropped (and its point when none is left). */
    private static String decimal(long value, int digits) {
        long scale = 1;
        for (int i = 0; i < digits; i++) {
            scale *= 10;
        }
        String whole = Long.toString(value / scale);
        long rest = value % scale;
        if (rest == 0) {
            return whole;
        }
        StringBuilder fraction = new StringBuilder(Long.toString(rest));
        while (fraction.length() < digits) {
            fraction.insert(0, '0');
        }
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return whole + "." + fraction.substring(0, end);
    }

    private static int unit(String name) {
        for (int u = 0; u < UNITS.length; u++) {
            if (UNITS[u].equals(name)) {
                return u;
            }
        }
        return -1;
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
