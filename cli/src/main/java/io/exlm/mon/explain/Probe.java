package io.exlm.mon.explain;

import io.exlm.mon.Text;
import io.exlm.mon.doctor.ScrapeErrors;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Formulas;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.stack.Component;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One look that narrows an alert's cause: PromQL queries scoped to the alert's job and instance, and the lines that
 * say what their answers show; or, for {@link #TARGET} and {@link #PROCESS}, what Prometheus's targets and the
 * stack's pid files say. Every label value an answer brings is made printable here ({@link Text#printable}); the
 * terminal boundary cleans the rest.
 */
public enum Probe {
    /** The 5xx answers by handler and status, and each one's share of its handler's requests. */
    ERRORS_BY_HANDLER("5xx by handler and status") {
        @Override
        List<String> queries(Scope s) {
            Catalog.Metric http = Catalog.byName("http_requests_total");
            String errors = Formulas.and(s.matchers(), Formulas.SERVER_ERROR_MATCHER);
            return List.of("sort_desc(sum by (handler, status) (" + Formulas.rate(http, errors, WINDOW) + "))",
                    "sum by (handler) (" + Formulas.rate(http, s.matchers(), WINDOW) + ")");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            Map<String, Double> total = new LinkedHashMap<>();
            for (QueryResult.Series t : answers.get(1).series()) {
                total.put(t.metric().get("handler"), t.value());
            }
            List<String> out = new ArrayList<>();
            List<QueryResult.Series> rows = answers.get(0).series().stream().filter(r -> r.value() > 0).toList();
            if (rows.isEmpty()) {
                // no 5xx because no request at all is no sign of health: Prometheus has no traffic to judge
                return List.of(total.values().stream().anyMatch(v -> v > 0) ? "no 5xx answers over the last "
                        + window() : "no requests seen over the last " + window() + " (" + where(s) + ")");
            }
            for (QueryResult.Series r : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                String handler = label(r, "handler");
                Double all = total.get(r.metric().get("handler"));
                out.add(String.format(Locale.ROOT, "%-24s %-4s %7s/s%s", handler, label(r, "status"),
                        number(r.value()), all == null || all <= 0 ? ""
                                : "  " + percent(r.value() / all) + " of its requests"));
            }
            more(out, rows.size());
            return out;
        }
    },
    /** The backend's own error counter by type. */
    ERRORS_BY_TYPE("errors by type") {
        @Override
        List<String> queries(Scope s) {
            return List.of("sort_desc(sum by (type) (" + Formulas.rate(Catalog.byName("error_count"), s.matchers(),
                    WINDOW) + "))");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<String> parts = new ArrayList<>();
            for (QueryResult.Series r : answers.get(0).series()) {
                if (r.value() > 0) {
                    parts.add(label(r, "type") + " " + number(r.value()) + "/s");
                }
            }
            return List.of(parts.isEmpty() ? "no errors counted (error_count) over the last " + window()
                    : String.join(", ", parts));
        }
    },
    /** Every instance of the alert's job with its 5xx share: one instance or all of them. */
    ERROR_RATIO_BY_INSTANCE("instances (5xx share)") {
        @Override
        List<String> queries(Scope s) {
            return List.of("sort_desc(exlm:http_request_errors:ratio_rate5m" + braces(s.jobMatcher()) + ")");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<QueryResult.Series> rows = answers.get(0).series();
            if (rows.isEmpty()) {
                return List.of("no instance of the job has a 5xx share yet (no requests, or a young Prometheus)");
            }
            // the recording rule's share is NaN while an instance has no requests at all (0 / 0)
            if (rows.stream().allMatch(r -> Double.isNaN(r.value()))) {
                return List.of("no requests seen on any of its " + rows.size() + " instance"
                        + (rows.size() == 1 ? "" : "s") + " over the last " + window());
            }
            long failing = rows.stream().filter(r -> r.value() > 0).count();
            List<String> parts = new ArrayList<>();
            for (QueryResult.Series r : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                parts.add(label(r, "instance") + " " + (Double.isNaN(r.value()) ? "no requests"
                        : percent(r.value())));
            }
            return List.of(failing + " of " + rows.size() + ": " + String.join(", ", parts)
                    + (rows.size() > MAX_ROWS ? ", ..." : ""));
        }
    },
    /** The p95 latency of each handler. */
    LATENCY_BY_HANDLER("p95 latency by handler") {
        @Override
        List<String> queries(Scope s) {
            Catalog.Metric h = Catalog.byName("http_request_duration_seconds");
            return List.of("sort_desc(histogram_quantile(0.95, sum by (handler, le) ("
                    + Formulas.rate(Formulas.buckets(h, s.matchers()), WINDOW) + ")))");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<QueryResult.Series> rows = answers.get(0).series().stream().filter(r -> !Double.isNaN(r.value()))
                    .toList();
            if (rows.isEmpty()) {
                return List.of("no requests over the last " + window());
            }
            List<String> out = new ArrayList<>();
            for (QueryResult.Series r : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                out.add(String.format(Locale.ROOT, "%-24s p95 %ss", label(r, "handler"), number(r.value())));
            }
            more(out, rows.size());
            return out;
        }
    },
    /**
     * Whether Prometheus scrapes the alert's job now, the alert's own instance first: an alert over a rate window
     * (HighErrorRate) goes on reading the samples from before its target went down or away, so a target that is
     * down or gone is the cause to name before any breakdown, with its scrape error explained.
     */
    JOB_TARGETS("the job's targets"),
    /** The target Prometheus cannot scrape, and the error of its last scrape, explained. */
    TARGET("the target and its scrape error"),
    /** Whether the process behind the target runs, as the stack's pid files say. */
    PROCESS("the process"),
    /**
     * Where the host's CPU time goes: each mode's share of all its CPU time over the window, as the node exporter
     * counts it, and whether the window is full yet.
     */
    CPU_BY_MODE("CPU by mode (node exporter)") {
        @Override
        List<String> queries(Scope s) {
            // a ratio of two rates over the same samples: right however much of the window holds data, where a rate
            // alone (seconds of CPU per second) reads low over a window not yet full, on a young stack
            String cpu = "rate(node_cpu_seconds_total{" + NODE;
            String range = "}" + Formulas.range(WINDOW) + ")";
            return List.of("sort_desc(100 * sum by (instance, mode) (" + cpu + ",mode!=\"idle\"" + range
                    + ") / ignoring (mode) group_left sum by (instance) (" + cpu + range + "))",
                    PrometheusSource.coverageQuery(NODE_SCOPE, WINDOW));
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers, Instant now) {
            // busy as doctor and the backend count it: neither idle (not asked) nor iowait (idle, waiting on a disk)
            List<String> out = byInstance(answers.get(0), "mode", r -> percentPoints(r.value()), (instance, rows) -> {
                double busy = rows.stream().filter(r -> !"iowait".equals(r.metric().get("mode")))
                        .mapToDouble(QueryResult.Series::value).sum();
                return "busy " + percentPoints(busy) + ": " + hostVerdict(s, instance, busy,
                        AlertThresholds.bundled().cpuPercent(), WINDOW);
            });
            Snapshot.Coverage coverage = PrometheusSource.coverage(answers.get(1), now, WINDOW);
            if (coverage != null && !answers.get(0).isEmpty()) {
                out.add(coverage.sharesWords());
            }
            out.add("per process the node exporter cannot tell: on the host, top -o %CPU or");
            out.add("  ps aux --sort=-%cpu | head");
            return out;
        }
    },
    /** The host's memory by kind: anonymous (processes' own), page cache, buffers, shared, slab, available. */
    MEMORY_BY_KIND("memory by kind (node exporter)") {
        @Override
        List<String> queries(Scope s) {
            return List.of("{__name__=~\"node_memory_(MemTotal|MemAvailable|AnonPages|Cached|Buffers|Shmem|Slab)"
                    + "_bytes\"," + NODE + "}");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            Map<String, Map<String, Double>> hosts = new LinkedHashMap<>();
            for (QueryResult.Series r : answers.get(0).series()) {
                String kind = r.metric().get("__name__").replace("node_memory_", "").replace("_bytes", "");
                hosts.computeIfAbsent(label(r, "instance"), k -> new LinkedHashMap<>()).put(kind, r.value());
            }
            List<String> out = new ArrayList<>();
            if (hosts.isEmpty()) {
                out.add("no node exporter answers (job node): is it scraped?");
            }
            hosts.forEach((instance, kinds) -> {
                Double total = kinds.get("MemTotal");
                Double available = kinds.get("MemAvailable");
                boolean known = available != null && total != null && total > 0;
                out.add(instance + ": " + (total == null ? "total unknown" : bytes(total)) + (known ? ", available "
                        + percent(available / total) : ""));
                List<String> parts = new ArrayList<>();
                for (String k : List.of("AnonPages", "Cached", "Buffers", "Shmem", "Slab")) {
                    Double v = kinds.get(k);
                    if (v != null) {
                        parts.add(KINDS.get(k) + " " + (total == null || total <= 0 ? bytes(v) : percent(v / total)));
                    }
                }
                out.add("  " + String.join(", ", parts));
                if (known) {
                    // used as the backend and doctor count it: all that is not available
                    double used = 100 * (1 - available / total);
                    out.add("used " + percentPoints(used) + ": " + hostVerdict(s, instance, used,
                            AlertThresholds.bundled().memoryPercent()));
                }
            });
            out.add("anon is processes' own; cache and buffers the kernel gives back on demand");
            out.add("per process: ps aux --sort=-rss | head on the host");
            return out;
        }
    },
    /** The fullest filesystems, by mount point. */
    FILESYSTEMS("fullest filesystems (node exporter)") {
        @Override
        List<String> queries(Scope s) {
            String fs = NODE + ",fstype!~\"tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|autofs\"";
            return List.of("topk(" + MAX_ROWS + ", 100 * (1 - node_filesystem_avail_bytes{" + fs
                    + "} / node_filesystem_size_bytes{" + fs + "}))");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<QueryResult.Series> rows = new ArrayList<>(answers.get(0).series());
            rows.sort((a, b) -> Double.compare(b.value(), a.value()));
            List<String> out = new ArrayList<>();
            Map<String, QueryResult.Series> fullest = new LinkedHashMap<>();
            for (QueryResult.Series r : rows) {
                out.add(String.format(Locale.ROOT, "%-16s %-20s %s used (%s, %s)", label(r, "instance"),
                        label(r, "mountpoint"), percentPoints(r.value()), label(r, "device"), label(r, "fstype")));
                fullest.putIfAbsent(label(r, "instance"), r);
            }
            if (out.isEmpty()) {
                out.add("no node exporter answers (job node): is it scraped?");
            }
            fullest.forEach((instance, r) -> out.add("fullest " + label(r, "mountpoint") + " "
                    + percentPoints(r.value()) + ": " + hostVerdict(s, instance, r.value(),
                            AlertThresholds.bundled().diskPercent())));
            out.add("what grows, on the host: du -xh MOUNT | sort -h | tail");
            return out;
        }
    },
    /** The jobs Prometheus scrapes now: the one that is missing shows by its absence. */
    SCRAPED_JOBS("jobs Prometheus scrapes") {
        @Override
        List<String> queries(Scope s) {
            return List.of("count by (job) (up)");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<String> jobs = new ArrayList<>();
            for (QueryResult.Series r : answers.get(0).series()) {
                jobs.add(label(r, "job") + " (" + number(r.value()) + ")");
            }
            jobs.sort(null);
            return List.of(jobs.isEmpty() ? "none" : String.join(", ", jobs));
        }
    },
    /** How old the newest result of each pushed smoke check is. */
    SMOKE_RESULTS("age of CI's newest pushed results") {
        @Override
        List<String> queries(Scope s) {
            return List.of("sort_desc(time() - max by (job, command) (exlm_mon_last_run_timestamp_seconds))");
        }

        @Override
        List<String> lines(Scope s, List<QueryResult> answers) {
            List<String> out = new ArrayList<>();
            for (QueryResult.Series r : answers.get(0).series()) {
                out.add("job " + label(r, "job") + ", command " + label(r, "command") + ": "
                        + io.exlm.mon.config.Durations.format(Duration.ofSeconds((long) r.value())) + " old");
            }
            return out.isEmpty() ? List.of("no results pushed (exlm_mon_last_run_timestamp_seconds)") : out;
        }
    };

    /** The window of the breakdowns: the 5 minutes of the alerts' own rates. */
    public static final Duration WINDOW = Duration.ofMinutes(5);
    /** Rows of a breakdown shown at most, so that one alert's explanation fits a screen. */
    public static final int MAX_ROWS = 5;
    private static final String NODE = "job=" + Scope.quote(Component.NODE_EXPORTER.job());
    /** The node exporter's job, as the Prometheus source scopes its queries (for the window's coverage). */
    private static final io.exlm.mon.source.Scope NODE_SCOPE = new io.exlm.mon.source.Scope(
            Component.NODE_EXPORTER.job(), null, List.of());
    private static final Map<String, String> KINDS = Map.of("AnonPages", "anon", "Cached", "cache", "Buffers",
            "buffers", "Shmem", "shmem", "Slab", "slab");

    private final String title;

    Probe(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** The PromQL queries it runs, scoped to the alert; none for the probes that read something else. */
    List<String> queries(Scope s) {
        return List.of();
    }

    /**
     * What the answers show, one line each (label values made printable); {@link #TARGET} and {@link #PROCESS} read
     * the targets and the stack's state instead (see {@link #targetLines}).
     */
    List<String> lines(Scope s, List<QueryResult> answers) {
        throw new UnsupportedOperationException(name() + " runs no PromQL, or reads the time too");
    }

    /**
     * The same, at {@code now} (Prometheus's time, else this machine's): a probe whose lines depend on the time (how
     * much of its window holds data) overrides this one instead.
     */
    List<String> lines(Scope s, List<QueryResult> answers, Instant now) {
        return lines(s, answers);
    }

    /** The target of the alert's job and instance, with its last scrape error explained. */
    static List<String> targetLines(Scope s, List<Target> targets, String runtime) {
        if (s.labels().containsKey("check")) {
            return List.of("a pushed check, no target: check " + printable(s.labels().get("check"))
                    + " pushed by exlm-mon " + printable(s.labels().getOrDefault("command", "?")));
        }
        List<String> out = new ArrayList<>();
        for (Target t : targets) {
            if (t.job().equals(s.job()) && (s.instance() == null || t.instance().equals(s.instance()))) {
                out.add("job " + printable(t.job()) + ", instance " + printable(t.instance()) + " ("
                        + printable(t.scrapeUrl()) + "): " + printable(t.health()));
                if (!t.up()) {
                    ScrapeErrors.Diagnosis d = ScrapeErrors.diagnose(t.job(), t.scrapeUrl(), t.lastError(),
                            t.scrapeTimeout(), runtime);
                    out.add("last scrape: " + printable(t.lastError().isEmpty() ? "(no error given)" : t.lastError()));
                    out.add("cause: " + printable(d.cause()));
                    out.add("fix: " + printable(d.fix()));
                }
            }
        }
        if (out.isEmpty()) {
            out.add("Prometheus has no active target of job " + printable(s.job()) + (s.instance() == null ? ""
                    : ", instance " + printable(s.instance())) + " now (removed, or relabelled away)");
        }
        return out;
    }

    /**
     * The targets of the alert's job, the alert's instance first: each one that is not up with its scrape error
     * explained and the fix, the up ones by name, an instance that is no target now said so; and, when Prometheus
     * scrapes the alert's target no more (for an alert of the whole job: none of its targets), that the figures
     * below read the samples from before.
     */
    static List<String> jobTargetLines(Scope s, List<Target> targets, String runtime) {
        if (s.job() == null) {
            return List.of("the alert names no job: no target to look for");
        }
        String older = "the figures below are from before " + (s.instance() == null ? "they" : "it")
                + " stopped (last " + window() + ")";
        List<Target> job = new ArrayList<>();
        for (Target t : targets) {
            if (t.job().equals(s.job())) {
                job.add(t);
            }
        }
        if (job.isEmpty()) {
            return List.of("Prometheus has no active target of job " + printable(s.job()) + " now (removed, or"
                    + " relabelled away): " + older);
        }
        // the alert's own target first, the others in Prometheus's order
        job.sort(java.util.Comparator.comparing((Target t) -> !t.instance().equals(s.instance())));
        List<String> out = new ArrayList<>();
        // lost: down at its last scrape (not merely not scraped yet, as a target just added)
        java.util.function.Predicate<Target> lost = t -> !t.up() && ("down".equals(t.health())
                || !t.lastError().isEmpty());
        boolean ownLost = s.instance() == null ? job.stream().noneMatch(Target::up) && job.stream().anyMatch(lost)
                : job.stream().noneMatch(t -> t.instance().equals(s.instance()) && !lost.test(t));
        if (s.instance() != null && job.stream().noneMatch(t -> t.instance().equals(s.instance()))) {
            out.add("the alert's instance " + printable(s.instance()) + " is no target of Prometheus now (removed,"
                    + " or relabelled away)");
        }
        List<String> up = new ArrayList<>();
        java.util.Set<String> fixes = new java.util.LinkedHashSet<>();
        int notUp = 0;
        for (Target t : job) {
            if (t.up()) {
                up.add(printable(t.instance()));
            } else if (++notUp > MAX_ROWS) {
                continue;
            } else if (!lost.test(t)) {
                out.add(printable(t.instance()) + " not scraped yet (" + printable(t.health()) + ")");
            } else {
                ScrapeErrors.Diagnosis d = ScrapeErrors.diagnose(t.job(), t.scrapeUrl(), t.lastError(),
                        t.scrapeTimeout(), runtime);
                out.add(printable(t.instance()) + " DOWN: " + printable(d.cause()));
                fixes.add("fix: " + printable(d.fix()));
            }
        }
        if (notUp > MAX_ROWS) {
            out.add("... and " + (notUp - MAX_ROWS) + " more not up");
        }
        out.addAll(fixes);
        if (out.isEmpty()) {
            out.add("all " + up.size() + " up: " + String.join(", ", up.subList(0, Math.min(MAX_ROWS, up.size())))
                    + (up.size() > MAX_ROWS ? ", ..." : ""));
            return out;
        }
        String upNames = up.isEmpty() ? null : "up: " + String.join(", ", up.subList(0, Math.min(MAX_ROWS,
                up.size()))) + (up.size() > MAX_ROWS ? ", ..." : "");
        if (ownLost) {
            out.add((upNames == null ? "" : upNames + "; ") + older);
        } else if (upNames != null) {
            out.add(upNames);
        }
        return out;
    }

    /** The alert's job and instance in words: "job exlm-backend, instance 127.0.0.1:8000". */
    private static String where(Scope s) {
        List<String> parts = new ArrayList<>();
        if (s.job() != null) {
            parts.add("job " + printable(s.job()));
        }
        if (s.instance() != null) {
            parts.add("instance " + printable(s.instance()));
        }
        return parts.isEmpty() ? "any job" : String.join(", ", parts);
    }

    private static String window() {
        return io.exlm.mon.config.Durations.format(WINDOW);
    }

    private static String braces(String m) {
        return m.isEmpty() ? "" : "{" + m + "}";
    }

    private static String label(QueryResult.Series r, String name) {
        String v = r.metric().get(name);
        return v == null || v.isEmpty() ? "-" : printable(v);
    }

    static String printable(String s) {
        return Text.printable(s == null ? "" : s);
    }

    private static void more(List<String> out, int rows) {
        if (rows > MAX_ROWS) {
            out.add("... and " + (rows - MAX_ROWS) + " more");
        }
    }

    /**
     * One line per instance of the answer (its series by {@code label}), each followed by what {@code verdict} says of
     * the instance's series.
     */
    private static List<String> byInstance(QueryResult answer, String label,
            java.util.function.Function<QueryResult.Series, String> value,
            java.util.function.BiFunction<String, List<QueryResult.Series>, String> verdict) {
        Map<String, List<QueryResult.Series>> hosts = new LinkedHashMap<>();
        for (QueryResult.Series r : answer.series()) {
            hosts.computeIfAbsent(label(r, "instance"), k -> new ArrayList<>()).add(r);
        }
        List<String> out = new ArrayList<>();
        if (hosts.isEmpty()) {
            out.add("no node exporter answers (job node): is it scraped?");
        }
        hosts.forEach((instance, rows) -> {
            List<String> parts = new ArrayList<>();
            for (QueryResult.Series r : rows.subList(0, Math.min(MAX_ROWS, rows.size()))) {
                parts.add(label(r, label) + " " + value.apply(r));
            }
            out.add(instance + ": " + String.join(", ", parts));
            out.add(verdict.apply(instance, rows));
        });
        return out;
    }

    /**
     * How a host figure the node exporter reads on {@code instance} (printable) stands against the host alert's
     * threshold, naming the alert's instance ({@link HostReading#verdict}).
     */
    private static String hostVerdict(Scope s, String instance, double percent, double threshold) {
        return hostVerdict(s, instance, percent, threshold, null);
    }

    /** As {@link #hostVerdict(Scope, String, double, double)}, for a figure averaged {@code over} (null: instant). */
    private static String hostVerdict(Scope s, String instance, double percent, double threshold, Duration over) {
        return HostReading.verdict(percent, threshold, instance, s.instance() == null ? null : printable(s.instance()),
                s.instance() != null && HostReading.sameHost(instance, s.instance()), over);
    }

    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        double a = Math.abs(v);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 0.01 || a == 0 ? "%.2f"
                : "%.4f", v);
    }

    static String percent(double ratio) {
        return Double.isNaN(ratio) ? "NaN" : String.format(Locale.ROOT, "%.1f %%", 100 * ratio);
    }

    private static String percentPoints(double p) {
        return String.format(Locale.ROOT, "%.1f %%", p);
    }

    private static String bytes(double b) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }
}
