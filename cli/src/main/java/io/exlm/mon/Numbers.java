package io.exlm.mon;

/** Numbers written for people: fixed decimals, rounded half up, locale-independent, without String.format's cost. */
public final class Numbers {
    private Numbers() {
    }

    /** From here on a number is written with an exponent: a long holds no more digits, and nobody reads them. */
    static final double LARGE = 1e15;

    /** {@code v} with {@code digits} decimals; at {@link #LARGE} and above, three significant digits and an exponent. */
    public static String fixed(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (Math.abs(v) >= LARGE) {
            return scientific(v);
        }
        long scale = 1;
        for (int i = 0; i < digits; i++) {
            scale *= 10;
        }
        long n = Math.round(Math.abs(v) * scale);
        StringBuilder sb = new StringBuilder();
        if (v < 0 && n != 0) {
            sb.append('-');
        }
        sb.append(n / scale);
        if (digits > 0) {
            String frac = Long.toString(n % scale);
            sb.append('.');
            for (int i = frac.length(); i < digits; i++) {
                sb.append('0');
            }
            sb.append(frac);
        }
        return sb.toString();
    }

    /**
     * A number as people read it in a table: a whole number as such, else three decimals below 100 and one above;
     * at {@link #LARGE} and above, and below what three decimals show (not 0), with an exponent.
     */
    public static String human(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return fixed(v, 0);
        }
        if (v == Math.rint(v) && Math.abs(v) < LARGE) {
            return Long.toString((long) v);
        }
        return significant(v, Math.abs(v) >= 100 ? 1 : 3);
    }

    /**
     * {@code v} with {@code digits} decimals, unless that would show a value that is not 0 as 0 (or -0): then, like
     * at {@link #LARGE}, three significant digits and an exponent ({@code 1.00e-300}, not {@code 0.000}).
     */
    public static String significant(double v, int digits) {
        if (v != 0 && Math.abs(v) < HALF_UNIT[Math.min(digits, HALF_UNIT.length - 1)]) {
            return scientific(v);
        }
        return fixed(v, digits);
    }

    /** Half of the last decimal's unit, by the number of decimals: what rounds to 0. */
    private static final double[] HALF_UNIT = {0.5, 0.05, 0.005, 5e-4, 5e-5, 5e-6, 5e-7, 5e-8, 5e-9, 5e-10};

    private static final String[] PREFIXES = {"", "k", "M", "G", "T"};

    /**
     * {@code v} with an SI prefix (k, M, G, T: 12.3k, 4.56M) and {@code digits} decimals; at {@link #LARGE} and above,
     * or when a value that is not 0 would show as 0, with an exponent. NaN and the infinities as Prometheus spells
     * them.
     */
    public static String si(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) >= LARGE) {
            return fixed(v, digits);
        }
        double a = Math.abs(v);
        int p = 0;
        while (p < PREFIXES.length - 1 && a >= 1000) {
            a /= 1000;
            p++;
        }
        double scale = Math.pow(1000, p);
        // 999.96k rounds to 1000.0k: that is 1.0M
        if (p > 0 && p < PREFIXES.length - 1 && Math.abs(Double.parseDouble(fixed(v / scale, digits))) >= 1000) {
            p++;
            scale *= 1000;
        }
        if (p == 0) {
            return significant(v, digits);
        }
        String s = fixed(v / scale, digits);
        return Math.abs(Double.parseDouble(s)) >= 1000 ? scientific(v) : s + PREFIXES[p];
    }

    /**
     * {@code 1.23e308}, {@code 4.94e-324}: three significant digits, rounded half up, and the exponent. Exact at
     * every magnitude a double has, subnormal ones included (10 to their power is no double).
     */
    public static String scientific(double v) {
        java.math.BigDecimal b = new java.math.BigDecimal(v).round(new java.math.MathContext(3,
                java.math.RoundingMode.HALF_UP));
        String digits = b.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - b.scale();
        StringBuilder m = new StringBuilder(digits);
        while (m.length() < 3) {
            m.append('0');
        }
        return (v < 0 ? "-" : "") + m.charAt(0) + "." + m.substring(1, 3) + "e" + exp;
    }
}
