package io.exlm.mon.panel;

import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Figure;
import io.exlm.mon.source.LatencyObjective;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.panel.PanelState.Bar;
import io.exlm.mon.panel.PanelState.Unit;
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

    /**
     * Job statuses in the order a job goes through them, anything else after them: how the jobs panels order their
     * bars, and a cut that keeps the status apart ({@link PanelId#apart()}) its rows of one value.
     */
    static Comparator<String> statusOrder() {
        return Comparator.comparingInt(s -> STATUS_ORDER.indexOf(s) < 0 ? STATUS_ORDER.size() : STATUS_ORDER.indexOf(
                s));
    }

    /** Every panel of the specification, from one snapshot. */
    public static Map<PanelId, PanelState> of(Snapshot s) {
        Map<PanelId, PanelState> m = new EnumMap<>(PanelId.class);
        for (PanelId id : PanelId.values()) {
            PanelState p = panel(id, s);
            m.put(id, id.window() == PanelId.Window.DASHBOARD && s.window() != null ? p.withCoverage(s.coverage()) : p);
        }
        return m;
    }

    /**
     * The level of a rate, ratio or percentile in a band: judged only over a window, once it spans
     * {@link Snapshot.Coverage#judgedSpan} (a figure over a second of requests flaps); until then, none. A first
     * scrape's lifetime figures are not judged either: over a backend that has just started they are as noisy.
     */
    private static Level judged(Snapshot s, Thresholds.Band band, Figure f) {
        if (band == null || !f.available() || s.window() == null || (s.coverage() != null
                && !s.coverage().judged())) {
            return Level.NONE;
        }
        return band.level(f.value());
    }

    /** One panel from a snapshot: {@link PanelId#compute}. */
    static PanelState panel(PanelId id, Snapshot s) {
        Snapshot.Derived d = s.derived();
        return switch (id) {
            case CPU -> host(id, d, "cpu_usage_percent", d.cpuPercent());
            case MEMORY -> host(id, d, "memory_usage_percent", d.memoryPercent());
            case DISK -> host(id, d, "disk_usage_percent", d.diskPercent());
            case USERS -> figures(id, new String[] {"users" + covers(d, "active_users"),
                "websockets" + covers(d, "active_websocket_connections")}, d.activeUsers(), d.websocketConnections());
            case REQUEST_RATE -> single(id, d.requestsPerSecond(), id.unit(), Level.NONE);
            case LATENCY -> withLevel(figures(id, new String[] {"p50", "p95", "p99"}, s.latency().p50(),
                    s.latency().p95(), s.latency().p99()), judged(s, Thresholds.objective(id),
                    LatencyObjective.bundled().of(s.latency())));
            case IN_PROGRESS -> labelled(single(id, d.requestsInProgress(), id.unit(), Level.NONE),
                    covers(d, "http_requests_inprogress").strip());
            case TRAINING -> bars(id, d.trainingJobs(), Unit.COUNT);
            case DATASETS -> bars(id, d.datasetJobs(), Unit.COUNT);
            case CELERY -> figures(id, new String[] {"pending" + covers(d, "celery_tasks_pending"),
                "active" + covers(d, "celery_tasks_active")}, d.celeryPending(), d.celeryActive());
            case ERROR_RATE -> single(id, d.errorRatio(), id.unit(), judged(s, Thresholds.of(id), d.errorRatio()));
            // the rates over the window; the counts only when there is no window yet (a first scrape)
            case ERRORS_BY_TYPE -> d.errorRatesByType().reason() == null ? bars(id, d.errorRatesByType(),
                    Unit.PER_SECOND) : bars(id, d.errorsByType(), Unit.COUNT);
            case CACHE -> single(id, d.cacheHitRatio(), id.unit(), Level.NONE);
        };
    }

    /** What a gauge's figure covers when more than one instance: " (sum of 3 instances)"; else nothing. */
    private static String covers(Snapshot.Derived d, String metric) {
        Combination.Combined c = d.gauges().get(metric);
        if (c == null || c.instances() <= 1) {
            return "";
        }
        return " (" + c.covers(d.combination().rule(metric), "workers") + ")";
    }

    private static PanelState withLevel(PanelState p, Level level) {
        return p.available() ? new PanelState(p.id(), p.figures(), p.bars(), p.history(), level, p.unavailable()) : p;
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
        PanelState p = single(id, f, id.unit(), f.available() ? Thresholds.of(id).level(f.value()) : Level.NONE);
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
        Unit unit = id.unit();
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
        bars.sort(Comparator.comparing(Bar::label, statusOrder()).thenComparing(Comparator.comparingDouble(
                Bar::value).reversed()).thenComparing(Bar::label));
        return new PanelState(id, List.of(), bars, new double[0], Level.NONE, null);
    }
}
