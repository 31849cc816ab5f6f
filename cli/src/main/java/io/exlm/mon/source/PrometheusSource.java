package io.exlm.mon.source;

import io.exlm.mon.promql.PromMath;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Snapshot.Latency;
import io.exlm.mon.source.Snapshot.Reading;
import io.exlm.mon.source.Snapshot.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog snapshot computed by Prometheus: current values by instant queries, rates by
 * {@code rate(x[window])}, percentiles by {@code histogram_quantile(q, sum by (le) (rate(..._bucket[window])))}
 * (or over the raw buckets for lifetime percentiles), all evaluated at one instant.
 */
public final class PrometheusSource implements Source {
    private final PrometheusClient client;
    private final Combination combination;
    private final Duration window;

    /** The source of {@link #snapshot()}: rates and percentiles over {@code window}, or lifetime ones when null. */
    public PrometheusSource(PrometheusClient client, Combination combination, Duration window) {
        this.client = client;
        this.combination = combination;
        this.window = window;
    }

    @Override
    public String describe() {
        return "PromQL " + client.baseUrl() + (window == null ? "" : " " + Formulas.range(window));
    }

    @Override
    public boolean hasWindow() {
        return window != null;
    }

    @Override
    public Snapshot snapshot() {
        return snapshot(window);
    }

    /** A snapshot at now; window null gives current values and lifetime percentiles only. */
    private Snapshot snapshot(Duration window) {
        Instant at = Instant.now();
        String range = window == null ? null : Formulas.range(window);
        List<String> names = null;
        List<Reading> readings = new ArrayList<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            String selector = Formulas.selector(m, "");
            QueryResult values = client.query(selector, at);
            if (values.isEmpty()) {
                if (names == null) {
                    names = client.labelValues("__name__");
                }
                List<String> near = NearNames.of(m.name(), names);
                readings.add(Snapshots.missing(m, "the query " + selector + " returned nothing from "
                        + client.baseUrl() + Snapshots.nearText(near), near));
                continue;
            }
            Map<Labels, Double> rates = new HashMap<>();
            if (range != null && m.type() != Catalog.Type.GAUGE) {
                for (QueryResult.Series s : client.query(Formulas.rate(m, "", window), at).series()) {
                    rates.put(s.metric().without("__name__"), s.value());
                }
            }
            Map<Labels, Double> sums = new HashMap<>();
            if (m.type() == Catalog.Type.HISTOGRAM) {
                for (QueryResult.Series s : client.query(m.sumName(), at).series()) {
                    sums.put(s.metric().without("__name__"), s.value());
                }
            }
            List<Series> series = new ArrayList<>();
            Set<String> missingLabels = new LinkedHashSet<>();
            String exposedAs = values.series().get(0).metric().get("__name__");
            for (QueryResult.Series s : values.series()) {
                Labels labels = s.metric().without("__name__");
                Figure rate;
                if (m.type() == Catalog.Type.GAUGE) {
                    rate = Figure.unavailable("a gauge has no rate");
                } else if (range == null) {
                    rate = Figure.unavailable("needs --window for a rate");
                } else if (rates.containsKey(labels)) {
                    rate = Figure.of(rates.get(labels));
                } else {
                    rate = Figure.unavailable("fewer than two samples in the window");
                }
                series.add(new Series(labels.asMap(), s.value(), rate, sums.get(labels)));
                for (String l : m.labels()) {
                    if (labels.get(l) == null) {
                        missingLabels.add(l);
                    }
                }
            }
            if (m.type() == Catalog.Type.HISTOGRAM) {
                exposedAs = m.name();
            }
            readings.add(new Reading(m, true, exposedAs, null, null, List.of(), List.copyOf(series),
                    List.copyOf(missingLabels)));
        }
        Latency latency = latency(window, at);
        return new Snapshot(client.baseUrl(), "prometheus", at.toEpochMilli(), window, readings, latency,
                Snapshots.derive(readings, window, "needs --window for a rate", combination),
                range == null ? null : coverage(window, range, at));
    }

    /**
     * How much of the window Prometheus has data for, from the backend's own {@code up} samples in it; null when
     * the window is full (or the backend's job is not there to tell).
     */
    private Snapshot.Coverage coverage(Duration window, String range, Instant at) {
        QueryResult up = client.query("up{job=\"" + Catalog.BACKEND_JOB + "\"}" + range, at);
        long first = Long.MAX_VALUE;
        long gaps = 0;
        int n = 0;
        for (QueryResult.Series s : up.series()) {
            List<io.exlm.mon.promql.PromMath.Point> p = s.points();
            if (p.size() >= 2) {
                first = Math.min(first, p.get(0).millis());
                gaps += p.get(p.size() - 1).millis() - p.get(0).millis();
                n += p.size() - 1;
            } else if (p.size() == 1) {
                first = Math.min(first, p.get(0).millis());
            }
        }
        if (first == Long.MAX_VALUE) {
            return null;
        }
        long interval = n == 0 ? 0 : gaps / n;
        // the first sample is up to one scrape interval after the window's data begins
        Duration covered = Duration.ofMillis(Math.max(0, at.toEpochMilli() - first + interval));
        if (covered.compareTo(window.multipliedBy(9).dividedBy(10)) >= 0) {
            return null;
        }
        return new Snapshot.Coverage(covered, window);
    }

    private Latency latency(Duration window, Instant at) {
        Figure[] q = new Figure[Formulas.QUANTILES.length];
        for (int i = 0; i < q.length; i++) {
            String expr = Formulas.quantile(Formulas.QUANTILES[i], Catalog.byName(Snapshots.LATENCY), "", window);
            QueryResult r = client.query(expr, at);
            q[i] = r.isEmpty() ? Figure.unavailable("the query " + expr + " returned nothing")
                    : Snapshots.quantileFigure(r.series().get(0).value(), window != null);
        }
        return new Latency(q[0], q[1], q[2], window == null ? "lifetime" : "window");
    }
}
