package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.health.Endpoint;
import io.exlm.mon.health.HealthProbe;
import io.exlm.mon.health.HealthReport;
import io.exlm.mon.health.WaitPolicy;
import io.exlm.mon.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.exlm.mon.push.CheckOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "health",
        description = {"Query the backend's health endpoints: the CI smoke check.", "",
            "Understands exlm's JSON, Spring Boot Actuator (UP/DOWN) and application/health+json (pass/warn/fail),"
                + " and the shapes FastAPI services answer in: boolean checks, a body in FastAPI's detail, psutil"
                + " figures."},
        exitCodeList = {"0:every check passed", "1:reachable but unhealthy or not ready",
            "3:unreachable, or not a health answer"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon health --backend-url http://127.0.0.1:8000 --check all -o json",
            "  exlm-mon health --wait 60s              # CI: wait for the service to come up",
            "  exlm-mon health --wait 60s --success-threshold 3   # ... and stay up",
            "  exlm-mon health --wait 60s -o junit > health.xml   # ... as a JUnit report",
            "  exlm-mon health --url http://svc:8080/actuator/health",
            "",
            "A check that passed in one poll of --wait and failed in a later one is",
            "reported as flapping."})
public final class HealthCommand extends BaseCommand {
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

    @Mixin
    EmbeddedDemo demo = new EmbeddedDemo();

    @Mixin
    PushOptions push = new PushOptions();

    /** The command with its options set, from picocli or from {@link LeanStart}. */
    @Override
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
        try (DemoServer demoServer = demo.startOrNull()) {
            String backend = demoServer != null ? demoServer.url() : urls.isEmpty() ? ctx.backendUrl() : null;
            String label = backend != null ? backend : String.join(", ", urls);
            HealthProbe probe = new HealthProbe(ctx.http());
            List<HealthProbe.Target> targets = targets(backend, endpoints);
            HealthReport report = wait == null ? probe.check(label, targets)
                    : probe.waitUntilHealthy(label, targets, new WaitPolicy(wait, interval,
                            ctx.http().options().timeout(), successThreshold), ctx.startedNanos(),
                            r -> HealthOutput.progress(ctx, r, wait));
            HealthOutput.render(ctx, report);
            push.push(ctx, "health", report.checks().stream().map(c -> new CheckOutcome(c.name(),
                    c.status().passes(), c.latencyMillis() / 1000.0)).toList(), report.exitCode());
            return report.exitCode();
        }
    }

    private List<HealthProbe.Target> targets(String backend, List<Endpoint> endpoints) {
        if (urls.isEmpty()) {
            return HealthProbe.backendTargets(backend, endpoints);
        }
        if (!checks.isEmpty()) {
            throw ExitException.usage("--check selects the backend's endpoints; it cannot be combined with --url");
        }
        return urls.stream().map(u -> Settings.checkUrl(u, "--url")).map(u -> new HealthProbe.Target(u, u))
                .toList();
    }

    private List<Endpoint> endpoints() {
        try {
            return (checks.isEmpty() ? List.of("all") : checks).stream().flatMap(c -> Endpoint.parse(c.strip())
                    .stream()).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--check: " + e.getMessage());
        }
    }
}
