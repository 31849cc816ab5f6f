package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.doctor.DoctorEnv;
import io.exlm.mon.doctor.DoctorJson;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code doctor} writes: {@link DoctorText}'s checklist, {@link DoctorJson}'s document, or JUnit. */
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

    /** The report in the format asked; with {@code problemsOnly} ({@code --problems}), of its problems only. */
    static void render(Context ctx, DoctorEnv env, DoctorReport report, boolean problemsOnly) {
        DoctorJson.Endpoints urls = DoctorJson.Endpoints.of(env);
        List<CheckResult> shown = problemsOnly ? report.problems() : report.results();
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), DoctorJson.of(report, urls, shown));
            case junit -> junit(ctx, report, shown);
            default -> {
                DoctorText.lines(urls, report, new DoctorText.Options(ctx.width(), ctx.verbose(), problemsOnly,
                        ctx.ansi())).forEach(ctx.out()::println);
                ctx.out().flush();
            }
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

    private static void junit(Context ctx, DoctorReport report, List<CheckResult> shown) {
        List<JUnitXml.Case> cases = new ArrayList<>();
        Map<String, String> causes = report.causes();
        Map<String, CheckResult> byId = new java.util.HashMap<>();
        report.results().forEach(r -> byId.put(r.id(), r));
        for (CheckResult r : shown) {
            // a verdict that follows from another's says so, and what that one found
            CheckResult root = causes.containsKey(r.id()) ? byId.get(causes.get(r.id())) : null;
            String cause = root == null ? "" : " (caused by " + root.id() + ": " + root.summary() + ")";
            StringBuilder outText = new StringBuilder(r.title()).append(": ").append(r.status().words()).append(": ")
                    .append(r.summary());
            for (String d : r.details()) {
                outText.append('\n').append(d);
            }
            if (r.remediation() != null && r.status() != Status.OK) {
                outText.append("\nfix: ").append(r.remediation());
            }
            String failure = report.fails(r) ? r.summary() + cause : null;
            String skipped = r.status() == Status.SKIP ? r.summary() + (root == null
                    || root.id().equals(r.skippedBecause()) ? "" : cause)
                    : r.status() == Status.WARMING ? "warming up: " + r.summary() : null;
            cases.add(new JUnitXml.Case("exlm-mon.doctor." + r.group(), r.id(), r.millis() / 1000.0, failure,
                    r.status().label(), skipped, outText.toString()));
        }
        JUnitXml.write(ctx.out(), "exlm-mon doctor", report.elapsedMillis() / 1000.0, cases);
    }
}
