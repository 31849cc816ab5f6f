package io.exlm.mon.panel;

import java.util.List;

/**
 * What one panel shows: its figures (the first is the headline), labelled bars for a breakdown, a history for a
 * sparkline, and how it stands against its threshold; or, when there is nothing to show, why, in words. A panel of
 * rates over the window ({@link PanelId.Window#DASHBOARD}) carries the window's coverage while the window is not yet
 * full (null once it is, and for every other panel).
 */
public record PanelState(PanelId id, List<Figure> figures, List<Bar> bars, double[] history, Level level,
        String unavailable, io.exlm.mon.source.Snapshot.Coverage coverage) {

    public PanelState(PanelId id, List<Figure> figures, List<Bar> bars, double[] history, Level level,
            String unavailable) {
        this(id, figures, bars, history, level, unavailable, null);
    }

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
        return new PanelState(id, figures, bars, h, level, unavailable, coverage);
    }

    /** This panel, saying how much of its window holds data (null: the window is full). */
    public PanelState withCoverage(io.exlm.mon.source.Snapshot.Coverage c) {
        return new PanelState(id, figures, bars, history, level, unavailable, c);
    }
}
