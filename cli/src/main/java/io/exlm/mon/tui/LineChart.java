package io.exlm.mon.tui;

import io.exlm.mon.Numbers;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A line chart of time series in text: a y axis with the range's bounds, one mark per series ({@code ●}, {@code ○},
 * ...; ASCII {@code *}, {@code o}, ... with {@link Glyphs#ASCII}) drawn column by column with vertical strokes
 * between neighbouring points, an x axis with times, and a legend with each series' last, min and max. Pure: the
 * same input gives the same lines, so it is unit-tested as text.
 */
public final class LineChart {
    /** One series: its name for the legend and its values on the chart's time grid (NaN where it has none). */
    public record Series(String name, double[] values) {
    }

    /** At most this many series are drawn; the legend says how many more there were. */
    public static final int MAX_SERIES = 8;

    private static final char[] UNICODE_MARKS = {'●', '○', '◆', '◇', '■', '□', '▲', '△'};
    private static final char[] ASCII_MARKS = {'*', 'o', '+', 'x', '#', '@', '%', '&'};

    private LineChart() {
    }

    /**
     * @param start  the time of the first value of every series
     * @param stepMs the time between two values
     * @param width  the whole width in characters, axis labels included
     * @param height the rows of the plot area
     * @param paint  colours a mark of series i (identity for no colour)
     */
    public static List<String> render(List<Series> series, Instant start, long stepMs, int width, int height,
            Glyphs glyphs, ZoneId zone, BiFunction<Integer, String, String> paint) {
        List<String> out = new ArrayList<>();
        List<Series> shown = series.size() > MAX_SERIES ? series.subList(0, MAX_SERIES) : series;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int points = 0;
        for (Series s : shown) {
            points = Math.max(points, s.values().length);
            for (double v : s.values()) {
                if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
        }
        if (points == 0 || min == Double.POSITIVE_INFINITY) {
            out.add("(no data in the range)");
            return out;
        }
        if (max == min) {
            double pad = max == 0 ? 1 : Math.abs(max) * 0.1;
            max += pad;
            min = min >= 0 && min - pad < 0 ? 0 : min - pad;
        }
        String top = axis(max);
        String mid = axis((max + min) / 2);
        String bottom = axis(min);
        int labelWidth = Math.max(top.length(), Math.max(mid.length(), bottom.length()));
        int plotWidth = Math.max(10, width - labelWidth - 2);
        int rows = Math.max(3, height);
        int[][] cell = new int[rows][plotWidth];
        for (int[] r : cell) {
            Arrays.fill(r, -1);
        }
        char[] marks = glyphs == Glyphs.ASCII ? ASCII_MARKS : UNICODE_MARKS;
        for (int si = shown.size() - 1; si >= 0; si--) { // the first series is drawn last, on top
            double[] v = shown.get(si).values();
            int prevRow = -1;
            for (int col = 0; col < plotWidth; col++) {
                double value = sample(v, col, plotWidth, points);
                if (Double.isNaN(value) || Double.isInfinite(value)) {
                    prevRow = -1;
                    continue;
                }
                int row = rows - 1 - (int) Math.round((value - min) / (max - min) * (rows - 1));
                row = Math.max(0, Math.min(rows - 1, row));
                if (prevRow >= 0) {
                    for (int r = Math.min(prevRow, row) + 1; r < Math.max(prevRow, row); r++) {
                        cell[r][col] = si;
                    }
                }
                cell[row][col] = si;
                prevRow = row;
            }
        }
        for (int r = 0; r < rows; r++) {
            String label = r == 0 ? top : r == rows - 1 ? bottom : r == rows / 2 ? mid : "";
            StringBuilder sb = new StringBuilder();
            sb.append(" ".repeat(labelWidth - label.length())).append(label).append(' ').append(glyphs.vertical());
            for (int c = 0; c < plotWidth; c++) {
                int si = cell[r][c];
                sb.append(si < 0 ? " " : paint.apply(si, String.valueOf(marks[si])));
            }
            out.add(sb.toString().stripTrailing());
        }
        out.add(" ".repeat(labelWidth + 1) + glyphs.bottomLeft() + String.valueOf(glyphs.horizontal()).repeat(plotWidth));
        // times at the start, the middle and the end of the range
        DateTimeFormatter f = DateTimeFormatter.ofPattern(stepMs * Math.max(1, points - 1) >= 86_400_000L
                ? "MM-dd HH:mm" : "HH:mm:ss", java.util.Locale.ROOT).withZone(zone);
        long span = stepMs * Math.max(0, points - 1);
        String t0 = f.format(start);
        String t1 = f.format(start.plusMillis(span / 2));
        String t2 = f.format(start.plusMillis(span));
        // each label only where it fits with a space to its neighbours
        char[] axis = " ".repeat(labelWidth + 2 + plotWidth).toCharArray();
        int left = labelWidth + 2;
        int right = left + plotWidth - t2.length();
        int middle = left + plotWidth / 2 - t1.length() / 2;
        put(axis, left, t0);
        if (right > left + t0.length()) {
            put(axis, right, t2);
            if (middle > left + t0.length() && middle + t1.length() < right) {
                put(axis, middle, t1);
            }
        }
        out.add(new String(axis).stripTrailing());
        for (int si = 0; si < shown.size(); si++) {
            double[] v = shown.get(si).values();
            double last = Double.NaN;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double x : v) {
                if (!Double.isNaN(x)) {
                    last = x;
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            out.add(paint.apply(si, String.valueOf(marks[si])) + " " + shown.get(si).name() + "  last "
                    + axis(last) + ", min " + axis(lo) + ", max " + axis(hi));
        }
        if (series.size() > shown.size()) {
            out.add("... and " + (series.size() - shown.size()) + " more series (-o json or -o csv shows them all; or"
                    + " aggregate the query)");
        }
        return out;
    }

    /** The value shown in a column: the nearest point of the grid (columns and points rarely match one to one). */
    private static double sample(double[] v, int col, int cols, int points) {
        if (v.length == 0) {
            return Double.NaN;
        }
        int i = cols == 1 ? 0 : (int) Math.round((double) col * (points - 1) / (cols - 1));
        return i < v.length ? v[i] : Double.NaN;
    }

    private static void put(char[] line, int at, String text) {
        int from = Math.max(0, Math.min(at, line.length - text.length()));
        for (int i = 0; i < text.length() && from + i < line.length; i++) {
            line[from + i] = text.charAt(i);
        }
    }

    /** A number for an axis or the legend: three significant digits, k, M, G and T for large ones. */
    public static String axis(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        double a = Math.abs(v);
        if (a >= 1e6) {
            return Numbers.si(v, 2);
        }
        if (a >= 1e4) {
            return Numbers.si(v, 1);
        }
        if (a == 0) {
            return "0";
        }
        if (a < 1e-4) {
            return Numbers.scientific(v); // six decimals would show 0
        }
        int digits = Math.max(0, Math.min(6, 2 - (int) Math.floor(Math.log10(a))));
        String s = Numbers.fixed(v, digits);
        if (s.contains(".")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
