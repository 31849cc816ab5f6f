package io.exlm.mon.cli;

import io.exlm.mon.config.Durations;
import io.exlm.mon.health.CheckResult;
import io.exlm.mon.health.CheckTrace;
import io.exlm.mon.health.Dependency;
import io.exlm.mon.health.HealthJson;
import io.exlm.mon.health.HealthReport;
import io.exlm.mon.health.HealthStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What {@code health} writes: the table and verdict, {@link HealthJson}'s document, or JUnit; progress on stderr. */
final class HealthOutput {
    private HealthOutput() {
    }

    /** One line on stderr per poll of --wait that did not yet pass (text only). */
    static void progress(Context ctx, HealthReport r, Duration wait) {
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

    static void render(Context ctx, HealthReport report) {
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), HealthJson.of(report));
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

    private static void text(Context ctx, HealthReport report) {
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
