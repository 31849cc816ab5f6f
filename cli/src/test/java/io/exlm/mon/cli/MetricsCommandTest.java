package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path file(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, body);
        return p;
    }

    static final String BODY = """
            # TYPE http_requests_total counter
            http_requests_total{method="GET",handler="/a",status="200"} %d
            http_requests_total{method="GET",handler="/a",status="503"} %d
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{method="GET",handler="/a",le="0.1"} %d
            http_request_duration_seconds_bucket{method="GET",handler="/a",le="0.5"} %d
            http_request_duration_seconds_bucket{method="GET",handler="/a",le="+Inf"} %d
            http_request_duration_seconds_sum{method="GET",handler="/a"} 12.5
            http_request_duration_seconds_count{method="GET",handler="/a"} %d
            # TYPE cache_hits_total counter
            cache_hits_total 30
            """;

    /** Two replicas' gauges, as Prometheus's federation or a merged body has them. */
    private static final String REPLICAS = """
            # TYPE cpu_usage_percent gauge
            cpu_usage_percent{instance="a:8000"} 99
            cpu_usage_percent{instance="b:8000"} 97
            # TYPE celery_tasks_pending gauge
            celery_tasks_pending{instance="a:8000"} 12
            celery_tasks_pending{instance="b:8000"} 12
            """;

    @Test
    void gaugesOfSeveralInstancesAreCombinedNotAdded() throws Exception {
        Path p = file("replicas.prom", REPLICAS);
        Cli.Result text = Cli.exec("metrics", "--file", p.toString());
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("cpu 99 %").doesNotContain("cpu 196")
                .containsPattern("cpu_usage_percent +gauge +99 +- +2 \\(max of 2 instances\\)");
        Cli.Result json = Cli.exec("metrics", "--file", p.toString(), "-o", "json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.at("/derived/cpu_percent").asDouble()).isEqualTo(99.0);
        assertThat(doc.at("/derived/celery_pending").asDouble()).isEqualTo(12.0);
        assertThat(doc.at("/gauges/cpu_usage_percent/per_instance/b:8000").asDouble()).isEqualTo(97.0);
    }

    @Test
    void theConfigFileOverridesHowAGaugeCombines() throws Exception {
        Path p = file("replicas.prom", REPLICAS);
        Path config = file("config.properties", "combine.celery_tasks_pending = sum\n");
        Cli.Result r = Cli.exec("metrics", "--file", p.toString(), "--config", config.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.at("/derived/celery_pending").asDouble()).isEqualTo(24.0);
        assertThat(doc.at("/gauges/celery_tasks_pending/combined").asText()).isEqualTo("sum/sum");

        Path bad = file("bad.properties", "# how the queue adds up\ncombine.celery_tasks_pending = average\n");
        Cli.Result refused = Cli.exec("metrics", "--file", p.toString(), "--config", bad.toString());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.errLines()).containsExactly("exlm-mon metrics: " + bad + ":2: combine.celery_tasks_pending:"
                + " 'average' is not a combination; use sum or max (see 'exlm-mon metrics --help')");
        // every command refuses it, not only those that combine gauges
        Cli.Result health = Cli.exec("health", "--config", bad.toString(), "--backend-url", "http://127.0.0.1:1");
        assertThat(health.exitCode()).as(health.toString()).isEqualTo(2);
        assertThat(health.err()).contains(bad + ":2: combine.celery_tasks_pending");
    }

    @Test
    void checkValidFile() throws Exception {
        Path p = file("ok.txt", BODY.formatted(10, 1, 5, 9, 11, 11));
        Cli.Result r = Cli.exec("metrics", "check", p.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(p + ": valid Prometheus text exposition (8 samples, 11 lines)\n");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void checkInvalidFileListsEveryProblemOnItsOwnLine() throws Exception {
        Path p = file("bad.txt", "a 1\nb{x=1} 2\n# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_count 3\n");
        Cli.Result r = Cli.exec("metrics", "check", p.toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly(
                p + ":2:5: expected '\"' to start the label value",
                p + ":4:1: histogram h has no le=\"+Inf\" bucket (every histogram needs one)");
        assertThat(r.errLines()).containsExactly("exlm-mon: " + p
                + " is not a valid Prometheus text exposition: 2 problems");
    }

    @Test
    void checkReadsStdinAndTellsOpenMetricsByItsEof() {
        Cli.Result r = new Cli().stdin("# TYPE a gauge\na 1\n# EOF\n".getBytes(StandardCharsets.UTF_8))
                .run("metrics", "check", "-", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("\"format\" : \"openmetrics\"", "\"valid\" : true");

        Cli.Result bad = new Cli().stdin("a 1\n".getBytes(StandardCharsets.UTF_8))
                .run("metrics", "check", "--format", "openmetrics");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.out()).startsWith("-:1:1: the exposition does not end with '# EOF'");
    }

    @Test
    void checkUnreadableIsExit3OnOneLine() {
        Cli.Result r = Cli.exec("metrics", "check", dir.resolve("nope.txt").toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("cannot read", "no such file");
        Cli.Result d = Cli.exec("metrics", "check", dir.toString());
        assertThat(d.exitCode()).isEqualTo(3);
        assertThat(d.err()).contains("is a directory");
    }

    @Test
    void checkCatalogNamesWhatIsMissingOrWrong() throws Exception {
        Path p = file("cat.txt", BODY.formatted(10, 1, 5, 9, 11, 11)
                + "# TYPE cpu_usage_percent counter\ncpu_usage_percent 5\nactive_user 4\n");
        Cli.Result r = Cli.exec("metrics", "check", p.toString(), "--catalog");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out()).contains(p + ": catalog: cpu_usage_percent is a counter, documented as gauge\n",
                p + ": catalog: active_users (gauge) is not exposed (near: active_user)\n",
                p + ": catalog: cache_misses (counter) is not exposed\n")
                .doesNotContain("catalog: cache_hits", "catalog: http_requests_total");
    }

    @Test
    void snapshotFromOneFileAsJson() throws Exception {
        Path p = file("one.txt", BODY.formatted(10, 1, 5, 9, 11, 11));
        Cli.Result r = Cli.exec("metrics", "--file", p.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.fieldNames()).toIterable().startsWith("source", "metrics", "latency_seconds", "missing");
        assertThat(doc.get("source").asText()).isEqualTo(p.toString());
        assertThat(doc.get("metrics").get("cache_hits").asDouble()).isEqualTo(30);
        assertThat(doc.get("metrics").get("http_requests_total")).hasSize(2);
        // p50: rank 5.5 of 11 in (0.1, 0.5]: 0.1 + 0.4 * 0.5 / 4
        assertThat(doc.get("latency_seconds").get("p50").asDouble()).isCloseTo(0.15, within(1e-12));
        assertThat(doc.get("missing").toString()).contains("cache_misses").doesNotContain("cache_hits");
        assertThat(doc.get("derived").get("error_ratio").asDouble()).isCloseTo(1 / 11.0, within(1e-12));
        assertThat(doc.get("derived").get("requests_per_second").get("reason").asText())
                .isEqualTo("needs a second scrape for a rate (use --window)");
    }

    @Test
    void ratesFromTwoFilesAWindowApart() throws Exception {
        Path a = file("a.txt", BODY.formatted(10, 1, 5, 9, 11, 11));
        Path b = file("b.txt", BODY.formatted(40, 11, 15, 39, 51, 51));
        Cli.Result r = Cli.exec("metrics", "--file", a.toString(), "--file", b.toString(), "--window", "10s",
                "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("window_seconds").asDouble()).isEqualTo(10);
        assertThat(doc.get("derived").get("requests_per_second").asDouble()).isCloseTo(4.0, within(1e-12));
        assertThat(doc.get("derived").get("error_ratio").asDouble()).isCloseTo(0.25, within(1e-12));
        // windowed buckets: 0.1 -> 1, 0.5 -> 3, +Inf -> 4 per second; p50 rank 2 in (0.1, 0.5]
        assertThat(doc.get("latency_seconds").get("p50").asDouble()).isCloseTo(0.1 + 0.4 * 0.5, within(1e-12));

        Cli.Result text = Cli.exec("metrics", "--file", a.toString(), "--file", b.toString(), "--window", "10s");
        assertThat(text.out()).contains("window 10s", "http_requests_total", "requests/s 4 ");
    }

    @Test
    void usageErrors() throws Exception {
        Path a = file("a.txt", "a 1\n");
        assertThat(Cli.exec("metrics", "--file", a.toString(), "--file", a.toString()).exitCode()).isEqualTo(2);
        assertThat(Cli.exec("metrics", "--file", a.toString(), "--window", "5s").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("metrics", "--source", "nowhere").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("metrics", "--source", "prometheus", "--file", a.toString()).exitCode()).isEqualTo(2);
        assertThat(Cli.exec("metrics", "-o", "junit", "--file", a.toString()).exitCode()).isEqualTo(2);
    }

    @Test
    void anInvalidFileForASnapshotIsExit3WithItsLocation() throws Exception {
        Path a = file("a.txt", "a 1\nb{ 2\n");
        Cli.Result r = Cli.exec("metrics", "--file", a.toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.errLines()).singleElement().asString().startsWith("exlm-mon: " + a + ":2:");
    }

    @Test
    void scrapesTheDemoBackendWholeCatalog() throws Exception {
        try (DemoServer demo = DemoServer.start(DemoServer.Config.defaults().withPort(0))) {
            // a fresh demo may have served no request yet, and then has no HTTP series at all
            Cli.Result fresh = Cli.exec("metrics", "--backend-url", demo.url(), "-o", "json");
            assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
            // once it has served a request (its own /metrics counts), the whole catalog is there
            JsonNode doc = null;
            for (int i = 0; i < 50 && (doc == null || !doc.get("missing").isEmpty()); i++) {
                Thread.sleep(doc == null ? 0 : 100);
                Cli.Result r = Cli.exec("metrics", "--backend-url", demo.url(), "-o", "json");
                assertThat(r.exitCode()).as(r.toString()).isZero();
                doc = JSON.readTree(r.out());
            }
            assertThat(doc.get("missing")).isEmpty();
            assertThat(doc.get("source").asText()).isEqualTo(demo.url() + "/metrics");
            assertThat(doc.get("metrics").get("cpu_usage_percent").isNumber()).isTrue();
        }
    }

    @Test
    void scrapesLikePrometheusAcceptGzipAndParserByContentType() throws Exception {
        byte[] om = "# TYPE cache_hits counter\ncache_hits_total 7\ncache_hits_created 1.7e9\n# EOF\n"
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(om);
        }
        try (FaultServer server = new FaultServer((req, out, sock) -> {
            FaultServer.head(out, 200, "application/openmetrics-text; version=1.0.0; charset=utf-8",
                    gz.size(), Map.of("Content-Encoding", "gzip"));
            out.write(gz.toByteArray());
        })) {
            Cli.Result r = Cli.exec("metrics", "--backend-url", server.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(JSON.readTree(r.out()).get("metrics").get("cache_hits").asDouble()).isEqualTo(7);
            FaultServer.Request req = server.requests().get(0);
            assertThat(req.path()).isEqualTo("/metrics");
            assertThat(req.header("Accept")).startsWith("application/openmetrics-text;version=1.0.0,")
                    .contains("text/plain;version=0.0.4;q=0.5");
            assertThat(req.header("Accept-Encoding")).contains("gzip");
        }
        // text/plain goes to the text parser; a body it refuses is exit 3 with the place
        try (FaultServer server = new FaultServer((req, out, sock) ->
                FaultServer.respond(out, 200, "text/plain; version=0.0.4", "a{ 1\n"))) {
            Cli.Result r = Cli.exec("metrics", "--backend-url", server.url());
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.errLines()).singleElement().asString().contains(server.url() + "/metrics",
                    "not a valid Prometheus text exposition: line 1, column 4: expected a label name");
        }
        try (FaultServer server = new FaultServer((req, out, sock) ->
                FaultServer.respond(out, 200, "text/html", "<html>login</html>"))) {
            Cli.Result r = Cli.exec("metrics", "--backend-url", server.url());
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.err()).contains("got an HTML page, not metrics");
        }
    }

    @Test
    void helpOnEveryLevel() {
        Cli.Result m = Cli.exec("metrics", "--help");
        assertThat(m.exitCode()).isZero();
        assertThat(m.out()).contains("Usage: exlm-mon metrics", "--window=DURATION", "check  Validate an exposition");
        Cli.Result c = Cli.exec("metrics", "check", "--help");
        assertThat(c.exitCode()).isZero();
        assertThat(c.out()).contains("Usage: exlm-mon metrics check", "--catalog");
        assertThat(c.out()).containsPattern("(?m)^  0 +valid$").containsPattern("(?m)^  1 +invalid \\(each problem");
    }

    /** One vocabulary with top: --source scrape; the old word backend still works, with a notice on stderr. */
    @Test
    void theScrapeSourceIsCalledScrapeAndBackendStillWorksWithANotice() throws Exception {
        Path p = file("one.txt", BODY.formatted(10, 1, 5, 9, 11, 11));
        Cli.Result scrape = Cli.exec("metrics", "--source", "scrape", "--file", p.toString(), "-o", "json");
        assertThat(scrape.exitCode()).as(scrape.toString()).isZero();
        assertThat(scrape.err()).isEmpty();
        Cli.Result old = Cli.exec("metrics", "--source", "backend", "--file", p.toString(), "-o", "json");
        assertThat(old.exitCode()).as(old.toString()).isZero();
        assertThat(old.errLines()).containsExactly("exlm-mon: --source backend is now called --source scrape");
        assertThat(old.out()).isEqualTo(scrape.out());
        Cli.Result wrong = Cli.exec("metrics", "--source", "file", "--file", p.toString());
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("--source must be scrape or prometheus, not 'file'");
        Cli.Result top = Cli.exec("top", "--source", "backend", "--once", "--backend-url", "http://127.0.0.1:"
                + io.exlm.mon.testing.Ports.closed());
        assertThat(top.exitCode()).isEqualTo(3);
        assertThat(top.err()).startsWith("exlm-mon: --source backend is now called --source scrape\n");
    }
}
