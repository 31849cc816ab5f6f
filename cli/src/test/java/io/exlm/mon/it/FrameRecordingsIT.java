package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scope;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LoopbackPrometheus;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame read from the shipped recordings (stack/prometheus/rules/exlm-frame.yml) by a real Prometheus gives the
 * very snapshot that the frame's own queries give. Two instances of the backend serve the demo's exposition as it
 * was at one moment, one under the counters' older spellings (no _total), so that the figures hold still and the two
 * snapshots, taken at different times, must agree to the last digit: each panel's figure, the gauges' instances and
 * top instances, a counter's spelling, the latency percentiles.
 */
class FrameRecordingsIT {
    @TempDir
    Path dir;

    @Test
    void theRecordedFrameIsTheQueriedFrame() throws Exception {
        Tools.require("prometheus");
        // the demo's exposition once it has served requests of every status (its counters and buckets not all 0)
        java.util.concurrent.atomic.AtomicReference<String> served = new java.util.concurrent.atomic.AtomicReference<>();
        try (DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0))) {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            java.util.regex.Pattern failed = java.util.regex.Pattern.compile(
                    "(?m)^http_requests_total\\{[^}]*status=\"5\\d\\d\"[^}]*\\} [1-9]");
            Polls.await(Duration.ofSeconds(60), "a demo exposition with 5xx requests counted", () -> {
                try {
                    served.set(c.send(HttpRequest.newBuilder(URI.create(demo.url() + "/metrics")).timeout(Duration
                            .ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body());
                } catch (java.io.IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                return failed.matcher(served.get()).find();
            });
        }
        String body = served.get();
        assertThat(body).contains("error_count_total").contains("model_training_total")
                .contains("http_request_duration_seconds_bucket");
        // one counter under its older spelling on both instances: the spelling they expose is the one named
        body = body.replaceAll("(?m)^model_training_total", "model_training");
        // the other instance: counters without _total (client libraries before OpenMetrics), CPU of its own
        String older = body.replaceAll("(?m)^(error_count|dataset_processing|cache_hits|cache_misses)"
                + "_total", "$1").replaceAll("(?m)^(cpu_usage_percent(?:\\{[^}]*\\})?) \\S+$", "$1 17.5");
        List<HttpServer> servers = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (String b : List.of(body, older)) {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            s.createContext("/metrics", ex -> {
                ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                ex.sendResponseHeaders(200, bytes.length);
                ex.getResponseBody().write(bytes);
                ex.close();
            });
            s.start();
            servers.add(s);
            targets.add("127.0.0.1:" + s.getAddress().getPort());
        }
        Path rules = Files.write(dir.resolve("exlm-frame.yml"), io.exlm.mon.stack.StackFiles.read(StackFiles.FRAME));
        int port = Ports.free();
        Process prometheus = LoopbackPrometheus.start(dir, port, Map.of(io.exlm.mon.source.Catalog.BACKEND_JOB,
                targets), List.of(rules));
        String url = "http://127.0.0.1:" + port;
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient client = new PrometheusClient(http, url);
            // a recording evaluated once both instances had been scraped twice (a rate over two samples of each)
            String evaluated = "min(timestamp(exlm:frame:cpu_usage_percent))";
            double[] recordedAt = {Double.NaN};
            String[] last = {"nothing"};
            try {
                Polls.await(Duration.ofSeconds(90), () -> {
                    QueryResult firstScrapes = client.query("min(min_over_time(timestamp(up{job=\""
                            + io.exlm.mon.source.Catalog.BACKEND_JOB + "\"})[5m:1s])) and on() count(up == 1) == 2",
                            Instant.now(), client.budget());
                    QueryResult rec = client.query(evaluated, Instant.now(), client.budget());
                    last[0] = "scrapes " + firstScrapes + ", recording " + rec;
                    if (!firstScrapes.isEmpty() && !rec.isEmpty()
                            && rec.series().get(0).value() > firstScrapes.series().get(0).value() + 3) {
                        recordedAt[0] = rec.series().get(0).value();
                        return true;
                    }
                    return false;
                }, prometheus, "prometheus");
            } catch (AssertionError e) {
                throw new AssertionError("no recording of the frame after two scrapes of each instance; last: "
                        + last[0] + "; log: " + (Files.exists(dir.resolve("prometheus.log")) ? Files.readString(
                                dir.resolve("prometheus.log")) : ""), e);
            }

            Instant at = Instant.ofEpochMilli(Math.round(recordedAt[0] * 1000)).plusSeconds(1);
            // every sample up to `at` stored: each instance has a scrape stamped after it (a target's scrapes are
            // stored in order), so that both snapshots at `at` see the same samples
            String after = "count(timestamp(up{job=\"" + io.exlm.mon.source.Catalog.BACKEND_JOB + "\"}) > "
                    + at.getEpochSecond() + "." + String.format("%03d", at.getNano() / 1_000_000) + ") == 2";
            Polls.await(Duration.ofSeconds(30), "a scrape of both instances after " + at,
                    () -> !client.query(after, Instant.now(), client.budget()).isEmpty());
            List<String> recordedLog = new ArrayList<>();
            Snapshot recorded;
            try (PrometheusSource s = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups()).recordings(PanelId.WINDOW).log(recordedLog::add)) {
                recorded = s.snapshot(at);
            }
            // the recorded frame is of the recordings' evaluation: the queries asked at that time
            assertThat(recorded.timeMillis()).isEqualTo(Math.round(recordedAt[0] * 1000));
            Snapshot queried;
            try (PrometheusSource s = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups())) {
                queried = s.snapshot(Instant.ofEpochMilli(recorded.timeMillis()));
            }
            int frame = PrometheusSource.queries(Scope.BACKEND, Combination.defaults(), PanelId.WINDOW,
                    PanelId.queryGroups()).size();
            assertThat(recordedLog).as("every query of the frame read from its recording")
                    .anySatisfy(l -> assertThat(l).contains(frame + " read from the " + PrometheusSource.FRAME_GROUP));
            assertThat(queried.missing()).as("the panels' metrics, all there").isEmpty();
            assertThat(recorded.recorded().queries()).isEqualTo(frame);
            String a = recorded.recorded(null).document().toString();
            String b = queried.document().toString();
            assertThat(a).isEqualTo(b);
            assertThat(a).contains("instances=2").contains("17.5");
            assertThat(queried.reading("http_requests_total").total()).as("requests counted").isPositive();
            assertThat(recorded.reading("model_training_total").exposedAs()).isEqualTo(queried.reading(
                    "model_training_total").exposedAs()).isEqualTo("model_training");
            assertThat(recorded.reading("error_count").exposedAs()).isEqualTo(queried.reading("error_count")
                    .exposedAs());
            assertThat(recorded.reading("error_count").series()).isEqualTo(queried.reading("error_count").series())
                    .isNotEmpty();

            // and through the command, as on-call runs it
            Cli.Result viaRecordings = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", url, "-o",
                    "json", "-v");
            assertThat(viaRecordings.exitCode()).as(viaRecordings.toString()).isZero();
            assertThat(viaRecordings.err()).contains(frame + " read from the " + PrometheusSource.FRAME_GROUP);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            servers.forEach(s -> s.stop(0));
        }
    }
}
