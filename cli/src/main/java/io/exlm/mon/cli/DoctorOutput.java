package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.config.Durations;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.doctor.DoctorEnv;
import io.exlm.mon.doctor.DoctorJson;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code doctor} writes: the checklist by group with a summary, {@link DoctorJson}'s document, or JUnit. */
final class DoctorOutput {
    private DoctorOutput() {
    }

    static int list(Context ctx) {
        List<Check> all = Checks.all();
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), DoctorJson.listing(all));
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

    static void render(Context ctx, DoctorEnv env, DoctorReport report) {
        DoctorJson.Endpoints urls = DoctorJson.Endpoints.of(env);
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), DoctorJson.of(report, urls));
            case junit -> junit(ctx, report);
            default -> text(ctx, env, report);
        }
        if (report.exitCode() == ExitCode.UNREACHABLE) {
            java.util.Set<String> tried = new java.util.LinkedHashSet<>();
            for (CheckResult r : report.results()) {
                if (r.reach() == io.exlm.mon.doctor.Reach.UNREACHABLE && urls.of(r.group()) != null) {
                    tried.add(GROUP_TITLES.getOrDefault(r.group(), r.group()) + " " + urls.of(r.group()));
                }
            }
            ctx.err().println("exlm-mon: nothing could be reached: " + String.join(", ", tried) + "; is the stack up"
                    + " (exlm-mon status), and are the URLs right?");
            ctx.err().flush();
        }
    }

    static final Map<String, String> GROUP_TITLES = Map.of("prometheus", "Prometheus", "alertmanager",
            "Alertmanager", "backend", "Backend", "dependencies", "The backend's dependencies, as their exporters see"
                    + " them", "nodata", "No data: each dashboard row, backend to panel", "history",
            "Over time (--since): flapping, slow scrapes, clocks, cardinality, disk", "grafana", "Grafana", "host",
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
                out.println(indent + a.dim("figures: " + Json.line(r.figures()) + " (" + r.millis() + " ms)"));
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
                + Durations.human(Duration.ofMillis(report.elapsedMillis())) + (report.strict() ? ", strict" : "")
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
