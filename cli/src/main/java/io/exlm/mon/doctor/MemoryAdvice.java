package io.exlm.mon.doctor;

import java.util.ArrayList;
import java.util.List;

/**
 * The guide's three remedies for high memory use (lower the log level, limit the cache size, clean old metric
 * data), each with the figures that say whether it applies here. Pure: the figures come in, advice comes out.
 */
public final class MemoryAdvice {
    /** A share of the host's memory above which a single consumer is worth acting on. */
    static final double LARGE_SHARE = 0.10;

    /**
     * What was measured; any figure may be null when it could not be read (Prometheus down, no redis exporter).
     *
     * @param redisMaxBytes Redis's maxmemory; 0 means unlimited
     * @param topProcess    the process with the most resident memory, and its size
     */
    public record Figures(long totalBytes, Double prometheusResidentBytes, Long headSeries, String retention,
            Double redisUsedBytes, Double redisMaxBytes, HostProbe.Proc topProcess) {
    }

    /**
     * One remedy: whether the figures say it applies, why, and what to do. Also the output contract of each entry
     * of the {@code host.memory} check's {@code advice} figure in {@code doctor -o json}: Jackson writes the fields
     * in component order ({@code remedy}, {@code applies}, {@code because}, {@code action}).
     */
    public record Advice(String remedy, boolean applies, String because, String action) {
    }

    private MemoryAdvice() {
    }

    public static List<Advice> advise(Figures f) {
        List<Advice> out = new ArrayList<>();
        double total = f.totalBytes();
        // 1. the log level: the backend's own memory, which verbose logging (buffers, handlers, records) inflates
        HostProbe.Proc top = f.topProcess();
        boolean promTop = top != null && top.name().toLowerCase(java.util.Locale.ROOT).contains("prometheus");
        boolean redisTop = top != null && top.name().toLowerCase(java.util.Locale.ROOT).contains("redis");
        boolean appTop = top != null && !promTop && !redisTop && total > 0 && top.residentBytes() >= LARGE_SHARE * total;
        out.add(new Advice("lower the log level", appTop,
                top == null ? "the processes could not be read"
                        : "the largest process is " + top.name() + " (pid " + top.pid() + ", " + Units.bytes(
                                top.residentBytes()) + ", " + share(top.residentBytes(), total) + " of memory)",
                "run the backend (and its workers) at INFO or WARNING instead of DEBUG, and cap in-memory log"
                        + " handlers and queues"));
        // 2. the cache: Redis without maxmemory grows until the host runs out
        boolean unlimited = f.redisMaxBytes() != null && f.redisMaxBytes() == 0;
        boolean largeRedis = f.redisUsedBytes() != null && total > 0 && f.redisUsedBytes() >= LARGE_SHARE * total;
        String redis = f.redisUsedBytes() == null ? "Redis's memory is not known (no redis_memory_used_bytes in"
                + " Prometheus)" : "Redis uses " + Units.bytes(f.redisUsedBytes()) + " (" + share(f.redisUsedBytes(),
                total) + " of memory), maxmemory " + (f.redisMaxBytes() == null ? "unknown" : unlimited ? "unlimited"
                : Units.bytes(f.redisMaxBytes()));
        out.add(new Advice("limit the cache size", largeRedis || unlimited && f.redisUsedBytes() != null
                && f.redisUsedBytes() >= 0.02 * total, redis,
                "set Redis's maxmemory (CONFIG SET maxmemory 512mb, and in redis.conf) with an eviction policy such"
                        + " as allkeys-lru, and cap the backend's in-process caches"));
        // 3. old metric data: Prometheus's memory grows with its head series; its disk with retention
        boolean largeProm = f.prometheusResidentBytes() != null && total > 0
                && f.prometheusResidentBytes() >= LARGE_SHARE * total;
        boolean manySeries = f.headSeries() != null && f.headSeries() > PrometheusChecks.MANY_HEAD_SERIES;
        String prom = f.prometheusResidentBytes() == null ? "Prometheus's memory is not known"
                : "Prometheus uses " + Units.bytes(f.prometheusResidentBytes()) + " (" + share(
                        f.prometheusResidentBytes(), total) + " of memory)";
        prom += (f.headSeries() == null ? "" : ", " + f.headSeries() + " head series")
                + (f.retention() == null || f.retention().isEmpty() ? "" : ", retention " + f.retention());
        out.add(new Advice("clean old metric data", largeProm || manySeries, prom,
                "shorten retention (stack.retention, --storage.tsdb.retention.time) and drop series nobody reads"
                        + " (metric_relabel_configs); head series cost memory, retention costs disk"));
        return out;
    }

    private static String share(double part, double total) {
        return total <= 0 ? "?" : Units.percent(100.0 * part / total);
    }
}
