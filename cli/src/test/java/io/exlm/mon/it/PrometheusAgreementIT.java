package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.PromMath;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LoopbackPrometheus;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.io.IOException;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * exlm-mon's numbers against a real Prometheus (Debian's 2.42, on loopback) scraping the same bodies: lifetime
 * percentiles from one body, and rates and windowed percentiles across two bodies (with a counter reset), equal to
 * 1e-9 relative. Prometheus scrapes every second; the test switches the body as soon as Prometheus has stored the
 * first, and queries as soon as it has stored the second.
 */
class PrometheusAgreementIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] QS = {0.5, 0.95, 0.99};
    private static final String[] HANDLERS = {"/api/v1/models", "/api/v1/predict", "/api/v1/datasets"};
    private static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1",
        "2.5", "5", "7.5", "10"};

    @TempDir
    Path dir;

    /** A body: per handler a histogram and a counter by status; step moves every count on, reset zeroes one. */
    static String body(int step, boolean reset) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP http_request_duration_seconds HTTP request latency in seconds.\n");
        sb.append("# TYPE http_request_duration_seconds histogram\n");
        for (int h = 0; h < HANDLERS.length; h++) {
            for (String method : new String[] {"GET", "POST"}) {
                String labels = "method=\"" + method + "\",handler=\"" + HANDLERS[h] + "\"";
                boolean zero = reset && h == 1 && method.equals("POST");
                long total = 0;
                for (int i = 0; i <= LE.length; i++) {
                    long add = zero ? (i < 5 ? 1 : 0) : (long) ((h + 1) * (i < 7 ? 37 + 3 * i : 5) * (1 + step * 0.5)
                            + (method.equals("GET") ? i * 7 : i * 3));
                    total += add;
                    String le = i < LE.length ? LE[i] : "+Inf";
                    sb.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(le)
                            .append("\"} ").append(total).append('\n');
                }
                sb.append("http_request_duration_seconds_sum{").append(labels).append("} ")
                        .append(String.format(Locale.ROOT, "%.4f", total * 0.0734)).append('\n');
                sb.append("http_request_duration_seconds_count{").append(labels).append("} ").append(total)
                        .append('\n');
            }
        }
        sb.append("# HELP http_requests_total Total number of HTTP requests.\n");
        sb.append("# TYPE http_requests_total counter\n");
        for (int h = 0; h < HANDLERS.length; h++) {
            for (String status : new String[] {"200", "500"}) {
                boolean zero = reset && h == 2 && status.equals("200");
                long v = zero ? 3 : (long) (1000 * (h + 1) * (1 + step * 0.37)) + (status.equals("500") ? 17 * step : 0);
                sb.append("http_requests_total{method=\"GET\",handler=\"").append(HANDLERS[h]).append("\",status=\"")
                        .append(status).append("\"} ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    @Test
    void histogramQuantileAndRatesAgreeWithPrometheus() throws Exception {
        Tools.require("prometheus");
        String body1 = body(1, false);
        String body2 = body(3, true);
        Path file1 = Files.writeString(dir.resolve("body1.txt"), body1);
        Path file2 = Files.writeString(dir.resolve("body2.txt"), body2);

        AtomicReference<String> serving = new AtomicReference<>(body1);
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        target.createContext("/metrics", ex -> {
            byte[] b = serving.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        target.start();
        int port = Ports.free();
        Process prometheus = LoopbackPrometheus.start(dir, port, Map.of("fixed", List.of("127.0.0.1:"
                + target.getAddress().getPort())));
        String url = "http://127.0.0.1:" + port;
        try (HttpLayer http = new HttpLayer(new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(3),
                64 << 20, 0, List.of(), null, null, null, null, null, false, line -> { }))) {
            PrometheusClient client = new PrometheusClient(http, url);
            String marker = "http_requests_total{handler=\"/api/v1/models\",status=\"200\"}";
            double marker1 = 1000 * 1.37;
            double marker2 = 1000 * (1 + 3 * 0.37);
            awaitTrue(Duration.ofSeconds(60), () -> ready(url) && value(client, marker) == marker1, prometheus);
            serving.set(body2);
            awaitTrue(Duration.ofSeconds(30), () -> value(client, marker) == marker2, prometheus);

            // the marker's stored points tell when the last body-1 and the first body-2 scrape happened
            QueryResult points = client.query(marker + "[1m]", Instant.now());
            List<PromMath.Point> ps = points.series().get(0).points();
            long t1 = -1;
            long t2 = -1;
            for (PromMath.Point p : ps) {
                if (p.value() == marker1) {
                    t1 = p.millis();
                } else if (p.value() == marker2 && t2 < 0) {
                    t2 = p.millis();
                }
            }
            assertThat(t1).as("points %s", ps).isPositive();
            assertThat(t2).as("points %s", ps).isGreaterThan(t1);
            Instant at1 = Instant.ofEpochMilli(t1);
            Instant at2 = Instant.ofEpochMilli(t2);

            // lifetime percentiles from body 1, at the time of its last scrape
            Cli.Result one = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--file", file1.toString(),
                    "-o", "json");
            assertThat(one.exitCode()).as(one.toString()).isZero();
            JsonNode lifetime = JSON.readTree(one.out()).get("latency_seconds");
            for (double q : QS) {
                double theirs = scalar(client, "histogram_quantile(" + q
                        + ", sum by (le) (http_request_duration_seconds_bucket))", at1);
                assertClose("lifetime p" + q, lifetime.get(key(q)).asDouble(), theirs);
            }

            // two bodies a window apart: irate is the rate between the two samples, resets included
            String window = (t2 - t1) + "ms";
            Cli.Result two = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--file", file1.toString(),
                    "--file", file2.toString(), "--window", window, "-o", "json");
            assertThat(two.exitCode()).as(two.toString()).isZero();
            JsonNode doc = JSON.readTree(two.out());
            String range = "[" + Math.max(5, 3 * (t2 - t1) / 1000) + "s]";
            for (double q : QS) {
                double theirs = scalar(client, "histogram_quantile(" + q
                        + ", sum by (le) (irate(http_request_duration_seconds_bucket" + range + ")))", at2);
                assertClose("windowed p" + q, doc.get("latency_seconds").get(key(q)).asDouble(), theirs);
            }
            assertClose("requests per second", doc.get("derived").get("requests_per_second").asDouble(),
                    scalar(client, "sum(irate(http_requests_total" + range + "))", at2));
            assertClose("error ratio", doc.get("derived").get("error_ratio").asDouble(), scalar(client,
                    "sum(irate(http_requests_total{status=~\"5..\"}" + range + ")) / sum(irate(http_requests_total"
                            + range + "))", at2));
            int checked = 0;
            for (JsonNode s : doc.get("metrics").get("http_requests_total")) {
                String sel = "irate(http_requests_total{handler=\"" + s.get("labels").get("handler").asText()
                        + "\",status=\"" + s.get("labels").get("status").asText() + "\"}" + range + ")";
                assertClose(sel, s.get("rate_per_second").asDouble(), scalar(client, sel, at2));
                checked++;
            }
            assertThat(checked).isEqualTo(6);

            // the extrapolated rate() too, from the points Prometheus selected, through PromMath
            String sel = "http_requests_total{handler=\"/api/v1/datasets\",status=\"200\"}";
            QueryResult selected = client.query(sel + "[10s]", at2);
            List<PromMath.Point> pts = new ArrayList<>(selected.series().get(0).points());
            double ours = PromMath.rate(pts, t2 - 10_000, t2);
            assertClose("rate() with a reset", ours, scalar(client, "rate(" + sel + "[10s])", at2));
            assertClose("increase() with a reset", PromMath.extrapolatedIncrease(pts, t2 - 10_000, t2),
                    scalar(client, "increase(" + sel + "[10s])", at2));

            // the same snapshot by PromQL: what the body has is present with its series, the rest is missing
            // with the query that found nothing
            Cli.Result promql = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--backend-job", "fixed", "--window", "30s", "-o", "json");
            assertThat(promql.exitCode()).as(promql.toString()).isZero();
            JsonNode p = JSON.readTree(promql.out());
            assertThat(p.get("source").asText()).isEqualTo(url);
            assertThat(p.get("kind").asText()).isEqualTo("prometheus");
            assertThat(p.get("metrics").get("http_requests_total")).hasSize(6);
            assertThat(p.get("metrics").get("http_request_duration_seconds")).hasSize(6);
            assertThat(p.get("missing").toString()).contains("cpu_usage_percent", "cache_hits")
                    .doesNotContain("http_requests_total");
            assertThat(p.get("reasons").get("cpu_usage_percent").asText())
                    .isEqualTo("the query cpu_usage_percent{job=\"fixed\"} returned nothing from " + url);
            for (double q : QS) {
                assertThat(p.get("latency_seconds").get(key(q)).asDouble()).isBetween(0.0, 10.0);
            }
            assertThat(p.get("derived").get("requests_per_second").asDouble()).isPositive();

            // the panel specification's PromQL (what the Grafana dashboard runs, here with this job's matcher and
            // over the same window), evaluated at the snapshot's instant, gives the terminal's figures
            Instant at = Instant.ofEpochMilli(p.get("time_ms").asLong());
            Duration w = Duration.ofSeconds(30);
            assertClose("the error-rate panel's PromQL", p.get("derived").get("error_ratio").asDouble(),
                    scalar(client, PanelId.ERROR_RATE.targets("job=\"fixed\"", w).get(0).expr(), at));
            List<PanelId.Target> latency = PanelId.LATENCY.targets("job=\"fixed\"", w);
            for (int i = 0; i < QS.length; i++) {
                assertThat(latency.get(i).legend()).isEqualTo(key(QS[i]));
                assertClose("the latency panel's " + key(QS[i]), p.get("latency_seconds").get(key(QS[i])).asDouble(),
                        scalar(client, latency.get(i).expr(), at));
            }
            assertClose("the request-rate rule's expression", p.get("derived").get("requests_per_second").asDouble(),
                    scalar(client, "sum(" + PanelId.requestRateRuleExpr(w) + ")", at));
        } finally {
            stop(prometheus);
            target.stop(0);
        }
    }

    /**
     * A replica of the backend (or another job's target) whose counters move on with every scrape: CPU, memory and
     * users as given, {@code step} requests (one in a hundred 5xx) and two cache hits per scrape.
     */
    private static HttpServer replica(double cpu, double memory, int users, int step) throws IOException {
        java.util.concurrent.atomic.AtomicLong scrapes = new java.util.concurrent.atomic.AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/metrics", ex -> {
            long n = scrapes.incrementAndGet();
            String body = "# TYPE cpu_usage_percent gauge\ncpu_usage_percent " + cpu + "\n"
                    + "# TYPE memory_usage_percent gauge\nmemory_usage_percent " + memory + "\n"
                    // every host figure the gate judges: one without a value fails it (unknown is not healthy)
                    + "# TYPE disk_usage_percent gauge\ndisk_usage_percent 40\n"
                    + "# TYPE active_users gauge\nactive_users " + users + "\n"
                    + "# TYPE http_requests_total counter\n"
                    + "http_requests_total{method=\"GET\",handler=\"/api/v1/models\",status=\"200\"} " + n * step * 99
                    + "\nhttp_requests_total{method=\"GET\",handler=\"/api/v1/models\",status=\"500\"} " + n * step
                    + "\n# TYPE cache_hits_total counter\ncache_hits_total " + 2 * n + "\n";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        return server;
    }

    /**
     * The backend's job with two replicas beside another job whose series have the same names: only the backend's
     * count, rates add across the replicas, and CPU and memory are the highest replica's (never 61 + 57 % = 118 %:
     * the panel specification's max across instances), users the sum; --backend-job and --backend-instance choose
     * other series. Every figure against Prometheus's own answer to the same question at the snapshot's instant.
     */
    @Test
    void onlyTheBackendsJobCountsAndReplicasCombineByThePanelSpecification() throws Exception {
        Tools.require("prometheus");
        HttpServer a = replica(61, 40, 5, 10);
        HttpServer b = replica(57, 48, 7, 30);
        HttpServer other = replica(99, 97, 1000, 500);
        int port = Ports.free();
        Map<String, List<String>> jobs = new java.util.LinkedHashMap<>();
        jobs.put("exlm-backend", List.of("127.0.0.1:" + a.getAddress().getPort(), "127.0.0.1:"
                + b.getAddress().getPort()));
        jobs.put("other", List.of("127.0.0.1:" + other.getAddress().getPort()));
        Process prometheus = LoopbackPrometheus.start(dir, port, jobs);
        String url = "http://127.0.0.1:" + port;
        String instanceA = "127.0.0.1:" + a.getAddress().getPort();
        try (HttpLayer http = new HttpLayer(new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(3),
                64 << 20, 0, List.of(), null, null, null, null, null, false, line -> { }))) {
            PrometheusClient client = new PrometheusClient(http, url);
            // three samples of every target in the window: rates of every replica
            awaitTrue(Duration.ofSeconds(60), () -> ready(url) && value(client,
                    "count(count_over_time(up[30s]) >= 3)") == 3, prometheus);
            Cli.Result m = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--window", "30s", "-o", "json");
            assertThat(m.exitCode()).as(m.toString()).isZero();
            JsonNode doc = JSON.readTree(m.out());
            Instant at = Instant.ofEpochMilli(doc.get("time_ms").asLong());
            JsonNode d = doc.get("derived");
            assertThat(d.get("cpu_percent").asDouble()).isEqualTo(61.0);
            assertThat(d.get("memory_percent").asDouble()).isEqualTo(48.0);
            assertThat(d.get("active_users").asDouble()).isEqualTo(12.0);
            assertThat(doc.at("/gauges/cpu_usage_percent/instances").asInt()).isEqualTo(2);
            assertThat(doc.at("/gauges/cpu_usage_percent/per_instance/" + instanceA.replace("/", "~1")).asDouble())
                    .isEqualTo(61.0);
            double rps = d.get("requests_per_second").asDouble();
            assertClose("requests per second of the backend's replicas", rps, scalar(client,
                    "sum(rate(http_requests_total{job=\"exlm-backend\"}[30s]))", at));
            assertThat(rps).as("the other job's requests are not counted").isLessThan(scalar(client,
                    "sum(rate(http_requests_total[30s]))", at) / 2);
            assertClose("error ratio", d.get("error_ratio").asDouble(), scalar(client,
                    PanelId.ERROR_RATE.targets(PanelId.BACKEND, Duration.ofSeconds(30)).get(0).expr(), at));
            assertThat(d.get("error_ratio").asDouble()).isCloseTo(0.01, within(1e-9));
            // the series of a counter are summed across replicas by the catalog's labels: no instance in them
            assertThat(doc.at("/metrics/http_requests_total")).hasSize(2);
            assertThat(doc.at("/metrics/http_requests_total/0/labels").has("instance")).isFalse();

            Cli.Result top = Launcher.run(Duration.ofSeconds(60), Map.of(), "top", "--once", "--source",
                    "prometheus", "--prometheus-url", url, "--window", "30s", "--fail-on-alert", "-o", "json");
            assertThat(top.exitCode()).as("no replica is beyond a threshold: " + top).isZero();
            JsonNode panels = JSON.readTree(top.out()).get("panels");
            assertThat(panels.at("/cpu/figures/0/value").asDouble()).isEqualTo(61.0);
            assertThat(panels.at("/cpu/figures/0/label").asText()).isEqualTo("max of 2 instances");
            assertThat(panels.at("/users/figures/0/label").asText()).isEqualTo("users (sum of 2 instances)");

            // the other job, when asked for, and one replica
            Cli.Result o = Launcher.run(Duration.ofSeconds(60), Map.of(), "top", "--once", "--source",
                    "prometheus", "--prometheus-url", url, "--backend-job", "other", "--fail-on-alert", "-o", "json");
            // beyond its threshold, and so in "alerts"; but Prometheus's history of this young job holds less than
            // HighCPUUsage's for: (5m), so the gate does not fail on it, and says why
            assertThat(o.exitCode()).as("the other job's CPU is beyond its threshold for less than 5m: " + o)
                    .isZero();
            JsonNode otherDoc = JSON.readTree(o.out());
            assertThat(otherDoc.at("/panels/cpu/figures/0/value").asDouble()).isEqualTo(99.0);
            assertThat(otherDoc.get("alerts").toString()).contains("\"cpu\"");
            assertThat(otherDoc.get("failing")).isEmpty();
            assertThat(o.err()).contains("exlm-mon: note: cpu is beyond its alert threshold, for ")
                    .contains("its alert waits 5m: not failed");
            Cli.Result one = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--backend-instance", "127.0.0.1:" + b.getAddress().getPort(), "-o",
                    "json");
            assertThat(one.exitCode()).as(one.toString()).isZero();
            JsonNode oneDoc = JSON.readTree(one.out());
            assertThat(oneDoc.at("/derived/cpu_percent").asDouble()).isEqualTo(57.0);
            assertThat(oneDoc.at("/derived/active_users").asDouble()).isEqualTo(7.0);
            assertThat(oneDoc.at("/gauges/cpu_usage_percent/instances").asInt()).isEqualTo(1);
        } finally {
            stop(prometheus);
            a.stop(0);
            b.stop(0);
            other.stop(0);
        }
    }

    /**
     * {@code metrics --by status,instance} from a scrape of a body and from a real Prometheus scraping the same body:
     * the jobs tables are the same (the jobs by instance a row per instance and status, PanelId.grouping's, in both
     * sources: the PromQL's {@code sum by (instance, status)} and the scrape's own grouping), never a sum of the
     * statuses. The body's counters do not move, so the two read the same totals.
     */
    @Test
    void theJobsByStatusAndInstanceAreTheSameFromBothSources() throws Exception {
        Tools.require("prometheus");
        String body = "# TYPE model_training_total counter\n"
                + "model_training_total{status=\"started\"} 6\nmodel_training_total{status=\"completed\"} 4\n"
                + "model_training_total{status=\"failed\"} 2\n"
                + "# TYPE dataset_processing_total counter\n"
                + "dataset_processing_total{status=\"completed\"} 9\ndataset_processing_total{status=\"failed\"} 1\n";
        HttpServer target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        target.createContext("/metrics", ex -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        target.start();
        String instance = "127.0.0.1:" + target.getAddress().getPort();
        int port = Ports.free();
        Process prometheus = LoopbackPrometheus.start(dir, port, Map.of("fixed", List.of(instance)));
        String url = "http://127.0.0.1:" + port;
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient client = new PrometheusClient(http, url);
            awaitTrue(Duration.ofSeconds(60), () -> ready(url) && value(client,
                    "count(model_training_total) + count(dataset_processing_total)") == 5, prometheus);
            Cli.Result scraped = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--backend-url", "http://"
                    + instance, "--by", "status,instance", "-o", "json");
            Cli.Result promql = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--backend-job", "fixed", "--by", "status,instance", "-o", "json");
            assertThat(scraped.exitCode()).as(scraped.toString()).isZero();
            assertThat(promql.exitCode()).as(promql.toString()).isZero();
            List<String> fromScrape = jobsTables(JSON.readTree(scraped.out()));
            List<String> fromPrometheus = jobsTables(JSON.readTree(promql.out()));
            assertThat(fromPrometheus).as("the jobs tables of both sources").isEqualTo(fromScrape);
            assertThat(fromScrape).containsExactly(
                    "status [] [training, datasets] [{\"value\":\"started\",\"training\":6.0,\"datasets\":null},"
                            + " {\"value\":\"completed\",\"training\":4.0,\"datasets\":9.0},"
                            + " {\"value\":\"failed\",\"training\":2.0,\"datasets\":1.0}]",
                    "instance [status] [training, datasets] [{\"value\":\"" + instance + "\",\"status\":"
                            + "\"started\",\"training\":6.0,\"datasets\":null}, {\"value\":\"" + instance
                            + "\",\"status\":\"completed\",\"training\":4.0,\"datasets\":9.0}, {\"value\":\""
                            + instance + "\",\"status\":\"failed\",\"training\":2.0,\"datasets\":1.0}]");
        } finally {
            stop(prometheus);
            target.stop(0);
        }
    }

    /** The tables of {@code metrics --by} with a jobs panel: label, kept label, columns and rows, one line each. */
    private static List<String> jobsTables(JsonNode doc) {
        List<String> out = new ArrayList<>();
        for (JsonNode t : doc.get("by")) {
            List<String> panels = t.get("columns").findValuesAsText("panel");
            if (panels.contains(PanelId.TRAINING.key())) {
                List<String> rows = new ArrayList<>();
                t.get("rows").forEach(r -> rows.add(r.toString()));
                out.add(t.get("label").asText() + " " + (t.get("apart").isNull() ? "[]" : "[" + t.get("apart")
                        .asText() + "]") + " " + panels + " " + rows);
            }
        }
        return out;
    }

    private static String key(double q) {
        return "p" + Math.round(q * 100);
    }

    private static void assertClose(String what, double ours, double theirs) {
        assertThat(Double.isNaN(theirs)).as(what + ": Prometheus gave NaN").isFalse();
        double tolerance = 1e-9 * Math.max(Math.abs(ours), Math.abs(theirs));
        assertThat(Math.abs(ours - theirs)).as("%s: exlm-mon %s, Prometheus %s", what, ours, theirs)
                .isLessThanOrEqualTo(tolerance);
    }

    private static double scalar(PrometheusClient client, String expr, Instant at) {
        QueryResult r = client.query(expr, at);
        assertThat(r.series()).as(expr + " at " + at).hasSize(1);
        return r.series().get(0).value();
    }

    private static double value(PrometheusClient client, String expr) {
        QueryResult r = client.query(expr, null);
        return r.isEmpty() ? Double.NaN : r.series().get(0).value();
    }

    private static boolean ready(String url) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                    + "/-/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static void awaitTrue(Duration timeout, BooleanSupplier condition, Process prometheus)
            throws InterruptedException {
        Polls.await(timeout, condition, prometheus, "prometheus");
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
