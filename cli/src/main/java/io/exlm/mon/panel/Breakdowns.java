package io.exlm.mon.panel;

import io.exlm.mon.ExitException;
import io.exlm.mon.panel.Breakdown.Cut;
import io.exlm.mon.panel.Breakdown.Row;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Formulas;
import io.exlm.mon.source.Scope;
import io.exlm.mon.source.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A panel's {@link Breakdown}, from either source: PromQL aggregated on the server ({@link PanelId#breakdown}, one
 * query per label, capped at {@link PanelId#BREAKDOWN_ROWS}), or the series of a scrape. A scrape reads one
 * instance, and says so.
 */
public final class Breakdowns {
    /** Why the scrape source has no latency breakdown. */
    static final String SCRAPE_LATENCY = "p95 by handler needs the buckets by handler, which the scrape source sums;"
            + " use --source prometheus";

    /** What the instance cut of a scrape says. */
    public static final String ONE_INSTANCE = "the scrape reads one instance";

    private Breakdowns() {
    }

    /** The breakdown of {@code id} from Prometheus, over {@code window}, of the series of {@code scope}. */
    public static Breakdown fromPrometheus(PanelId id, PrometheusClient client, Scope scope, Duration window,
            Combination combination) {
        List<Cut> cuts = new ArrayList<>();
        for (String label : id.breakdownLabels()) {
            try {
                QueryResult r = client.query(id.breakdown(label, scope.promql(), window, combination), null);
                Map<String, Double> values = new TreeMap<>();
                for (QueryResult.Series s : r.series()) {
                    String v = s.metric().get(label);
                    values.put(v == null ? "" : v, s.value());
                }
                cuts.add(cut(label, id, values, values.isEmpty() ? "no series of " + scope.words() + " in the last "
                        + io.exlm.mon.config.Durations.format(window) : null));
            } catch (ExitException e) {
                cuts.add(Cut.unavailable(label, id.unit(), "the query failed: " + e.getMessage()));
            }
        }
        return new Breakdown(id, List.copyOf(cuts));
    }

    /**
     * The breakdown of {@code id} from a scrape's snapshot: the series' rates (or totals) by each label; the one
     * instance the scrape reads ({@code instance}) with the panel's own figure.
     */
    public static Breakdown fromSnapshot(PanelId id, Snapshot s, String instance) {
        List<Cut> cuts = new ArrayList<>();
        for (String label : id.breakdownLabels()) {
            if (label.equals(Combination.INSTANCE)) {
                cuts.add(oneInstance(id, s, instance));
            } else if (id == PanelId.LATENCY) {
                cuts.add(Cut.unavailable(label, id.unit(), SCRAPE_LATENCY));
            } else {
                cuts.add(scraped(id, s, label));
            }
        }
        return new Breakdown(id, List.copyOf(cuts));
    }

    private static Cut oneInstance(PanelId id, Snapshot s, String instance) {
        PanelState p = SnapshotPanels.panel(id, s);
        if (!p.available()) {
            return Cut.unavailable(Combination.INSTANCE, id.unit(), p.unavailable());
        }
        double v;
        if (!p.figures().isEmpty()) {
            v = p.figures().get(0).value();
        } else {
            v = 0;
            for (PanelState.Bar b : p.bars()) {
                v += b.value();
            }
        }
        return new Cut(Combination.INSTANCE, p.figures().isEmpty() ? p.bars().isEmpty() ? id.unit()
                : p.bars().get(0).unit() : p.figures().get(0).unit(), List.of(new Row(instance, v)), false, null,
                ONE_INSTANCE);
    }

    /** One label of a counter panel from the scrape's series. */
    private static Cut scraped(PanelId id, Snapshot s, String label) {
        Snapshot.Reading r = s.reading(id.metrics().get(0));
        if (r == null || !r.present()) {
            return Cut.unavailable(label, id.unit(), r == null ? "not in the snapshot" : r.reason());
        }
        boolean rates = id != PanelId.TRAINING && id != PanelId.DATASETS;
        if (rates && s.window() == null) {
            return Cut.unavailable(label, id.unit(), io.exlm.mon.source.ScrapeSource.NEXT_SCRAPE);
        }
        Map<String, Double> all = new TreeMap<>();
        Map<String, Double> errors = new TreeMap<>();
        for (Snapshot.Series x : r.series()) {
            String key = x.labels().getOrDefault(label, "");
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
            Map<String, Double> share = new TreeMap<>();
            // as the panel's formula: no requests, no share; requests without errors, 0
            all.forEach((k, v) -> {
                if (v > 0) {
                    share.put(k, errors.getOrDefault(k, 0.0) / v);
                }
            });
            return cut(label, id, share, share.isEmpty() ? "no requests in the window" : null);
        }
        return cut(label, id, all, all.isEmpty() ? "no series" : null);
    }

    /** The rows of one label, highest first (NaN last), at most {@link PanelId#BREAKDOWN_ROWS}. */
    static Cut cut(String label, PanelId id, Map<String, Double> values, String emptyReason) {
        if (values.isEmpty()) {
            return Cut.unavailable(label, id.unit(), emptyReason);
        }
        List<Row> rows = new ArrayList<>();
        values.forEach((k, v) -> rows.add(new Row(k.isEmpty() ? "(none)" : k, v)));
        rows.sort(Comparator.comparingDouble((Row x) -> Double.isNaN(x.figure()) ? Double.NEGATIVE_INFINITY
                : x.figure()).reversed().thenComparing(Row::value));
        boolean more = rows.size() > PanelId.BREAKDOWN_ROWS;
        return new Cut(label, id.unit(), List.copyOf(rows.subList(0, Math.min(rows.size(), PanelId.BREAKDOWN_ROWS))),
                more, null);
    }
}
