package io.exlm.mon.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documented catalog at one moment, from one source (a scrape, two scrapes, or PromQL): for each metric whether it
 * is present, its series with values and per-second rates, the latency percentiles and the derived figures. Free of
 * rendering: commands and the dashboard render it; {@link #toMap()} is its JSON form.
 *
 * @param source   where the numbers came from: a URL, a file, or the Prometheus URL
 * @param kind     {@code scrape}, {@code file} or {@code prometheus}
 * @param window   the window of the rates and windowed percentiles; null for a single scrape (lifetime figures)
 */
public record Snapshot(String source, String kind, long timeMillis, Duration window, List<Reading> metrics,
        Latency latency, Derived derived, Coverage coverage) {

    public Snapshot(String source, String kind, long timeMillis, Duration window, List<Reading> metrics,
            Latency latency, Derived derived) {
        this(source, kind, timeMillis, window, metrics, latency, derived, null);
    }

    /**
     * How much of the window holds data, when that is less than the window (a stack younger than it): rates over
     * the window then read low, by about the share that is missing.
     */
    public record Coverage(Duration covered, Duration window) {
        public double share() {
            return Math.min(1, (double) covered.toMillis() / window.toMillis());
        }

        /** In words, for a note: "the 5m window holds 1m15s of data: rates read about 25 % of ...". */
        public String words() {
            long percent = Math.round(share() * 100);
            return "the " + io.exlm.mon.config.Durations.format(window) + " window holds only "
                    + io.exlm.mon.config.Durations.format(covered) + " of data (Prometheus has scraped the backend for"
                    + " that long): rates over it read about " + percent + " % of the true figure, until "
                    + io.exlm.mon.config.Durations.format(window.minus(covered)) + " from now";
        }
    }

    /** One labelled series of a catalog metric: current value, per-second rate (or why not), and a histogram sum. */
    public record Series(Map<String, String> labels, double value, Figure rate, Double sum) {
    }

    /**
     * A catalog metric as found: present (under which name, with which type) or missing (why, and names present that
     * are close), its series, and which documented labels its series lack.
     */
    public record Reading(io.exlm.mon.source.Catalog.Metric metric, boolean present, String exposedAs,
            String exposedType, String reason, List<String> near, List<Series> series, List<String> missingLabels) {

        /**
         * The sum of the series' current values (for a histogram, of their counts): a counter's total. A gauge's
         * figure is {@link Derived#gauges()}'s, combined as {@link Combination} says, never this sum.
         */
        public double total() {
            double t = 0;
            for (Series s : series) {
                t += s.value();
            }
            return t;
        }
    }

    /** p50, p95 and p99 of http_request_duration_seconds over all labels; basis is "lifetime" or "window". */
    public record Latency(Figure p50, Figure p95, Figure p99, String basis) {
    }

    /** Counts or rates broken down by a label (job status, error type), or the reason there are none. */
    public record Breakdown(Map<String, Double> values, String reason) {
    }

    /** The figures the dashboard and the guide's Grafana rows show. */
    public record Derived(Figure requestsPerSecond, Figure errorRatio, Breakdown errorsByType,
            Breakdown errorRatesByType, Figure cacheHitRatio, Breakdown trainingJobs, Breakdown datasetJobs,
            Figure celeryPending, Figure celeryActive, Figure cpuPercent, Figure memoryPercent, Figure diskPercent,
            Figure activeUsers, Figure websocketConnections, Figure requestsInProgress,
            Map<String, Combination.Combined> gauges, Combination combination) {
    }

    public Reading reading(String name) {
        for (Reading r : metrics) {
            if (r.metric().name().equals(name)) {
                return r;
            }
        }
        return null;
    }

    /** The names of the catalog metrics that are missing. */
    public List<String> missing() {
        List<String> out = new ArrayList<>();
        for (Reading r : metrics) {
            if (!r.present()) {
                out.add(r.metric().name());
            }
        }
        return out;
    }

    /**
     * The JSON document of {@code exlm-mon metrics -o json}: {@code source}, {@code metrics} (name to value, or to a
     * list of labelled series), {@code latency_seconds} ({@code p50}, {@code p95}, {@code p99}), {@code missing};
     * then {@code kind}, {@code window_seconds}, {@code rates}, {@code derived}, {@code reasons}.
     */
    public Map<String, Object> toMap() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("source", source);
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, Object> rates = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Reading r : metrics) {
            String name = r.metric().name();
            if (!r.present()) {
                reasons.put(name, r.reason());
                continue;
            }
            boolean labelled = !r.metric().labels().isEmpty() || r.series().size() != 1
                    || !r.series().get(0).labels().isEmpty();
            if (!labelled) {
                Series s = r.series().get(0);
                values.put(name, number(s.value()));
                if (r.metric().type() != io.exlm.mon.source.Catalog.Type.GAUGE) {
                    rates.put(name, s.rate().available() ? number(s.rate().value()) : null);
                }
            } else {
                List<Map<String, Object>> list = new ArrayList<>();
                for (Series s : r.series()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("labels", s.labels());
                    m.put("value", number(s.value()));
                    if (s.sum() != null) {
                        m.put("sum", number(s.sum()));
                    }
                    if (r.metric().type() != io.exlm.mon.source.Catalog.Type.GAUGE) {
                        m.put("rate_per_second", s.rate().available() ? number(s.rate().value()) : null);
                    }
                    list.add(m);
                }
                values.put(name, list);
            }
            if (!r.missingLabels().isEmpty()) {
                reasons.put(name, "series lack the documented labels " + String.join(", ", r.missingLabels()));
            }
        }
        doc.put("metrics", values);
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("p50", figure(latency.p50()));
        lat.put("p95", figure(latency.p95()));
        lat.put("p99", figure(latency.p99()));
        doc.put("latency_seconds", lat);
        doc.put("missing", missing());
        doc.put("kind", kind);
        doc.put("window_seconds", window == null ? null : window.toMillis() / 1000.0);
        doc.put("time_ms", timeMillis); // when the figures hold: the scrape, or the instant PromQL evaluated them at
        doc.put("latency_basis", latency.basis());
        doc.put("rates", rates);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("requests_per_second", figure(derived.requestsPerSecond()));
        d.put("error_ratio", figure(derived.errorRatio()));
        d.put("errors_by_type", breakdown(derived.errorsByType()));
        d.put("error_rates_by_type", breakdown(derived.errorRatesByType()));
        d.put("cache_hit_ratio", figure(derived.cacheHitRatio()));
        d.put("training_jobs", breakdown(derived.trainingJobs()));
        d.put("dataset_jobs", breakdown(derived.datasetJobs()));
        d.put("celery_pending", figure(derived.celeryPending()));
        d.put("celery_active", figure(derived.celeryActive()));
        d.put("cpu_percent", figure(derived.cpuPercent()));
        d.put("memory_percent", figure(derived.memoryPercent()));
        d.put("disk_percent", figure(derived.diskPercent()));
        d.put("active_users", figure(derived.activeUsers()));
        d.put("websocket_connections", figure(derived.websocketConnections()));
        d.put("requests_in_progress", figure(derived.requestsInProgress()));
        doc.put("derived", d);
        // each gauge's combined figure, how it was combined, and each instance's figure (SPEC.md's table)
        Map<String, Object> gauges = new LinkedHashMap<>();
        derived.gauges().forEach((name, c) -> {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("value", number(c.value()));
            g.put("combined", derived.combination().rule(name).text());
            g.put("instances", c.instances());
            g.put("processes", c.processes());
            Map<String, Object> per = new LinkedHashMap<>();
            c.perInstance().forEach((i, v) -> per.put(i, number(v)));
            g.put("per_instance", per);
            gauges.put(name, g);
        });
        doc.put("gauges", gauges);
        Map<String, String> why = new LinkedHashMap<>(reasons);
        unavailable(why, "latency_seconds", latency.p50());
        d.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && m.get("reason") != null) {
                why.put("derived." + k, String.valueOf(m.get("reason")));
            }
        });
        if (coverage != null) {
            doc.put("window_covered_seconds", coverage.covered().toMillis() / 1000.0);
            why.put("window", coverage.words());
        }
        doc.put("reasons", why);
        return doc;
    }

    private static void unavailable(Map<String, String> why, String key, Figure f) {
        if (!f.available()) {
            why.put(key, f.reason());
        }
    }

    /** JSON has no NaN or infinities: those become strings, as Prometheus's API writes them. */
    static Object number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v;
    }

    private static Object figure(Figure f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", f.available() ? number(f.value()) : null);
        m.put("reason", f.reason());
        return f.available() ? number(f.value()) : m;
    }

    private static Object breakdown(Breakdown b) {
        if (b.reason() != null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("value", null);
            m.put("reason", b.reason());
            return m;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        b.values().forEach((k, v) -> m.put(k, number(v)));
        return m;
    }
}
