package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.stack.StackFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The stack's rules give one answer at every evaluation: Prometheus evaluates the rules of a group in order and the
 * groups in no fixed order, so a rule that reads a recording rule must come after it in the same group. Otherwise it
 * reads either this evaluation's value or the previous one's, depending on which group ran first.
 */
class RuleOrderTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void everyRuleReadsOnlyRecordingRulesRecordedBeforeItInItsGroup() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (String f : StackFiles.RULES) {
            files.put(f, StackFiles.text(f));
        }
        assertThat(orderProblems(files)).isEmpty();
        // and the check looked at what matters: the alert that reads recording rules
        assertThat(StackFiles.text(StackFiles.ALERTS)).contains("exlm:http_request_errors:ratio_rate5m > 0.05");
    }

    @Test
    void anAlertReadingAnotherGroupsRecordingRuleIsAProblem() throws Exception {
        String recording = """
                groups:
                  - name: exlm-http
                    rules:
                      - record: exlm:http_requests:rate5m
                        expr: sum by (job, instance) (rate(http_requests_total[5m]))
                """;
        String alerts = """
                groups:
                  - name: exlm-alerts
                    rules:
                      - alert: HighErrorRate
                        expr: exlm:http_requests:rate5m > 0
                """;
        assertThat(orderProblems(Map.of("recording.yml", recording, "alerts.yml", alerts))).containsExactly(
                "alerts.yml group exlm-alerts: HighErrorRate reads exlm:http_requests:rate5m, which group exlm-http"
                        + " of recording.yml records");

        String after = """
                groups:
                  - name: g
                    rules:
                      - alert: A
                        expr: r > 0
                      - record: r
                        expr: sum(x)
                """;
        assertThat(orderProblems(Map.of("f.yml", after))).containsExactly(
                "f.yml group g: A reads r, which is recorded after it");
    }

    /** What breaks the rule "a recording rule is read only after it, in its own group", one line each. */
    static List<String> orderProblems(Map<String, String> files) throws Exception {
        Map<String, String> recordedIn = new HashMap<>(); // rule name -> "group G of F"
        Map<String, JsonNode> parsed = new LinkedHashMap<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            JsonNode doc = YAML.readTree(f.getValue());
            parsed.put(f.getKey(), doc);
            for (JsonNode g : doc.path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (r.has("record")) {
                        recordedIn.put(r.path("record").asText(), "group " + g.path("name").asText() + " of "
                                + f.getKey());
                    }
                }
            }
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : parsed.entrySet()) {
            for (JsonNode g : f.getValue().path("groups")) {
                String group = g.path("name").asText();
                Set<String> before = new HashSet<>();
                Set<String> inGroup = new HashSet<>();
                for (JsonNode r : g.path("rules")) {
                    if (r.has("record")) {
                        inGroup.add(r.path("record").asText());
                    }
                }
                for (JsonNode r : g.path("rules")) {
                    String name = r.has("record") ? r.path("record").asText() : r.path("alert").asText();
                    for (String read : Dashboard.names(r.path("expr").asText())) {
                        String where = recordedIn.get(read);
                        if (where == null || before.contains(read)) {
                            continue;
                        }
                        problems.add(f.getKey() + " group " + group + ": " + name + " reads " + read + ", which "
                                + (inGroup.contains(read) ? "is recorded after it" : where + " records"));
                    }
                    if (r.has("record")) {
                        before.add(name);
                    }
                }
            }
        }
        return problems;
    }
}
