package io.exlm.mon.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DemoServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private DemoServer demo;
    /** Raw connections a test opened: closed after it, also when it fails. */
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    private DemoServer start(DemoServer.Config config) {
        demo = DemoServer.start(config);
        return demo;
    }

    private static DemoServer.Config quiet() {
        return new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, null, null, false, 100, 100);
    }

    /** Opens {@code n} connections to the demo; each sends {@code prefix} (nothing when empty) and then waits. */
    private List<Socket> flood(int n, String prefix) throws IOException {
        List<Socket> opened = new ArrayList<>();
        int port = java.net.URI.create(demo.url()).getPort();
        for (int i = 0; i < n; i++) {
            Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
            sockets.add(s);
            opened.add(s);
            if (!prefix.isEmpty()) {
                s.getOutputStream().write(prefix.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
            }
        }
        return opened;
    }

    /** Whether the server closed this connection: end of stream (an answer first is allowed), or a reset. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(1);
            InputStream in = s.getInputStream();
            byte[] buf = new byte[512];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private int liveStatus() throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(demo.url() + "/api/v1/health/live"))
                .timeout(Duration.ofSeconds(30)).build();
        return client.send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(demo.url() + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void exposesEveryCatalogMetricInTheTextFormat() throws Exception {
        start(DemoServer.Config.defaults().withPort(0));
        // one answered request of our own rather than waiting for the load generator's: the normal scenario fails a
        // few requests, so ask until one succeeds
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (get("/api/v1/models", null).statusCode() != 200) {
            assertThat(System.nanoTime() - deadline).as("a 200 from /api/v1/models within a minute").isNegative();
        }
        HttpResponse<String> r = get("/metrics", "text/plain");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        for (Catalog.Metric m : Catalog.METRICS) {
            String type = m.type().name().toLowerCase(java.util.Locale.ROOT);
            boolean found = m.exposedNames().stream().anyMatch(n -> Pattern.compile("(?m)^# TYPE " + n + " " + type
                    + "$").matcher(r.body()).find());
            assertThat(found).as(m.name() + " with type " + type + " in\n" + r.body()).isTrue();
        }
        assertThat(r.body()).containsPattern("(?m)^http_requests_total\\{handler=\"/api/v1/models\",method=\"GET\","
                + "status=\"200\"} [1-9]");
        assertThat(r.body()).contains("http_request_duration_seconds_bucket{handler=\"/api/v1/models\",method=\"GET\","
                + "le=\"+Inf\"}");
    }

    @Test
    void negotiatesOpenMetrics() throws Exception {
        start(DemoServer.Config.defaults().withPort(0));
        HttpResponse<String> r = get("/metrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(r.body()).contains("# TYPE cache_hits counter").contains("cache_hits_total ").endsWith("# EOF\n");
    }

    @Test
    void healthEndpointsAnswerAsTheGuideSays() throws Exception {
        start(DemoServer.Config.defaults().withPort(0));
        JsonNode health = JSON.readTree(get("/api/v1/health", null).body());
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.get("version").asText()).isEqualTo("0.1.0");
        assertThat(health.get("environment").asText()).isEqualTo("development");
        assertThat(health.get("service").asText()).isEqualTo("exlm-backend");
        assertThat(health.get("timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");

        assertThat(JSON.readTree(get("/api/v1/health/live", null).body()).get("status").asText()).isEqualTo("alive");

        HttpResponse<String> ready = get("/api/v1/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        JsonNode checks = JSON.readTree(ready.body()).get("checks");
        assertThat(checks.get("database").get("status").asText()).isEqualTo("not_configured");
        assertThat(checks.get("disk").get("status").asText()).isEqualTo("ok");

        JsonNode sys = JSON.readTree(get("/api/v1/health/metrics", null).body());
        assertThat(sys.get("cpu_usage_percent").isNumber()).isTrue();
        assertThat(sys.get("memory_usage_percent").asDouble()).isBetween(0.1, 100.0);
        assertThat(sys.get("synthetic").asBoolean()).isFalse();
    }

    @Test
    void readinessChecksDependenciesForReal() throws Exception {
        try (ServerSocket db = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            int closed = Ports.closed();
            start(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, "127.0.0.1:" + db.getLocalPort(),
                    "127.0.0.1:" + closed, false, 90, 90));
            HttpResponse<String> ready = get("/api/v1/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode doc = JSON.readTree(ready.body());
            assertThat(doc.get("status").asText()).isEqualTo("not_ready");
            assertThat(doc.get("checks").get("database").get("status").asText()).isEqualTo("ok");
            assertThat(doc.get("checks").get("redis").get("status").asText()).isEqualTo("fail");
            assertThat(doc.get("checks").get("redis").get("error").asText()).contains("refused");
            assertThat(doc.get("failed").toString()).isEqualTo("[\"redis\"]");
        }
    }

    @Test
    void overloadIsSyntheticAndSaysSo() throws Exception {
        start(DemoServer.Config.defaults().withPort(0).withScenario(Scenario.OVERLOAD));
        JsonNode sys = JSON.readTree(get("/api/v1/health/metrics", null).body());
        AlertThresholds rules = AlertThresholds.bundled();
        assertThat(sys.get("synthetic").asBoolean()).isTrue();
        assertThat(sys.get("cpu_usage_percent").asDouble()).isGreaterThan(rules.cpuPercent());
        assertThat(sys.get("memory_usage_percent").asDouble()).isGreaterThan(rules.memoryPercent());
        assertThat(sys.get("disk_usage_percent").asDouble()).isGreaterThan(rules.diskPercent());
        assertThat(sys.get("source").asText()).contains("synthetic");
        assertThat(get("/api/v1/health/ready", null).statusCode()).isEqualTo(503);
    }

    @Test
    void errorsScenarioFailsAboutOneRequestInSix() throws Exception {
        start(DemoServer.Config.defaults().withPort(0).withScenario(Scenario.ERRORS));
        int failures = 0;
        int n = 150;
        for (int i = 0; i < n; i++) {
            if (get("/api/v1/models", null).statusCode() >= 500) {
                failures++;
            }
        }
        // 16 % of 150 is 24; the binomial spread keeps it well inside 8..45 and far above the 5 % alert line
        assertThat(failures).isBetween(9, 45);
        assertThat(get("/metrics", null).body()).containsPattern("error_count_total\\{type=\"(database|timeout|"
                + "internal)\"} [1-9]");
    }

    @Test
    void usedPortIsAUsageError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DemoServer.start(DemoServer.Config.defaults()
                    .withPort(taken.getLocalPort()))).hasMessageContaining("cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).hasMessageContaining("pick another --port");
        }
    }

    @Test
    void latencyDelaysEveryAnswerWithoutQueueingThem() throws Exception {
        start(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, null, null, false, 100, 100)
                .withLatency(Duration.ofSeconds(1)));
        // four answers delayed 1 s each: one after another the last would come after 4 s, past the 3.5 s timeout
        Cli.Result r = Cli.exec("health", "--backend-url", demo.url(), "--check", "all", "--timeout", "3500ms",
                "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(JSON.readTree(r.out()).get("checks")).allSatisfy(c -> assertThat(c.get("latency_ms").asLong())
                .isGreaterThanOrEqualTo(1000));
        // and the server counts the delay as part of each answer's duration
        String metrics = get("/metrics", null).body();
        java.util.regex.Matcher m = Pattern.compile("(?m)^http_request_duration_seconds_sum\\{handler=\"/api/v1/"
                + "health/live\",method=\"GET\"} (\\S+)").matcher(metrics);
        assertThat(m.find()).as(metrics).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void latencyUsageErrors() {
        Cli.Result tooLong = Cli.exec("demo", "--port", "0", "--latency", "2m");
        assertThat(tooLong.exitCode()).as(tooLong.toString()).isEqualTo(2);
        assertThat(tooLong.errLines().get(0)).contains("--latency 2m is more than a minute");
        Cli.Result bad = Cli.exec("demo", "--port", "0", "--latency", "soon");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);
        assertThat(bad.err()).contains("'soon' is not a duration").doesNotContain("\tat ");
    }

    // ------------------------------------------------------------------------------------- floods (issue 12)

    @Test
    void idleConnectionsNeitherStopAnswersNorStayOpenPastTheirDeadline() throws Exception {
        demo = DemoServer.start(quiet(), HttpFront.Limits.defaults().withRequestTimeout(Duration.ofMillis(300))
                .withIdleTimeout(Duration.ofMillis(300)));
        List<Socket> idle = flood(400, "");
        // accepted, not open: at a 300 ms deadline the first may be closed before the last is accepted
        Polls.await(Duration.ofSeconds(30), "the server accepted all 400", () -> demo.acceptedConnections() >= 400);
        assertThat(liveStatus()).isEqualTo(200);
        // a connection that never sent a request is closed at the request deadline, by the server
        Polls.await(Duration.ofSeconds(30), "the server closed the 400 idle connections",
                () -> idle.stream().allMatch(DemoServerTest::closedByServer));
        Polls.await(Duration.ofSeconds(30), "the server holds no connection", () -> demo.openConnections() == 0);
    }

    @Test
    void slowClientsHoldNoWorker() throws Exception {
        demo = DemoServer.start(quiet(), HttpFront.Limits.defaults().withRequestTimeout(Duration.ofMillis(300)));
        // more half-sent requests than there are workers (64): with a worker per connection nothing else is answered
        List<Socket> slow = flood(200, "GET /api/v1/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        Polls.await(Duration.ofSeconds(30), "the server accepted all 200", () -> demo.acceptedConnections() >= 200);
        assertThat(liveStatus()).isEqualTo(200);
        Polls.await(Duration.ofSeconds(30), "the server closed the 200 slow connections",
                () -> slow.stream().allMatch(DemoServerTest::closedByServer));
    }

    @Test
    void atItsBoundTheConnectionWaitingLongestMakesRoom() throws Exception {
        demo = DemoServer.start(quiet(), HttpFront.Limits.defaults().withMaxConnections(50));
        List<Socket> idle = flood(50, "");
        Polls.await(Duration.ofSeconds(30), "the server accepted all 50", () -> demo.openConnections() == 50);
        assertThat(liveStatus()).isEqualTo(200);
        Polls.await(Duration.ofSeconds(30), "the first connection closed to make room",
                () -> closedByServer(idle.get(0)));
        assertThat(demo.openConnections()).isLessThanOrEqualTo(50);
        assertThat(idle.subList(1, 50)).noneMatch(DemoServerTest::closedByServer);
    }

    @Test
    void answersKeptAliveAndPipelinedAndMalformed() throws Exception {
        start(quiet());
        Socket s = flood(1, "GET /api/v1/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /api/v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").get(0);
        String both = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(both).startsWith("HTTP/1.1 200 OK\r\n").contains("\"status\":\"alive\"");
        assertThat(both.indexOf("HTTP/1.1 200 OK", 1)).as(both).isPositive();
        assertThat(both).endsWith("\r\n\r\n"); // HEAD: no body, then closed as asked
        Socket big = flood(1, "GET / HTTP/1.1\r\nX: " + "a".repeat(20_000) + "\r\n\r\n").get(0);
        assertThat(new String(big.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                .startsWith("HTTP/1.1 431 ");
    }

    @Test
    void theLoadGeneratorReusesAFewConnections() throws Exception {
        start(DemoServer.Config.defaults().withPort(0));
        int bound = demo.loadConnectionBound();
        assertThat(bound).isBetween(1, 8);
        // 100 answers at 20 requests a second: seen from the server (its high-water mark, which no sampling can
        // miss), never more connections than the bound
        Polls.await(Duration.ofSeconds(60), "100 answers", () -> demo.answered() >= 100);
        int most = demo.peakConnections();
        assertThat(most).isBetween(1, bound);
    }

    @Test
    void aHostThatIsNotThisMachinesIsAUsageErrorThatSaysSo() throws Exception {
        InetAddress elsewhere = InetAddress.getByName("203.0.113.7"); // TEST-NET-3: documentation only
        org.junit.jupiter.api.Assumptions.assumeTrue(NetworkInterface.getByInetAddress(elsewhere) == null);
        Cli.Result r = Cli.exec("demo", "--host", "203.0.113.7", "--port", "0");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("--host 203.0.113.7 is not an address of this machine")
                .doesNotContain("another --port");
    }
}
