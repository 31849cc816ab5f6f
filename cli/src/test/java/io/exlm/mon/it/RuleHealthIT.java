package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.RuleHealth;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No alerts" is green only when the rules that would fire are loaded and evaluate, judged on a real Prometheus: the
 * stack's alert rules with the recording rule HighErrorRate reads moved into a group of its own and broken as a real
 * one breaks (two metric names into one label set: "vector cannot contain metrics with the same labelset", at every
 * evaluation), and ServiceDown left out. The CI gate
 * {@code alerts --fail-if-firing} is then red and says why, its JSON names the failing rule, doctor fails
 * {@code prometheus.rules}, top's Alerts panel says the rules are incomplete; after the shipped file is reloaded, all
 * of them are green again. The Prometheus started here is stopped at the end, also on failure.
 */
class RuleHealthIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RATIO = "exlm:http_request_errors:ratio_rate5m";

    @TempDir
    Path dir;

    /** The health of rule {@code name} as Prometheus reports it, or "" while it is not there. */
    private static String health(String url, String name) {
        try {
            for (JsonNode g : LocalStack.getJson(url + "/api/v1/rules").path("data").path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (r.path("name").asText().equals(name)) {
                        return r.path("health").asText();
                    }
                }
            }
            return "";
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void aFailingOrMissingRuleTurnsTheGateRedUntilTheShippedRulesAreBack() throws Exception {
        Path bin = Tools.require("prometheus");
        String shipped = StackFiles.text(StackFiles.ALERTS);
        YAMLMapper yaml = new YAMLMapper();
        ObjectNode broken = (ObjectNode) yaml.readTree(shipped);
        // the ratio's recording rule moved into a group of its own, as a team that keeps recording rules apart
        // would: HighErrorRate still reads it, so its failure is exlm's wherever it lives
        ObjectNode moved = null;
        for (JsonNode g : broken.path("groups")) {
            for (Iterator<JsonNode> it = ((ArrayNode) g.path("rules")).iterator(); it.hasNext(); ) {
                ObjectNode r = (ObjectNode) it.next();
                if (RATIO.equals(r.path("record").asText())) {
                    r.put("expr", "abs({job=\"prometheus\",__name__=~\"go_gc_duration_seconds_count"
                            + "|go_gc_duration_seconds_sum\"})");
                    moved = r;
                    it.remove();
                } else if ("ServiceDown".equals(r.path("alert").asText())) {
                    it.remove();
                }
            }
        }
        assertThat(moved).as("the shipped file has the ratio's recording rule").isNotNull();
        ObjectNode own = ((ArrayNode) broken.path("groups")).addObject();
        own.put("name", "my-recording");
        own.putArray("rules").add(moved);
        Path rules = dir.resolve("exlm-alerts.yml");
        Files.writeString(rules, yaml.writeValueAsString(broken));
        int port = Ports.free();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ['%s']
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(rules, port));
        Process prometheus = new ProcessBuilder(bin.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--web.enable-lifecycle", "--log.level=warn").redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        String am = "http://127.0.0.1:" + Ports.closed();
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            // a rule errs once the self-scrape has both series: poll Prometheus's own word for it
            Polls.await(Duration.ofSeconds(60), () -> health(url, RATIO).equals("err"), prometheus, "prometheus");

            Cli.Result gate = Cli.exec("alerts", "--prometheus-url", url, "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
            assertThat(gate.err()).contains("exlm's alerts cannot all fire: not loaded: ServiceDown; rule failing: "
                    + RATIO, "same labelset");
            Cli.Result json = Cli.exec("alerts", "--prometheus-url", url, "--alertmanager-url", am, "-o", "json");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonNode doc = JSON.readTree(json.out()).path("rules");
            assertThat(doc.path("missing").toString()).isEqualTo("[\"ServiceDown\"]");
            assertThat(doc.at("/failing/0/rule").asText()).isEqualTo(RATIO);
            assertThat(doc.at("/failing/0/group").asText()).isEqualTo("my-recording");
            assertThat(doc.at("/failing/0/error").asText()).contains("same labelset");
            Cli.Result doctor = Cli.exec("doctor", "--check", "prometheus.rules", "--prometheus-url", url, "-o",
                    "json");
            assertThat(doctor.exitCode()).as(doctor.toString()).isEqualTo(1);
            JsonNode figures = null;
            for (JsonNode c : JSON.readTree(doctor.out()).path("checks")) {
                if (c.path("id").asText().equals("prometheus.rules")) {
                    figures = c.path("figures");
                }
            }
            assertThat(figures).as(doctor.out()).isNotNull();
            assertThat(figures.path("missing_alerts").toString()).as(doctor.out()).isEqualTo("[\"ServiceDown\"]");
            assertThat(figures.at("/failing_rules/0/rule").asText()).as(doctor.out()).isEqualTo(RATIO);
            PrometheusClient client = new PrometheusClient(http, url);
            AlertsPanel panel = AlertsPanel.read(client, null, Clock.systemUTC(),
                    () -> RuleHealth.of(client.rules(), StackFiles.alertNames()));
            assertThat(panel.error()).isNull();
            assertThat(panel.rules()).contains("not loaded: ServiceDown", "rule failing: " + RATIO);

            // the shipped rules back, reloaded: every view is green again
            Files.writeString(rules, shipped);
            assertThat(LocalStack.post(url + "/-/reload", "").statusCode()).isEqualTo(200);
            Polls.await(Duration.ofSeconds(60), () -> health(url, RATIO).equals("ok")
                    && health(url, "ServiceDown").equals("ok"), prometheus, "prometheus");
            Cli.Result green = Cli.exec("alerts", "--prometheus-url", url, "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(green.exitCode()).as(green.toString()).isZero();
            assertThat(green.out()).doesNotContain("warning");
            assertThat(AlertsPanel.read(client, null, Clock.systemUTC(),
                    () -> RuleHealth.of(client.rules(), StackFiles.alertNames())).rules()).isNull();
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
            }
        }
    }
}
