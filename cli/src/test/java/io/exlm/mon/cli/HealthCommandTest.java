package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
        long start = System.nanoTime();
        // gives up by itself (a minute would be a hang), and not before the two seconds it was given
        Cli.Result r = new Cli().start("health", "--backend-url", url, "--wait", "2s", "--interval", "500ms", "-o",
                "json").await(Duration.ofMinutes(1));
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(ms).isGreaterThanOrEqualTo(2_000);
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
}
