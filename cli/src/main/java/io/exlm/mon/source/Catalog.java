package io.exlm.mon.source;

import java.util.List;

/**
 * The metric catalog of the monitoring guide: names exactly as the guide writes them, with the types and labels
 * exlm-mon fixes for them. Counters may be exposed with or without {@code _total} (the text format and OpenMetrics
 * differ there); every reader accepts both.
 */
public final class Catalog {
    /** The kind of a metric, as the exposition formats name it. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM
    }

    /** One documented metric. */
    public record Metric(String group, String name, Type type, List<String> labels, String help) {
        /** The names a scrape may show it under: a counter with and without {@code _total}. */
        public List<String> exposedNames() {
            if (type != Type.COUNTER) {
                return List.of(name);
            }
            return name.endsWith("_total") ? List.of(name, name.substring(0, name.length() - 6))
                    : List.of(name, name + "_total");
        }

        /** A histogram's count series. */
        public String countName() {
            return name + "_count";
        }

        /** A histogram's sum series. */
        public String sumName() {
            return name + "_sum";
        }

        /** A histogram's bucket series. */
        public String bucketName() {
            return name + "_bucket";
        }

        /** Every sample name a scrape may show it under: both counter spellings, a histogram's parts. */
        public List<String> sampleNames() {
            return type == Type.HISTOGRAM ? List.of(bucketName(), countName(), sumName()) : exposedNames();
        }
    }

    /** The job Prometheus scrapes the backend as, in the stack's files and the guide. */
    public static final String BACKEND_JOB = "exlm-backend";

    public static final List<Metric> METRICS = List.of(
            new Metric("http", "http_requests_total", Type.COUNTER, List.of("method", "handler", "status"),
                    "total HTTP requests"),
            new Metric("http", "http_request_duration_seconds", Type.HISTOGRAM, List.of("method", "handler"),
                    "HTTP request latency"),
            new Metric("http", "http_requests_inprogress", Type.GAUGE, List.of(), "HTTP requests in progress"),
            new Metric("system", "cpu_usage_percent", Type.GAUGE, List.of(), "CPU usage"),
            new Metric("system", "memory_usage_percent", Type.GAUGE, List.of(), "memory usage"),
            new Metric("system", "disk_usage_percent", Type.GAUGE, List.of(), "disk usage"),
            new Metric("application", "active_users", Type.GAUGE, List.of(), "active users"),
            new Metric("application", "active_websocket_connections", Type.GAUGE, List.of(),
                    "active WebSocket connections"),
            new Metric("application", "model_training_total", Type.COUNTER, List.of("status"),
                    "model training jobs"),
            new Metric("application", "dataset_processing_total", Type.COUNTER, List.of("status"),
                    "dataset processing jobs"),
            new Metric("errors", "error_count", Type.COUNTER, List.of("type"), "errors by type"),
            new Metric("cache", "cache_hits", Type.COUNTER, List.of(), "cache hits"),
            new Metric("cache", "cache_misses", Type.COUNTER, List.of(), "cache misses"),
            new Metric("celery", "celery_tasks_pending", Type.GAUGE, List.of(), "Celery tasks waiting"),
            new Metric("celery", "celery_tasks_active", Type.GAUGE, List.of(), "Celery tasks running"));

    private Catalog() {
    }

    private static final java.util.Set<String> SAMPLE_NAMES;

    static {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Metric m : METRICS) {
            names.add(m.name()); // a histogram's family
            names.addAll(m.sampleNames());
        }
        SAMPLE_NAMES = java.util.Set.copyOf(names);
    }

    /**
     * Whether a sample (or family) of this name is one of the catalog's: either counter spelling, a histogram and its
     * parts.
     */
    public static boolean hasSample(String sampleName) {
        return SAMPLE_NAMES.contains(sampleName);
    }

    public static Metric byName(String name) {
        for (Metric m : METRICS) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }
}
