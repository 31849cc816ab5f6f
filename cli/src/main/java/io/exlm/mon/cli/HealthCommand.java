package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.health.CheckResult;
import io.exlm.mon.health.CheckTrace;
import io.exlm.mon.health.Dependency;
import io.exlm.mon.health.Endpoint;
import io.exlm.mon.health.HealthProbe;
import io.exlm.mon.health.HealthReport;
import io.exlm.mon.health.HealthStatus;
import io.exlm.mon.health.WaitPolicy;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import io.exlm.mon.push.CheckOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "health",
        sortOptions = false,
        description = {"Query the backend's health endpoints: the CI smoke check.",
            "Understands exlm's JSON, Spring Boot Actuator (UP/DOWN) and application/health+json (pass/warn/fail),",
            "and the shapes FastAPI services answer in: boolean checks, a body in FastAPI's detail, psutil figures."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon health --backend-url http://127.0.0.1:8000 --check all -o json",
            "  exlm-mon health --wait 60s              # CI: wait for the service to come up",
            "  exlm-mon health --wait 60s --success-threshold 3   # ... and stay up for three polls in a row",
            "  exlm-mon health --url http://svc:8080/actuator/health",
            "",
            "A check that passed in one poll of --wait and failed in a later one is reported as flapping.",
            "",
            "Exit: 0 all healthy, 1 reachable but unhealthy or not ready, 3 unreachable or not a health answer."})
public final class HealthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "CHECK", split = ",", order = 1,
            completionCandidates = Candidates.HealthChecks.class,
            description = "basic, ready, live, metrics or all (default); repeatable, or comma-separated")
    List<String> checks = new ArrayList<>();

    @Option(names = "--url", paramLabel = "URL", order = 2,
            description = "Check this health URL instead of the backend's endpoints (any service); repeatable")
    List<String> urls = new ArrayList<>();

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class, order = 3,
            description = "Poll until healthy or this much time has passed since exlm-mon started; refused"
                    + " connections count as not yet. No request runs past it: each gets --timeout or what is left,"
                    + " whichever is less")
    Duration wait;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, order = 4,
            defaultValue = "1s", description = "Pause between polls with --wait (default: ${DEFAULT-VALUE}); doubles"
                + " after each failed poll, up to " + WaitPolicy.MAX_BACKOFF_INTERVALS + " times this")
    Duration interval;

    @Option(names = "--success-threshold", paramLabel = "N", order = 5, defaultValue = "1",
            description = "With --wait: healthy only after N polls in a row pass, as a Kubernetes probe's"
                    + " successThreshold (default: ${DEFAULT-VALUE})")
    int successThreshold;

    @Option(names = "--demo", order = 6,
            description = "Start the embedded demo backend on a free port and check it")
    boolean demo;

    @Option(names = "--scenario", paramLabel = "NAME", order = 7, defaultValue = "normal",
            completionCandidates = DemoCommand.Scenarios.class,
            description = "With --demo: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String scenario;

    @Mixin
    PushOptions push = new PushOptions();

    @Override
    public Integer call() {
        return run(ExlmMon.context(spec));
    }

    /** The command with its options set, from picocli or from {@link LeanStart}. */
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.junit);
        push.validate();
        if (interval.isZero() || interval.isNegative()) {
            throw ExitException.usage("--interval must be positive");
        }
        if (wait != null && wait.isZero()) {
            throw ExitException.usage("--wait must be positive; leave it out to check once");
        }
        if (successThreshold < 1) {
            throw ExitException.usage("--success-threshold must be at least 1, not " + successThreshold);
        }
        if (successThreshold > 1 && wait == null) {
            throw ExitException.usage("--success-threshold " + successThreshold + " counts polls in a row; it needs"
                    + " --wait (for example --wait 60s)");
        }
        List<Endpoint> endpoints = endpoints();
        DemoServer demoServer = null;
        try {
            String backend;
            if (demo) {
                demoServer = DemoServer.start(DemoServer.Config.defaults().withPort(0)
                        .withScenario(scenario(scenario)));
                backend = demoServer.url();
            } else {
                backend = urls.isEmpty() ? ctx.backendUrl() : null;
            }
            List<HealthProbe.Target> targets = new ArrayList<>();
            if (urls.isEmpty()) {
                targets.addAll(HealthProbe.backendTargets(backend, endpoints));
            } else {
                if (!checks.isEmpty()) {
                    throw ExitException.usage("--check selects the backend's endpoints; it cannot be combined with"
                            + " --url");
                }
                for (String u : urls) {
                    String url = Settings.checkUrl(u, "--url");
                    targets.add(new HealthProbe.Target(url, url));
                }
            }
            String label = backend != null ? backend : String.join(", ", urls);
            HealthProbe probe = new HealthProbe(ctx.http());
            HealthReport report = wait == null ? probe.check(label, targets)
                    : probe.waitUntilHealthy(label, targets, new WaitPolicy(wait, interval,
                            ctx.http().options().timeout(), successThreshold), ctx.startedNanos(),
                            r -> progress(ctx, r));
            render(ctx, report);
            List<CheckOutcome> outcomes = new ArrayList<>();
            for (CheckResult c : report.checks()) {
                outcomes.add(new CheckOutcome(c.name(), c.status().passes(), c.latencyMillis() / 1000.0));
            }
            push.push(ctx, "health", outcomes, report.exitCode());
            return report.exitCode();
        } finally {
            if (demoServer != null) {
                demoServer.close();
            }
        }
    }

    private List<Endpoint> endpoints() {
        Set<Endpoint> set = new LinkedHashSet<>();
        for (String c : checks.isEmpty() ? List.of("all") : checks) {
            try {
                set.addAll(Endpoint.parse(c.strip()));
            } catch (IllegalArgumentException e) {
                throw ExitException.usage("--check: " + e.getMessage());
            }
        }
        return new ArrayList<>(set);
    }

    static Scenario scenario(String name) {
        try {
            return Scenario.named(name);
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--scenario: " + e.getMessage());
        }
    }

    private void progress(Context ctx, HealthReport r) {
        if (ctx.format() != OutputFormat.text) {
            return;
        }
        List<String> why = new ArrayList<>();
        for (int i = 0; i < r.checks().size(); i++) {
            CheckResult c = r.checks().get(i);
            if (!c.status().passes()) {
                why.add(c.name() + " " + (c.failureKind() != null ? c.failureKind().label() : c.status().label())
                        + (r.traces().get(i).flapping() ? ", flapping" : ""));
            }
        }
        if (r.belowThreshold()) {
            why.add("passed " + r.consecutiveSuccesses() + " of " + r.successThreshold() + " polls in a row");
        }
        ctx.err().println("exlm-mon: waiting for " + r.target() + " (" + String.join(", ", why) + "; "
                + Durations.format(Duration.ofMillis(r.elapsedMillis())) + " of " + Durations.format(wait) + ")");
        ctx.err().flush();
    }

    private void render(Context ctx, HealthReport report) {
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), json(report));
            case junit -> junit(ctx, report);
            default -> text(ctx, report);
        }
        // unreachable: one line on stderr per distinct cause, whatever the output format
        if (report.status() == HealthStatus.UNREACHABLE) {
            Set<String> seen = new LinkedHashSet<>();
            for (CheckResult c : report.checks()) {
                if (c.error() != null && seen.add(c.failureKind() + " " + hostOf(c.url()))) {
                    ctx.err().println("exlm-mon: " + c.error());
                }
            }
            ctx.err().flush();
        }
    }

    private void text(Context ctx, HealthReport report) {
        Ansi a = ctx.ansi();
        boolean anyAnswer = report.checks().stream().anyMatch(c -> c.status() != HealthStatus.UNREACHABLE);
        if (!anyAnswer) {
            return; // nothing answered: the stderr line says it all
        }
        Table t = new Table("CHECK", "STATUS", "HTTP", "TIME", "DETAIL");
        for (CheckResult c : report.checks()) {
            t.row(c.name(), colour(a, c.status()), c.httpStatus() == 0 ? "-" : String.valueOf(c.httpStatus()),
                    c.latencyMillis() + " ms", c.summary());
        }
        ctx.out().println(a.bold(report.target()));
        t.lines().forEach(ctx.out()::println);
        ctx.out().println();
        ctx.out().println(verdict(a, report));
        ctx.out().flush();
    }

    private static String verdict(Ansi a, HealthReport report) {
        int n = report.checks().size();
        long passed = report.checks().stream().filter(c -> c.status().passes()).count();
        String tail = report.attempts() > 1 ? " (after " + report.attempts() + " attempts, "
                + Durations.format(Duration.ofMillis(report.elapsedMillis())) + ")" : "";
        List<String> flapped = new ArrayList<>();
        for (int i = 0; i < report.checks().size(); i++) {
            CheckTrace t = report.traces().get(i);
            if (t.flapping()) {
                flapped.add(report.checks().get(i).name() + " (passed in attempt " + t.firstPassed()
                        + ", failed again in attempt " + t.failedAgain() + "; passed " + t.passed() + " of "
                        + t.attempts() + ")");
            }
        }
        String flapping = flapped.isEmpty() ? "" : "; flapping: " + String.join(", ", flapped);
        if (report.healthy()) {
            List<String> warnings = new ArrayList<>();
            for (CheckResult c : report.checks()) {
                if (c.status() == HealthStatus.WARN) {
                    warnings.add(c.name() + " (" + c.summary() + ")");
                }
            }
            String warned = warnings.isEmpty() ? "" : "; " + a.yellow(warnings.size() + (warnings.size() == 1
                    ? " warning" : " warnings")) + ": " + String.join(", ", warnings);
            return a.green("healthy") + ": " + passed + " of " + n + " checks passed" + tail + warned + flapping;
        }
        List<String> problems = new ArrayList<>();
        if (report.belowThreshold()) {
            problems.add("every check passes, but only " + report.consecutiveSuccesses() + " of the "
                    + report.successThreshold() + " polls in a row that --success-threshold asks for");
        }
        for (int i = 0; i < report.checks().size(); i++) {
            CheckResult c = report.checks().get(i);
            String never = report.attempts() > 1 && report.traces().get(i).neverPassed()
                    ? ", never passed in " + report.attempts() + " attempts" : "";
            if (c.status() == HealthStatus.UNHEALTHY) {
                List<String> deps = new ArrayList<>();
                for (Dependency d : c.failedDependencies()) {
                    deps.add(d.name() + (d.detail().isEmpty() ? "" : " (" + d.detail() + ")"));
                }
                problems.add(c.name() + (deps.isEmpty() ? " failed (" + c.summary() + ")"
                        : " failed: " + String.join(", ", deps)) + never);
            } else if (c.status() == HealthStatus.UNREACHABLE) {
                problems.add(c.name() + " " + c.failureKind().label() + never);
            }
        }
        String word = report.status() == HealthStatus.UNREACHABLE ? a.red("unreachable") : a.red("unhealthy");
        return word + ": " + String.join("; ", problems) + tail + flapping;
    }

    private static String colour(Ansi a, HealthStatus s) {
        return switch (s) {
            case HEALTHY -> a.green(s.label());
            case WARN -> a.yellow(s.label());
            default -> a.red(s.label());
        };
    }

    static Map<String, Object> json(HealthReport report) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("target", report.target());
        doc.put("status", report.status().label());
        doc.put("healthy", report.healthy());
        doc.put("exit_code", report.exitCode());
        doc.put("attempts", report.attempts());
        doc.put("elapsed_ms", report.elapsedMillis());
        doc.put("success_threshold", report.successThreshold());
        doc.put("consecutive_successes", report.consecutiveSuccesses());
        doc.put("flapping", report.flapping());
        List<Map<String, Object>> checks = new ArrayList<>();
        for (int i = 0; i < report.checks().size(); i++) {
            CheckResult c = report.checks().get(i);
            CheckTrace t = report.traces().get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("url", c.url());
            m.put("status", c.status().label());
            m.put("http_status", c.httpStatus() == 0 ? null : c.httpStatus());
            m.put("latency_ms", c.latencyMillis());
            m.put("format", c.format());
            m.put("summary", c.summary());
            List<Map<String, Object>> deps = new ArrayList<>();
            for (Dependency d : c.dependencies()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("name", d.name());
                dm.put("status", Vocabulary.dependency(d));
                dm.put("word", d.word()); // as the service wrote it
                dm.put("healthy", d.status() == null ? null : d.status().passes());
                dm.put("detail", d.detail());
                deps.add(dm);
            }
            m.put("dependencies", deps);
            m.put("failed_dependencies", c.failedDependencies().stream().map(Dependency::name).toList());
            m.put("values", c.values());
            m.put("error", c.error());
            m.put("error_kind", c.failureKind() == null ? null : c.failureKind().name().toLowerCase(Locale.ROOT));
            m.put("attempts_passed", t.passed());
            m.put("first_passed_attempt", t.firstPassed() == 0 ? null : t.firstPassed());
            m.put("failed_again_attempt", t.failedAgain() == 0 ? null : t.failedAgain());
            m.put("flapping", t.flapping());
            checks.add(m);
        }
        doc.put("checks", checks);
        return doc;
    }

    private static void junit(Context ctx, HealthReport report) {
        List<JUnitXml.Case> cases = new ArrayList<>();
        for (int i = 0; i < report.checks().size(); i++) {
            CheckResult c = report.checks().get(i);
            String flapping = report.traces().get(i).flapping() ? " (flapping: it passed in attempt "
                    + report.traces().get(i).firstPassed() + ")" : "";
            String failure = null;
            if (c.status() == HealthStatus.UNREACHABLE) {
                failure = c.error() + flapping;
            } else if (c.status() == HealthStatus.UNHEALTHY) {
                failure = c.name() + " is " + c.status().label() + ": " + c.summary() + flapping;
            }
            cases.add(new JUnitXml.Case("exlm-mon.health", c.name() + " " + c.url(), c.latencyMillis() / 1000.0,
                    failure, c.status().label(), null, c.summary()));
        }
        JUnitXml.write(ctx.out(), "exlm-mon health", report.elapsedMillis() / 1000.0, cases);
    }

    private static String hostOf(String url) {
        int s = url.indexOf("//");
        int e = url.indexOf('/', s + 2);
        return e < 0 ? url : url.substring(0, e);
    }
}
