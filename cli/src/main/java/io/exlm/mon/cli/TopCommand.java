package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.Feed;
import io.exlm.mon.tui.FrameRenderer;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.tui.Poller;
import io.exlm.mon.tui.PrometheusFeed;
import io.exlm.mon.tui.ScrapeFeed;
import io.exlm.mon.tui.TerminalLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "top",
        sortOptions = false,
        description = {"Live full-screen dashboard of the documented metrics.",
            "The four rows of the guide's Grafana dashboard (system, HTTP traffic, jobs, errors) plus cache and",
            "Celery, coloured by the alert thresholds, from a direct scrape or PromQL."},
        footerHeading = "%nKeys:%n",
        footer = {
            "  q, Ctrl-C quit   p pause   r refresh now   +/- refresh interval   ? help",
            "  Tab, arrows move the focus   Enter expand the focused panel   Esc back",
            "",
            "Examples:",
            "  exlm-mon top --demo                          # watch the embedded demo backend",
            "  exlm-mon top --backend-url http://10.0.0.5:8000",
            "  exlm-mon top --source prometheus --window 2m",
            "  exlm-mon top --once -o json --fail-on-alert  # CI: the same view, as a gate",
            "  exlm-mon top --once -o junit --fail-on-alert # ... as a JUnit report",
            "",
            "Not on a terminal (a pipe, TERM=dumb), top prints a plain frame every interval; --once prints one."})
public final class TopCommand implements Callable<Integer> {
    /** The sources, for help and completion. */
    public static final class Sources implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("scrape", "prometheus").iterator();
        }
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "scrape", order = 1,
            completionCandidates = Sources.class,
            description = "scrape: the backend's /metrics, rates computed here (no Prometheus needed); prometheus:"
                    + " PromQL (default: ${DEFAULT-VALUE})")
    String source;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "1s",
            order = 2, description = "Refresh interval (default: ${DEFAULT-VALUE}; + and - change it)")
    Duration interval;

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = PanelId.WINDOW_TEXT,
            order = 3, description = "With --source prometheus: the range of rate() and the percentiles (default:"
                    + " ${DEFAULT-VALUE})")
    Duration window;

    @Option(names = "--demo", order = 4, description = "Start the embedded demo backend on a free port and watch it")
    boolean demo;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal", order = 5,
            completionCandidates = DemoCommand.Scenarios.class,
            description = "With --demo: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--once", order = 6,
            description = "Print one frame (after the scrapes that rates need) and exit; with -o json, every panel;"
                    + " with -o junit, a test case per panel")
    boolean once;

    @Option(names = "--fail-on-alert", order = 7, arity = "0..1", split = ",", paramLabel = "PANEL",
            fallbackValue = ALL_PANELS, completionCandidates = Panels.class,
            description = "With --once: exit 1 when a panel is beyond its alert threshold (a <failure> in -o junit);"
                    + " =PANEL,... only those panels: ${COMPLETION-CANDIDATES}")
    List<String> failOnAlert;

    private static final String ALL_PANELS = "all";

    /**
     * The JSON keys of the panels that have an alert threshold, for --fail-on-alert's help, completion and check:
     * read from the thresholds themselves, so that a gate on a panel that can never be beyond one is refused.
     */
    static final class Panels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return java.util.Arrays.stream(PanelId.values()).filter(p -> io.exlm.mon.panel.Thresholds.of(p) != null)
                    .map(PanelId::key).iterator();
        }
    }

    @Option(names = "--ascii", order = 8, description = "Draw with ASCII only, for terminals without Unicode")
    boolean ascii;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Context ctx = ExlmMon.context(spec);
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.junit);
        if (ctx.format() != OutputFormat.text && !once) {
            throw ExitException.usage("-o " + ctx.format() + " needs --once: the live dashboard is for a terminal");
        }
        if (failOnAlert != null && !once) {
            throw ExitException.usage("--fail-on-alert needs --once");
        }
        gated(); // an unknown panel is a usage error before anything runs
        if (interval.toMillis() < 250) {
            throw ExitException.usage("--interval must be at least 250ms");
        }
        if (!source.equals("scrape") && !source.equals("prometheus")) {
            throw ExitException.usage("--source must be scrape or prometheus, not '" + source + "'");
        }
        if (demo && source.equals("prometheus")) {
            throw ExitException.usage("--demo watches the embedded backend by scraping it; drop --source prometheus");
        }
        DemoServer demoServer = demo ? DemoServer.start(DemoServer.Config.defaults().withPort(0)
                .withScenario(HealthCommand.scenario(scenario))) : null;
        try {
            Feed feed = feed(ctx, demoServer);
            DashboardState state = new DashboardState(feed.describe(), interval.toMillis());
            Poller poller = new Poller(feed, state);
            if (once) {
                return once(ctx, state, poller);
            }
            boolean interactive = ctx.terminal() && !"dumb".equals(ctx.env().getOrDefault("TERM", "dumb"));
            if (!interactive) {
                return batch(ctx, state, poller);
            }
            // box drawing as the Unicode characters themselves: jline would otherwise switch to the terminal's
            // alternate character set, which some terminals and every screen capture show as letters
            System.setProperty("org.jline.utils.disableAlternateCharset", "true");
            FrameRenderer renderer = new FrameRenderer(ctx.color(), !ascii);
            try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                new TerminalLoop(terminal, state, renderer, poller, handOver(ctx)).run();
            }
            return ExitCode.OK;
        } finally {
            if (demoServer != null) {
                demoServer.close();
            }
        }
    }

    /**
     * The launchers (./exlm-mon, bin/exlm-mon) run the dashboard with -Xrs under a shell that restores the terminal
     * when the JVM dies of a signal; this file is where top leaves that shell the bytes that restore it.
     */
    static final String RESTORE_FILE_ENV = "EXLM_MON_RESTORE_FILE";

    private static java.nio.file.Path handOver(Context ctx) {
        String file = ctx.env().get(RESTORE_FILE_ENV);
        return file == null || file.isEmpty() ? null : java.nio.file.Path.of(file);
    }

    private Feed feed(Context ctx, DemoServer demoServer) {
        if (source.equals("prometheus")) {
            PrometheusClient client = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
            return new PrometheusFeed(new PrometheusSource(client, ctx.combination()), ctx.prometheusUrl(),
                    window);
        }
        String backend = demoServer != null ? demoServer.url() : ctx.backendUrl();
        return new ScrapeFeed(new Scraper(ctx.http()), Scraper.metricsUrl(backend), ctx.combination());
    }

    /** One frame, after two polls a refresh apart when the source needs two for rates. */
    private int once(Context ctx, DashboardState state, Poller poller) throws InterruptedException {
        long start = System.nanoTime();
        if (demo) {
            // a demo backend that has just started has not served every kind of answer yet
            Thread.sleep(interval.toMillis());
        }
        boolean ok = poller.pollOnce();
        if (ok && source.equals("scrape")) {
            Thread.sleep(interval.toMillis());
            ok = poller.pollOnce();
        }
        DashboardModel model = state.model(System.currentTimeMillis());
        // what fails the run, decided once for the exit code and the JUnit report alike
        List<String> failing = alerts(model, gated());
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), json(model));
        } else if (ctx.format() == OutputFormat.junit) {
            TopJUnit.write(ctx.out(), model, ok, failing, (System.nanoTime() - start) / 1e9);
        } else {
            int[] size = size(ctx);
            print(ctx, new FrameRenderer(ctx.color(), !ascii).render(model, size[0], size[1]));
        }
        if (!ok) {
            throw new ExitException(poller.failureCode(), model.header().message());
        }
        if (!failing.isEmpty()) {
            ctx.err().println("exlm-mon: beyond the alert threshold: " + String.join(", ", failing));
            return ExitCode.UNHEALTHY;
        }
        return ExitCode.OK;
    }

    /** Not a terminal: plain frames, one per refresh, until stopped. */
    private int batch(Context ctx, DashboardState state, Poller poller) throws InterruptedException {
        int[] size = size(ctx);
        FrameRenderer renderer = new FrameRenderer(false, !ascii);
        while (!Thread.currentThread().isInterrupted()) {
            poller.pollOnce();
            print(ctx, renderer.render(state.model(System.currentTimeMillis()), size[0], size[1]));
            ctx.out().println();
            ctx.out().flush();
            Thread.sleep(state.intervalMillis());
        }
        return ExitCode.OK;
    }

    private static void print(Context ctx, List<AttributedString> lines) {
        boolean ansi = ctx.terminal() && ctx.color();
        for (AttributedString line : lines) {
            ctx.out().println(ansi ? line.toAnsi() : line.toString());
        }
        ctx.out().flush();
    }

    /** The frame size off a terminal: COLUMNS and LINES when set, else 120x40. */
    private static int[] size(Context ctx) {
        return new int[] {number(ctx.env().get("COLUMNS"), 120), number(ctx.env().get("LINES"), 40)};
    }

    private static int number(String s, int fallback) {
        try {
            return s == null ? fallback : Math.max(1, Integer.parseInt(s.strip()));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static List<String> alerts(DashboardModel model) {
        return alerts(model, java.util.EnumSet.allOf(PanelId.class));
    }

    /** The panels of {@code gated} beyond their alert threshold, by their JSON keys. */
    static List<String> alerts(DashboardModel model, java.util.Set<PanelId> gated) {
        List<String> out = new ArrayList<>();
        for (PanelId id : PanelId.values()) {
            if (gated.contains(id) && model.panel(id).level() == Level.ALERT) {
                out.add(id.key());
            }
        }
        return out;
    }

    /** The panels --fail-on-alert gates on: none without it, all with it alone, else those it names. */
    private java.util.Set<PanelId> gated() {
        java.util.Set<PanelId> out = java.util.EnumSet.noneOf(PanelId.class);
        if (failOnAlert == null) {
            return out;
        }
        for (String word : failOnAlert) {
            String w = word.strip();
            if (w.equals(ALL_PANELS)) {
                out.addAll(java.util.EnumSet.allOf(PanelId.class));
                continue;
            }
            PanelId id = java.util.Arrays.stream(PanelId.values()).filter(p -> p.key().equals(w)
                    && io.exlm.mon.panel.Thresholds.of(p) != null).findFirst()
                    .orElseThrow(() -> ExitException.usage("--fail-on-alert: no panel '" + io.exlm.mon.Text
                            .printable(w) + "'; the panels with an alert threshold are " + String.join(", ",
                            new Panels())));
            out.add(id);
        }
        return out;
    }

    static Map<String, Object> json(DashboardModel model) {
        Map<String, Object> doc = new LinkedHashMap<>();
        DashboardModel.Header h = model.header();
        doc.put("source", h.source());
        doc.put("status", h.status().name().toLowerCase(Locale.ROOT));
        doc.put("error", h.message());
        doc.put("interval_seconds", h.intervalMillis() / 1000.0);
        Map<String, Object> panels = new LinkedHashMap<>();
        for (PanelId id : PanelId.values()) {
            PanelState p = model.panel(id);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("title", id.title());
            m.put("group", id.group().title());
            m.put("available", p.available());
            m.put("level", p.level().name().toLowerCase(Locale.ROOT));
            List<Map<String, Object>> figures = new ArrayList<>();
            for (PanelState.Figure f : p.figures()) {
                figures.add(figure(f.label(), f.value(), f.unit()));
            }
            m.put("figures", figures);
            List<Map<String, Object>> bars = new ArrayList<>();
            for (PanelState.Bar b : p.bars()) {
                bars.add(figure(b.label(), b.value(), b.unit()));
            }
            m.put("bars", bars);
            m.put("reason", p.unavailable());
            panels.put(id.key(), m);
        }
        doc.put("panels", panels);
        doc.put("alerts", alerts(model));
        return doc;
    }

    private static Map<String, Object> figure(String label, double value, PanelState.Unit unit) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("label", label);
        f.put("value", Double.isFinite(value) ? value : null);
        f.put("unit", unit.name().toLowerCase(Locale.ROOT));
        return f;
    }
}
