package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.Yaml;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.ConfigWriter;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Polls;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The meta alerts on the real local stack ({@code exlm-mon up --runtime local}, 1 s intervals, the rule files as
 * shipped, durations included): the Watchdog reaches a webhook this test runs, through Prometheus and Alertmanager; an
 * old smoke-result timestamp on the real Pushgateway fires SmokeResultsStale and a fresh one resolves it; removing
 * the backend's scrape job from the configuration (the backend still running) fires BackendMetricsAbsent after its
 * minute. Everything started here is stopped by {@link LocalStack#close()}, also on failure.
 */
class MetaAlertsStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    /** The firing alerts of this name, from Prometheus. */
    private static List<JsonNode> firing(String prometheus, String alert) throws Exception {
        List<JsonNode> out = new java.util.ArrayList<>();
        for (JsonNode a : LocalStack.getJson(prometheus + "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals(alert) && a.path("state").asText()
                    .equals("firing")) {
                out.add(a);
            }
        }
        return out;
    }

    private void pushTimestamp(String pushgateway, double seconds) throws Exception {
        String body = "# TYPE exlm_mon_last_run_timestamp_seconds gauge\nexlm_mon_last_run_timestamp_seconds "
                + seconds + "\n";
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(pushgateway
                + "/metrics/job/exlm-mon/command/health")).PUT(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 202);
    }

    @Test
    void theWatchdogArrivesStaleResultsAndAnAbsentBackendJobFire() throws Exception {
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            try (exchange) {
                delivered.add(JSON.readTree(exchange.getRequestBody()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        webhook.start();
        try (LocalStack stack = LocalStack.prepare(tmp, "1s")) {
            // this test's own receiver instead of the stack's, to read what arrives as it arrives
            Files.writeString(stack.config(), Files.readString(stack.config()).replaceAll(
                    "(?m)^alertmanager\\.webhook-url = .*\n", "") + "alertmanager.webhook-url = http://127.0.0.1:"
                    + webhook.getAddress().getPort() + "/alerts\n");
            Cli.Result up = stack.exlm(Duration.ofSeconds(150), "up", "--runtime", "local", "--wait", "--timeout",
                    "90s");
            assertThat(up.exitCode()).as(up.toString()).isZero();
            String prometheus = stack.prometheus();

            // 3, started first since it takes longest: the backend's scrape job removed from the running
            // configuration, the backend left running
            Path config = stack.stateDir().resolve("local/config/prometheus/prometheus.yml");
            ObjectNode root = (ObjectNode) Yaml.read(Files.readString(config), config.toString());
            ArrayNode jobs = (ArrayNode) root.path("scrape_configs");
            boolean removed = false;
            for (Iterator<JsonNode> it = jobs.iterator(); it.hasNext(); ) {
                if (it.next().path("job_name").asText().equals(Catalog.BACKEND_JOB)) {
                    it.remove();
                    removed = true;
                }
            }
            assertThat(removed).isTrue();
            Files.writeString(config, ConfigWriter.yaml(root));
            new ProcessBuilder("kill", "-HUP", String.valueOf(stack.pid("prometheus"))).start().waitFor();
            LocalStack.awaitJson(Duration.ofSeconds(30), "Prometheus reloaded without the backend's job",
                    () -> LocalStack.get(prometheus + "/api/v1/targets?state=active"),
                    d -> !d.path("data").path("activeTargets").toString().contains("\"job\":\"" + Catalog.BACKEND_JOB
                            + "\""));
            long removedAt = System.currentTimeMillis();

            // 1. the Watchdog, end to end, at its own receiver
            Polls.await(Duration.ofSeconds(60), "the Watchdog at the webhook", () -> delivered.stream().anyMatch(
                    b -> b.path("receiver").asText().equals("exlm-watchdog") && b.path("alerts").toString()
                            .contains("\"alertname\":\"Watchdog\"")));

            // 2. a smoke result pushed 26 hours ago fires SmokeResultsStale; one pushed now resolves it
            double now = System.currentTimeMillis() / 1000.0;
            pushTimestamp(stack.pushgateway(), now - 26 * 3600);
            LocalStack.awaitJson(Duration.ofSeconds(60), "SmokeResultsStale firing",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> !firing(prometheus, "SmokeResultsStale").isEmpty());
            JsonNode stale = firing(prometheus, "SmokeResultsStale").get(0);
            assertThat(stale.path("labels").path("command").asText()).isEqualTo("health");
            assertThat(stale.path("labels").path("severity").asText()).isEqualTo("warning");
            assertThat(stale.path("annotations").path("summary").asText()).startsWith(
                    "No exlm-mon health results from CI for 1d 2h");
            pushTimestamp(stack.pushgateway(), System.currentTimeMillis() / 1000.0);
            LocalStack.awaitJson(Duration.ofSeconds(60), "SmokeResultsStale resolved",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> firing(prometheus, "SmokeResultsStale").isEmpty());

            // 3. Prometheus 2.42 writes no staleness markers for the series of a job removed by a reload: up of the
            // backend's job stays visible for the query lookback after its last scrape (5 minutes on the shipped
            // stack; 30 s on this one, whose scrape interval is 1 s: StackConfig.lookbackDelta), and the alert
            // fires a minute after that
            LocalStack.awaitJson(Duration.ofSeconds(180), "BackendMetricsAbsent firing",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> !firing(prometheus, "BackendMetricsAbsent").isEmpty());
            JsonNode absent = firing(prometheus, "BackendMetricsAbsent").get(0);
            assertThat(absent.path("labels").path("job").asText()).isEqualTo(Catalog.BACKEND_JOB);
            assertThat(absent.path("labels").path("severity").asText()).isEqualTo("critical");
            // what fired is the job's absence, not a backend that stopped: it still answers
            assertThat(client.send(HttpRequest.newBuilder(URI.create(stack.demoUrl() + "/api/v1/health/live"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
            // and it held its minute: active (absent) at least 60 s before it was seen firing
            java.time.Instant activeAt = java.time.Instant.parse(absent.path("activeAt").asText());
            assertThat(activeAt.toEpochMilli()).isGreaterThan(removedAt - 1000);
            assertThat(System.currentTimeMillis() - activeAt.toEpochMilli()).isGreaterThanOrEqualTo(60_000);
            assertThat(firing(prometheus, "ServiceDown").stream().map(a -> a.path("labels").path("job").asText())
                    .toList()).as("no target is down: ServiceDown says nothing of a removed job")
                    .doesNotContain(Catalog.BACKEND_JOB);
        } finally {
            webhook.stop(0);
        }
    }
}
