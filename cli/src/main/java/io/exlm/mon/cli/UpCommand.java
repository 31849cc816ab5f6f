package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.stack.Readiness;
import io.exlm.mon.stack.StackConfig;
import io.exlm.mon.stack.StackRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "up",
        description = {"Bring the monitoring stack up: docker compose or local processes.", "",
            "Prometheus, Alertmanager, Pushgateway, the node, postgres and redis",
            "exporters, and Grafana where it can run.",
            "A second up starts nothing twice and says what already runs.",
            "",
            "Runtimes (--runtime, or the config key stack.runtime):",
            "  compose  docker compose (v2) or docker-compose (v1) on the bundled files",
            "  local    the binaries on the PATH (Debian's prometheus-* packages or",
            "           upstream's names), on loopback; data, logs and pid files under",
            "           $XDG_STATE_HOME/exlm-mon (default ~/.local/state/exlm-mon)",
            "  auto     compose where a Docker engine answers, else local (default)",
            "",
            "Topologies (--topology, or the config key stack.topology):",
            "  single   one Prometheus (default when no up ran here; else the last up's)",
            "  sharded  two vmagent members sharing the scraping, remote-writing into",
            "           VictoriaMetrics at the Prometheus URL, and vmalert on the same",
            "           rules and Alertmanager (local runtime only; vmagent-0.url,",
            "           vmagent-1.url, vmalert.url say where they listen)",
            ""},
        exitCodeList = {"0:up (with --wait: ready, and data flowing)",
            "1:a preflight problem, a part that failed, or (with --wait) a part not ready or no data in time",
            "3:no Docker engine answers (compose runtime)"},
        footerHeading = "%n",
        footer = {
            "With --wait, --timeout is how long to wait for every part (default 2m).",
            "",
            "Where each part listens: --prometheus-url, --alertmanager-url, --grafana-url,",
            "and the config keys pushgateway.url, node-exporter.url, postgres-exporter.url,",
            "redis-exporter.url (env EXLM_<PART>_URL).",
            "",
            "What it watches: --backend-url (the scrape target), postgres.dsn",
            "(EXLM_POSTGRES_DSN), redis.url (EXLM_REDIS_URL). Alerts go to",
            "alertmanager.webhook-url (EXLM_ALERT_WEBHOOK_URL).",
            "",
            "Grafana's admin user: grafana.user (EXLM_GRAFANA_USER; default admin).",
            "Grafana's admin password: EXLM_GRAFANA_PASSWORD or grafana.password-file;",
            "else one is generated into the state directory (never printed).",
            "",
            "Examples:",
            "  exlm-mon up --runtime local --wait",
            "  exlm-mon up --runtime local --topology sharded --wait",
            "  exlm-mon up --remote-write https://mimir.example.com/api/v1/push \\",
            "      --remote-write-auth --tenant exlm --bearer-token-file ~/.mimir-token",
            "  exlm-mon up --backend-url http://127.0.0.1:8000 --wait --timeout 3m"})
public final class UpCommand extends BaseCommand {
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(2);

    @Option(names = "--runtime", paramLabel = "RUNTIME", order = 1, completionCandidates = StackSupport.Runtimes.class,
            description = "${COMPLETION-CANDIDATES} (default: the config key stack.runtime, else auto)")
    String runtime;

    @Option(names = "--wait", order = 2,
            description = "Wait until every started part answers its ready endpoint and data flows (Prometheus has"
                    + " scraped every target and evaluated every rule group once, and found its Alertmanager),"
                    + " showing progress")
    boolean waitReady;

    @Option(names = "--remote-write", paramLabel = "URL", order = 3, split = ",",
            description = "Prometheus also sends every sample to this remote-write receiver (Mimir, Thanos Receive,"
                    + " VictoriaMetrics; repeatable or comma-separated; replaces stack.remote-write); doctor's"
                    + " prometheus.remote-write checks that it keeps up")
    List<String> remoteWrite;

    @Option(names = "--remote-write-auth", order = 4,
            description = "Sign in to the remote-write receivers with the global --bearer-token-file"
                    + " (EXLM_BEARER_TOKEN) or --basic-auth-user, --tenant, --ca-file and --insecure (else they get"
                    + " none of them; -H headers never; or stack.remote-write-auth)")
    boolean remoteWriteAuth;

    @Option(names = "--topology", paramLabel = "TOPOLOGY", order = 5,
            completionCandidates = StackSupport.Topologies.class,
            description = "${COMPLETION-CANDIDATES}: one Prometheus, or two vmagent members sharing the scraping,"
                    + " VictoriaMetrics (at the Prometheus URL) and vmalert; local runtime only (default: the config"
                    + " key stack.topology, else the last up's here, else single)")
    String topology;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        Duration timeout = waitTimeout(ctx);
        Consumer<String> progress = StackSupport.progress(ctx);
        StackSupport.Stack stack = StackSupport.open(ctx, runtime, true, progress, remoteWrite, remoteWriteAuth,
                topology);
        StackConfig config = stack.config();
        StackRuntime rt = stack.runtime();
        List<String> problems = rt.preflight();
        if (!problems.isEmpty()) {
            for (String p : problems) {
                ctx.err().println("exlm-mon: preflight: " + p);
            }
            throw new ExitException(ExitCode.UNHEALTHY, "preflight found " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + " (above); nothing was started");
        }
        List<PartReport> parts = rt.up();
        List<PartReport> failed = parts.stream().filter(p -> p.state().equals(PartReport.FAILED)).toList();
        Readiness.Outcome outcome = null;
        Readiness.DataFlow flow = null;
        if (waitReady && failed.isEmpty()) {
            List<PartReport> awaited = parts.stream().filter(PartReport::up).toList();
            try (HttpLayer http = StackSupport.probeClient(ctx)) {
                outcome = Readiness.await(http, rt, config, awaited, timeout, progress);
                // answering is not yet working: wait, in the time left, until data flows through Prometheus
                boolean store = awaited.stream().anyMatch(p -> p.component() == Component.PROMETHEUS
                        || p.component() == Component.VICTORIA_METRICS);
                if (outcome.allReady() && store) {
                    Duration left = timeout.minusMillis(outcome.elapsedMillis());
                    flow = Readiness.awaitData(http, config.url(Component.PROMETHEUS), scrapers(rt, config),
                            left.isNegative() ? Duration.ZERO : left, progress);
                }
            }
            Readiness.Outcome o = outcome;
            parts = parts.stream().map(p -> o.health().get(p.component()) == null ? p
                    : p.withHealth(o.health().get(p.component()), null)).toList();
        }
        StackOutput.up(ctx, rt.name(), rt.topology().id(), stack.state(), parts, outcome, flow, stack.password(),
                config.remoteWrites().stream().map(io.exlm.mon.stack.RemoteWrite::url).toList());
        for (PartReport f : failed) {
            ctx.err().println("exlm-mon: " + f.name() + " failed: " + f.detail());
        }
        ctx.err().flush();
        if (!failed.isEmpty()) {
            throw new ExitException(ExitCode.UNHEALTHY, failed.size() + " part" + (failed.size() == 1 ? "" : "s")
                    + " did not start; the others run (exlm-mon down stops them)");
        }
        if (outcome != null && !outcome.allReady()) {
            List<String> late = new ArrayList<>();
            outcome.health().forEach((c, h) -> {
                if (!h.equals(Readiness.OK)) {
                    late.add(c.id() + " (" + h + " at " + config.readyUrl(c) + ")");
                }
            });
            throw new ExitException(ExitCode.UNHEALTHY, "not ready after " + Durations.format(timeout) + ": "
                    + String.join(", ", late) + "; read its log (exlm-mon status shows where) or wait longer with"
                    + " --timeout");
        }
        if (flow != null && !flow.flowing()) {
            throw new ExitException(ExitCode.UNHEALTHY, "every part answers, but data does not flow after "
                    + Durations.format(timeout) + ": " + String.join("; ", flow.waiting()) + "; exlm-mon doctor says"
                    + " why, or wait longer with --timeout");
        }
        return ExitCode.OK;
    }

    /** The scraping members' URLs of a sharded stack; empty for one Prometheus (it lists its own targets). */
    private static List<String> scrapers(StackRuntime rt, StackConfig config) {
        return rt.topology() == io.exlm.mon.stack.Topology.SHARDED
                ? Component.SCRAPERS.stream().map(config::url).toList() : List.of();
    }

    /** up's --timeout is the wait's deadline; the global option also sets each request's deadline. */
    private Duration waitTimeout(Context ctx) {
        String given = ctx.flag(Setting.TIMEOUT);
        if (given == null) {
            return DEFAULT_WAIT;
        }
        try {
            return Durations.parse(given);
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--timeout: " + e.getMessage());
        }
    }
}
