package io.exlm.mon.source;

import io.exlm.mon.source.Snapshot.Series;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * How a catalog gauge combines across its series, as SPEC.md's table "The backend as it really runs" states: across
 * the backend's instances (the {@code instance} label Prometheus adds, one per replica) and across the worker
 * processes of one instance (the {@code pid} label of the Python client's multiprocess mode). Within one process the
 * series of other labels (handler, method) are parts of one count and are added. A percentage of a host is never
 * added to another; counters and histograms are always summed (their rates are), so only gauges have a rule here.
 * <p>
 * This table is the one statement of the rule: the scrape and PromQL sources, {@code metrics}, {@code top}, the
 * Grafana dashboard's queries and the alert rules derive from it, and a test fails when one of them drifts.
 */
public final class Combination {
    /** The label that tells replicas apart in Prometheus's results. */
    public static final String INSTANCE = "instance";
    /** The label of the Python client's multiprocess mode: one worker process. */
    public static final String WORKER = "pid";

    /** How series combine at one level. */
    public enum How {
        /** Added: each holds its own share (connections, requests in progress). */
        SUM,
        /** The highest: each reports the same thing (one host's CPU, one broker's queue). */
        MAX;

        /** The word of the config file and of JSON. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The PromQL aggregation operator. */
        public String promql() {
            return word();
        }

        static How parse(String s) {
            return switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "sum" -> SUM;
                case "max", "highest" -> MAX;
                default -> throw new IllegalArgumentException("'" + s + "' is not a combination; use sum or max");
            };
        }

        double apply(double a, double b) {
            return this == SUM ? a + b : Math.max(a, b);
        }
    }

    /** A gauge's rule: across instances, then across the worker processes of one instance. */
    public record Rule(How acrossInstances, How acrossWorkers) {
        /** {@code instances/workers}, as the config file writes it: {@code max/max}, {@code sum/max}. */
        public String text() {
            return acrossInstances.word() + "/" + acrossWorkers.word();
        }

        /**
         * The PromQL of the combined figure of {@code selector}: workers of each instance first, then instances,
         * e.g. {@code sum(max by (instance) (active_users))}; the series of other labels are added inside a process.
         */
        public String promql(String selector) {
            String perProcess = "sum by (instance, pid) (" + selector + ")";
            String perInstance = acrossWorkers.promql() + " by (instance) (" + perProcess + ")";
            return acrossInstances.promql() + "(" + perInstance + ")";
        }

        /** Parses {@code INSTANCES[/WORKERS]}; one word is both. */
        public static Rule parse(String text) {
            String[] parts = text.split("/", -1);
            if (parts.length > 2) {
                throw new IllegalArgumentException("'" + text + "' is not a combination; use INSTANCES/WORKERS,"
                        + " each sum or max (for example max/max or sum/max)");
            }
            How instances = How.parse(parts[0]);
            return new Rule(instances, parts.length == 2 ? How.parse(parts[1]) : instances);
        }
    }

    private static final Rule HIGHEST = new Rule(How.MAX, How.MAX);
    private static final Rule SUMMED = new Rule(How.SUM, How.SUM);

    /** The defaults of SPEC.md's table, by catalog gauge, in the table's order. */
    public static final Map<String, Rule> DEFAULTS = table(List.of(
            Map.entry("cpu_usage_percent", HIGHEST),
            Map.entry("memory_usage_percent", HIGHEST),
            Map.entry("disk_usage_percent", HIGHEST),
            Map.entry("active_websocket_connections", SUMMED),
            Map.entry("http_requests_inprogress", SUMMED),
            Map.entry("active_users", new Rule(How.SUM, How.MAX)),
            Map.entry("celery_tasks_pending", HIGHEST),
            Map.entry("celery_tasks_active", HIGHEST)));

    private static Map<String, Rule> table(List<Map.Entry<String, Rule>> entries) {
        Map<String, Rule> m = new LinkedHashMap<>();
        entries.forEach(e -> m.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(m);
    }

    private static final Combination DEFAULT = new Combination(Map.of());

    private final Map<String, Rule> rules;

    private Combination(Map<String, Rule> overrides) {
        Map<String, Rule> m = new LinkedHashMap<>(DEFAULTS);
        m.putAll(overrides);
        this.rules = Collections.unmodifiableMap(m);
    }

    /** The defaults. */
    public static Combination defaults() {
        return DEFAULT;
    }

    /**
     * The defaults with the config file's {@code combine.METRIC = INSTANCES/WORKERS} entries over them.
     *
     * @throws IllegalArgumentException naming the metric or the word that is wrong
     */
    public static Combination withOverrides(Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return DEFAULT;
        }
        Map<String, Rule> m = new LinkedHashMap<>();
        overrides.forEach((metric, text) -> {
            if (!DEFAULTS.containsKey(metric)) {
                throw new IllegalArgumentException("'" + metric + "' is not a catalog gauge; one of "
                        + String.join(", ", DEFAULTS.keySet()));
            }
            m.put(metric, Rule.parse(text));
        });
        return new Combination(m);
    }

    /** The rule of a catalog gauge. */
    public Rule rule(String metric) {
        Rule r = rules.get(metric);
        if (r == null) {
            throw new IllegalArgumentException(metric + " is not a catalog gauge");
        }
        return r;
    }

    public Map<String, Rule> rules() {
        return rules;
    }

    /**
     * A gauge's series combined: the figure, the figure of each instance (the empty string for series without an
     * instance label, as a scrape of one target has), and how many instances and worker processes it covers. From
     * Prometheus, {@code perInstance} holds only the highest instances ({@code topk}), so that a frame's size does
     * not grow with the number of instances; {@code instances} is always the count of all of them.
     */
    public record Combined(double value, Map<String, Double> perInstance, int instances, int processes) {
        /** Every instance's figure: a scrape's. */
        public Combined(double value, Map<String, Double> perInstance, int processes) {
            this(value, perInstance, perInstance.size(), processes);
        }

        /**
         * What the figure covers, in words, by the rule that combined it: {@code max of 3 instances}, or, within one
         * instance, {@code max of 2 } and {@code workers}; null when it is one process's figure.
         */
        public String covers(Rule rule, String workers) {
            if (processes <= 1) {
                return null;
            }
            return instances() > 1 ? rule.acrossInstances().word() + " of " + instances() + " instances"
                    : rule.acrossWorkers().word() + " of " + processes + " " + workers;
        }
    }

    /** Combines the series of a gauge by its rule; null when there are none. */
    public Combined combine(String metric, List<Series> series) {
        if (series.isEmpty()) {
            return null;
        }
        Rule rule = rule(metric);
        // instance -> pid -> the process's figure (its labelled parts added)
        Map<String, Map<String, Double>> byProcess = new TreeMap<>();
        for (Series s : series) {
            String instance = s.labels().getOrDefault(INSTANCE, "");
            String pid = s.labels().getOrDefault(WORKER, "");
            byProcess.computeIfAbsent(instance, k -> new TreeMap<>()).merge(pid, s.value(), Double::sum);
        }
        Map<String, Double> perInstance = new LinkedHashMap<>();
        int processes = 0;
        double total = 0;
        for (Map.Entry<String, Map<String, Double>> e : byProcess.entrySet()) {
            double v = 0;
            boolean first = true;
            for (double p : e.getValue().values()) {
                v = first ? p : rule.acrossWorkers().apply(v, p);
                first = false;
                processes++;
            }
            perInstance.put(e.getKey(), v);
            total = perInstance.size() == 1 ? v : rule.acrossInstances().apply(total, v);
        }
        return new Combined(total, Collections.unmodifiableMap(perInstance), processes);
    }
}
