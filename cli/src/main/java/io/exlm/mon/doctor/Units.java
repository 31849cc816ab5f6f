package io.exlm.mon.doctor;

import io.exlm.mon.Numbers;

/** Figures written for people. */
final class Units {
    private Units() {
    }

    static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = 0;
        while (Math.abs(v) >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (u == 0 ? String.valueOf(Math.round(v)) : Numbers.fixed(v, v >= 100 ? 0 : 1)) + " " + units[u];
    }

    static String percent(double p) {
        return Numbers.fixed(p, 1) + " %";
    }
}
