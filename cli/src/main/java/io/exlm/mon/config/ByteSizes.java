package io.exlm.mon.config;

import java.util.Locale;

/** Sizes written as {@code 64MiB}, {@code 512k}, {@code 1G} or a bare number of bytes. */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size");
        }
        String s = text.trim();
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw bad(text);
        }
        long n;
        try {
            n = Long.parseLong(s.substring(0, i));
        } catch (NumberFormatException e) {
            throw bad(text);
        }
        String unit = s.substring(i).trim().toLowerCase(Locale.ROOT);
        long factor = switch (unit) {
            case "", "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw bad(text);
        };
        if (n > Long.MAX_VALUE / factor || n <= 0) {
            throw bad(text);
        }
        return n * factor;
    }

    /** A size as a person reads it: 512 B, 3.2 KiB, 64 MiB. */
    public static String format(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("'" + text + "' is not a size (examples: 65536, 512KiB, 64MiB, 1GiB)");
    }
}
