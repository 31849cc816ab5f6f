package io.exlm.mon.tui;

import io.exlm.mon.tui.PanelState.Unit;

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
            case PERCENT -> fixed(v, 1) + "%";
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
            return fixed(pct, 2) + "%";
        }
        return fixed(pct, 1) + "%";
    }

    static String seconds(double s) {
        if (s < 0.001) {
            return fixed(s * 1_000_000, 0) + "µs";
        }
        if (s < 1) {
            return fixed(s * 1000, s < 0.01 ? 1 : 0) + "ms";
        }
        return fixed(s, 2) + "s";
    }

    static String compact(double v) {
        double a = Math.abs(v);
        if (a >= 1_000_000) {
            return fixed(v / 1_000_000, 1) + "M";
        }
        if (a >= 10_000) {
            return fixed(v / 1000, 1) + "k";
        }
        if (a == Math.rint(a) && a < 10_000) {
            return String.valueOf((long) v);
        }
        return fixed(v, a < 10 ? 2 : 1);
    }

    static String fixed(double v, int digits) {
        return io.exlm.mon.Numbers.fixed(v, digits);
    }
}
