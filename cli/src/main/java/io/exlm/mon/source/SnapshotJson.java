package io.exlm.mon.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.source.Snapshot.Breakdown;
import io.exlm.mon.source.Snapshot.Reading;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The document of {@code exlm-mon metrics -o json}: the contract the README's "metrics" states and the golden files
 * ({@code metrics-*.json}) hold. Fields are written in record order, in snake_case, nulls included unless a component
 * says otherwise. A number that is not finite is written as Prometheus's API writes it, as a string ({@code "NaN"},
 * {@code "+Inf"}, {@code "-Inf"}); a figure without a value is {@code {"value": null, "reason": ...}}.
 */
public final class SnapshotJson {
    /** The key in {@code reasons} of why the latency percentiles are missing. */
    static final String LATENCY_REASON = "latency_seconds";
    /** The key in {@code reasons} of the note that the window is not yet full. */
    static final String WINDOW_REASON = "window";
    /** The prefix in {@code reasons} of a derived figure's key. */
    static final String DERIVED_REASON = "derived.";

    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private SnapshotJson() {
    }

    /**
     * The whole document.
     *
     * @param source               where the numbers came from
     * @param metrics              each present catalog metric: its value, or the list of its labelled series
     *                             ({@link GaugeSeries} or {@link RatedSeries})
     * @param latencySeconds       the percentiles
     * @param missing              the catalog metrics that are missing
     * @param kind                 scrape, file or prometheus
     * @param windowSeconds        the window of the rates; null for one scrape
     * @param timeMs               when the figures hold: the scrape, or the instant PromQL evaluated them at (for
     *                             figures read from recording rules, the oldest evaluation among them)
     * @param recordings           the recording rules some figures were read from, how many queries they served
     *                             and how much older than the frame they are; only when it is so
     * @param latencyBasis         lifetime or window
     * @param rates                the per-second rate of each unlabelled counter (null when it has none yet)
     * @param derived              the dashboard's figures
     * @param gauges               each gauge's combined figure, how it was combined, and each instance's figure
     * @param windowCoveredSeconds how much of the window holds data; only when less than the window
     * @param reasons              why a metric, a percentile or a figure is missing, and the window's note
     * @param by                   with {@code --by}: the figures cut by each label asked for, a table each; absent
     *                             without it
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Document(String source, Map<String, Object> metrics, Latency latencySeconds, List<String> missing,
            String kind, Double windowSeconds, long timeMs,
            @JsonInclude(JsonInclude.Include.NON_NULL) Recordings recordings, String latencyBasis,
            Map<String, Object> rates, Derived derived, Map<String, Gauge> gauges,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double windowCoveredSeconds, Map<String, String> reasons,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object by) {
    }

    /**
     * The recording rules a snapshot's figures were read from (in part).
     *
     * @param group      the rule group ({@code exlm-frame})
     * @param queries    how many of the frame's queries its recordings served
     * @param of         how many queries the frame has
     * @param frameMs    when the frame was asked for (Unix milliseconds); {@code time_ms} is the figures' own time
     * @param ageSeconds how much older than the frame the figures are ({@code frame_ms - time_ms})
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Recordings(String group, int queries, int of, long frameMs, double ageSeconds) {
        static Recordings of(Snapshot.Recorded r) {
            return r == null ? null : new Recordings(r.group(), r.queries(), r.of(), r.frameMillis(),
                    r.age().toMillis() / 1000.0);
        }
    }

    /** A labelled series of a gauge: its labels and value (and a sum, if it has one). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record GaugeSeries(Map<String, String> labels, Object value,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object sum) {
    }

    /** A labelled series of a counter or histogram: its labels, value (a histogram's count), sum, rate or null. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record RatedSeries(Map<String, String> labels, Object value,
            @JsonInclude(JsonInclude.Include.NON_NULL) Object sum, Object ratePerSecond) {
    }

    /** The latency percentiles, each a number or a {@link Missing}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Latency(Object p50, Object p95, Object p99) {
    }

    /** A figure or breakdown without a value, and why. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Missing(Object value, String reason) {
        Missing(String reason) {
            this(null, reason);
        }
    }

    /**
     * The figures of {@link Snapshot.Derived}, by the same names: each a number, a breakdown (label value to number)
     * or a {@link Missing}; a missing one's reason is in {@code reasons} as {@code derived.} and its key.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Derived(Object requestsPerSecond, Object errorRatio, Object errorsByType, Object errorRatesByType,
            Object cacheHitRatio, Object trainingJobs, Object datasetJobs, Object celeryPending, Object celeryActive,
            Object cpuPercent, Object memoryPercent, Object diskPercent, Object activeUsers,
            Object websocketConnections, Object requestsInProgress) {
    }

    /**
     * A gauge combined across its series.
     *
     * @param combined    its rule, {@code instances/workers}
     * @param perInstance each instance's figure (the empty string for series without an instance label)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Gauge(Object value, String combined, int instances, int processes, Map<String, Object> perInstance) {
    }

    public static Document of(Snapshot s) {
        return of(s, null);
    }

    /** The whole document, with {@code metrics --by}'s tables ({@code by}; null without it). */
    public static Document of(Snapshot s, Object by) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> rates = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Reading r : s.metrics()) {
            String name = r.metric().name();
            if (!r.present()) {
                reasons.put(name, r.reason());
                continue;
            }
            boolean gauge = r.metric().type() == Catalog.Type.GAUGE;
            boolean labelled = !r.metric().labels().isEmpty() || r.series().size() != 1
                    || !r.series().get(0).labels().isEmpty();
            if (!labelled) {
                Snapshot.Series one = r.series().get(0);
                values.put(name, number(one.value()));
                if (!gauge) {
                    rates.put(name, rate(one.rate()));
                }
            } else {
                List<Object> list = new ArrayList<>();
                for (Snapshot.Series x : r.series()) {
                    Object sum = x.sum() == null ? null : number(x.sum());
                    list.add(gauge ? new GaugeSeries(x.labels(), number(x.value()), sum)
                            : new RatedSeries(x.labels(), number(x.value()), sum, rate(x.rate())));
                }
                values.put(name, list);
            }
            if (!r.missingLabels().isEmpty()) {
                reasons.put(name, "series lack the documented labels " + String.join(", ", r.missingLabels()));
            }
        }
        Snapshot.Latency l = s.latency();
        Snapshot.Derived d = s.derived();
        Derived derived = new Derived(figure(d.requestsPerSecond()), figure(d.errorRatio()),
                breakdown(d.errorsByType()), breakdown(d.errorRatesByType()), figure(d.cacheHitRatio()),
                breakdown(d.trainingJobs()), breakdown(d.datasetJobs()), figure(d.celeryPending()),
                figure(d.celeryActive()), figure(d.cpuPercent()), figure(d.memoryPercent()), figure(d.diskPercent()),
                figure(d.activeUsers()), figure(d.websocketConnections()), figure(d.requestsInProgress()));
        Map<String, Gauge> gauges = new LinkedHashMap<>();
        d.gauges().forEach((name, c) -> {
            Map<String, Object> per = new LinkedHashMap<>();
            c.perInstance().forEach((i, v) -> per.put(i, number(v)));
            gauges.put(name, new Gauge(number(c.value()), d.combination().rule(name).text(), c.instances(),
                    c.processes(), per));
        });
        if (!l.p50().available()) {
            reasons.put(LATENCY_REASON, l.p50().reason());
        }
        missingReasons(derived).forEach((k, v) -> reasons.put(DERIVED_REASON + k, v));
        Double covered = null;
        if (s.coverage() != null) {
            covered = s.coverage().covered().toMillis() / 1000.0;
            reasons.put(WINDOW_REASON, s.coverage().words());
        }
        return new Document(s.source(), values, new Latency(figure(l.p50()), figure(l.p95()), figure(l.p99())),
                s.missing(), s.kind(), s.window() == null ? null : s.window().toMillis() / 1000.0, s.timeMillis(),
                Recordings.of(s.recorded()), l.basis(), rates, derived, gauges, covered, reasons, by);
    }

    /** The derived figures without a value, by their key in the document, in the document's order. */
    private static Map<String, String> missingReasons(Derived derived) {
        Map<String, String> out = new LinkedHashMap<>();
        for (RecordComponent c : Derived.class.getRecordComponents()) {
            try {
                if (c.getAccessor().invoke(derived) instanceof Missing m && m.reason() != null) {
                    out.put(SNAKE.translate(c.getName()), m.reason());
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return out;
    }

    /** JSON has no NaN or infinities: those become strings, as Prometheus's API writes them. */
    public static Object number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v;
    }

    private static Object rate(Figure f) {
        return f.available() ? number(f.value()) : null;
    }

    private static Object figure(Figure f) {
        return f.available() ? number(f.value()) : new Missing(f.reason());
    }

    private static Object breakdown(Breakdown b) {
        if (b.reason() != null) {
            return new Missing(b.reason());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        b.values().forEach((k, v) -> m.put(k, number(v)));
        return m;
    }
}
