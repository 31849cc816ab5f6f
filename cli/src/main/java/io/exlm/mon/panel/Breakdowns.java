package io.exlm.mon.panel;

import io.exlm.mon.ExitException;
import io.exlm.mon.panel.Breakdown.Cut;
import io.exlm.mon.panel.Breakdown.Row;
import io.exlm.mon.panel.PanelState.Unit;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Formulas;
import io.exlm.mon.source.Scope;
import io.exlm.mon.source.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A panel's {@link Breakdown}, from either source: PromQL aggregated on the server ({@link PanelId#breakdown}, one
 * query per label, capped at {@link PanelId#BREAKDOWN_ROWS}), or the series of a scrape, grouped alike ({@link
 * PanelId#grouping}: the jobs by instance a row per instance and status). A scrape reads one instance, and says so.
 */
public final class Breakdowns {
    /** Why a scrape has no latency cut: its histogram has no bucket series. */
    static final String NO_BUCKETS = "http_request_duration_seconds has no bucket series, so no percentile";

    /** What the instance cut of a scrape says. */
    public static final String ONE_INSTANCE = "the scrape reads one instance";

    private Breakdowns() {
    }

    /** The jobs panels count by status since the backend's processes started (as their panels do), on any window. */
    public static final String JOB_TOTALS = "job counts are totals since the backend's processes started, as the"
            + " panel's, not over the window";
    /** What a cut of a single scrape says: its figures are lifetime totals. */
    public static final String LIFETIME = "one scrape: totals and percentiles since the backend's processes started,"
            + " no rates (use --window for rates)";

    /** The breakdown of {@code id} from Prometheus, over {@code window}, of the series of {@code scope}. */
    public static Breakdown fromPrometheus(PanelId id, PrometheusClient client, Scope scope, Duration window,
            Combination combination) {
        return fromPrometheus(id, client, scope, window, combination, id.breakdownLabels(), PanelId.BREAKDOWN_ROWS,
                null);
    }

    /**
     * The breakdown of {@code id} by each of {@code labels} (some of its {@link PanelId#cutLabels()}), at most
     * {@code rows} rows per label (Prometheus's topk), or every label value when {@code rows} is null; evaluated at
     * {@code at} (the snapshot's instant, so that its figures and these compare exactly), now when null.
     */
    public static Breakdown fromPrometheus(PanelId id, PrometheusClient client, Scope scope, Duration window,
            Combination combination, List<String> labels, Integer rows, java.time.Instant at) {
        List<Cut> cuts = new ArrayList<>();
        for (String label : labels) {
            try {
                String apart = apart(id, label);
                // a cut that keeps a label apart is capped by whole values here (cut), never by topk's rows, which
                // would drop an instance's smallest row first: its failed jobs
                String promql = rows == null || apart != null ? id.cut(label, scope.promql(), window, combination)
                        : id.breakdown(label, scope.promql(), window, combination);
                QueryResult r = client.query(promql, at);
                Map<Key, Double> values = new HashMap<>();
                for (QueryResult.Series s : r.series()) {
                    String v = s.metric().get(label);
                    String part = apart == null ? null : s.metric().get(apart);
                    values.put(new Key(v == null ? "" : v, apart == null ? null : part == null ? "" : part),
                            s.value());
                }
                Cut c = cut(label, id, id.unit(), values, values.isEmpty() ? "no series of " + scope.words()
                        + " in the last " + io.exlm.mon.config.Durations.format(window) : null, rows);
                cuts.add(id == PanelId.TRAINING || id == PanelId.DATASETS ? noted(c, JOB_TOTALS) : c);
            } catch (ExitException e) {
                cuts.add(Cut.unavailable(label, id.unit(), "the query failed: "
                        + io.exlm.mon.http.EndpointFailure.brief(e)));
            }
        }
        return new Breakdown(id, List.copyOf(cuts));
    }

    /**
     * The breakdown of {@code id} from a scrape's snapshot: the series' rates (or totals) by each label; the one
     * instance the scrape reads ({@code instance}) with the panel's own figure.
     */
    public static Breakdown fromSnapshot(PanelId id, Snapshot s, String instance) {
        return fromSnapshot(id, s, instance, id.breakdownLabels(), PanelId.BREAKDOWN_ROWS, false);
    }

    /**
     * The breakdown of {@code id} by each of {@code labels} (some of its {@link PanelId#cutLabels()}), at most
     * {@code rows} rows per label, or all of them when null; with {@code lifetime}, a snapshot without a window (one
     * scrape) gives the counters' totals (and the lifetime 5xx share) instead of no rate, and says so ({@link
     * #LIFETIME}).
     */
    public static Breakdown fromSnapshot(PanelId id, Snapshot s, String instance, List<String> labels, Integer rows,
            boolean lifetime) {
        List<Cut> cuts = new ArrayList<>();
        for (String label : labels) {
            if (label.equals(Combination.INSTANCE) && (id == PanelId.LATENCY || counter(id))) {
                // the one instance's figure on the same footing as the other labels' (lifetime totals from one
                // scrape, rates over a window): the series cut by a label they do not carry, named by the instance
                Cut c = id == PanelId.LATENCY ? latency(s, label, rows, lifetime) : scraped(id, s, label, rows,
                        lifetime);
                cuts.add(c.reason() != null ? c : new Cut(label, c.unit(), c.rows().stream().map(r -> new Row(
                        r.value().equals(NO_VALUE) ? instance : r.value(), r.part(), r.figure())).toList(), c.more(),
                        null, c.notes()).noted(ONE_INSTANCE));
            } else if (label.equals(Combination.INSTANCE)) {
                cuts.add(oneInstance(id, s, instance));
            } else if (id == PanelId.LATENCY) {
                cuts.add(latency(s, label, rows, lifetime));
            } else {
                cuts.add(scraped(id, s, label, rows, lifetime));
            }
        }
        return new Breakdown(id, List.copyOf(cuts));
    }

    /** How a series without the label is shown. */
    static final String NO_VALUE = "(none)";

    /** A panel of counters the scrape cuts itself ({@link #scraped}). */
    private static boolean counter(PanelId id) {
        return id == PanelId.REQUEST_RATE || id == PanelId.ERROR_RATE || id == PanelId.ERRORS_BY_TYPE
                || id == PanelId.TRAINING || id == PanelId.DATASETS;
    }

    private static Cut oneInstance(PanelId id, Snapshot s, String instance) {
        PanelState p = SnapshotPanels.panel(id, s);
        if (!p.available()) {
            return Cut.unavailable(Combination.INSTANCE, id.unit(), p.unavailable());
        }
        // a panel of figures: the bars' panels (the jobs' and the errors by type) are counters, cut by scraped(),
        // whose figures of the labels kept apart are never added up
        PanelState.Figure f = id == PanelId.LATENCY
                // the percentile Prometheus's cut is of (PanelId#cut), not the panel's first figure (p50)
                ? p.figures().stream().filter(x -> x.label().equals(LATENCY_CUT)).findFirst().orElse(p.figures()
                        .get(0))
                : p.figures().get(0);
        return new Cut(Combination.INSTANCE, f.unit(), List.of(new Row(instance, f.value())), false, null,
                ONE_INSTANCE);
    }

    /** The latency panel's figure that its cuts are of. */
    static final String LATENCY_CUT = "p" + Math.round(PanelId.LATENCY_QUANTILE * 100);

    /**
     * The latency's p95 by one label from the scrape's bucket series, as Prometheus's cut takes it
     * ({@code histogram_quantile(0.95, sum by (le, LABEL) (rate(..._bucket[W])))}, {@link PanelId#cut}): each
     * series' bucket rates summed by le within a label value. A label value whose buckets hold no observations in
     * the window is NaN (as histogram_quantile's), listed last.
     */
    private static Cut latency(Snapshot s, String label, Integer limit, boolean lifetime) {
        PanelId id = PanelId.LATENCY;
        Snapshot.Reading r = s.reading(id.metrics().get(0));
        if (r == null || !r.present()) {
            return Cut.unavailable(label, id.unit(), r == null ? "not in the snapshot" : r.reason());
        }
        if (s.window() == null && !lifetime) {
            return Cut.unavailable(label, id.unit(), io.exlm.mon.source.ScrapeSource.NEXT_SCRAPE);
        }
        Map<String, Map<Double, Double>> byLe = new TreeMap<>();
        for (Snapshot.Series x : r.series()) {
            Map<Double, Double> sum = byLe.computeIfAbsent(x.labels().getOrDefault(label, ""), k -> new TreeMap<>());
            for (io.exlm.mon.promql.PromMath.Bucket b : x.buckets()) {
                sum.merge(b.upperBound(), b.count(), Double::sum);
            }
        }
        Map<String, Double> p95 = new TreeMap<>();
        byLe.forEach((k, sum) -> {
            if (!sum.isEmpty()) {
                List<io.exlm.mon.promql.PromMath.Bucket> buckets = new ArrayList<>();
                sum.forEach((le, v) -> buckets.add(new io.exlm.mon.promql.PromMath.Bucket(le, v)));
                p95.put(k, io.exlm.mon.promql.PromMath.histogramQuantile(PanelId.LATENCY_QUANTILE, buckets));
            }
        });
        return noted(cut(label, id, id.unit(), keyed(p95), NO_BUCKETS, limit), s.window() == null ? LIFETIME
                : null);
    }

    /** One label of a counter panel from the scrape's series. */
    private static Cut scraped(PanelId id, Snapshot s, String label, Integer limit, boolean lifetime) {
        Snapshot.Reading r = s.reading(id.metrics().get(0));
        if (r == null || !r.present()) {
            return Cut.unavailable(label, id.unit(), r == null ? "not in the snapshot" : r.reason());
        }
        boolean rates = id != PanelId.TRAINING && id != PanelId.DATASETS;
        String note = rates ? null : JOB_TOTALS;
        if (rates && s.window() == null) {
            if (!lifetime) {
                return Cut.unavailable(label, id.unit(), io.exlm.mon.source.ScrapeSource.NEXT_SCRAPE);
            }
            rates = false;
            note = LIFETIME;
        }
        Unit unit = id.unit() == Unit.PER_SECOND && !rates ? Unit.COUNT : id.unit();
        String apart = apart(id, label);
        Map<Key, Double> all = new HashMap<>();
        Map<Key, Double> errors = new HashMap<>();
        for (Snapshot.Series x : r.series()) {
            Key key = new Key(x.labels().getOrDefault(label, ""), apart == null ? null : x.labels().getOrDefault(
                    apart, ""));
            double v;
            if (!rates) {
                v = x.value();
            } else if (x.rate().available()) {
                v = x.rate().value();
            } else {
                continue;
            }
            all.merge(key, v, Double::sum);
            if (Formulas.serverError(x.labels().get("status"))) {
                errors.merge(key, v, Double::sum);
            }
        }
        if (id == PanelId.ERROR_RATE) {
            Map<Key, Double> share = new HashMap<>();
            // as the panel's formula: no requests, no share; requests without errors, 0
            all.forEach((k, v) -> {
                if (v > 0) {
                    share.put(k, errors.getOrDefault(k, 0.0) / v);
                }
            });
            return noted(cut(label, id, unit, share, share.isEmpty() ? (rates ? "no requests in the window"
                    : "no requests have been counted") : null, limit), note);
        }
        return noted(cut(label, id, unit, all, all.isEmpty() ? "no series" : null, limit), note);
    }

    private static Cut noted(Cut c, String note) {
        return c.reason() != null ? c : c.noted(note);
    }

    /**
     * What one series of a cut is keyed by, as {@link PanelId#grouping} groups it: the label's value, and the value of
     * the label the panel keeps apart (null when there is none to keep).
     */
    private record Key(String value, String part) {
    }

    /** The label {@code id} keeps apart in its cut by {@code label}, or null ({@link PanelId#grouping}). */
    private static String apart(PanelId id, String label) {
        List<String> g = id.grouping(label);
        return g.size() > 1 ? g.get(1) : null;
    }

    private static Map<Key, Double> keyed(Map<String, Double> byValue) {
        Map<Key, Double> out = new HashMap<>();
        byValue.forEach((k, v) -> out.put(new Key(k, null), v));
        return out;
    }

    /** The rows of one label, highest first (NaN last), at most {@link PanelId#BREAKDOWN_ROWS}. */
    static Cut cut(String label, PanelId id, Map<String, Double> values, String emptyReason) {
        return cut(label, id, id.unit(), keyed(values), emptyReason, PanelId.BREAKDOWN_ROWS);
    }

    /**
     * The rows of one label, the highest (NaN last) {@code limit} of them (all when null), as Prometheus's topk takes
     * them; where the panel keeps a label apart, the rows of one value together (the value of the highest first)
     * and in the order the panel shows that label's values (a job's statuses as it goes through them).
     */
    private static Cut cut(String label, PanelId id, Unit unit, Map<Key, Double> values, String emptyReason,
            Integer limit) {
        if (values.isEmpty()) {
            return Cut.unavailable(label, unit, emptyReason);
        }
        List<Row> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(new Row(k.value().isEmpty() ? NO_VALUE : k.value(), k.part() == null ? null
                : k.part().isEmpty() ? NO_VALUE : k.part(), v)));
        rows.sort(Comparator.comparingDouble((Row x) -> Double.isNaN(x.figure()) ? Double.NEGATIVE_INFINITY
                : x.figure()).reversed().thenComparing(Row::value).thenComparing(Row::part, Comparator.nullsFirst(
                        Comparator.naturalOrder())));
        int max = limit == null ? rows.size() : limit;
        List<Row> kept = rows.subList(0, Math.min(rows.size(), max));
        if (apart(id, label) != null) {
            // whole values (an instance with all its statuses), the value of the highest row first, as many as fit
            // in the limit (the first always): a row left out of a value would read as none of that status
            Map<String, List<Row>> byValue = new LinkedHashMap<>();
            for (Row r : rows) {
                byValue.computeIfAbsent(r.value(), k -> new ArrayList<>()).add(r);
            }
            List<Row> grouped = new ArrayList<>();
            for (List<Row> g : byValue.values()) {
                if (!grouped.isEmpty() && grouped.size() + g.size() > max) {
                    break;
                }
                g.sort(Comparator.comparing(Row::part, SnapshotPanels.statusOrder()).thenComparing(Row::part));
                grouped.addAll(g);
            }
            kept = grouped;
        }
        return new Cut(label, unit, List.copyOf(kept), rows.size() > kept.size(), null);
    }
}
