package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code alerts --explain} and {@code explain} on the real local stack (1 s intervals, the rule files as shipped):
 * with the demo's overload scenario on the young stack, HighCPUUsage's explanation gives the node exporter's CPU
 * shares by mode and says that their window is not yet full; with the errors scenario, HighErrorRate's explanation
 * names the failing handlers and the error types within one screen, with its runbook, and once the backend is
 * stopped leads with its target that is down; then, with the redis exporter killed, ServiceDown's explanation names
 * the exporter's target, its scrape error, and that its process is not running. One stack for all. Everything started
 * here is stopped by {@link LocalStack#close()}, also on failure.
 */
class ExplainStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** The alerts of this name that are pending or firing, from Prometheus. */
    private static List<JsonNode> active(String prometheus, String alert, String job) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : LocalStack.getJson(prometheus + "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals(alert) && a.path("labels").path("job").asText()
                    .equals(job)) {
                out.add(a);
            }
        }
        return out;
    }

    /** The health of the backend's target at {@code instance} in a /api/v1/targets answer ("" when absent). */
    private static String backendHealth(JsonNode targets, String instance) {
        for (JsonNode t : targets.path("data").path("activeTargets")) {
            if (t.path("labels").path("job").asText().equals("exlm-backend")
                    && t.path("labels").path("instance").asText().equals(instance)) {
                return t.path("health").asText();
            }
        }
        return "";
    }

    /** The lines of one alert's block in the text of alerts --explain (blocks are separated by a blank line). */
    private static List<String> block(String text, String alert) {
        return block(text, alert, "");
    }

    /** The same, of the first block of that alert that has {@code containing} in it. */
    private static List<String> block(String text, String alert, String containing) {
        for (String b : text.split("\n\n")) {
            if (b.startsWith(alert + " ") && b.contains(containing)) {
                return b.lines().toList();
            }
        }
        throw new AssertionError("no explanation of " + alert + " in:\n" + text);
    }

    @Test
    void errorsAreExplainedByHandlerAndTypeAndAKilledExporterByItsProcess() throws Exception {
        try (LocalStack stack = LocalStack.up(tmp, "1s")) {
            String prometheus = stack.prometheus();
            String node = "127.0.0.1:" + stack.ports().get("node-exporter");

            // 0. the overload scenario on a young stack: the demo makes up a CPU use above 80 %, so HighCPUUsage is
            // pending (its for: is 5 minutes), while the node exporter reads this host's real CPU time over a 5m
            // window that is not full yet: its modes' shares, and a note that says so
            stack.stopDemo();
            stack.startDemo("overload");
            // a busy host's real CPU may have made it pending before the overload, and the restart of the demo
            // (its target down in between) resolve it: asked until one is active, within a deadline
            Cli.Result cpu = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (System.nanoTime() < deadline) {
                cpu = stack.exlm(Duration.ofSeconds(60), "explain", "HighCPUUsage", "--no-color");
                if (cpu.exitCode() != 0 || cpu.out().startsWith("HighCPUUsage (")) {
                    break;
                }
                Thread.sleep(500);
            }
            assertThat(cpu.exitCode()).as(cpu.toString()).isZero();
            assertThat(cpu.out()).as("HighCPUUsage pending or firing within 90s").startsWith("HighCPUUsage (");
            System.out.println("--- exlm-mon explain HighCPUUsage (overload scenario, a young stack)\n" + cpu.out());
            List<String> cpuScreen = block(cpu.out(), "HighCPUUsage");
            assertThat(cpuScreen.size()).as(cpu.out()).isLessThanOrEqualTo(24);
            assertThat(cpuScreen).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
            String cpuText = String.join("\n", cpuScreen);
            assertThat(cpuText).as(cpu.out()).containsPattern("  CPU by mode \\(node exporter\\):\n    "
                    + java.util.regex.Pattern.quote(node)
                    + ": (user|system|nice|iowait|softirq|irq|steal) \\d+\\.\\d %")
                    .contains("the 5m window is not yet full: it holds only ").doesNotContain("unknown: ");
            // the alert reads the demo's made-up figure; the node exporter and doctor read this host's real one, and
            // say where they read it against the alert's 80 %, naming the alert's instance (the same host here)
            String backendInstance = java.net.URI.create(stack.demoUrl()).getAuthority();
            assertThat(cpuText.replaceAll("\n +", " ")).containsPattern("busy \\d+\\.\\d %: (above|below) 80 %"
                    + " over the last 5m on " + java.util.regex.Pattern.quote(node + ", the alert's host (" + backendInstance + ")"))
                    .containsPattern("\\bdoctor host\\.cpu: (\\w+, )?(above 80 %|below 80 % now) on this machine, the"
                            + " alert's host \\(" + java.util.regex.Pattern.quote(backendInstance) + "\\)")
                    .doesNotContain("host.cpu: ok");

            stack.stopDemo();
            stack.startDemo("errors");

            // 1. the errors scenario: HighErrorRate pending (its for: is 5 minutes), explained
            LocalStack.awaitJson(Duration.ofSeconds(90), "HighErrorRate pending or firing",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> !active(prometheus, "HighErrorRate", "exlm-backend").isEmpty());
            Cli.Result r = stack.exlm(Duration.ofSeconds(60), "alerts", "--explain", "--no-color");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            System.out.println("--- exlm-mon alerts --explain (errors scenario)\n" + r.out());
            List<String> screen = block(r.out(), "HighErrorRate");
            assertThat(screen.size()).as(r.out()).isLessThanOrEqualTo(24);
            assertThat(screen).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
            String text = String.join("\n", screen);
            assertThat(text).as(r.out()).contains("by Prometheus's clock", "  5xx by handler and status:\n    /api/v1/",
                    "  errors by type:", "  instances (5xx share): 1 of 1: ", "  doctor backend.ready: ",
                    "  runbook: docs/runbooks/HighErrorRate.md\n    1. ");
            // the 5xx's types (the demo's background jobs count external_api errors too, which may come first)
            assertThat(text).containsPattern("errors by type:([^\n]|\n {4})*?\\b(database|internal|timeout) ");
            assertThat(text).containsPattern("\n    /api/v1/\\S+ +50[04] ");
            assertThat(text).doesNotContain("unknown: ");

            JsonNode doc = JSON.readTree(stack.exlm(Duration.ofSeconds(60), "explain", "HighErrorRate", "-o", "json")
                    .out());
            JsonNode e = doc.path("alerts").get(0);
            assertThat(doc.path("clock").asText()).isEqualTo("prometheus");
            String backend = java.net.URI.create(stack.demoUrl()).getAuthority();
            assertThat(e.path("findings").get(0).path("probe").asText()).isEqualTo("job_targets");
            assertThat(e.path("findings").get(0).path("lines").get(0).asText()).isEqualTo("all 1 up: " + backend);
            assertThat(e.path("findings").get(1).path("lines").get(0).asText()).startsWith("/api/v1/");
            assertThat(e.path("findings").get(2).path("lines").get(0).asText()).containsPattern(
                    "\\b(database|internal|timeout) ");
            assertThat(e.path("runbook").path("url").asText()).endsWith("/docs/runbooks/HighErrorRate.md");

            // 1b. the backend stopped: its 5-minute rates still read the samples from before, so HighErrorRate
            // stays; its explanation leads with the target that is down, before any breakdown of the errors
            stack.stopDemo();
            LocalStack.awaitJson(Duration.ofSeconds(60), "the backend's target down",
                    () -> LocalStack.get(prometheus + "/api/v1/targets?state=active"),
                    d -> backendHealth(d, backend).equals("down"));
            Cli.Result stopped = stack.exlm(Duration.ofSeconds(60), "explain", "HighErrorRate", "--no-color");
            assertThat(stopped.exitCode()).as(stopped.toString()).isZero();
            System.out.println("--- exlm-mon explain HighErrorRate (backend stopped)\n" + stopped.out());
            List<String> lead = block(stopped.out(), "HighErrorRate");
            assertThat(lead.size()).as(stopped.out()).isLessThanOrEqualTo(24);
            int firstFinding = lead.indexOf("  the job's targets:");
            assertThat(firstFinding).as(stopped.out()).isPositive();
            assertThat(lead.get(firstFinding + 1)).isEqualTo("    " + backend + " DOWN: connection refused: nothing"
                    + " listens on " + backend);
            assertThat(String.join("\n", lead.subList(0, firstFinding))).doesNotContain("5xx by handler");
            assertThat(String.join("\n", lead)).contains("the figures below are from before it stopped (last 5m)");
            // back up for the rest: its ServiceDown goes with it
            stack.startDemo("errors");
            LocalStack.awaitJson(Duration.ofSeconds(60), "the backend's target up",
                    () -> LocalStack.get(prometheus + "/api/v1/targets?state=active"),
                    d -> backendHealth(d, backend).equals("up"));

            // 2. the redis exporter killed: ServiceDown of job redis, explained with its process
            long pid = stack.pid("redis-exporter");
            ProcessHandle exporter = ProcessHandle.of(pid).orElseThrow();
            exporter.destroy();
            exporter.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
            LocalStack.awaitJson(Duration.ofSeconds(60), "ServiceDown of the redis exporter",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> !active(prometheus, "ServiceDown", "redis").isEmpty());
            Cli.Result down = stack.exlm(Duration.ofSeconds(60), "explain", "ServiceDown", "--no-color");
            assertThat(down.exitCode()).as(down.toString()).isZero();
            System.out.println("--- exlm-mon explain ServiceDown (redis exporter killed)\n" + down.out());
            String redis = String.join("\n", block(down.out(), "ServiceDown", "job redis"));
            assertThat(redis).as(down.out()).contains("Redis is not watched: the redis exporter on 127.0.0.1:"
                    + stack.ports().get("redis-exporter") + " is down", "  the target and its scrape error:\n"
                    + "    job redis, instance 127.0.0.1:" + stack.ports().get("redis-exporter"),
                    "cause: connection refused", "  the process:\n    not running: the redis-exporter's pid " + pid
                            + " is gone", "  runbook: docs/runbooks/ServiceDown.md");
            // the stack was brought up with --runtime local: that is how to start the exporter again
            assertThat(redis.replaceAll("\n +", " ")).contains("fix: start the redis exporter: exlm-mon up --runtime"
                    + " local (it starts what does not run)", "exlm-mon up --runtime local starts it again")
                    .doesNotContain("docker compose");
        }
    }
}
