package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.Numbers;
import io.exlm.mon.source.AlertThresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine exlm-mon runs on (read with oshi): the guide's "memory use is high" with the figures that say which
 * of its remedies applies, disk space and CPU, at the thresholds of the alert rules ({@link AlertThresholds}), which
 * the checks' titles say.
 */
public final class HostChecks {
    /**
     * Long enough for the kernel's 10 ms ticks to give the busy share to about 2 % on two cores, short enough that
     * this check, doctor's longest, keeps the whole run under a second.
     */
    /** Without a load average to tell a spike from a busy host, only a reading this high (or the threshold) warns. */
    static final double SATURATED = 95;
    static final Duration CPU_SAMPLE = Duration.ofMillis(250);

    private HostChecks() {
    }

    /**
     * The figure of a host check that its alert's threshold judges, in percent: host.cpu's busy share, host.memory's
     * used share, host.disk's fullest file system; null for any other check, or one that measured nothing.
     */
    public static Double percent(CheckResult r) {
        Object f = switch (r.id()) {
            case "host.cpu" -> r.figures().get("busy_percent");
            case "host.memory" -> r.figures().get("used_percent");
            case "host.disk" -> r.figures().get("file_systems") instanceof Map<?, ?> m ? m.values().stream()
                    .filter(DiskFigure.class::isInstance).map(d -> ((DiskFigure) d).usedPercent())
                    .max(Double::compare).orElse(null) : null;
            default -> null;
        };
        return f instanceof Number n ? n.doubleValue() : null;
    }

    static List<Check> all(AlertThresholds t) {
        return List.of(
                new Check("host.memory", "memory use on this host is below " + percent(t.memoryPercent()), List.of(),
                        env -> memory(env, t.memoryPercent())),
                new Check("host.disk", "disk use on this host is below " + percent(t.diskPercent()), List.of(),
                        env -> disk(env, t.diskPercent())),
                new Check("host.cpu", "CPU use on this host is below " + percent(t.cpuPercent()), List.of(),
                        env -> cpu(env, t.cpuPercent())));
    }

    private static String percent(double limit) {
        return AlertThresholds.number(limit) + " %";
    }

    static Outcome memory(DoctorEnv env, double limit) {
        HostProbe.Memory m = env.host().memory();
        double used = m.usedPercent();
        String seen = Units.percent(used) + " of " + Units.bytes(m.totalBytes()) + " used, "
                + Units.bytes(m.availableBytes()) + " available";
        List<HostProbe.Proc> top = env.host().topByMemory(3);
        List<String> procs = new ArrayList<>();
        for (HostProbe.Proc p : top) {
            procs.add(p.name() + " (pid " + p.pid() + ") " + Units.bytes(p.residentBytes()));
        }
        if (used <= limit) {
            return Outcome.ok(seen).reach(Reach.LOCAL).figure("used_percent", round(used))
                    .figure("total_bytes", m.totalBytes()).figure("available_bytes", m.availableBytes())
                    .figure("top_processes", procs);
        }
        // above the guide's threshold: which of its three remedies applies, by the figures
        MemoryAdvice.Figures f = new MemoryAdvice.Figures(m.totalBytes(),
                Shared.value(env, "max(process_resident_memory_bytes{job=\"prometheus\"})"), headSeries(env),
                retention(env), Shared.value(env, "sum(redis_memory_used_bytes)"),
                Shared.value(env, "max(redis_memory_max_bytes)"), top.isEmpty() ? null : top.get(0));
        List<MemoryAdvice.Advice> advice = MemoryAdvice.advise(f);
        List<String> details = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (MemoryAdvice.Advice a : advice) {
            details.add((a.applies() ? "applies: " : "does not apply: ") + a.remedy() + ": " + a.because());
            if (a.applies()) {
                fixes.add(a.remedy() + ": " + a.action());
            }
        }
        if (fixes.isEmpty()) {
            fixes.add("none of the guide's remedies stands out: see the largest processes (" + String.join(", ", procs)
                    + ") and lower the log level, limit cache sizes and clean old metric data where they belong");
        }
        details.add("largest processes: " + String.join(", ", procs));
        return Outcome.warn(seen + ", above " + percent(limit)).reach(Reach.LOCAL)
                .details(details).fix(String.join("\n", fixes)).figure("used_percent", round(used))
                .figure("total_bytes", m.totalBytes()).figure("available_bytes", m.availableBytes())
                .figure("top_processes", procs).figure("prometheus_resident_bytes", f.prometheusResidentBytes())
                .figure("head_series", f.headSeries()).figure("redis_used_bytes", f.redisUsedBytes())
                .figure("redis_max_bytes", f.redisMaxBytes()).figure("advice", advice);
    }

    private static Long headSeries(DoctorEnv env) {
        try {
            long n = Shared.tsdb(env).path("headStats").path("numSeries").asLong(-1);
            return n < 0 ? null : n;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String retention(DoctorEnv env) {
        try {
            return Shared.runtimeInfo(env).path("storageRetention").asText(null);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static Outcome disk(DoctorEnv env, double limit) {
        List<Path> paths = new ArrayList<>(List.of(Path.of("/")));
        try {
            String tsdb = Shared.flags(env).get("storage.tsdb.path");
            if (tsdb != null && !tsdb.isBlank()) {
                paths.add(Path.of(tsdb));
            }
        } catch (RuntimeException e) {
            // Prometheus does not answer: the root file system alone
        }
        if (env.stateDir() != null) {
            paths.add(env.stateDir());
        }
        Map<String, HostProbe.Disk> byMount = new LinkedHashMap<>();
        for (Path p : paths) {
            HostProbe.Disk d = env.host().disk(p);
            if (d != null) {
                byMount.putIfAbsent(d.mount(), d);
            }
        }
        List<String> seen = new ArrayList<>();
        List<String> full = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        for (HostProbe.Disk d : byMount.values()) {
            String s = d.mount() + " " + Units.percent(d.usedPercent()) + " used (" + Units.bytes(d.usableBytes())
                    + " free of " + Units.bytes(d.totalBytes()) + ")";
            seen.add(s);
            figures.put(d.mount(), new DiskFigure(round(d.usedPercent()), d.usableBytes(), d.totalBytes()));
            if (d.usedPercent() > limit) {
                full.add(s);
            }
        }
        Outcome o = full.isEmpty() ? Outcome.ok(String.join("; ", seen))
                : Outcome.fail("above " + percent(limit) + ": " + String.join("; ", full))
                        .fix("free space before PostgreSQL, Redis and Prometheus stop writing: see what grows"
                                + " (du -xh MOUNT | sort -h | tail), remove old logs and dumps, shorten Prometheus's"
                                + " retention (stack.retention) or give it a size limit"
                                + " (--storage.tsdb.retention.size)");
        return o.reach(Reach.LOCAL).figure("file_systems", figures);
    }

    static Outcome cpu(DoctorEnv env, double limit) {
        double busy = env.host().cpuPercent(CPU_SAMPLE);
        double[] load = env.host().loadAverage();
        int cores = env.host().cores();
        String seen = Units.percent(busy) + " busy over " + CPU_SAMPLE.toMillis() + " ms (besides exlm-mon), load " + (load.length > 0
                && load[0] >= 0 ? Numbers.fixed(load[0], 2) + " " + Numbers.fixed(load[1], 2) + " "
                + Numbers.fixed(load[2], 2) : "unknown") + " on " + cores + " cores";
        double perCore5 = load.length > 1 && load[1] >= 0 && cores > 0 ? load[1] / cores * 100 : -1;
        boolean high = busy > limit && perCore5 > limit || busy > Math.max(limit, SATURATED) && perCore5 < 0;
        Outcome o = high ? Outcome.warn(seen + ": above " + percent(limit))
                .fix("find what uses it (top -o %CPU); for the backend look at the request rate"
                        + " (exlm:http_requests:rate1m) and the Celery workers (celery_tasks_active), and scale out"
                        + " or lower the load")
                : Outcome.ok(busy > limit && perCore5 >= 0 ? seen + ": busy now, but not for long (the 5-minute load is "
                        + Numbers.fixed(perCore5, 0) + " % of the cores; the alert needs 5 minutes above "
                        + percent(limit) + ")" : seen);
        return o.reach(Reach.LOCAL).figure("busy_percent", round(busy)).figure("load_average", load)
                .figure("cores", cores);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /**
     * One file system in {@code host.disk}'s {@code file_systems} figure, a contract of {@code doctor -o json}: its
     * fields in this order (a map of three had none, and changed from run to run).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record DiskFigure(double usedPercent, long freeBytes, long totalBytes) {
    }
}
