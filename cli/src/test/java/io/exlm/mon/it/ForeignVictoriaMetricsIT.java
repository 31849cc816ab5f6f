package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.VictoriaMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor pointed at a VictoriaMetrics that exlm-mon did not start (Debian's victoria-metrics on loopback, an empty
 * state directory): it scrapes the demo backend and itself with its own -promscrape.config, and has no vmalert. No
 * check fails falsely: the targets are judged from its own scrape, what it cannot tell (rules without
 * -vmalert.proxyURL, Prometheus's TSDB and runtime information, Alertmanagers, remote write) is skipped naming it,
 * and its -search.latencyOffset is no clock skew. Then the backend is stopped: its target DOWN fails, as it must.
 */
class ForeignVictoriaMetricsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * Until VictoriaMetrics' own scrape of the backend has this health ("up", "down") and its last error contains
     * {@code error} (after a stop, its first scrape finds the kept-alive connection closed, the next one refused).
     */
    private static void awaitBackendTarget(VictoriaMetrics vm, String health, String error) throws Exception {
        Polls.await(Duration.ofSeconds(60), "victoria-metrics' target of the backend " + health, () -> {
            try {
                for (JsonNode t : JSON.readTree(vm.get("/api/v1/targets").body()).path("data").path("activeTargets")) {
                    if (t.path("labels").path("job").asText().equals("exlm-backend")) {
                        return t.path("health").asText().equals(health)
                                && t.path("lastError").asText().contains(error);
                    }
                }
                return false;
            } catch (Exception e) {
                return false; // not answering yet
            }
        });
    }

    @Test
    void noFalseFailureAgainstItAndTheStoppedBackendStillFails() throws Exception {
        int demoPort = Ports.free();
        String backend = "http://127.0.0.1:" + demoPort;
        Launcher.Running demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(demoPort),
                "--ready-memory-threshold", "100", "--ready-disk-threshold", "100");
        VictoriaMetrics vm = null;
        try {
            demo.awaitLine("exlm demo backend on", Duration.ofSeconds(90));
            Path scrape = dir.resolve("scrape.yml");
            vm = new VictoriaMetrics(dir.resolve("vm"), port -> {
                try {
                    Files.writeString(scrape, "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
                            + "scrape_configs:\n"
                            + "  - job_name: exlm-backend\n    static_configs:\n      - targets: ['127.0.0.1:"
                            + demoPort + "']\n"
                            + "  - job_name: victoriametrics\n    static_configs:\n      - targets: ['127.0.0.1:"
                            + port + "']\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return List.of("-promscrape.config=" + scrape);
            });
            awaitBackendTarget(vm, "up", "");
            // and until its samples show in queries: how long that takes after VictoriaMetrics' start on a loaded
            // host is not what this test is about (NoDataTraceTest has the young store; see the README)
            VictoriaMetrics store = vm;
            Polls.await(Duration.ofSeconds(60), "the backend's samples in victoria-metrics' queries", () -> {
                try {
                    return JSON.readTree(store.get("/api/v1/query?query=cpu_usage_percent%7Bjob%3D%22exlm-backend%22"
                            + "%7D").body()).path("data").path("result").size() > 0;
                } catch (Exception e) {
                    return false;
                }
            });

            // --wait is a deadline, not a pause: doctor stops when nothing is warming up. A recording row warms up
            // until vmalert's default evaluation interval (1m) has passed after the first rate, about 71 s after
            // VictoriaMetrics' start here, and the set-up above can take a good part of that on a loaded host
            List<String> args = List.of("doctor", "--check", "prometheus", "--check", "backend", "--check",
                    "dependencies", "--check", "nodata", "--check", "history", "--prometheus-url", vm.url(),
                    "--backend-url", backend, "--expect-scrape-interval", "1s", "--wait", "150s", "-o", "json");
            Cli.Result run = run(args);
            JsonNode doc = JSON.readTree(run.out());
            Map<String, JsonNode> c = DoctorStackIT.checks(doc);
            // nothing evaluates the stack's recording rules into this store (no vmalert): the panels that show them
            // are empty in Grafana too, and their rows fail, naming the recording (a true failure, as against a
            // Prometheus without the rule files); every other check is judged without a false failure
            List<String> failed = new ArrayList<>();
            c.forEach((id, check) -> {
                if (check.path("status").asText().equals("fail")) {
                    failed.add(id);
                    assertThat(id).as(run.out()).startsWith("nodata.");
                    assertThat(check.path("details")).as(id + " in " + run.out()).isNotEmpty();
                    for (JsonNode d : check.path("details")) {
                        assertThat(d.asText()).as(id).contains("link 4 of 4").contains("holds no series of the"
                                + " recording rule").contains("cannot tell which rules are evaluated");
                    }
                }
            });
            assertThat(failed).as(run.out()).contains("nodata.http-traffic");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
            assertThat(c.get("prometheus.healthy").path("summary").asText()).startsWith("VictoriaMetrics ");
            assertThat(c.get("prometheus.targets").path("status").asText()).as(run.out()).isEqualTo("ok");
            assertThat(c.get("prometheus.config").path("status").asText()).as(run.out()).isEqualTo("ok");
            assertThat(c.get("prometheus.rules").path("status").asText()).isEqualTo("skip");
            assertThat(c.get("prometheus.rules").path("summary").asText()).contains("VictoriaMetrics at " + vm.url())
                    .contains("-vmalert.proxyURL");
            for (String id : List.of("prometheus.alertmanager", "prometheus.tsdb", "prometheus.remote-write",
                    "history.disk-capacity")) {
                assertThat(c.get(id).path("status").asText()).as(id).isEqualTo("skip");
                assertThat(c.get(id).path("summary").asText()).as(id).startsWith("VictoriaMetrics at ");
            }
            assertThat(c.get("history.clock-skew").path("status").asText()).as(run.out()).isEqualTo("ok");
            // the unknowns are counted as what they are: never among the ok ones
            assertThat(doc.path("counts").path("skip").asInt()).isGreaterThanOrEqualTo(5);

            demo.terminate(Duration.ofSeconds(30));
            awaitBackendTarget(vm, "down", "connection refused");
            Cli.Result down = run(List.of("doctor", "--check", "prometheus.targets", "--prometheus-url", vm.url(),
                    "--backend-url", backend, "-o", "json"));
            assertThat(down.exitCode()).as(down.toString()).isEqualTo(1);
            JsonNode targets = DoctorStackIT.checks(JSON.readTree(down.out())).get("prometheus.targets");
            assertThat(targets.path("status").asText()).isEqualTo("fail");
            assertThat(targets.path("summary").asText()).as(down.out())
                    .contains("exlm-backend 127.0.0.1:" + demoPort + " (refused)");
        } finally {
            demo.close();
            if (vm != null) {
                vm.close();
            }
        }
    }

    private Cli.Result run(List<String> args) throws java.io.IOException {
        // no state directory of any stack: nothing tells doctor what the store is but the store itself
        Path state = Files.createDirectories(dir.resolve("state"));
        return new Cli().env("EXLM_STACK_STATE_DIR", state.toString()).run(args.toArray(String[]::new));
    }
}
