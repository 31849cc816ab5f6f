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
     * at {@link #LARGE} and above with an exponent.
     */
    public static String human(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return fixed(v, 0);
        }
        if (v == Math.rint(v) && Math.abs(v) < LARGE) {
            return Long.toString((long) v);
        }
        return fixed(v, Math.abs(v) >= 100 ? 1 : 3);
    }

    /** {@code 1.23e308}: three significant digits and the exponent. */
    static String scientific(double v) {
        int exp = (int) Math.floor(Math.log10(Math.abs(v)));
        double mantissa = v / Math.pow(10, exp);
        if (Math.abs(mantissa) >= 9.995) { // rounds up to 10.00
            mantissa /= 10;
            exp++;
        }
        return fixed(mantissa, 2) + "e" + exp;
    }
}
