package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.panel.PanelState.Bar;
import io.exlm.mon.panel.PanelState.Figure;
import io.exlm.mon.panel.PanelState.Unit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Models for frame tests: a full dashboard with known figures, and variations of it. */
public final class Frames {
    private Frames() {
    }

    public static double[] ramp(int n, double from, double to) {
        double[] h = new double[n];
        for (int i = 0; i < n; i++) {
            h[i] = from + (to - from) * i / Math.max(1, n - 1);
        }
        return h;
    }

    public static Map<PanelId, PanelState> panels() {
        Map<PanelId, PanelState> m = new EnumMap<>(PanelId.class);
        m.put(PanelId.CPU, gauge(PanelId.CPU, 42.5));
        m.put(PanelId.MEMORY, gauge(PanelId.MEMORY, 85.0));
        m.put(PanelId.DISK, gauge(PanelId.DISK, 93.2));
        m.put(PanelId.USERS, new PanelState(PanelId.USERS, List.of(new Figure("users", 52, Unit.COUNT),
                new Figure("websockets", 31, Unit.COUNT)), List.of(), ramp(30, 40, 52), Level.NONE, null));
        m.put(PanelId.REQUEST_RATE, new PanelState(PanelId.REQUEST_RATE, List.of(new Figure("", 21.4,
                Unit.PER_SECOND)), List.of(), ramp(60, 10, 21.4), Level.NONE, null));
        m.put(PanelId.LATENCY, new PanelState(PanelId.LATENCY, List.of(new Figure("p50", 0.035, Unit.SECONDS),
                new Figure("p95", 0.120, Unit.SECONDS), new Figure("p99", 0.310, Unit.SECONDS)), List.of(),
                ramp(60, 0.1, 0.12), Level.NONE, null));
        m.put(PanelId.IN_PROGRESS, new PanelState(PanelId.IN_PROGRESS, List.of(new Figure("", 3, Unit.COUNT)),
                List.of(), ramp(20, 0, 3), Level.NONE, null));
        m.put(PanelId.TRAINING, new PanelState(PanelId.TRAINING, List.of(), List.of(new Bar("started", 0.8,
                Unit.PER_SECOND), new Bar("completed", 0.7, Unit.PER_SECOND), new Bar("failed", 0.05,
                Unit.PER_SECOND)), new double[0], Level.NONE, null));
        m.put(PanelId.DATASETS, new PanelState(PanelId.DATASETS, List.of(), List.of(new Bar("started", 0.35,
                Unit.PER_SECOND), new Bar("completed", 0.3, Unit.PER_SECOND), new Bar("failed", 0.0,
                Unit.PER_SECOND)), new double[0], Level.NONE, null));
        m.put(PanelId.CELERY, new PanelState(PanelId.CELERY, List.of(new Figure("pending", 4, Unit.COUNT),
                new Figure("active", 8, Unit.COUNT)), List.of(), ramp(10, 2, 4), Level.NONE, null));
        m.put(PanelId.ERROR_RATE, new PanelState(PanelId.ERROR_RATE, List.of(new Figure("", 0.0712, Unit.RATIO)),
                List.of(), ramp(60, 0.01, 0.0712), Level.ALERT, null));
        m.put(PanelId.ERRORS_BY_TYPE, new PanelState(PanelId.ERRORS_BY_TYPE, List.of(), List.of(new Bar("database",
                0.4, Unit.PER_SECOND), new Bar("timeout", 0.3, Unit.PER_SECOND), new Bar("internal", 0.2,
                Unit.PER_SECOND)), new double[0], Level.NONE, null));
        m.put(PanelId.CACHE, new PanelState(PanelId.CACHE, List.of(new Figure("", 0.875, Unit.RATIO)), List.of(),
                new double[0], Level.NONE, null));
        return m;
    }

    public static PanelState gauge(PanelId id, double percent) {
        return new PanelState(id, List.of(new Figure("", percent, Unit.PERCENT)), List.of(), new double[0],
                Thresholds.of(id).level(percent), null);
    }

    public static DashboardModel model(Map<PanelId, PanelState> panels) {
        return new DashboardModel(new DashboardModel.Header("scrape http://127.0.0.1:8000/metrics",
                DashboardModel.FeedStatus.OK, 400, 1000, null), panels, PanelId.CPU, null, false, false);
    }

    /** A snapshot of an empty body: every panel says why it has no figures. */
    public static io.exlm.mon.source.Snapshot emptySnapshot() {
        try {
            return io.exlm.mon.source.Snapshots.of(io.exlm.mon.expo.Scrape.read(new byte[0],
                    io.exlm.mon.expo.ExpositionFormat.PROMETHEUS_TEXT, io.exlm.mon.expo.ParseMode.LENIENT, "test", 0));
        } catch (io.exlm.mon.expo.ExpositionException e) {
            throw new AssertionError(e);
        }
    }
}
