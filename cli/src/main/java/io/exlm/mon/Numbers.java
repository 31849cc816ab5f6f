package io.exlm.mon;

/** Numbers written for people: fixed decimals, rounded half up, locale-independent, without String.format's cost. */
public final class Numbers {
    private Numbers() {
    }

    /** {@code v} with {@code digits} decimals. */
    public static String fixed(double v, int digits) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
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
}
