package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.GrafanaPassword;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.stack.Readiness;
import io.exlm.mon.stack.StateDir;
import java.util.List;

/**
 * The documents of {@code up}, {@code down} and {@code status} with {@code -o json}, the contracts the README states
 * (fields in record order, snake_case, nulls included), and the table of parts they print as text.
 */
final class StackOutput {
    private StackOutput() {
    }

    /**
     * One part of the stack: its state (one of {@link Vocabulary}'s status states), whether it runs, its pid, where
     * it listens, its health (its ready endpoint's answer, null when not asked), version, detail and log file.
     */
    record Part(String name, String state, boolean running, Long pid, String url, String health, String version,
            String detail, String log) {
    }

    /** {@code status -o json}: healthy when every part that can run here runs and is ready. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Status(String runtime, String topology, String stateDir, boolean healthy, long running, int expected, List<Part> parts) {
    }

    /** {@code down -o json}: how many parts were stopped, and whether the data was deleted. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Down(String runtime, String topology, String stateDir, long stopped, boolean purged, List<Part> parts) {
    }

    /**
     * {@code up -o json}: the parts by what up did; {@code ready}, {@code data_flowing} and {@code wait_ms} null
     * without --wait; {@code grafana_password_file} where Grafana runs with a generated password, null otherwise;
     * {@code remote_write} the URLs Prometheus also sends its samples to (empty for none).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Up(String runtime, String topology, String stateDir, List<String> started, List<String> alreadyRunning,
            List<String> skipped, Boolean ready, Boolean dataFlowing, Long waitMs, String grafanaPasswordFile,
            List<String> remoteWrite, List<Part> parts) {
    }

    /** What up did, as text or {@link Up}. */
    static void up(Context ctx, String runtime, String topology, StateDir state, List<PartReport> parts,
            Readiness.Outcome outcome, Readiness.DataFlow flow, GrafanaPassword password, List<String> remoteWrite) {
        List<String> started = names(parts, PartReport.STARTED);
        List<String> running = names(parts, PartReport.RUNNING);
        List<String> skipped = names(parts, PartReport.SKIPPED);
        boolean grafanaUp = parts.stream().anyMatch(p -> p.component() == Component.GRAFANA && p.up());
        String passwordFile = grafanaUp && password.generatedFile() != null ? password.generatedFile().toString() : null;
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), new Up(runtime, topology, state.root().toString(), started, running, skipped,
                    outcome == null ? null : outcome.allReady(), flow == null ? null : flow.flowing(),
                    outcome == null ? null : outcome.elapsedMillis() + (flow == null ? 0 : flow.elapsedMillis()),
                    passwordFile, remoteWrite, parts(parts)));
            return;
        }
        table(ctx, parts, outcome != null);
        ctx.out().println();
        ctx.out().println("stack up (" + runtime + (topology.equals("single") ? "" : ", " + topology) + "): " + started.size() + " started, " + running.size()
                + " already running, " + skipped.size() + " skipped" + (outcome == null ? ""
                        : outcome.allReady() ? "; all ready in " + StackSupport.elapsed(outcome.elapsedMillis())
                                : "; NOT all ready") + (flow == null ? "" : flow.flowing() ? ", data flowing in "
                                + StackSupport.elapsed(outcome.elapsedMillis() + flow.elapsedMillis())
                                : ", data NOT flowing") + "; state in " + state.root());
        if (!remoteWrite.isEmpty()) {
            ctx.out().println("remote write: " + String.join(", ", remoteWrite) + " (exlm-mon doctor --check prometheus.remote-write says whether it keeps up)");
        }
        if (passwordFile != null) {
            ctx.out().println("Grafana admin password: generated, in " + passwordFile
                    + " (set EXLM_GRAFANA_PASSWORD to choose one)");
        }
        ctx.out().flush();
    }

    private static List<String> names(List<PartReport> parts, String state) {
        return parts.stream().filter(p -> p.state().equals(state)).map(PartReport::name).toList();
    }

    /** What status found, as {@code doc} or as the table and a verdict. */
    static void status(Context ctx, Status doc, List<PartReport> parts) {
        Ansi a = ctx.ansi();
        write(ctx, doc, parts, true, (doc.healthy() ? a.green("stack healthy") : doc.running() == 0
                ? a.red("stack not running") + " (exlm-mon up starts it)" : a.red("stack degraded")) + " ("
                + doc.runtime() + (doc.topology().equals("single") ? "" : ", " + doc.topology()) + "): "
                + doc.running() + " of " + doc.expected() + " parts running; state in "
                + doc.stateDir());
    }

    /** What down did, as {@code doc} or as the table and a line. */
    static void down(Context ctx, Down doc, List<PartReport> parts) {
        write(ctx, doc, parts, false, "stack down (" + doc.runtime()
                + (doc.topology().equals("single") ? "" : ", " + doc.topology()) + "): " + doc.stopped() + " stopped; "
                + (doc.purged() ? "data, logs and generated files deleted" : "data kept in " + doc.stateDir()
                        + " (--purge deletes it)"));
    }

    /** {@code doc} with -o json, else the parts' table and {@code verdict} below it. */
    private static void write(Context ctx, Object doc, List<PartReport> parts, boolean withHealth, String verdict) {
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), doc);
            return;
        }
        table(ctx, parts, withHealth);
        ctx.out().println();
        ctx.out().println(verdict);
        ctx.out().flush();
    }

    static List<Part> parts(List<PartReport> parts) {
        return parts.stream().map(p -> new Part(p.name(), p.state(), p.up(), p.pid(), p.url(), p.health(),
                p.version(), p.detail(), p.log())).toList();
    }

    static void table(Context ctx, List<PartReport> parts, boolean withHealth) {
        Ansi a = ctx.ansi();
        Table t = withHealth ? new Table("PART", "STATE", "PID", "URL", "HEALTH", "VERSION", "DETAIL")
                : new Table("PART", "STATE", "PID", "URL", "VERSION", "DETAIL");
        for (PartReport p : parts) {
            String pid = p.pid() == null ? "-" : String.valueOf(p.pid());
            String version = p.version() == null ? "-" : p.version();
            String detail = p.detail() == null ? "" : p.detail();
            String state = colour(a, p.state());
            if (withHealth) {
                String h = p.health() == null ? "-" : p.health().equals("ok") ? a.green(p.health()) : a.red(p.health());
                t.row(p.name(), state, pid, p.url(), h, version, detail);
            } else {
                t.row(p.name(), state, pid, p.url(), version, detail);
            }
        }
        t.lines().forEach(ctx.out()::println);
    }

    private static String colour(Ansi a, String state) {
        return switch (state) {
            case PartReport.STARTED, PartReport.RUNNING, PartReport.STOPPED -> a.green(state);
            case PartReport.SKIPPED, PartReport.EXTERNAL, PartReport.NOT_RUNNING -> a.yellow(state);
            default -> a.red(state);
        };
    }
}
