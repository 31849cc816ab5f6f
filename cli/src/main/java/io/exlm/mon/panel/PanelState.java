package io.exlm.mon.panel;

import java.util.List;

/**
 * What one panel shows: its figures (the first is the headline), labelled bars for a breakdown, a history for a
 * sparkline, and how it stands against its threshold; or, when there is nothing to show, why, in words.
 */
public record PanelState(PanelId id, List<Figure> figures, List<Bar> bars, double[] history, Level level,
        String unavailable) {

    /** A labelled number with its unit. */
    public record Figure(String label, double value, Unit unit) {
    }

    /** One bar of a breakdown (errors by type, jobs by status). */
    public record Bar(String label, double value, Unit unit) {
    }

    /** How a number is written. */
    public enum Unit {
        PERCENT, RATIO, PER_SECOND, SECONDS, COUNT
    }

    public static PanelState unavailable(PanelId id, String why) {
        return new PanelState(id, List.of(), List.of(), new double[0], Level.NONE, why);
    }

    public boolean available() {
        return unavailable == null;
    }

    public PanelState withHistory(double[] h) {
        return new PanelState(id, figures, bars, h, level, unavailable);
    }
}
