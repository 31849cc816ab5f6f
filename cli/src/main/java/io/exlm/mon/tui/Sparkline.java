package io.exlm.mon.tui;

/**
 * A history drawn in block characters, one column per sample, scaled from the smallest to the largest value shown
 * ({@link #range}, which the panel prints as the chart's scale: the chart shows the movement, the scale how much). A flat history is a flat low
 * line. Several rows stack the blocks for a taller chart.
 */
public final class Sparkline {
    private Sparkline() {
    }

    /**
     * The smallest and the largest value a chart of {@code width} columns shows of {@code history}: the scale of its
     * lowest and highest block, which the panel prints beside it (a chart scaled to its own range makes a wobble of
     * 1 % as tall as a doubling); null when it shows no value.
     */
    public static double[] range(double[] history, int width) {
        double max = Double.NEGATIVE_INFINITY;
        double min = Double.POSITIVE_INFINITY;
        for (int i = Math.max(0, history.length - width); i < history.length; i++) {
            double v = history[i];
            if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
        }
        return min > max ? null : new double[] {min, max};
    }

    /**
     * @return {@code rows} strings of exactly {@code width} characters, top row first; the newest sample is at the
     *         right edge, missing samples (NaN) are blank
     */
    public static String[] render(double[] history, int width, int rows, String levels) {
        String[] out = new String[rows];
        char[][] grid = new char[rows][width];
        for (char[] r : grid) {
            java.util.Arrays.fill(r, ' ');
        }
        int n = Math.min(width, history.length);
        int from = history.length - n;
        double[] range = range(history, width);
        double min = range == null ? 0 : range[0];
        double max = range == null ? 0 : range[1];
        int steps = levels.length();
        double span = max - min;
        for (int i = 0; i < n; i++) {
            double v = history[from + i];
            int col = width - n + i;
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            // total height in eighths of a row; a non-zero value always shows at least the lowest block
            int units = span <= 0 ? 0 : (int) Math.round((v - min) / span * rows * steps);
            if (units == 0 && v > min) {
                units = 1;
            }
            for (int r = 0; r < rows; r++) {
                int rowFromBottom = rows - 1 - r;
                int inRow = Math.min(steps, units - rowFromBottom * steps);
                if (inRow > 0) {
                    grid[r][col] = levels.charAt(inRow - 1);
                } else if (rowFromBottom == 0 && units == 0) {
                    grid[r][col] = levels.charAt(0);
                }
            }
        }
        for (int r = 0; r < rows; r++) {
            out[r] = new String(grid[r]);
        }
        return out;
    }
}
