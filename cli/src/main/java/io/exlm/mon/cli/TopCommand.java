package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.ScrapeSource;
import io.exlm.mon.source.Source;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.FrameRenderer;
import io.exlm.mon.tui.Poller;
import io.exlm.mon.tui.TerminalLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "top",
        description = {"Live full-screen dashboard of the documented metrics.", "",
            "The four rows of the guide's Grafana dashboard (system, HTTP traffic, jobs, errors) plus cache and"
                + " Celery, coloured by the alert thresholds (latency by the SLO's objective), from a direct scrape or"
                + " PromQL."},
        exitCodeList = {"0:quit (q), or with --once: no gated panel beyond its threshold",
            "1:with --once --fail-on-alert: a panel beyond its alert threshold",
            "3:with --once: the source cannot be reached or read",
            "129-143:ended by a signal: 128 + its number (on a terminal: HUP 129, INT 130, QUIT 131, TERM 143)"},
        footerHeading = "%nKeys:%n",
        footer = {
            "  q, Ctrl-C quit   p pause   r refresh now   +/- refresh interval   ? help",
            "  Tab, arrows move the focus   Enter the focused panel's breakdown (by",
            "  handler, status, type, instance)   Esc back   i next instance   I every",
            "  instance (a scrape reads one)",
            "  [ ] a minute back / forward in time, n back to now (--source prometheus)",
            "",
            "With --source prometheus an Alerts panel lists Prometheus's firing and",
            "pending alerts and Alertmanager's silences (--alertmanager-url), and the",
            "header's ALERT / PENDING is Prometheus's; with a scrape, the thresholds'.",
            "",
            "Examples:",
            "  exlm-mon top --demo                          # watch the embedded demo backend",
            "  exlm-mon top --backend-url http://10.0.0.5:8000",
            "  exlm-mon top --source prometheus --window 2m",
            "  exlm-mon top --source prometheus --at 10m    # as it was 10 minutes ago",
            "  exlm-mon top --once -o json --fail-on-alert  # CI: the same view, as a gate",
            "  exlm-mon top --once -o junit --fail-on-alert # ... as a JUnit report",
            "",
            "Not on a terminal (a pipe, TERM=dumb), top prints a plain frame every",
            "interval; --once prints one."})
public final class TopCommand extends BaseCommand {
    @Mixin
    SourceOptions source = new SourceOptions();

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
            order = 2, description = "Refresh interval (default: ${DEFAULT-VALUE}; + and - change it)")
    Duration interval;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = PanelId.WINDOW_TEXT,
            order = 3, description = "Rates and percentiles over this window: of the scrapes kept (scrape source)"
                    + " or PromQL's rate() range (default: ${DEFAULT-VALUE}, the Grafana dashboard's: long enough not"
                    + " to flap, see README \"Windows\")")
    Duration window;

    @Option(names = "--at", paramLabel = "TIME", order = 4,
            description = "With --source prometheus: the dashboard as it was at TIME (RFC 3339, unix seconds, or a"
                    + " duration ago: 5m), its history ending there")
    String at;

    @Mixin
    EmbeddedDemo demo = new EmbeddedDemo();

    @Option(names = "--once", order = 6,
            description = "Print one frame and exit: with the scrape source, after scraping every interval for 10s"
                    + " (the shortest span rates are judged over), or for the whole --window when one is given; with"
                    + " -o json, every panel; with -o junit, a test case per panel")
    boolean once;

    @Option(names = "--fail-on-alert", order = 7, arity = "0..1", split = ",", paramLabel = "PANEL",
            fallbackValue = TopGate.ALL_PANELS, completionCandidates = TopGate.Panels.class,
            description = "With --once: exit 1 when a panel is beyond its alert threshold (a <failure> in -o junit);"
                    + " cpu and memory only when beyond it for as long as their alert's for: (by Prometheus, when its"
                    + " source: their rule fires; by a scrape, this run's scrapes: naming them needs a --window that"
                    + " long); =PANEL,... only those panels: ${COMPLETION-CANDIDATES} (latency is an objective, not"
                    + " gated)")
    List<String> failOnAlert;

    @Option(names = "--ascii", order = 8, description = "Draw with ASCII only, for terminals without Unicode")
    boolean ascii;

    /**
     * The launchers (./exlm-mon, bin/exlm-mon) run the dashboard with -Xrs under a shell that restores the terminal
     * when the JVM dies of a signal; this file is where top leaves that shell the bytes that restore it.
     */
    static final String RESTORE_FILE_ENV = "EXLM_MON_RESTORE_FILE";

    /**
     * The alerts, breakdowns and instances of the live dashboard: from Prometheus (and Alertmanager's silences) with
     * the Prometheus source, from the scrape's own series otherwise.
     */
    private static io.exlm.mon.panel.IncidentFeed incident(Context ctx, Source src, boolean prometheus,
            DemoServer demoServer) {
        if (prometheus && src instanceof io.exlm.mon.source.PrometheusSource ps) {
            io.exlm.mon.promql.PrometheusClient client = new io.exlm.mon.promql.PrometheusClient(ctx.http(),
                    ctx.prometheusUrl());
            io.exlm.mon.promql.AlertmanagerClient am = ctx.alertmanagerUrl() == null ? null
                    : new io.exlm.mon.promql.AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
            return io.exlm.mon.panel.IncidentFeed.prometheus(ps, client, am, ps.window(), ctx.combination(),
                    java.time.Clock.systemUTC());
        }
        return io.exlm.mon.panel.IncidentFeed.scrape(io.exlm.mon.source.Scraper.metricsUrl(demoServer != null
                ? demoServer.url() : ctx.backendUrl()));
    }

    @Override
    int run(Context ctx) throws IOException, InterruptedException {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.junit);
        if (ctx.format() != OutputFormat.text && !once) {
            throw ExitException.usage("-o " + ctx.format() + " needs --once: the live dashboard is for a terminal");
        }
        if (failOnAlert != null && !once) {
            throw ExitException.usage("--fail-on-alert needs --once");
        }
        TopGate.gated(failOnAlert); // an unknown panel is a usage error before anything runs
        if (interval.toMillis() < 250) {
            throw ExitException.usage("--interval must be at least 250ms");
        }
        boolean prometheus = source.prometheus(ctx);
        source.scope(ctx); // --backend-job, --backend-instance, --match: usage errors before anything runs
        if (window.isZero() || window.isNegative()) {
            throw ExitException.usage("--window must be positive");
        }
        java.time.Instant when = at == null ? null : QueryTimes.parseTime(at, "--at", java.time.Instant.now());
        if (when != null && !prometheus) {
            throw ExitException.usage("--at needs --source prometheus: a scrape sees only the present");
        }
        if (when != null && when.isAfter(java.time.Instant.now())) {
            throw ExitException.usage("--at " + io.exlm.mon.Text.printable(at) + " is in the future");
        }
        if (once && !prometheus) {
            TopGate.checkHolds(failOnAlert, spec.commandLine().getParseResult().hasMatchedOption("--window") ? window
                    : null);
        }
        if (demo.on && prometheus) {
            throw ExitException.usage("--demo watches the embedded backend by scraping it; drop --source prometheus");
        }
        DemoServer demoServer = demo.startOrNull();
        try (Source src = prometheus ? source.prometheus(ctx, window, once,
                failOnAlert != null) : SourceOptions.scrape(ctx,
                demoServer != null ? demoServer.url() : ctx.backendUrl(), ScrapeSource.NEXT_SCRAPE, window)) {
            DashboardState state = new DashboardState(src.describe(), interval.toMillis(), src.remembers(),
                    when == null ? -1 : when.toEpochMilli());
            // --once -o json or junit: the panels only (their contract), without asking Alertmanager for anything,
            // and no sparklines: the history is not asked for
            Poller poller = new Poller(src, once && ctx.format() != OutputFormat.text ? null
                    : incident(ctx, src, prometheus, demoServer), state).backfill(ctx.format() == OutputFormat.text);
            if (once) {
                if (demo.on) {
                    // a demo backend that has just started has not served every kind of answer yet
                    Thread.sleep(interval.toMillis());
                }
                return new TopOnce(ctx, state, poller, !ascii).run(src, interval, window,
                        spec.commandLine().getParseResult().hasMatchedOption("--window"),
                        TopGate.gated(failOnAlert));
            }
            if (!ctx.terminal() || "dumb".equals(ctx.env().getOrDefault("TERM", "dumb"))) {
                return TopFrames.everyInterval(ctx, state, poller, !ascii);
            }
            // box drawing as the Unicode characters themselves: jline would otherwise switch to the terminal's
            // alternate character set, which some terminals and every screen capture show as letters
            System.setProperty("org.jline.utils.disableAlternateCharset", "true");
            String restore = ctx.env().get(RESTORE_FILE_ENV);
            Terminal terminal;
            try {
                // no dumb terminal in its place: jline would say so only through java.util.logging, which exlm-mon
                // does not print, and the dashboard would draw nothing on it
                terminal = TerminalBuilder.builder().system(true).dumb(false).build();
            } catch (IOException | IllegalStateException e) {
                ctx.err().println("exlm-mon: top: cannot drive this terminal (" + e.getMessage() + "); printing"
                        + " plain frames instead");
                ctx.err().flush();
                return TopFrames.everyInterval(ctx, state, poller, !ascii);
            }
            try (terminal) {
                new TerminalLoop(terminal, state, new FrameRenderer(ctx.color(), !ascii), poller,
                        restore == null || restore.isEmpty() ? null : java.nio.file.Path.of(restore)).run();
            }
            return ExitCode.OK;
        } finally {
            if (demoServer != null) {
                demoServer.close();
            }
        }
    }
}
