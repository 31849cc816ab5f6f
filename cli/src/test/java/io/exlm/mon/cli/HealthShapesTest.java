package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.ScriptedHealth;
import io.exlm.mon.testing.ScriptedHealth.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shapes in which FastAPI services (and others) answer a health or readiness check, ready and not ready each:
 * the exit code, and the dependencies named as failed. A dependency whose state cannot be read is never counted
 * healthy in silence.
 */
class HealthShapesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row: what the endpoint answers, and what health must conclude. */
    private record Row(String name, Answer answer, int exit, List<String> failed, String summaryHas) {
    }

    private static final List<Row> ROWS = List.of(
            new Row("booleans, ready", new Answer(200, "{\"status\":\"ready\",\"checks\":{\"database\":true,"
                    + "\"redis\":true}}"), 0, List.of(), "database ok · redis ok"),
            new Row("booleans, not ready (503)", new Answer(503, "{\"status\":\"not_ready\",\"checks\":"
                    + "{\"database\":false,\"redis\":true}}"), 1, List.of("database"), "database failed"),
            new Row("'not ready' with a space", new Answer(503, "{\"status\":\"not ready\",\"checks\":"
                    + "{\"database\":true,\"redis\":false}}"), 1, List.of("redis"), "redis failed"),
            new Row("NOT_READY in capitals", new Answer(503, "{\"status\":\"NOT_READY\",\"checks\":"
                    + "{\"database\":false}}"), 1, List.of("database"), "database failed"),
            new Row("Not-Ready with a hyphen", new Answer(503, "{\"status\":\"Not-Ready\",\"checks\":"
                    + "{\"redis\":{\"status\":\"down\",\"error\":\"connection refused\"}}}"), 1, List.of("redis"),
                    "redis down (connection refused)"),
            new Row("'Ready' capitalised", new Answer(200, "{\"status\":\"Ready\",\"checks\":{\"database\":\"ok\"}}"),
                    0, List.of(), "database ok"),
            new Row("HTTPException detail, not ready", new Answer(503, "{\"detail\":{\"status\":\"not_ready\","
                    + "\"checks\":{\"database\":false,\"redis\":true}}}"), 1, List.of("database"),
                    "database failed"),
            new Row("HTTPException detail, ready", new Answer(200, "{\"detail\":{\"status\":\"ready\","
                    + "\"checks\":{\"database\":true}}}"), 0, List.of(), "database ok"),
            new Row("checks without a status word, 503", new Answer(503, "{\"checks\":{\"database\":true,"
                    + "\"redis\":false}}"), 1, List.of("redis"), "redis failed"),
            new Row("checks without a status word, 200", new Answer(200, "{\"checks\":{\"database\":true}}"), 0,
                    List.of(), "database ok"),
            new Row("checks without a status word, 200, one false", new Answer(200, "{\"checks\":{\"database\":"
                    + "false}}"), 1, List.of("database"), "database failed"),
            new Row("nested booleans", new Answer(503, "{\"status\":\"unhealthy\",\"checks\":{\"database\":"
                    + "{\"healthy\":false,\"error\":\"timeout\"},\"redis\":{\"healthy\":true}}}"), 1,
                    List.of("database"), "database failed (timeout)"),
            new Row("string states", new Answer(503, "{\"status\":\"not_ready\",\"checks\":{\"database\":\"ok\","
                    + "\"redis\":\"error\"}}"), 1, List.of("redis"), "redis error"),
            new Row("a state nobody uses", new Answer(200, "{\"status\":\"ready\",\"checks\":{\"database\":"
                    + "\"splendid\"}}"), 0, List.of(), "database splendid (state 'splendid' not understood)"),
            new Row("a number where a state goes", new Answer(200, "{\"status\":\"ready\",\"checks\":{\"database\":"
                    + "1}}"), 0, List.of(), "database unknown (no state given"),
            new Row("a boolean status, false", new Answer(200, "{\"status\":false}"), 1, List.of(), "false"),
            new Row("a boolean status, true", new Answer(200, "{\"status\":true}"), 0, List.of(), "true"),
            new Row("ready: false", new Answer(200, "{\"ready\":false,\"checks\":{\"database\":false}}"), 1,
                    List.of("database"), "database failed"),
            new Row("status ok, but a check false", new Answer(200, "{\"status\":\"ok\",\"checks\":{\"database\":"
                    + "false}}"), 1, List.of("database"), "database failed"),
            new Row("status healthy, a nested false", new Answer(200, "{\"status\":\"healthy\",\"checks\":"
                    + "{\"database\":{\"status\":false}}}"), 1, List.of("database"), "database failed"),
            new Row("checks as a list", new Answer(200, "{\"status\":\"ok\",\"checks\":[{\"name\":\"database\","
                    + "\"status\":\"down\"},{\"name\":\"redis\",\"status\":\"up\"}]}"), 1, List.of("database"),
                    "database down"),
            new Row("Spring Actuator, a state nobody uses", new Answer(200, "{\"status\":\"UP\",\"components\":"
                    + "{\"db\":{\"status\":\"FATAL\"}}}"), 0, List.of(), "db fatal (state 'FATAL' not understood)"),
            new Row("Spring Actuator, down", new Answer(503, "{\"status\":\"DOWN\",\"components\":{\"db\":"
                    + "{\"status\":\"DOWN\",\"details\":{\"error\":\"refused\"}},\"ping\":{\"status\":\"UP\"}}}"), 1,
                    List.of("db"), "db down (refused)"),
            new Row("health+json, fail", new Answer(503, "{\"status\":\"fail\",\"checks\":{\"postgres:connections\":"
                    + "[{\"status\":\"fail\",\"output\":\"too many\"}]}}"), 1, List.of("postgres:connections"),
                    "too many"));

    @Test
    void everyShapeGetsItsVerdictAndNamesItsFailedDependencies() throws Exception {
        Map<String, List<Answer>> script = new LinkedHashMap<>();
        for (int i = 0; i < ROWS.size(); i++) {
            script.put("/case/" + i, List.of(ROWS.get(i).answer()));
        }
        List<String> wrong = new ArrayList<>();
        try (ScriptedHealth server = new ScriptedHealth(script)) {
            for (int i = 0; i < ROWS.size(); i++) {
                Row row = ROWS.get(i);
                Cli.Result r = Cli.exec("health", "--url", server.url() + "/case/" + i, "-o", "json");
                JsonNode check = JSON.readTree(r.out()).at("/checks/0");
                List<String> failed = new ArrayList<>();
                check.path("failed_dependencies").forEach(n -> failed.add(n.asText()));
                if (r.exitCode() != row.exit() || !failed.equals(row.failed())
                        || !check.path("summary").asText().contains(row.summaryHas())) {
                    wrong.add(row.name() + ": exit " + r.exitCode() + " (want " + row.exit() + "), failed " + failed
                            + " (want " + row.failed() + "), summary '" + check.path("summary").asText() + "'");
                }
            }
        }
        assertThat(wrong).as("rows whose verdict is wrong").isEmpty();
    }

    @Test
    void aBodyWithoutOneMeaningIsNotAHealthDocument() throws Exception {
        try (ScriptedHealth server = new ScriptedHealth(Map.of(
                "/twice", List.of(new Answer(200, "{\"status\":\"unhealthy\",\"status\":\"healthy\"}")),
                "/number", List.of(new Answer(200, "{\"status\":5}"))))) {
            Cli.Result twice = Cli.exec("health", "--url", server.url() + "/twice");
            assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(3);
            assertThat(twice.errLines()).singleElement().asString().contains("Duplicate field 'status'");
            Cli.Result number = Cli.exec("health", "--url", server.url() + "/number");
            assertThat(number.exitCode()).as(number.toString()).isEqualTo(3);
            assertThat(number.errLines()).singleElement().asString()
                    .contains("not a health document (its status is a number, not a word)");
        }
    }

    @Test
    void psutilShapedSystemFiguresAreRead() throws Exception {
        try (ScriptedHealth server = new ScriptedHealth(Map.of(
                "/psutil", List.of(new Answer(200, "{\"cpu\":{\"percent\":12.5},\"virtual_memory\":{\"percent\":"
                        + "91.5},\"disk_usage\":{\"percent\":40}}")),
                "/flat", List.of(new Answer(200, "{\"cpu_percent\":85,\"memory_percent\":10,\"disk_percent\":20}"))))) {
            Cli.Result r = Cli.exec("health", "--url", server.url() + "/psutil", "-o", "json");
            JsonNode check = JSON.readTree(r.out()).at("/checks/0");
            assertThat(check.at("/values/cpu_usage_percent").asDouble()).isEqualTo(12.5);
            assertThat(check.at("/values/memory_usage_percent").asDouble()).isEqualTo(91.5);
            assertThat(check.get("status").asText()).isEqualTo("warn"); // memory above its 90 % alert line
            Cli.Result flat = Cli.exec("health", "--url", server.url() + "/flat");
            assertThat(flat.exitCode()).isZero();
            // a warning passes, and the verdict says so
            assertThat(flat.out()).contains("cpu 85.0%", "cpu above 80%").containsPattern("healthy: 1 of 1 checks"
                    + " passed; 1 warning: .*cpu above 80%");
        }
    }
}
