package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.LoopbackPrometheus;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One root cause, found by doctor against real processes: Debian's Prometheus on loopback scraping the demo backend
 * (a process of the packaged jar), which is then killed. Prometheus's target for it is DOWN, /live and /metrics are
 * refused, and the dashboard rows have no data: all of it follows from the backend not running. JSON names
 * backend.live as each one's caused_by, JUnit says so in the failures' messages, and the text lists them under
 * backend.live with its fix once, within 80 columns; --problems keeps only them and the summary.
 */
class DoctorRootCauseIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Until Prometheus's target of the backend has this health ("up", "down"), while Prometheus runs. */
    private static void awaitBackendTarget(String prometheus, String health, Process running) throws Exception {
        Polls.await(Duration.ofSeconds(60), () -> {
            try {
                for (JsonNode t : LocalStack.getJson(prometheus + "/api/v1/targets?state=active").path("data")
                        .path("activeTargets")) {
                    if (t.path("labels").path("job").asText().equals("exlm-backend")) {
                        return t.path("health").asText().equals(health);
                    }
                }
                return false;
            } catch (Exception e) {
                return false; // not answering yet
            }
        }, running, "prometheus");
    }

    @Test
    void everythingTheKilledBackendExplainsIsListedUnderIt() throws Exception {
        int port = Ports.free();
        int demoPort = Ports.free();
        String prometheus = "http://127.0.0.1:" + port;
        String backend = "http://127.0.0.1:" + demoPort;
        Launcher.Running demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(demoPort),
                "--ready-memory-threshold", "100", "--ready-disk-threshold", "100");
        Process p = null;
        try {
            demo.awaitLine("exlm demo backend on", Duration.ofSeconds(90));
            Map<String, List<String>> jobs = new java.util.LinkedHashMap<>();
            jobs.put("prometheus", List.of("127.0.0.1:" + port));
            jobs.put("exlm-backend", List.of("127.0.0.1:" + demoPort));
            p = LoopbackPrometheus.start(dir, port, jobs);
            awaitBackendTarget(prometheus, "up", p);
            demo.terminate(Duration.ofSeconds(30));
            awaitBackendTarget(prometheus, "down", p);

            List<String> args = new ArrayList<>(List.of("doctor", "--check", "prometheus.targets", "--check",
                    "backend", "--check", "nodata", "--prometheus-url", prometheus, "--backend-url", backend,
                    "--no-color"));
            Cli.Result json = run(args, "-o", "json");
            assertThat(json.exitCode()).as(json.toString()).isEqualTo(1);
            Map<String, JsonNode> c = DoctorStackIT.checks(JSON.readTree(json.out()));
            assertThat(c.get("backend.live").path("status").asText()).isEqualTo("fail");
            assertThat(c.get("backend.live").path("caused_by").isNull()).isTrue();
            assertThat(c.get("prometheus.targets").path("status").asText()).isEqualTo("fail");
            List<String> caused = new ArrayList<>();
            for (JsonNode check : c.values()) {
                String id = check.path("id").asText();
                if (check.path("status").asText().equals("fail") || check.path("status").asText().equals("skip")) {
                    if (!id.equals("backend.live")) {
                        assertThat(check.path("caused_by").asText()).as(id + ": " + check).isEqualTo("backend.live");
                        caused.add(id);
                    }
                } else {
                    assertThat(check.path("caused_by").isNull()).as(id).isTrue();
                }
            }
            assertThat(caused).contains("prometheus.targets", "backend.metrics", "backend.health", "backend.ready",
                    "backend.catalog").anyMatch(id -> id.startsWith("nodata."));
            // the ones above Prometheus need: never a cause of anything here
            assertThat(c.get("prometheus.healthy").path("status").asText()).isEqualTo("ok");

            Cli.Result junit = run(args, "-o", "junit");
            assertThat(junit.out()).containsPattern("<testcase [^>]*name=\"prometheus.targets\"[^>]*>\\s*<failure"
                    + " message=\"1 of 2 targets DOWN: exlm-backend 127\\.0\\.0\\.1:" + demoPort + " \\(refused\\)"
                    + " \\(caused by backend\\.live: the backend does not answer at ");

            Cli.Result text = run(args);
            assertThat(text.exitCode()).isEqualTo(1);
            List<String> lines = text.out().lines().toList();
            assertThat(lines).allSatisfy(l -> assertThat(l.length() <= 80 || !l.strip().contains(" ")).as(l)
                    .isTrue());
            String out = text.out();
            int root = out.indexOf("  [FAIL] backend.live  ");
            int under = out.indexOf("         because of it:\n", root);
            assertThat(root).as(out).isPositive();
            assertThat(under).as(out).isGreaterThan(root);
            for (String id : caused) {
                if (c.get(id).path("status").asText().equals("fail")) {
                    assertThat(out.indexOf("         [FAIL] " + id + "  ")).as(id + " under backend.live:\n" + out)
                            .isGreaterThan(under);
                }
            }
            assertThat(out).containsOnlyOnce("fix: the exlm backend is not running at " + backend)
                    .doesNotContain("fix: exlm-backend: start", "get the backend's /metrics answering")
                    .contains("Prometheus: 2 ok, 1 fail; 1 listed under backend.live");

            Cli.Result problems = run(args, "--problems");
            assertThat(problems.exitCode()).isEqualTo(1);
            assertThat(problems.out()).doesNotContain("exlm-mon doctor", "[ ok ]", "Prometheus")
                    .contains("[FAIL] backend.live", "[FAIL] prometheus.targets").containsPattern("\nsummary: \\d+ ok,"
                            + " 0 warn, \\d+ fail, 3 skip \\(\\d+ checks in [^)]+\\): failed\n$");

            // a backend URL at another port: the DOWN target is not the one exlm-mon cannot reach, and keeps its fix
            String elsewhere = "http://127.0.0.1:" + Ports.closed();
            Cli.Result other = run(List.of("doctor", "--check", "prometheus.targets", "--check", "backend.live",
                    "--prometheus-url", prometheus, "--backend-url", elsewhere), "-o", "json");
            Map<String, JsonNode> o = DoctorStackIT.checks(JSON.readTree(other.out()));
            assertThat(o.get("prometheus.targets").path("status").asText()).isEqualTo("fail");
            assertThat(o.get("prometheus.targets").path("caused_by").isNull()).as(other.out()).isTrue();
        } finally {
            demo.close();
            if (p != null) {
                p.destroy();
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static Cli.Result run(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return new Cli().env("COLUMNS", "80").run(all.toArray(String[]::new));
    }

    /**
     * A backend that runs but answers slowly: Prometheus's scrape times out and so does exlm-mon's probe, yet the
     * target's own fix (a slow /metrics, the scrape_timeout) is the one to show, not "check --backend-url".
     */
    @Test
    void aSlowBackendIsNotTheCauseOfItsTimedOutScrape() throws Exception {
        int port = Ports.free();
        int demoPort = Ports.free();
        String prometheus = "http://127.0.0.1:" + port;
        Launcher.Running demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(demoPort), "--latency",
                "3s", "--ready-memory-threshold", "100", "--ready-disk-threshold", "100");
        Process p = null;
        try {
            demo.awaitLine("exlm demo backend on", Duration.ofSeconds(90));
            p = LoopbackPrometheus.start(dir, port, Map.of("exlm-backend", List.of("127.0.0.1:" + demoPort)));
            awaitBackendTarget(prometheus, "down", p);
            Cli.Result json = run(List.of("doctor", "--check", "prometheus.targets", "--check", "backend.live",
                    "--prometheus-url", prometheus, "--backend-url", "http://127.0.0.1:" + demoPort, "--timeout",
                    "1s"), "-o", "json");
            Map<String, JsonNode> c = DoctorStackIT.checks(JSON.readTree(json.out()));
            assertThat(c.get("backend.live").path("status").asText()).as(json.out()).isEqualTo("fail");
            assertThat(c.get("prometheus.targets").path("summary").asText()).as(json.out()).contains("(timeout)");
            assertThat(c.get("prometheus.targets").path("caused_by").isNull()).as(json.out()).isTrue();
            assertThat(c.get("backend.live").path("remediation").asText()).as(json.out())
                    .contains("did not answer within the timeout").doesNotContain("check --backend-url");
        } finally {
            demo.close();
            if (p != null) {
                p.destroy();
                if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

}
