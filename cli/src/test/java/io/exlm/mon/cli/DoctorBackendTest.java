package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** doctor's backend checks against the reference backend (the real demo server, in this JVM). */
class DoctorBackendTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Map<String, JsonNode> checks(Cli.Result r) throws Exception {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode c : JSON.readTree(r.out()).path("checks")) {
            m.put(c.path("id").asText(), c);
        }
        return m;
    }

    @Test
    void theReferenceBackendPassesEveryBackendCheck() throws Exception {
        try (DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0))) {
            Cli.Result r = Cli.exec("doctor", "--check", "backend", "--backend-url", demo.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            Map<String, JsonNode> c = checks(r);
            assertThat(c).containsOnlyKeys("backend.live", "backend.health", "backend.ready", "backend.metrics",
                    "backend.catalog");
            c.forEach((id, check) -> assertThat(check.path("status").asText()).as(id + ": " + check).isEqualTo("ok"));
            assertThat(c.get("backend.health").path("summary").asText()).startsWith("exlm-backend 0.1.0");
            assertThat(c.get("backend.metrics").path("figures").path("families").asInt()).isGreaterThanOrEqualTo(15);
        }
    }

    @Test
    void readinessNamesEachFailingDependencyWithWhatToCheck() throws Exception {
        String db = "127.0.0.1:" + Ports.closed();
        String redis = "127.0.0.1:" + Ports.closed();
        DemoServer.Config cfg = new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, db, redis, false, 90, 90);
        try (DemoServer demo = DemoServer.start(cfg)) {
            Cli.Result r = Cli.exec("doctor", "--check", "backend.ready", "--backend-url", demo.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            JsonNode ready = checks(r).get("backend.ready");
            assertThat(ready.path("status").asText()).isEqualTo("fail");
            assertThat(ready.path("summary").asText()).isEqualTo("not ready: database, redis failing");
            assertThat(ready.path("details").toString()).contains("database: fail (connection refused",
                    "redis: fail (connection refused");
            assertThat(ready.path("remediation").asText()).contains("pg_isready", "redis-cli");
            assertThat(ready.path("figures").path("failed").toString()).isEqualTo("[\"database\",\"redis\"]");
        }
    }

    @Test
    void aMetricsEndpointThatServesAPageOrAnIncompleteCatalog() throws Exception {
        String page = "<html><body>Login</body></html>";
        String partial = "# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"200\"} 1\n"
                + "# TYPE cpu_usage_percent counter\ncpu_usage_percent 3\n";
        String[] body = {page};
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            if (req.path().startsWith("/api/v1/health")) {
                FaultServer.respond(out, 200, "application/json", "{\"status\":\"alive\"}");
            } else {
                FaultServer.respond(out, 200, body[0] == page ? "text/html" : "text/plain; version=0.0.4", body[0]);
            }
        })) {
            Map<String, JsonNode> c = checks(Cli.exec("doctor", "--check", "backend.catalog", "--backend-url", s.url(),
                    "-o", "json"));
            assertThat(c.get("backend.metrics").path("status").asText()).isEqualTo("fail");
            assertThat(c.get("backend.metrics").path("summary").asText()).contains("got an HTML page, not metrics");
            assertThat(c.get("backend.catalog").path("status").asText()).isEqualTo("skip");

            body[0] = partial;
            c = checks(Cli.exec("doctor", "--check", "backend.catalog", "--backend-url", s.url(), "-o", "json"));
            JsonNode catalog = c.get("backend.catalog");
            assertThat(catalog.path("status").asText()).isEqualTo("fail");
            assertThat(catalog.path("summary").asText()).isEqualTo("14 of 15 catalog metrics are not as documented");
            assertThat(catalog.path("details").toString()).contains("cpu_usage_percent is a counter, documented as"
                    + " gauge", "error_count (counter) is not exposed");
            assertThat(catalog.path("figures").path("missing")).hasSize(13);
        }
    }
}
