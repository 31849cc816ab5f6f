package io.exlm.mon.explain;

import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.HostChecks;
import io.exlm.mon.http.Loopback;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.AlertClock;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.AlertThresholds;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Explains alerts: for each, how long it has been pending or firing on Prometheus's clock, and the diagnosis of its
 * {@link Explanation}: the probes' queries (through the Prometheus client, at most {@code parallel} at once, each
 * scoped to the alert's job and instance, the same query asked once), the doctor checks, and the runbook. A probe
 * that fails or does not answer in time says so in its finding; it never stops the others.
 */
public final class Explainer {
    /** Runs doctor checks by id (with what they need) and returns the results of the ones asked. */
    @FunctionalInterface
    public interface CheckRunner {
        List<CheckResult> run(List<String> ids);
    }

    /** What is known of the process behind a scrape job, as lines. */
    @FunctionalInterface
    public interface ProcessLookup {
        List<String> describe(String job);
    }

    /** What one probe found: its lines, or why it could not look. */
    public record Finding(String probe, String title, List<String> queries, List<String> lines, String error) {
    }

    /**
     * A doctor check as an explanation shows it.
     *
     * @param note for a host alert's own check (host.cpu of HighCPUUsage), how its figure on this machine stands
     *             against the alert's threshold, naming the alert's instance ({@link HostReading}); else null
     */
    public record CheckLine(String id, String status, String summary, String note) {
    }

    /**
     * One alert explained.
     *
     * @param activeSeconds how long since Prometheus's activeAt, on Prometheus's clock (null when it gave none)
     * @param forSeconds    the rule's {@code for:} (0 when it has none; null when the rule was not found)
     * @param known         whether exlm-mon has an explanation of this alert
     */
    public record Explained(String name, String state, String severity, Map<String, String> labels, String activeAt,
            Long activeSeconds, Long forSeconds, String value, String summary, String description,
            List<Finding> findings, List<CheckLine> checks, Runbooks.Runbook runbook, boolean known) {
    }

    /**
     * The explanations, and the clock they were measured on: {@code prometheus} (its {@code time()}, the clock of
     * its activeAt) or {@code local} (this machine's, when Prometheus did not say).
     */
    public record Report(String clock, Instant now, List<Explained> alerts) {
    }

    private final PrometheusClient prometheus;
    private final CheckRunner checks;
    private final ProcessLookup processes;
    private final Clock clock;
    private final Duration timeout;
    private final int parallel;
    private final String stackRuntime;

    /**
     * @param stackRuntime the runtime of the stack exlm-mon up started for this Prometheus ({@code local},
     *                     {@code compose}), for how to start a part again; null when none is known
     */
    public Explainer(PrometheusClient prometheus, CheckRunner checks, ProcessLookup processes, Clock clock,
            Duration timeout, int parallel, String stackRuntime) {
        this.prometheus = prometheus;
        this.checks = checks;
        this.processes = processes;
        this.clock = clock;
        this.timeout = timeout;
        this.parallel = Math.max(1, parallel);
        this.stackRuntime = stackRuntime;
    }

    public Report explain(List<Alert> alerts) {
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "exlm-explain");
            t.setDaemon(true);
            return t;
        });
        try {
            long deadline = System.nanoTime() + timeout.multipliedBy(3).plusSeconds(2).toNanos();
            Future<QueryResult> time = pool.submit(() -> prometheus.query("time()", null));
            Future<List<RuleGroup>> rules = pool.submit(prometheus::rules);
            boolean needTargets = false;
            Set<String> checkIds = new LinkedHashSet<>();
            Map<String, Future<QueryResult>> queries = new LinkedHashMap<>();
            for (Alert a : alerts) {
                Explanation e = Explanation.of(a.name());
                if (e == null) {
                    continue;
                }
                checkIds.addAll(e.checks());
                Scope s = Scope.of(a.labels());
                for (Probe p : e.probes()) {
                    needTargets |= p == Probe.TARGET || p == Probe.JOB_TARGETS;
                    for (String q : p.queries(s)) {
                        queries.computeIfAbsent(q, k -> pool.submit(() -> prometheus.query(k, null)));
                    }
                }
            }
            Future<List<Target>> targets = needTargets ? pool.submit(prometheus::targets) : null;
            List<String> ids = List.copyOf(checkIds);
            Future<List<CheckResult>> checked = ids.isEmpty() ? null : pool.submit(() -> checks.run(ids));

            AlertClock at;
            try {
                at = AlertClock.of(get(time, deadline));
            } catch (Exception e) {
                at = new AlertClock(AlertClock.LOCAL, clock.instant());
            }
            Map<String, Long> forSeconds = Map.of();
            try {
                forSeconds = AlertClock.forSeconds(get(rules, deadline));
            } catch (Exception e) {
                // without the rules the alert's for: is unknown, and said so (null)
            }
            List<CheckResult> checkResults = List.of();
            String checkError = null;
            if (checked != null) {
                try {
                    checkResults = get(checked, deadline);
                } catch (Exception e) {
                    checkError = why(e);
                }
            }
            List<Target> targetList = null;
            String targetError = null;
            if (targets != null) {
                try {
                    targetList = get(targets, deadline);
                } catch (Exception e) {
                    targetError = why(e);
                }
            }

            List<Explained> out = new ArrayList<>();
            for (Alert a : alerts) {
                Explanation e = Explanation.of(a.name());
                Scope s = Scope.of(a.labels());
                List<Finding> findings = new ArrayList<>();
                List<CheckLine> lines = new ArrayList<>();
                if (e != null) {
                    for (Probe p : e.probes()) {
                        findings.add(finding(p, s, queries, deadline, targetList, targetError, at.now()));
                    }
                    for (String id : e.checks()) {
                        lines.add(checkLine(id, checkResults, checkError, e.hostFigure(), s));
                    }
                }
                Long active = at.activeSeconds(a);
                Map<String, String> ann = a.annotations();
                out.add(new Explained(a.name(), a.state(), a.labels().getOrDefault("severity", ""), a.labels(),
                        a.activeAt(), active, forSeconds.get(a.name()), a.value(), ann.get("summary"),
                        ann.get("description"), findings, lines, Runbooks.of(a.name(), ann.get("runbook_url")),
                        e != null));
            }
            return new Report(at.name(), at.now(), out);
        } finally {
            pool.shutdownNow();
        }
    }

    private Finding finding(Probe p, Scope s, Map<String, Future<QueryResult>> queries, long deadline,
            List<Target> targets, String targetError, Instant now) {
        List<String> qs = p.queries(s);
        if (p == Probe.TARGET) {
            return targets == null ? new Finding(p.name(), p.title(), qs, List.of(), "targets unknown: " + targetError)
                    : new Finding(p.name(), p.title(), qs, Probe.targetLines(s, targets, stackRuntime), null);
        }
        if (p == Probe.JOB_TARGETS) {
            return targets == null ? new Finding(p.name(), p.title(), qs, List.of(), "targets unknown: " + targetError)
                    : new Finding(p.name(), p.title(), qs, Probe.jobTargetLines(s, targets, stackRuntime), null);
        }
        if (p == Probe.PROCESS) {
            if (s.job() == null || s.labels().containsKey("check")) {
                return new Finding(p.name(), p.title(), qs, List.of("a pushed check has no process to look for"),
                        null);
            }
            try {
                return new Finding(p.name(), p.title(), qs, processes.describe(s.job()), null);
            } catch (RuntimeException e) {
                return new Finding(p.name(), p.title(), qs, List.of(), why(e));
            }
        }
        List<QueryResult> answers = new ArrayList<>();
        for (String q : qs) {
            try {
                answers.add(get(queries.get(q), deadline));
            } catch (Exception e) {
                return new Finding(p.name(), p.title(), qs, List.of(), why(e));
            }
        }
        try {
            return new Finding(p.name(), p.title(), qs, p.lines(s, answers, now), null);
        } catch (RuntimeException e) {
            return new Finding(p.name(), p.title(), qs, List.of(), "the answer could not be read: " + e);
        }
    }

    private CheckLine checkLine(String id, List<CheckResult> results, String error, Explanation.HostFigure figure,
            Scope s) {
        if (error != null) {
            return new CheckLine(id, "unknown", "not run: " + error, null);
        }
        for (CheckResult r : results) {
            if (r.id().equals(id)) {
                return new CheckLine(id, r.status().label(), Probe.printable(r.summary()), hostNote(r, figure, s));
            }
        }
        return new CheckLine(id, "unknown", "not run", null);
    }

    /**
     * How a host alert's own check stands against the alert's threshold on this machine, which is the alert's host
     * when both Prometheus and the alert's instance are on loopback; null for any other check.
     */
    private String hostNote(CheckResult r, Explanation.HostFigure figure, Scope s) {
        Double percent = figure == null || !figure.check().equals(r.id()) ? null : HostChecks.percent(r);
        if (percent == null) {
            return null;
        }
        boolean here = s.instance() != null && Loopback.url(prometheus.baseUrl())
                && Loopback.host(HostReading.host(s.instance()));
        return HostReading.verdict(percent, AlertThresholds.bundled().percent(figure.metric()),
                HostReading.THIS_MACHINE, s.instance() == null ? null : Probe.printable(s.instance()), here);
    }

    private static <T> T get(Future<T> f, long deadline) throws Exception {
        try {
            return f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }

    private String why(Exception e) {
        if (e instanceof TimeoutException) {
            return "no answer within " + io.exlm.mon.config.Durations.format(timeout.multipliedBy(3));
        }
        return Probe.printable(e.getMessage() == null ? e.toString() : e.getMessage());
    }
}
