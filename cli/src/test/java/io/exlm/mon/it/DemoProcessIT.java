package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The packaged program, through the launcher: the demo backend as a process, checked with the real promtool. */
class DemoProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static boolean hasEverySample(String metrics) {
        return Catalog.METRICS.stream().allMatch(metric -> hasSample(metrics, metric));
    }

    private static boolean hasSample(String metrics, Catalog.Metric metric) {
        return metric.exposedNames().stream().anyMatch(n -> metrics.contains("\n" + n + " ")
                || metrics.contains("\n" + n + "{") || metrics.contains("\n" + n + "_bucket{"));
    }

    @Test
    void demoServesTheCatalogThatPromtoolAccepts() throws Exception {
        Path promtool = Tools.require("promtool");
        int port = Ports.free();
        try (Launcher.Running demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(port),
                "--ready-memory-threshold", "100", "--ready-disk-threshold", "100")) {
            String line = demo.awaitLine("exlm demo backend on", Duration.ofSeconds(60));
            Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)").matcher(line);
            assertThat(m.find()).as(line).isTrue();
            String url = m.group();
            assertThat(m.group(1)).isEqualTo(String.valueOf(port));
            // every catalog metric has a sample once the load generator's first requests were answered: poll for
            // that, with a deadline, instead of sleeping a guess
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String scraped = get(url + "/metrics");
            while (!hasEverySample(scraped) && System.nanoTime() - deadline < 0) {
                Thread.sleep(100);
                scraped = get(url + "/metrics");
            }
            String metrics = scraped;
            for (Catalog.Metric metric : Catalog.METRICS) {
                assertThat(hasSample(metrics, metric)).as(metric.name() + " in\n" + metrics).isTrue();
            }
            Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").start();
            check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
            check.getOutputStream().close();
            String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    + new String(check.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(check.exitValue()).as("promtool check metrics said: " + verdict).isZero();

            for (String path : new String[] {"/api/v1/health", "/api/v1/health/ready", "/api/v1/health/live",
                "/api/v1/health/metrics"}) {
                JsonNode doc = JSON.readTree(get(url + path));
                assertThat(doc.isObject()).as(path).isTrue();
            }

            Cli.Result health = Launcher.run(Duration.ofSeconds(60), Map.of(), "health", "--backend-url", url,
                    "--check", "all", "-o", "json");
            assertThat(health.exitCode()).as(health.toString()).isZero();
            // "warn" is a pass too: a busy CI host can have its CPU above the 80 % alert line
            assertThat(JSON.readTree(health.out()).get("healthy").asBoolean()).as(health.out()).isTrue();

            int code = demo.terminate(Duration.ofSeconds(10));
            assertThat(code).isEqualTo(143); // SIGTERM, after the shutdown hook ran
            assertThat(demo.err()).as("stdout: " + demo.out()).contains("demo backend stopped");
        }
    }

    @Test
    void closedPortThroughTheLauncherIsOneLineAndExit3() throws Exception {
        Cli.Result r = Launcher.run("health", "--backend-url", "http://127.0.0.1:" + Ports.closed());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("connection refused").doesNotContain("Exception");
    }

    @Test
    void versionThroughTheLauncher() throws Exception {
        Cli.Result r = Launcher.run("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("exlm-mon ");
        assertThat(r.err()).isEmpty();
    }
}
