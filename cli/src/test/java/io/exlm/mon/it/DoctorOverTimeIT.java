package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's checks over time against one real Prometheus (Debian's, every second) and real targets: a real
 * Pushgateway stopped and started three times is reported flapping with its count; a target that answers in 850 ms
 * against a 1 s timeout is reported slow; a backend whose Date header is 90 s ahead is reported with its offset; a
 * handler label with a value per URL is the top offender of cardinality; and {@code doctor -o json} carries each
 * figure. Every state change is awaited in Prometheus's own targets API with a deadline; every process started here
 * is stopped in {@code finally}.
 */
class DoctorOverTimeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How late the slow target answers: 85 % of its 1 s timeout. */
    private static final long SLOW_MILLIS = 850;
    private static final int HANDLERS = 120;

    @TempDir
    Path dir;

    @Test
    void flappingSlowScrapesClockOffsetAndCardinalityReportedWithTheirFigures() throws Exception {
        Path prometheusBin = Tools.require("prometheus");
        Path pushgatewayBin = Tools.require("prometheus-pushgateway");

        // a target that answers late, with a handler label that takes a value per URL
        StringBuilder body = new StringBuilder("# TYPE http_requests_total counter\n");
        for (int i = 0; i < HANDLERS; i++) {
            body.append("http_requests_total{method=\"GET\",handler=\"/api/v1/users/").append(1000 + i)
                    .append("\",status=\"2xx\"} ").append(i + 1).append('\n');
        }
        byte[] metrics = body.toString().getBytes(StandardCharsets.UTF_8);
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/metrics", ex -> {
            try {
                Thread.sleep(SLOW_MILLIS); // the behaviour under test: a slow /metrics
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, metrics.length);
            ex.getResponseBody().write(metrics);
            ex.close();
        });
        // a backend whose clock is 90 s ahead: only its Date header matters here
        FaultServer backend = new FaultServer((req, out, sock) -> {
            FaultServer.head(out, 200, "application/json", 2, Map.of("Date", DateTimeFormatter.RFC_1123_DATE_TIME
                    .format(Instant.now().plusSeconds(90).atOffset(ZoneOffset.UTC))));
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        });
        int flappyPort = Ports.free();
        int port = Ports.free();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: prometheus
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: flappy
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                  - job_name: slow
                    scrape_interval: 2s
                    scrape_timeout: 1s
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(port, flappyPort, slow.getAddress().getPort()));
        String url = "http://127.0.0.1:" + port;
        Process prometheus = null;
        Process pushgateway = null;
        slow.start();
        try {
            prometheus = new ProcessBuilder(prometheusBin.toString(), "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--log.level=warn").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            Process p = prometheus;
            Polls.await(Duration.ofSeconds(30), () -> health(url, "slow") != null
                    && health(url, "slow").path("lastScrapeDuration").asDouble() >= SLOW_MILLIS / 1000.0, p,
                    "prometheus");
            // the Pushgateway up, then stopped and started three times: three downs, each seen by a scrape
            for (int i = 0; i < 3; i++) {
                pushgateway = startPushgateway(pushgatewayBin, flappyPort);
                awaitHealth(url, "flappy", "up", p);
                pushgateway.destroy();
                pushgateway.waitFor();
                awaitHealth(url, "flappy", "down", p);
            }
            pushgateway = startPushgateway(pushgatewayBin, flappyPort);
            awaitHealth(url, "flappy", "up", p);

            Cli.Result r = Cli.exec("doctor", "--check", "history", "-o", "json", "--prometheus-url", url,
                    "--backend-url", backend.url(), "--since", "1h");
            assertThat(r.exitCode()).as(r.toString()).isZero(); // warnings, not failures
            Map<String, JsonNode> c = new LinkedHashMap<>();
            JSON.readTree(r.out()).path("checks").forEach(x -> c.put(x.path("id").asText(), x));
            System.out.println(r.out());

            // flapping, with its count; the steady targets not
            JsonNode flapping = c.get("history.flapping");
            assertThat(flapping.path("status").asText()).as(flapping.toString()).isEqualTo("warn");
            JsonNode flaps = flapping.path("figures").path("flapping");
            assertThat(flaps).as(flapping.toString()).hasSize(1);
            assertThat(flaps.get(0).path("job").asText()).isEqualTo("flappy");
            assertThat(flaps.get(0).path("instance").asText()).isEqualTo("127.0.0.1:" + flappyPort);
            assertThat(flaps.get(0).path("downs").asInt()).isEqualTo(3);
            assertThat(flaps.get(0).path("availability").asDouble()).isBetween(0.01, 0.99);
            assertThat(flapping.path("summary").asText()).contains("flappy 127.0.0.1:" + flappyPort
                    + " (down 3 times)", "all the history Prometheus has; asked 1h");
            // a young Prometheus is judged on what it has, and says how much
            assertThat(flapping.path("figures").path("since_seconds").asLong()).isEqualTo(3600);
            assertThat(flapping.path("figures").path("window_seconds").asLong()).isBetween(5L, 300L);

            // the slow target, with its share of the timeout; Prometheus's own scrape is not slow
            JsonNode duration = c.get("history.scrape-duration");
            assertThat(duration.path("status").asText()).as(duration.toString()).isEqualTo("warn");
            JsonNode slowOnes = duration.path("figures").path("slow");
            assertThat(slowOnes.findValuesAsText("job")).as(duration.toString()).contains("slow")
                    .doesNotContain("prometheus");
            for (JsonNode s : slowOnes) {
                if (s.path("job").asText().equals("slow")) {
                    assertThat(s.path("timeout_seconds").asDouble()).isEqualTo(1.0);
                    assertThat(s.path("max_seconds").asDouble()).isGreaterThanOrEqualTo(SLOW_MILLIS / 1000.0);
                    assertThat(s.path("share").asDouble()).isGreaterThanOrEqualTo(0.85);
                }
            }
            assertThat(duration.path("figures").path("threshold_share").asDouble()).isEqualTo(0.8);

            // the backend's clock, 90 s ahead of this host's and of Prometheus's, which agree
            JsonNode clock = c.get("history.clock-skew");
            assertThat(clock.path("status").asText()).as(clock.toString()).isEqualTo("warn");
            assertThat(clock.path("figures").path("backend_offset_seconds").asDouble()).isBetween(88.0, 92.0);
            assertThat(clock.path("figures").path("backend_vs_prometheus_seconds").asDouble()).isBetween(88.0, 92.0);
            assertThat(Math.abs(clock.path("figures").path("prometheus_offset_seconds").asDouble())).isLessThan(1.0);
            assertThat(clock.path("figures").path("off").asText()).isEqualTo("backend");
            assertThat(clock.path("summary").asText()).contains("the backend's clock is ", "ahead of this host's");

            // the handler label with a value per URL, the top offender
            JsonNode cardinality = c.get("history.cardinality");
            assertThat(cardinality.path("status").asText()).as(cardinality.toString()).isEqualTo("warn");
            JsonNode top = cardinality.path("figures").path("top").get(0);
            assertThat(top.path("metric").asText()).isEqualTo("http_requests_total");
            assertThat(top.path("label").asText()).isEqualTo("handler");
            assertThat(top.path("values").asInt()).isEqualTo(HANDLERS);

            // the disk: an ingest rate measured, nothing failing on this machine's free space
            JsonNode disk = c.get("history.disk-capacity");
            assertThat(disk.path("status").asText()).as(disk.toString()).isIn("ok", "warn");
            assertThat(disk.path("figures").path("samples_per_second").asDouble()).isPositive();

            // the text says the same
            Cli.Result text = Cli.exec("doctor", "--check", "history", "--prometheus-url", url, "--backend-url",
                    backend.url());
            assertThat(text.out().replaceAll("\\s+", " ")).contains("[WARN] history.flapping", "(down 3 times)", "[WARN] history.clock-skew",
                    "[WARN] history.scrape-duration", "[WARN] history.cardinality");
        } finally {
            if (pushgateway != null) {
                pushgateway.destroyForcibly().waitFor();
            }
            if (prometheus != null) {
                prometheus.destroyForcibly().waitFor();
            }
            slow.stop(0);
            backend.close();
        }
    }

    private static Process startPushgateway(Path bin, int port) throws Exception {
        return new ProcessBuilder(bin.toString(), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** The active target of a job, as Prometheus reports it; null before discovery. */
    private static JsonNode health(String url, String job) {
        try {
            for (JsonNode t : LocalStack.getJson(url + "/api/v1/targets?state=active").path("data")
                    .path("activeTargets")) {
                if (t.path("labels").path("job").asText().equals(job)) {
                    return t;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until a scrape after now has found the job's target in this health. */
    private static void awaitHealth(String url, String job, String health, Process prometheus) throws Exception {
        Instant after = Instant.now();
        Polls.await(Duration.ofSeconds(20), () -> {
            JsonNode t = health(url, job);
            return t != null && t.path("health").asText().equals(health)
                    && java.time.OffsetDateTime.parse(t.path("lastScrape").asText()).toInstant().isAfter(after);
        }, prometheus, "prometheus");
    }
}
