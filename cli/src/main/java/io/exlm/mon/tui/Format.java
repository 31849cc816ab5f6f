package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelState.Unit;

/** Numbers as the dashboard writes them: short, fixed precision, locale-independent. */
public final class Format {
    private Format() {
    }

    public static String value(double v, Unit unit) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return switch (unit) {
            case PERCENT -> significant(v, 1) + "%";
            case RATIO -> ratio(v);
            case PER_SECOND -> compact(v) + "/s";
            case SECONDS -> seconds(v);
            case COUNT -> compact(v);
        };
    }

    /** A fraction as a percentage, with more digits when it is small (an error rate of 0.04 % matters). */
    static String ratio(double v) {
        double pct = v * 100;
        if (pct != 0 && Math.abs(pct) < 1) {
            return significant(pct, 2) + "%";
        }
        return significant(pct, 1) + "%";
    }

    static String seconds(double s) {
        double a = Math.abs(s);
        if (a < 0.001) {
            return significant(s * 1_000_000, 0) + "µs";
        }
        if (a < 1) {
            return fixed(s * 1000, a < 0.01 ? 1 : 0) + "ms";
        }
        if (a >= 1e5) {
            return io.exlm.mon.Numbers.si(s, 1) + "s"; // a latency of days is a broken histogram: short, not exact
        }
        return fixed(s, 2) + "s";
    }

    /** A count or a rate: whole numbers below 10,000 as such, then k, M, G, T, then an exponent. */
    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 10_000) {
            return io.exlm.mon.Numbers.si(v, 1);
        }
        if (a == Math.rint(a)) {
            return io.exlm.mon.Numbers.fixed(v, 0);
        }
        return significant(v, a < 10 ? 2 : 1);
    }

    static String significant(double v, int digits) {
        return io.exlm.mon.Numbers.significant(v, digits);
    }

    static String fixed(double v, int digits) {
        return io.exlm.mon.Numbers.fixed(v, digits);
    }

    private static final java.time.format.DateTimeFormatter CLOCK = java.time.format.DateTimeFormatter.ofPattern(
            "HH:mm:ss", java.util.Locale.ROOT);

    /** A time of day on the dashboard's one clock ({@code zone}): {@code 00:12:34}. */
    static String clock(long millis, java.time.ZoneId zone) {
        return CLOCK.withZone(zone).format(java.time.Instant.ofEpochMilli(millis));
    }

    /** How long ago, to the second: {@code 1m ago}, {@code 1m30s ago}; {@code now} within a second. */
    static String ago(long millis) {
        long seconds = millis / 1000;
        return seconds <= 0 ? "now" : io.exlm.mon.config.Durations.format(java.time.Duration.ofSeconds(seconds))
                + " ago";
    }
}
