package io.exlm.mon.source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The documented catalog at one moment, from one source (a scrape, two scrapes, or PromQL): for each metric whether it
 * is present, its series with values and per-second rates, the latency percentiles and the derived figures. Free of
 * rendering: commands and the dashboard render it; {@link #document()} is its JSON form.
 *
 * @param source   where the numbers came from: a URL, a file, or the Prometheus URL
 * @param kind     {@code scrape}, {@code file} or {@code prometheus}
 * @param window   the window of the rates and windowed percentiles; null for a single scrape (lifetime figures)
 */
public record Snapshot(String source, String kind, long timeMillis, Duration window, List<Reading> metrics,
        Latency latency, Derived derived, Coverage coverage, Recorded recorded) {

    public Snapshot(String source, String kind, long timeMillis, Duration window, List<Reading> metrics,
            Latency latency, Derived derived) {
        this(source, kind, timeMillis, window, metrics, latency, derived, null, null);
    }

    public Snapshot(String source, String kind, long timeMillis, Duration window, List<Reading> metrics,
            Latency latency, Derived derived, Coverage coverage) {
        this(source, kind, timeMillis, window, metrics, latency, derived, coverage, null);
    }

    /** This snapshot, its figures (some of them) read from recording rules as {@code recorded} says. */
    public Snapshot recorded(Recorded recorded) {
        return new Snapshot(source, kind, timeMillis, window, metrics, latency, derived, coverage, recorded);
    }

    /**
     * Figures read from recording rules ({@code --source prometheus}, the rule group {@code exlm-frame}) rather than
     * asked for at the frame's time: the snapshot's {@link #timeMillis} is then {@code evaluatedMillis}, the time
     * the figures are for, which can be up to two evaluations before the frame.
     *
     * @param group           the rule group
     * @param queries         how many of the frame's queries it served
     * @param of              how many queries the frame has
     * @param evaluatedMillis the oldest evaluation among the recordings read (epoch milliseconds)
     * @param frameMillis     the frame's own time: when it was asked for
     */
    public record Recorded(String group, int queries, int of, long evaluatedMillis, long frameMillis) {
        /** How much older the figures are than the frame. */
        public Duration age() {
            return Duration.ofMillis(Math.max(0, frameMillis - evaluatedMillis));
        }
    }

    /**
     * How much of the window holds data, when that is less than the window (a stack younger than it, a scrape source
     * that has not yet scraped for as long): the one notion of a window not yet full, for both sources and every
     * view (top's frame and JSON, {@code metrics}' text and JSON). A window counts as full from {@link #FULL} of it.
     *
     * @param covered the time the window's data spans
     * @param window  the window asked for
     * @param scrapes whether the rates are taken over the scrapes exlm-mon holds ({@code true}: over the covered time,
     *                true figures of a shorter window) or by Prometheus over the whole window ({@code false}: they
     *                read low, by about the share that is missing)
     */
    public record Coverage(Duration covered, Duration window, boolean scrapes) {
        /** The share of its window from which a window counts as full (a tenth short of it: a scrape's jitter). */
        public static final double FULL = 0.9;

        /**
         * The shortest span over which a rate, a ratio or a percentile is judged against its threshold (coloured,
         * gated): 10 s, or the whole window when it is shorter. Over less, a ratio of a few requests jumps by whole
         * requests: at the demo's 20 requests/s and 0.2 % of 5xx, one error in a 1 s window is 5 %, the alert
         * threshold; over 10 s (200 requests) the normal scenario reaches the 2 % warning band about once in 1300
         * windows and the alert about never (5e-13), and the errors scenario (16 %) falls below 5 % about once in
         * 700,000 (binomial tails; README, "top", "Windows").
         */
        public static final Duration JUDGED = Duration.ofSeconds(10);

        public Coverage(Duration covered, Duration window) {
            this(covered, window, false);
        }

        /** The coverage of a window, or null when the window is full (at least {@link #FULL} of it covered). */
        public static Coverage of(Duration covered, Duration window, boolean scrapes) {
            if (covered.toMillis() >= window.toMillis() * FULL) {
                return null;
            }
            return new Coverage(covered, window, scrapes);
        }

        /** How long the span must be for its figures to be judged: {@link #JUDGED}, or the window when shorter. */
        public static Duration judgedSpan(Duration window) {
            return window.compareTo(JUDGED) < 0 ? window : JUDGED;
        }

        public double share() {
            return Math.min(1, (double) covered.toMillis() / window.toMillis());
        }

        /** Whether the figures over this much data are judged against their thresholds ({@link #JUDGED}). */
        public boolean judged() {
            return covered.compareTo(judgedSpan(window)) >= 0;
        }

        /** In a few characters, for a panel's title: "12s/1m", 12 s of the 1 m window. */
        public String brief() {
            return io.exlm.mon.config.Durations.format(Duration.ofSeconds(Math.round(covered.toMillis() / 1000.0)))
                    + "/" + io.exlm.mon.config.Durations.format(window);
        }

        /**
         * In words, for shares of one total over the window (each mode's share of the CPU time): they are right over
         * the data there is, which rates over the whole window are not ("the 5m window holds only 1m15s of data ...").
         */
        public String sharesWords() {
            return "the " + io.exlm.mon.config.Durations.format(window) + " window is not yet full: it holds only "
                    + io.exlm.mon.config.Durations.human(covered) + " of data, and the shares are of those "
                    + io.exlm.mon.config.Durations.human(covered) + " (the whole window in "
                    + io.exlm.mon.config.Durations.human(window.minus(covered)) + ")";
        }

        /** In words, for a note: "the 5m window holds only 1m15s of data ...". */
        public String words() {
            String full = io.exlm.mon.config.Durations.human(window.minus(covered));
            if (scrapes) {
                return "the " + io.exlm.mon.config.Durations.format(window) + " window holds only "
                        + io.exlm.mon.config.Durations.human(covered) + " of scrapes: rates and percentiles are over"
                        + " those " + io.exlm.mon.config.Durations.human(covered) + (judged() ? ""
                                : " and not yet judged against their thresholds") + ", the whole window in " + full;
            }
            long percent = Math.round(share() * 100);
            return "the " + io.exlm.mon.config.Durations.format(window) + " window holds only "
                    + io.exlm.mon.config.Durations.human(covered) + " of data (Prometheus has scraped the backend for"
                    + " that long): rates over it read about " + percent + " % of the true figure, until "
                    + full + " from now";
        }
    }

    /**
     * One labelled series of a catalog metric: current value, per-second rate (or why not), a histogram's sum and
     * buckets: each bound's per-second rate over the window, or its count without one (a scrape's own; empty from
     * Prometheus, which aggregates the buckets there, and for any other metric), for a percentile by label.
     */
    public record Series(Map<String, String> labels, double value, Figure rate, Double sum,
            List<io.exlm.mon.promql.PromMath.Bucket> buckets) {
        public Series(Map<String, String> labels, double value, Figure rate, Double sum) {
            this(labels, value, rate, sum, List.of());
        }
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

    /** The JSON document of {@code exlm-mon metrics -o json}, {@link SnapshotJson}'s records. */
    public SnapshotJson.Document document() {
        return SnapshotJson.of(this);
    }
}
