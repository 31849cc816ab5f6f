package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.ScriptedHealth;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code health -o json} is a contract: these golden files hold the whole document, field by field. Only what a run
 * cannot repeat is blanked (times become 0, the server's port PORT). A change to them is a change to the contract:
 * rewrite them with {@code -Dexlm.golden.update=true}, check the diff, and say so in the commit and the README.
 */
class HealthJsonGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final ScriptedHealth.Answer LIVE = new ScriptedHealth.Answer(200, "{\"status\":\"alive\","
            + "\"uptime_seconds\":42.0,\"pid\":1}");
    private static final ScriptedHealth.Answer METRICS = new ScriptedHealth.Answer(200, "{\"cpu_usage_percent\":"
            + "12.5,\"memory_usage_percent\":40.0,\"disk_usage_percent\":55.5,\"synthetic\":false}");

    @Test
    void oneRunOfEveryCheck() throws Exception {
        try (ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK),
                "/api/v1/health/live", List.of(LIVE), "/api/v1/health/ready", List.of(ScriptedHealth.READY_DB_DOWN),
                "/api/v1/health/metrics", List.of(METRICS)))) {
            Cli.Result r = Cli.exec("health", "--backend-url", backend.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertGolden("health-once.json", r.out(), backend.url());
        }
    }

    @Test
    void aWaitWithAFlappingCheckAndASuccessThreshold() throws Exception {
        // basic passes, fails, then passes twice; ready fails once, then passes: healthy in attempt 4, basic flapped
        try (ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK,
                ScriptedHealth.BASIC_DOWN, ScriptedHealth.BASIC_OK), "/api/v1/health/ready",
                List.of(ScriptedHealth.READY_DB_DOWN, ScriptedHealth.READY_OK)))) {
            Cli.Result r = Cli.exec("health", "--backend-url", backend.url(), "--check", "basic,ready", "--wait",
                    "60s", "--interval", "100ms", "--success-threshold", "2", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertGolden("health-wait-flapping.json", r.out(), backend.url());
        }
    }

    private static void assertGolden(String name, String out, String serverUrl) throws Exception {
        JsonNode doc = normalise(JSON.readTree(out), serverUrl);
        String actual = JSON.writeValueAsString(doc) + "\n";
        io.exlm.mon.testing.Golden.assertMatches(name, actual, "health JSON");
    }

    /** Times to 0 and the test server's address to http://127.0.0.1:PORT: what no two runs share. */
    private static JsonNode normalise(JsonNode node, String serverUrl) {
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("latency_ms") || e.getKey().equals("elapsed_ms")) {
                    e.setValue(IntNode.valueOf(0));
                } else {
                    e.setValue(normalise(e.getValue(), serverUrl));
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, normalise(a.get(i), serverUrl));
            }
        } else if (node.isTextual()) {
            return TextNode.valueOf(node.asText().replace(serverUrl, "http://127.0.0.1:PORT"));
        }
        return node;
    }
}
