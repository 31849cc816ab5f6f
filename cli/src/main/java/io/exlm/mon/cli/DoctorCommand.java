package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.doctor.Doctor;
import io.exlm.mon.doctor.DoctorEnv;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.Facts;
import io.exlm.mon.doctor.OshiHost;
import io.exlm.mon.doctor.Status;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.GrafanaPassword;
import io.exlm.mon.stack.LocalRuntime;
import io.exlm.mon.stack.StateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import io.exlm.mon.push.CheckOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor",
        sortOptions = false,
        description = {"The monitoring guide's troubleshooting checklist, run as diagnostics: Prometheus (running,"
            + " targets UP with each scrape error explained, configuration, scrape interval, the five alerts,"
            + " Alertmanager, retention), the backend (live, ready, /metrics, the catalog), its dependencies as"
            + " their exporters see them (PostgreSQL, Redis), each dashboard row's"
            + " \"no data\" traced from the backend to the panel, Grafana (datasource, dashboards, passwords) and this"
            + " host (memory, disk, CPU).",
            "Checks run concurrently; a check whose prerequisite failed is skipped and says which. Each finding"
                + " comes with what to do."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon doctor",
            "  exlm-mon doctor --check prometheus --check backend.ready",
            "  exlm-mon doctor -o junit > doctor.xml      # a test case per check, for CI",
            "  exlm-mon doctor --wait 2m -o junit > doctor.xml   # right after exlm-mon up",
            "  exlm-mon doctor --list-checks",
            "",
            "A young stack is not a broken one: data that cannot exist yet (a target not",
            "scraped yet, a rate with one sample, a rule not evaluated yet) is 'warming up',",
            "with the time it will exist, and fails nothing; --wait waits for it.",
            "",
            "Exit: 0 nothing failed (warnings allowed unless --strict), 1 something failed,",
            "      3 nothing could be reached at all, 4 a check crashed (a bug)."})
public final class DoctorCommand implements Callable<Integer> {
    private static final Duration GUIDE_SCRAPE_INTERVAL = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    @Option(names = "--check", paramLabel = "ID", split = ",", order = 1,
            description = "Run this check or group (prometheus, alertmanager, backend, dependencies, nodata, grafana,"
                    + " host) and what it needs; repeatable, or comma-separated (default: all)")
    List<String> checks = new ArrayList<>();

    @Option(names = "--list-checks", order = 2, description = "List the checks (id, prerequisites, title) and exit")
    boolean listChecks;

    @Option(names = "--strict", order = 3, description = "Warnings fail the run (exit 1), as failures do")
    boolean strict;

    @Option(names = "--check-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5s", order = 4,
            description = "Deadline of each check; one that takes longer fails as timed out (default: ${DEFAULT-VALUE})")
    Duration checkTimeout;

    @Option(names = "--jobs", paramLabel = "N", defaultValue = "0", order = 5,
            description = "Checks run at once; 0 (default) runs every check as soon as its prerequisites are done,"
                    + " 1 runs them one by one")
    int jobs;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class, order = 6,
            description = "On a young stack, run the checks again until none is warming up (the data exists), one"
                    + " fails, or DURATION has passed; the last run is the report")
    Duration wait;

    @Option(names = "--expect-scrape-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            order = 7, description = "The scrape interval Prometheus should use (default: stack.scrape-interval"
                    + " when set, else the guide's 15s)")
    Duration expectScrapeInterval;

    @Mixin
    PushOptions push = new PushOptions();

    @Override
    public Integer call() {
        Context ctx = ExlmMon.context(spec);
        push.validate();
        if (listChecks) {
            ctx.requireFormat(OutputFormat.text, OutputFormat.json);
            return list(ctx);
        }
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.junit);
        if (checkTimeout.isZero() || checkTimeout.isNegative()) {
            throw ExitException.usage("--check-timeout must be positive");
        }
        if (wait != null && (wait.isZero() || wait.isNegative())) {
            throw ExitException.usage("--wait must be positive");
        }
        if (jobs < 0) {
            throw ExitException.usage("--jobs must be 0 (no limit) or more");
        }
        List<Check> selected;
        try {
            selected = Doctor.select(Checks.all(), checks.stream().map(String::strip).toList());
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--check: " + e.getMessage());
        }
        HttpOptions o = ctx.httpOptions();
        try (HttpLayer http = ctx.newHttp(o.timeout().compareTo(checkTimeout) > 0 ? o.withTimeout(checkTimeout) : o)) {
            DoctorEnv env = env(ctx, http);
            DoctorReport report = runSettled(ctx, selected, env);
            render(ctx, env, report);
            // a skipped check has no verdict to push
            List<CheckOutcome> outcomes = new ArrayList<>();
            for (CheckResult r : report.results()) {
                if (r.status() != Status.SKIP) {
                    outcomes.add(new CheckOutcome(r.id(), !report.fails(r), r.millis() / 1000.0));
                }
            }
            push.push(ctx, "doctor", outcomes, report.exitCode());
            return report.exitCode();
        }
    }

    /**
     * One run; with --wait, runs again while checks are warming up and nothing failed, each time at the earliest
     * time a warming-up check expects its data (at least a second later), until the deadline.
     */
    private DoctorReport runSettled(Context ctx, List<Check> selected, DoctorEnv env) {
        Doctor.Options options = new Doctor.Options(checkTimeout, jobs);
        DoctorReport report = Doctor.run(selected, env, options, strict);
        if (wait == null) {
            return report;
        }
        java.time.Instant deadline = env.clock().instant().plus(wait);
        while (report.warmingUp() && report.exitCode() == ExitCode.OK) {
            java.time.Instant now = env.clock().instant();
            if (!now.isBefore(deadline)) {
                ctx.err().println("exlm-mon: doctor: still warming up after --wait " + Durations.format(wait)
                        + "; the missing data is expected by " + io.exlm.mon.doctor.Warmup.clock(report.settledBy()));
                ctx.err().flush();
                return report;
            }
            java.time.Instant next = null;
            for (CheckResult r : report.results()) {
                if (r.expectedAt() != null && (next == null || r.expectedAt().isBefore(next))) {
                    next = r.expectedAt();
                }
            }
            java.time.Instant at = next == null || next.isBefore(now.plusSeconds(1)) ? now.plusSeconds(1) : next;
            if (at.isAfter(deadline)) {
                at = deadline;
            }
            if (ctx.verbose()) {
                ctx.err().println("exlm-mon: doctor: " + report.counts().get(Status.WARMING) + " checks warming up;"
                        + " again at " + io.exlm.mon.doctor.Warmup.clock(at));
                ctx.err().flush();
            }
            try {
                Thread.sleep(Math.max(1, Duration.between(now, at).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
            env = env.again();
            report = Doctor.run(selected, env, options, strict);
        }
        return report;
    }

    private DoctorEnv env(Context ctx, HttpLayer http) {
        Settings s = ctx.settings();
        Duration expected;
        String expectedFrom;
        if (expectScrapeInterval != null) {
            expected = expectScrapeInterval;
            expectedFrom = "--expect-scrape-interval";
        } else if (s.text(Setting.STACK_SCRAPE_INTERVAL) != null && !s.text(Setting.STACK_SCRAPE_INTERVAL).isBlank()) {
            expected = s.duration(Setting.STACK_SCRAPE_INTERVAL);
            expectedFrom = "stack.scrape-interval from " + s.source(Setting.STACK_SCRAPE_INTERVAL);
        } else {
            expected = GUIDE_SCRAPE_INTERVAL;
            expectedFrom = "the guide's interval";
        }
        StateDir state = StateDir.resolve(s.path(Setting.STACK_STATE_DIR), ctx.env());
        String user = s.text(Setting.GRAFANA_USER);
        user = user == null || user.isBlank() ? "admin" : user.strip();
        Path generated = state.grafanaPasswordFile();
        String source;
        if (ctx.env().get(Setting.ENV_GRAFANA_PASSWORD) != null && !ctx.env().get(Setting.ENV_GRAFANA_PASSWORD)
                .isEmpty()) {
            source = Setting.ENV_GRAFANA_PASSWORD;
        } else if (s.text(Setting.GRAFANA_PASSWORD_FILE) != null) {
            source = "grafana.password-file (" + s.source(Setting.GRAFANA_PASSWORD_FILE) + ")";
        } else if (Files.isRegularFile(generated)) {
            source = "the password exlm-mon up generated (" + generated + ")";
        } else {
            source = null;
        }
        Supplier<String> password = () -> {
            String p = s.grafanaPassword();
            if (p == null) {
                try {
                    p = GrafanaPassword.readKept(generated);
                } catch (java.io.IOException e) {
                    throw ExitException.usage("cannot read Grafana's generated password in " + generated);
                }
            }
            return p;
        };
        return new DoctorEnv(http, ctx.prometheusUrl(), ctx.backendUrl(), ctx.alertmanagerUrl(), ctx.grafanaUrl(),
                expected, expectedFrom, new DoctorEnv.GrafanaSetup(user, password, source,
                        LocalRuntime.installed(Component.GRAFANA, ctx.env())),
                LocalRuntime.onPath("promtool", ctx.env()), state.root(), state.runtime(), new OshiHost(),
                new Facts());
    }

    private static Map<String, String> endpoints(DoctorEnv env) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("prometheus", env.prometheusUrl());
        m.put("backend", env.backendUrl());
        m.put("alertmanager", env.alertmanagerUrl());
        m.put("grafana", env.grafanaUrl());
        return m;
    }

    private int list(Context ctx) {
        List<Check> all = Checks.all();
        if (ctx.format() == OutputFormat.json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Check c : all) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", c.id());
                m.put("group", c.group());
                m.put("title", c.title());
                m.put("requires", c.requires());
                list.add(m);
            }
            Json.write(ctx.out(), Map.of("checks", list));
            return ExitCode.OK;
        }
        Table t = new Table("ID", "NEEDS", "TITLE");
        for (Check c : all) {
            t.row(c.id(), c.requires().isEmpty() ? "-" : String.join(",", c.requires()), c.title());
        }
        t.lines().forEach(ctx.out()::println);
        ctx.out().flush();
        return ExitCode.OK;
    }

    private void render(Context ctx, DoctorEnv env, DoctorReport report) {
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), report.toMap(endpoints(env)));
            case junit -> junit(ctx, report);
            default -> text(ctx, env, report);
        }
        if (report.exitCode() == ExitCode.UNREACHABLE) {
            Map<String, String> names = Map.of("prometheus", "Prometheus", "backend", "backend", "alertmanager",
                    "Alertmanager", "grafana", "Grafana");
            Map<String, String> urls = endpoints(env);
            java.util.Set<String> tried = new java.util.LinkedHashSet<>();
            for (CheckResult r : report.results()) {
                if (r.reach() == io.exlm.mon.doctor.Reach.UNREACHABLE && urls.containsKey(r.group())) {
                    tried.add(names.get(r.group()) + " " + urls.get(r.group()));
                }
            }
            ctx.err().println("exlm-mon: nothing could be reached: " + String.join(", ", tried) + "; is the stack up"
                    + " (exlm-mon status), and are the URLs right?");
            ctx.err().flush();
        }
    }

    static final Map<String, String> GROUP_TITLES = Map.of("prometheus", "Prometheus", "alertmanager",
            "Alertmanager", "backend", "Backend", "dependencies", "The backend's dependencies, as their exporters see"
                    + " them", "nodata", "No data: each dashboard row, backend to panel", "grafana", "Grafana", "host",
            "This host");

    private static void text(Context ctx, DoctorEnv env, DoctorReport report) {
        Ansi a = ctx.ansi();
        java.io.PrintWriter out = ctx.out();
        out.println(a.bold("exlm-mon doctor") + "  Prometheus " + env.prometheusUrl() + ", backend "
                + env.backendUrl() + ", Alertmanager " + env.alertmanagerUrl() + ", Grafana " + env.grafanaUrl());
        int width = 0;
        for (CheckResult r : report.results()) {
            width = Math.max(width, r.id().length());
        }
        String group = null;
        String indent = " ".repeat(9);
        for (CheckResult r : report.results()) {
            if (!r.group().equals(group)) {
                group = r.group();
                out.println();
                out.println(a.bold(GROUP_TITLES.getOrDefault(group, group)));
            }
            out.println("  " + mark(a, r.status(), report.strict()) + " " + r.id() + " ".repeat(width - r.id().length())
                    + "  " + r.title() + ": " + (r.status() == Status.SKIP ? "skipped, " : r.status() == Status.WARMING
                    ? "warming up, " : "") + r.summary());
            for (String d : r.details()) {
                out.println(indent + d);
            }
            if (r.remediation() != null && r.status() != Status.OK && r.status() != Status.WARMING) {
                boolean first = true;
                for (String line : r.remediation().split("\n")) {
                    out.println(indent + (first ? a.bold("fix: ") : "     ") + line);
                    first = false;
                }
            }
            if (ctx.verbose() && !r.figures().isEmpty()) {
                out.println(indent + a.dim("figures: " + r.figures() + " (" + r.millis() + " ms)"));
            }
        }
        out.println();
        Map<Status, Integer> n = report.counts();
        String verdict = report.exitCode() == ExitCode.OK && report.warmingUp()
                ? a.green("passed") + ", warming up: the missing data is expected by "
                        + io.exlm.mon.doctor.Warmup.clock(report.settledBy()) + " (doctor --wait waits for it)"
                : report.exitCode() == ExitCode.OK ? a.green("passed")
                : report.exitCode() == ExitCode.UNREACHABLE ? a.red("nothing could be reached") : a.red("failed");
        out.println("summary: " + n.get(Status.OK) + " ok, " + (n.get(Status.WARMING) == 0 ? ""
                : n.get(Status.WARMING) + " warming up, ") + n.get(Status.WARN) + " warn, " + n.get(Status.FAIL)
                + " fail, " + n.get(Status.SKIP) + " skip (" + report.results().size() + " checks in "
                + Durations.format(Duration.ofMillis(report.elapsedMillis())) + (report.strict() ? ", strict" : "")
                + "): " + verdict);
        out.flush();
    }

    private static String mark(Ansi a, Status s, boolean strict) {
        return switch (s) {
            case OK -> a.green("[ ok ]");
            case WARN -> strict ? a.red("[WARN]") : a.yellow("[WARN]");
            case FAIL -> a.red("[FAIL]");
            case SKIP -> a.dim("[skip]");
            case WARMING -> a.yellow("[warm]");
        };
    }

    private static void junit(Context ctx, DoctorReport report) {
        List<JUnitXml.Case> cases = new ArrayList<>();
        for (CheckResult r : report.results()) {
            StringBuilder outText = new StringBuilder(r.title()).append(": ").append(r.status().words()).append(": ")
                    .append(r.summary());
            for (String d : r.details()) {
                outText.append('\n').append(d);
            }
            if (r.remediation() != null && r.status() != Status.OK) {
                outText.append("\nfix: ").append(r.remediation());
            }
            String failure = report.fails(r) ? r.summary() : null;
            String skipped = r.status() == Status.SKIP ? r.summary()
                    : r.status() == Status.WARMING ? "warming up: " + r.summary() : null;
            cases.add(new JUnitXml.Case("exlm-mon.doctor." + r.group(), r.id(), r.millis() / 1000.0, failure,
                    r.status().label(), skipped, outText.toString()));
        }
        JUnitXml.write(ctx.out(), "exlm-mon doctor", report.elapsedMillis() / 1000.0, cases);
    }
}
