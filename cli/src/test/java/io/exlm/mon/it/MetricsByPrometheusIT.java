package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LoopbackPrometheus;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code metrics --source prometheus --by handler} against a real Prometheus (Debian's, on loopback, a free port)
 * scraping the demo backend every second in its errors scenario (about one API request in six answered 5xx): the
 * table names the failing handlers, the worst first, each with its rate and p95, from PromQL that the real Prometheus
 * runs (no cut unanswered); the JSON has every handler, sorted by error ratio. Everything started here is stopped
 * in {@code finally}.
 */
class MetricsByPrometheusIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theFailingHandlersAreNamedWorstFirst() throws Exception {
        Tools.require("prometheus");
        DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0).withScenario(Scenario.ERRORS));
        Process prometheus = null;
        try {
            String target = demo.url().replaceFirst("^https?://", "").replaceFirst("/.*$", "");
            int port = Ports.free();
            prometheus = LoopbackPrometheus.start(dir, port, Map.of("exlm-backend", List.of(target)));
            String url = "http://127.0.0.1:" + port;
            try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
                PrometheusClient client = new PrometheusClient(http, url);
                // 20 s of scrapes (the window asked for, full) with server errors counted in it
                Polls.await(Duration.ofSeconds(90), () -> scalar(client, "max(count_over_time(up{job=\"exlm-backend\"}"
                        + "[20s]))") >= 19 && scalar(client, "sum(increase(http_requests_total{job=\"exlm-backend\","
                        + "status=~\"5..\"}[20s]))") > 0, prometheus, "prometheus");
            }
            Cli.Result json = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--window", "20s", "--by", "handler", "-o", "json");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            JsonNode table = JSON.readTree(json.out()).at("/by/0");
            assertThat(table.get("label").asText()).isEqualTo("handler");
            assertThat(table.get("reasons").size()).as(table.toString()).isZero();
            List<Double> ratios = new ArrayList<>();
            List<String> failing = new ArrayList<>();
            for (JsonNode row : table.get("rows")) {
                if (row.get("error_rate").isNumber()) {
                    ratios.add(row.get("error_rate").asDouble());
                    if (row.get("error_rate").asDouble() > 0.05) {
                        failing.add(row.get("value").asText());
                    }
                }
                assertThat(row.get("rps").isNumber()).as(row.toString()).isTrue();
            }
            assertThat(failing).as(table.toString()).isNotEmpty().allMatch(h -> h.startsWith("/api/v1/"));
            assertThat(table.at("/rows/0/value").asText()).isEqualTo(failing.get(0));
            assertThat(ratios).as("the worst error ratio first").isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(table.at("/rows/0/latency").isNumber()).as(table.toString()).isTrue();

            Cli.Result text = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--window", "20s", "--by", "handler,instance");
            assertThat(text.exitCode()).as(text.toString()).isZero();
            // the failing handler beyond the alert threshold, by name; the one instance Prometheus scrapes
            assertThat(text.out()).containsPattern("(?m)^/api/v1/\\S+ +\\S+/s +\\S+ +\\d+(\\.\\d)?% ALERT$")
                    .contains("by instance: Errors", target).doesNotContain("the query failed");
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                    prometheus.destroyForcibly();
                    prometheus.waitFor(10, TimeUnit.SECONDS);
                }
            }
            demo.close();
        }
    }

    private static double scalar(PrometheusClient client, String expr) {
        try {
            QueryResult r = client.query(expr, null);
            return r.series().isEmpty() ? 0 : r.series().get(0).value();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
