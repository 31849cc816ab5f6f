package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.ScriptedHealth;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class HealthCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private DemoServer demo;

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    /**
     * A demo whose readiness does not depend on the machine running the test: its disk and memory thresholds are
     * 100 %, so a busy CI host cannot make it not ready.
     */
    private static DemoServer.Config quiet(int port) {
        return new DemoServer.Config("127.0.0.1", port, Scenario.NORMAL, null, null, true, 100, 100);
    }

    private String startDemo(DemoServer.Config config) {
        demo = DemoServer.start(config);
        return demo.url();
    }

    @Test
    void allChecksAsOneJsonDocument() throws Exception {
        String url = startDemo(quiet(0));
        Cli.Result r = Cli.exec("health", "--backend-url", url, "--check", "all", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).isEmpty();
        JsonNode doc = JSON.readTree(r.out()); // the whole of stdout is one document
        // a host above the CPU alert line makes the metrics check "warn", which still passes
        assertThat(doc.get("healthy").asBoolean()).as(r.out()).isTrue();
        assertThat(doc.get("exit_code").asInt()).isZero();
        assertThat(doc.get("checks")).hasSize(4);
        assertThat(doc.get("checks")).extracting(c -> c.get("name").asText()).containsExactly("basic", "live",
                "ready", "metrics");
        assertThat(doc.get("checks").get(0).get("summary").asText()).isEqualTo("exlm-backend 0.1.0 (development)");
        assertThat(doc.get("checks").get(3).get("values").get("cpu_usage_percent").isNumber()).isTrue();
    }

    @Test
    void textTableIsTheDefault() {
        String url = startDemo(quiet(0));
        Cli.Result r = Cli.exec("health", "--backend-url", url);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("CHECK", "basic", "healthy", "exlm-backend 0.1.0").contains(
                "healthy: 4 of 4 checks passed").doesNotContain("\u001b[");
    }

    @Test
    void readinessFailingNamesTheDependency() throws Exception {
        int closed = Ports.closed();
        String url = startDemo(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, "127.0.0.1:" + closed, null,
                false, 90, 90));
        Cli.Result text = Cli.exec("health", "--backend-url", url, "--check", "ready");
        assertThat(text.exitCode()).as(text.toString()).isEqualTo(1);
        assertThat(text.out()).contains("unhealthy: ready failed: database (connection refused");

        Cli.Result json = Cli.exec("health", "--backend-url", url, "-o", "json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode ready = JSON.readTree(json.out()).get("checks").get(2);
        assertThat(ready.get("status").asText()).isEqualTo("unhealthy");
        assertThat(ready.get("http_status").asInt()).isEqualTo(503);
        assertThat(ready.get("failed_dependencies").toString()).isEqualTo("[\"database\"]");
    }

    @Test
    void closedPortIsOneLineAndExit3() throws Exception {
        String url = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = Cli.exec("health", "--backend-url", url, "--check", "all");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains(url).contains("connection refused").doesNotContain("\tat ");

        Cli.Result json = Cli.exec("health", "--backend-url", url, "-o", "json");
        assertThat(json.exitCode()).isEqualTo(3);
        assertThat(JSON.readTree(json.out()).get("status").asText()).isEqualTo("unreachable");
    }

    @Test
    void waitsForABackendThatStartsLater() throws Exception {
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        Cli.Running run = new Cli().start("health", "--backend-url", url, "--wait", "5m", "--interval", "200ms");
        DemoServer demo = null;
        try {
            // the backend starts only once the command has been seen waiting for it
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!run.err().contains("waiting for " + url) && !run.done()) {
                assertThat(System.nanoTime() - deadline).as("waiting announced within a minute").isNegative();
                Thread.sleep(20);
            }
            assertThat(run.done()).as("still waiting: " + run.err()).isFalse();
            demo = DemoServer.start(quiet(port));
            Cli.Result r = run.await(Duration.ofMinutes(5));
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).contains("waiting for " + url).contains("connection refused");
            assertThat(r.out()).contains("healthy: 4 of 4 checks passed (after");
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    @Test
    void waitGivesUpAtTheDeadlineWithTheLastVerdict() throws Exception {
        String url = "http://127.0.0.1:" + Ports.closed();
        // gives up by itself (a minute would be a hang), after trying more than once; when each attempt and pause
        // falls in the two seconds is WaitPolicyTest's, on a clock of its own
        Cli.Result r = new Cli().start("health", "--backend-url", url, "--wait", "2s", "--interval", "500ms", "-o",
                "json").await(Duration.ofMinutes(1));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("status").asText()).isEqualTo("unreachable");
        assertThat(doc.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void junitReportIsValidXml() throws Exception {
        int closed = Ports.closed();
        String url = startDemo(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, "127.0.0.1:" + closed, null,
                false, 90, 90));
        Cli.Result r = Cli.exec("health", "--backend-url", url, "-o", "junit");
        assertThat(r.exitCode()).isEqualTo(1);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                r.out().getBytes(StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(1);
        assertThat(doc.getDocumentElement().getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void understandsSpringBootActuatorAtAnyUrl() throws Exception {
        try (FaultServer up = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/vnd.spring-boot.actuator.v3+json", "{\"status\":\"UP\",\"components\":{\"db\":"
                        + "{\"status\":\"UP\"}}}"));
                FaultServer down = new FaultServer((req, out, sock) -> FaultServer.respond(out, 503,
                        "application/vnd.spring-boot.actuator.v3+json", "{\"status\":\"DOWN\",\"components\":{\"db\":"
                                + "{\"status\":\"DOWN\"},\"ping\":{\"status\":\"UP\"}}}"))) {
            Cli.Result ok = Cli.exec("health", "--url", up.url() + "/actuator/health");
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(up.requests().get(0).path()).isEqualTo("/actuator/health");
            Cli.Result bad = Cli.exec("health", "--url", up.url() + "/actuator/health", "--url",
                    down.url() + "/actuator/health");
            assertThat(bad.exitCode()).isEqualTo(1);
            assertThat(bad.out()).contains("failed: db");
        }
    }

    @Test
    void demoFlagChecksAnEmbeddedBackend() {
        Cli.Result r = Cli.exec("health", "--demo", "--scenario", "overload");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("ready failed: disk", "memory").contains("(synthetic)");
    }

    @Test
    void unknownCheckIsAUsageError() {
        Cli.Result r = Cli.exec("health", "--check", "readyy");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown check 'readyy'");
    }

    @Test
    void checkAllProbesTheFourEndpointsConcurrently() throws Exception {
        // each endpoint answers only once all four requests have arrived: one after another, the first would wait
        // for the others until it timed out
        CountDownLatch arrived = new CountDownLatch(4);
        try (FaultServer server = new FaultServer((req, out, sock) -> {
            arrived.countDown();
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                return; // the client gave up first: no answer at all
            }
            FaultServer.respond(out, 200, "application/json", "{\"status\":\"healthy\"}");
        })) {
            Cli.Result r = Cli.exec("health", "--backend-url", server.url(), "--check", "all", "--timeout", "20s",
                    "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(arrived.getCount()).isZero();
            // answered in any order, reported in the order of the endpoints
            assertThat(JSON.readTree(r.out()).get("checks")).extracting(c -> c.get("name").asText())
                    .containsExactly("basic", "live", "ready", "metrics");
        }
    }

    @Test
    void waitEndsAtItsDeadlineAgainstAServerThatNeverAnswers() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        try (FaultServer silent = new FaultServer((req, out, sock) -> closed.await())) {
            // --timeout 10s: before, the first attempt alone took 10 s and a last one followed it; that each
            // attempt gets no more than the time left is WaitPolicyTest's, on a clock of its own, and the elapsed
            // figures are bench-startup's
            Cli.Result r = Cli.exec("health", "--backend-url", silent.url(), "--wait", "2s", "--timeout", "10s");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            assertThat(r.err()).contains("no answer within").contains("deadline").doesNotContain("raise --timeout")
                    .doesNotContain("\tat ");
        } finally {
            closed.countDown();
        }
    }

    @Test
    void flappingCheckIsReportedApartFromOneThatNeverCameUp() throws Exception {
        try (ScriptedHealth backend = new ScriptedHealth(Map.of(
                "/api/v1/health", List.of(ScriptedHealth.BASIC_OK, ScriptedHealth.BASIC_DOWN),
                "/api/v1/health/ready", List.of(ScriptedHealth.READY_DB_DOWN)))) {
            Cli.Result text = Cli.exec("health", "--backend-url", backend.url(), "--check", "basic,ready",
                    "--wait", "1s", "--interval", "100ms");
            assertThat(text.exitCode()).as(text.toString()).isEqualTo(1);
            assertThat(text.out()).contains("basic failed (exlm-backend 0.1.0 (test)); ready failed: database")
                    .contains("never passed in").contains("flapping: basic (passed in attempt 1, failed again in"
                            + " attempt 2;");
            assertThat(text.out()).doesNotContain("flapping: basic, ready").doesNotContain("ready (passed");
            assertThat(text.err()).contains("basic unhealthy, flapping");
        }
        try (ScriptedHealth backend = new ScriptedHealth(Map.of(
                "/api/v1/health", List.of(ScriptedHealth.BASIC_OK, ScriptedHealth.BASIC_DOWN),
                "/api/v1/health/ready", List.of(ScriptedHealth.READY_DB_DOWN)))) {
            Cli.Result json = Cli.exec("health", "--backend-url", backend.url(), "--check", "basic,ready",
                    "--wait", "1s", "--interval", "100ms", "-o", "json");
            assertThat(json.exitCode()).as(json.toString()).isEqualTo(1);
            JsonNode doc = JSON.readTree(json.out());
            assertThat(doc.get("flapping").toString()).isEqualTo("[\"basic\"]");
            JsonNode basic = doc.get("checks").get(0);
            JsonNode ready = doc.get("checks").get(1);
            assertThat(basic.get("flapping").asBoolean()).isTrue();
            assertThat(basic.get("attempts_passed").asInt()).isEqualTo(1);
            assertThat(basic.get("first_passed_attempt").asInt()).isEqualTo(1);
            assertThat(basic.get("failed_again_attempt").asInt()).isEqualTo(2);
            assertThat(ready.get("flapping").asBoolean()).isFalse();
            assertThat(ready.get("attempts_passed").asInt()).isZero();
            assertThat(ready.get("first_passed_attempt").isNull()).isTrue();
        }
    }

    @Test
    void successThresholdWaitsForThatManyPassingPollsInARow() throws Exception {
        String url = startDemo(quiet(0));
        Cli.Result r = Cli.exec("health", "--backend-url", url, "--check", "basic,live", "--wait", "60s",
                "--interval", "100ms", "--success-threshold", "3", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("attempts").asInt()).isEqualTo(3);
        assertThat(doc.get("success_threshold").asInt()).isEqualTo(3);
        assertThat(doc.get("consecutive_successes").asInt()).isEqualTo(3);

        // a failure in between starts the count again
        try (ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK,
                ScriptedHealth.BASIC_DOWN, ScriptedHealth.BASIC_OK)))) {
            Cli.Result again = Cli.exec("health", "--backend-url", backend.url(), "--check", "basic", "--wait",
                    "60s", "--interval", "100ms", "--success-threshold", "2");
            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(backend.served("/api/v1/health")).isEqualTo(4);
            assertThat(again.out()).contains("healthy: 1 of 1 checks passed (after 4 attempts")
                    .contains("flapping: basic (passed in attempt 1, failed again in attempt 2; passed 3 of 4)");
        }
    }

    @Test
    void tooFewPassingPollsInARowByTheDeadlineIsUnhealthy() {
        String url = startDemo(quiet(0));
        // 1000 polls in a row cannot fit in 3 s at one per 100 ms; the 3 s leave room for the first poll to pass on a
        // loaded machine (with 500 ms, a first poll late under load ended unreachable, exit 3)
        Cli.Result r = Cli.exec("health", "--backend-url", url, "--check", "live", "--wait", "3s",
                "--interval", "100ms", "--success-threshold", "1000");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("unhealthy: every check passes, but only ").contains(
                " of the 1000 polls in a row that --success-threshold asks for");
    }

    @Test
    void successThresholdUsageErrors() {
        for (String[] args : List.of(new String[] {"health", "--success-threshold", "0", "--wait", "5s"},
                new String[] {"health", "--success-threshold", "-2", "--wait", "5s"},
                new String[] {"health", "--success-threshold", "3"},
                new String[] {"health", "--success-threshold", "many", "--wait", "5s"},
                new String[] {"health", "--wait", "0s"})) {
            Cli.Result r = Cli.exec(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            // one line: "exlm-mon: ..." from the command, "exlm-mon health: ..." from picocli's parser
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.errLines().get(0)).matches("exlm-mon( health)?: .*").as(r.toString())
                    .containsAnyOf("--success-threshold", "--wait");
            assertThat(r.err()).doesNotContain("\tat ");
        }
        assertThat(Cli.exec("health", "--success-threshold", "3").err()).contains("needs --wait");
    }
}
