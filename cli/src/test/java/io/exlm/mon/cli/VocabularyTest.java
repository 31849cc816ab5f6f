package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.ScriptedHealth;
import io.exlm.mon.testing.ScriptedHealth.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status words of the JSON documents: the README's table, {@link Vocabulary} and what the commands really print
 * agree. A command that prints a word the table does not list fails here.
 */
class VocabularyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path README = Path.of("..", "README.md").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** The README's "Status words" table: field to words. */
    static Map<String, List<String>> readme() throws Exception {
        Map<String, List<String>> m = new LinkedHashMap<>();
        String text = Files.readString(README);
        String section = text.substring(text.indexOf("## Status words"));
        section = section.substring(0, section.indexOf("\n## ", 3) < 0 ? section.length() : section.indexOf("\n## ", 3));
        for (String line : section.lines().toList()) {
            if (line.startsWith("| ") && !line.startsWith("| field") && !line.startsWith("| ---")) {
                String[] cells = line.split("\\|");
                m.put(cells[1].strip(), Arrays.stream(cells[2].split(",")).map(String::strip).toList());
            }
        }
        return m;
    }

    @Test
    void theReadmeListsExactlyTheWordsOfTheCode() throws Exception {
        assertThat(readme()).isEqualTo(Vocabulary.WORDS);
    }

    @Test
    void aServersWordOutsideTheListIsWrittenUnknown() {
        assertThat(Vocabulary.known("alerts state", "FIRING")).isEqualTo("firing");
        assertThat(Vocabulary.known("alerts state", "inactive")).isEqualTo("unknown");
        assertThat(Vocabulary.known("alerts silence state", "\u001b[2Jactive")).isEqualTo("unknown");
    }

    /** Collects the words of a document's status-like keys, by the field they belong to. */
    private static void walk(JsonNode node, String command, String parent, Map<String, Set<String>> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String key = e.getKey();
                JsonNode v = e.getValue();
                if (v.isTextual() && (key.equals("status") || key.equals("state") || key.equals("level"))) {
                    boolean failure = parent.isEmpty() && key.equals("status")
                            && Set.of("metrics", "query", "alerts").contains(command);
                    String field = failure ? "failure status" : switch (command) {
                        case "health" -> parent.equals("dependencies") ? "health dependency status" : "health status";
                        case "top" -> key.equals("level") ? "top level" : "top status";
                        case "alerts" -> parent.equals("silences") ? "alerts silence state" : "alerts state";
                        default -> command + " " + key;
                    };
                    out.computeIfAbsent(field, k -> new TreeSet<>()).add(v.asText());
                }
                walk(v, command, key, out);
            });
        } else if (node.isArray()) {
            node.forEach(x -> walk(x, command, parent, out));
        }
    }

    private static void printed(Map<String, Set<String>> seen, String command, String... args) throws Exception {
        Cli.Result r = Cli.exec(args);
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc != null && doc.isObject()).as("a JSON document from " + String.join(" ", args) + ": " + r)
                .isTrue();
        walk(doc, command, "", seen);
    }

    @Test
    void everyWordTheCommandsPrintIsListed() throws Exception {
        Map<String, Set<String>> seen = new LinkedHashMap<>();
        Answer live = new Answer(200, "{\"status\":\"alive\",\"uptime_seconds\":4}");
        Answer warm = new Answer(200, "{\"cpu_usage_percent\":95,\"memory_usage_percent\":10,\"disk_usage_percent\":1}");
        Answer odd = new Answer(200, "{\"status\":\"ready\",\"checks\":{\"database\":\"splendid\",\"redis\":"
                + "\"not_configured\",\"cache\":false,\"queue\":true}}");
        try (ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK),
                "/api/v1/health/live", List.of(live), "/api/v1/health/ready", List.of(ScriptedHealth.READY_DB_DOWN),
                "/api/v1/health/metrics", List.of(warm), "/odd", List.of(odd)));
                DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0))) {
            String closed = "http://127.0.0.1:" + Ports.closed();
            printed(seen, "health", "health", "--backend-url", backend.url(), "-o", "json");
            printed(seen, "health", "health", "--url", backend.url() + "/odd", "-o", "json");
            printed(seen, "health", "health", "--backend-url", closed, "-o", "json");
            printed(seen, "top", "top", "--once", "--backend-url", demo.url(), "--interval", "250ms", "-o", "json");
            printed(seen, "top", "top", "--once", "--backend-url", closed, "--interval", "250ms", "-o", "json");
            printed(seen, "doctor", "doctor", "--backend-url", demo.url(), "--prometheus-url", closed,
                    "--alertmanager-url", closed, "--grafana-url", closed, "-o", "json");
            printed(seen, "metrics", "metrics", "--backend-url", closed, "-o", "json");
            printed(seen, "query", "query", "up", "--prometheus-url", closed, "-o", "json");
            printed(seen, "alerts", "alerts", "--prometheus-url", closed, "-o", "json");
            printed(seen, "status", "--config", Files.writeString(dir.resolve("c.properties"), "stack.state-dir = "
                    + dir.resolve("state") + "\n").toString(), "status", "-o", "json");
        }
        List<String> unlisted = new ArrayList<>();
        seen.forEach((field, words) -> {
            List<String> listed = Vocabulary.WORDS.get(field);
            for (String w : words) {
                if (listed == null || !listed.contains(w)) {
                    unlisted.add(field + ": " + w);
                }
            }
        });
        assertThat(unlisted).as("status words printed but not in the README's table").isEmpty();
        // the runs above reach most of the vocabulary, so that this test is not satisfied by printing nothing
        assertThat(seen.get("health status")).contains("healthy", "warn", "unhealthy", "unreachable");
        assertThat(seen.get("health dependency status")).contains("ok", "warn", "failed", "not_configured");
        assertThat(seen.get("doctor status")).contains("ok", "fail", "skip");
        assertThat(seen.get("top level")).contains("none");
        assertThat(seen).containsKey("status state");
        assertThat(seen.get("failure status")).contains("unreachable");
    }
}
