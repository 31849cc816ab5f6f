package io.exlm.mon.demo;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The metric catalog of the monitoring guide, instrumented with the Prometheus Java client. Names are exactly the
 * guide's; counters get the {@code _total} suffix in their samples, as every Prometheus client library writes them
 * (so {@code cache_hits} is exposed as {@code cache_hits_total}).
 */
public final class DemoMetrics {
    /** Latency buckets in seconds: fine below 100 ms for normal traffic, coarse up to 10 s for slow scenarios. */
    static final double[] LATENCY_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5,
        10};

    final PrometheusRegistry registry = new PrometheusRegistry();

    final Counter httpRequests = Counter.builder().name("http_requests_total")
            .help("Total number of HTTP requests.").labelNames("method", "handler", "status").register(registry);
    final Histogram httpDuration = Histogram.builder().name("http_request_duration_seconds")
            .help("HTTP request latency in seconds.").labelNames("method", "handler").classicOnly()
            .classicUpperBounds(LATENCY_BUCKETS).register(registry);
    final Gauge httpInProgress = Gauge.builder().name("http_requests_inprogress")
            .help("Number of HTTP requests in progress.").register(registry);

    final Gauge activeUsers = Gauge.builder().name("active_users").help("Number of active users.")
            .register(registry);
    final Gauge activeWebsockets = Gauge.builder().name("active_websocket_connections")
            .help("Number of active WebSocket connections.").register(registry);
    final Counter modelTraining = Counter.builder().name("model_training_total")
            .help("Model training jobs by status.").labelNames("status").register(registry);
    final Counter datasetProcessing = Counter.builder().name("dataset_processing_total")
            .help("Dataset processing jobs by status.").labelNames("status").register(registry);
    final Counter errors = Counter.builder().name("error_count").help("Errors by type.").labelNames("type")
            .register(registry);
    final Counter cacheHits = Counter.builder().name("cache_hits").help("Cache hits.").register(registry);
    final Counter cacheMisses = Counter.builder().name("cache_misses").help("Cache misses.").register(registry);
    final Gauge celeryPending = Gauge.builder().name("celery_tasks_pending").help("Celery tasks waiting in the queue.")
            .register(registry);
    final Gauge celeryActive = Gauge.builder().name("celery_tasks_active").help("Celery tasks being executed.")
            .register(registry);

    DemoMetrics(DoubleSupplier cpu, DoubleSupplier memory, DoubleSupplier disk) {
        GaugeWithCallback.builder().name("cpu_usage_percent").help("CPU usage of the host in percent.")
                .callback(cb -> cb.call(cpu.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("memory_usage_percent").help("Memory usage of the host in percent.")
                .callback(cb -> cb.call(memory.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("disk_usage_percent").help("Disk usage of the host in percent.")
                .callback(cb -> cb.call(disk.getAsDouble())).register(registry);
        // every labelled series exists from the start, so that a rate over the first minutes is not empty
        for (String status : JOB_STATUSES) {
            modelTraining.labelValues(status);
            datasetProcessing.labelValues(status);
        }
        for (String type : ERROR_TYPES) {
            errors.labelValues(type);
        }
    }

    /**
     * The series of a route exist before its first request, its error statuses included, so that the first scrape
     * already has them: a rate over the first seconds then counts every request, as it does later.
     */
    void initRoute(String method, String handler) {
        for (String status : new String[] {"200", "500", "504"}) {
            httpRequests.labelValues(method, handler, status);
        }
        httpDuration.labelValues(method, handler);
    }

    static final String[] JOB_STATUSES = {"started", "completed", "failed"};
    static final String[] ERROR_TYPES = {"validation", "database", "timeout", "internal", "external_api"};
}
