package io.exlm.mon.tui;

import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Figure;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.tui.PanelState.Bar;
import io.exlm.mon.tui.PanelState.Unit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a catalog snapshot, from whichever source, into the dashboard's panels: the same panels for a scrape and for
 * PromQL, each with its figures or the snapshot's reason why not.
 */
public final class SnapshotPanels {
    private static final List<String> STATUS_ORDER = List.of("started", "running", "completed", "succeeded",
            "failed");

    private SnapshotPanels() {
    }

    public static Map<PanelId, PanelState> of(Snapshot s) {
        Snapshot.Derived d = s.derived();
        Map<PanelId, PanelState> m = new EnumMap<>(PanelId.class);
        m.put(PanelId.CPU, host(PanelId.CPU, d, "cpu_usage_percent", d.cpuPercent()));
        m.put(PanelId.MEMORY, host(PanelId.MEMORY, d, "memory_usage_percent", d.memoryPercent()));
        m.put(PanelId.DISK, host(PanelId.DISK, d, "disk_usage_percent", d.diskPercent()));
        m.put(PanelId.USERS, figures(PanelId.USERS, new String[] {"users" + covers(d, "active_users"),
            "websockets" + covers(d, "active_websocket_connections")}, d.activeUsers(), d.websocketConnections()));
        m.put(PanelId.REQUEST_RATE, single(PanelId.REQUEST_RATE, d.requestsPerSecond(), Unit.PER_SECOND,
                Level.NONE));
        Snapshot.Latency l = s.latency();
        m.put(PanelId.LATENCY, figures(PanelId.LATENCY, new String[] {"p50", "p95", "p99"}, l.p50(), l.p95(),
                l.p99()));
        m.put(PanelId.IN_PROGRESS, labelled(single(PanelId.IN_PROGRESS, d.requestsInProgress(), Unit.COUNT,
                Level.NONE), covers(d, "http_requests_inprogress").strip()));
        m.put(PanelId.TRAINING, bars(PanelId.TRAINING, d.trainingJobs(), Unit.COUNT));
        m.put(PanelId.DATASETS, bars(PanelId.DATASETS, d.datasetJobs(), Unit.COUNT));
        m.put(PanelId.CELERY, figures(PanelId.CELERY, new String[] {"pending" + covers(d, "celery_tasks_pending"),
            "active" + covers(d, "celery_tasks_active")}, d.celeryPending(), d.celeryActive()));
        Figure ratio = d.errorRatio();
        m.put(PanelId.ERROR_RATE, single(PanelId.ERROR_RATE, ratio, Unit.RATIO, ratio.available()
                ? Thresholds.of(PanelId.ERROR_RATE).level(ratio.value()) : Level.NONE));
        Snapshot.Breakdown rates = d.errorRatesByType();
        m.put(PanelId.ERRORS_BY_TYPE, rates.reason() == null ? bars(PanelId.ERRORS_BY_TYPE, rates, Unit.PER_SECOND)
                : bars(PanelId.ERRORS_BY_TYPE, d.errorsByType(), Unit.COUNT));
        m.put(PanelId.CACHE, single(PanelId.CACHE, d.cacheHitRatio(), Unit.RATIO, Level.NONE));
        return m;
    }

    /** What a gauge's figure covers when more than one instance: " (sum of 3 instances)"; else nothing. */
    private static String covers(Snapshot.Derived d, String metric) {
        Combination.Combined c = d.gauges().get(metric);
        if (c == null || c.instances() <= 1) {
            return "";
        }
        return " (" + c.covers(d.combination().rule(metric), "workers") + ")";
    }

    /** The panel's one figure with a label, when there is one to give. */
    private static PanelState labelled(PanelState p, String label) {
        if (!p.available() || label.isEmpty() || p.figures().size() != 1) {
            return p;
        }
        PanelState.Figure f = p.figures().get(0);
        return new PanelState(p.id(), List.of(new PanelState.Figure(label, f.value(), f.unit())), p.bars(),
                p.history(), p.level(), p.unavailable());
    }

    /**
     * A host percentage: the combined figure (the highest instance's, by default), labelled with what it covers
     * when it covers more than one process, and then each instance's own figure.
     */
    private static PanelState host(PanelId id, Snapshot.Derived d, String metric, Figure f) {
        PanelState p = single(id, f, Unit.PERCENT, f.available() ? Thresholds.of(id).level(f.value()) : Level.NONE);
        Combination.Combined c = d.gauges().get(metric);
        if (!p.available() || c == null || c.processes() <= 1) {
            return p;
        }
        List<PanelState.Figure> figures = new ArrayList<>();
        figures.add(new PanelState.Figure(c.covers(d.combination().rule(metric), "workers"), f.value(),
                Unit.PERCENT));
        if (c.instances() > 1) {
            c.perInstance().forEach((instance, v) -> figures.add(new PanelState.Figure(
                    io.exlm.mon.Text.printable(instance), v, Unit.PERCENT)));
        }
        return new PanelState(id, figures, List.of(), new double[0], p.level(), null);
    }

    private static PanelState single(PanelId id, Figure f, Unit unit, Level level) {
        if (!f.available()) {
            return PanelState.unavailable(id, io.exlm.mon.Text.printable(f.reason()));
        }
        return new PanelState(id, List.of(new PanelState.Figure("", f.value(), unit)), List.of(), new double[0],
                level, null);
    }

    /** Several figures in one panel; shown when at least one is there, else the first one's reason. */
    private static PanelState figures(PanelId id, String[] labels, Figure... fs) {
        List<PanelState.Figure> out = new ArrayList<>();
        Unit unit = id == PanelId.LATENCY ? Unit.SECONDS : Unit.COUNT;
        for (int i = 0; i < fs.length; i++) {
            if (fs[i].available()) {
                out.add(new PanelState.Figure(labels[i], fs[i].value(), unit));
            }
        }
        if (out.isEmpty()) {
            return PanelState.unavailable(id, fs[0].reason());
        }
        return new PanelState(id, out, List.of(), new double[0], Level.NONE, null);
    }

    private static PanelState bars(PanelId id, Snapshot.Breakdown b, Unit unit) {
        if (b.reason() != null) {
            return PanelState.unavailable(id, b.reason());
        }
        List<Bar> bars = new ArrayList<>();
        b.values().forEach((label, v) -> bars.add(new Bar(io.exlm.mon.Text.printable(label), v, unit)));
        // job statuses in the order a job goes through them; anything else (error types) largest first
        bars.sort(Comparator.comparingInt((Bar x) -> STATUS_ORDER.indexOf(x.label()) < 0 ? STATUS_ORDER.size()
                : STATUS_ORDER.indexOf(x.label())).thenComparing(Comparator.comparingDouble(Bar::value).reversed())
                .thenComparing(Bar::label));
        return new PanelState(id, List.of(), bars, new double[0], Level.NONE, null);
    }
}
