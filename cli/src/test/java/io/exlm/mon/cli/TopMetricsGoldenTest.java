package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Scope;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Golden;
import io.exlm.mon.testing.ScriptedPrometheus;
import io.exlm.mon.testing.ScriptedPrometheus.Series;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code top --once -o json}, {@code top --once -o junit} and {@code metrics -o json} are contracts: these golden
 * files hold the whole documents, from both sources, on fixed inputs (two expositions ten seconds apart,
 * {@code inputs/scrape-a.prom} and {@code inputs/scrape-b.prom}, and a Prometheus that answers the same figures).
 * Only what a run cannot repeat is blanked: the test server's port (PORT), the inputs' directory (INPUTS), the
 * instant of the figures ({@code time_ms} 0, a JUnit {@code time} 0), and, for top's scrape source alone, the values of
 * per-second figures, which divide by the wall-clock time between its two scrapes (and its other numbers are
 * rounded to 12 significant digits: a ratio of such rates is the same over any time, but not to the last bit).
 */
class TopMetricsGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Path INPUTS = Golden.DIR.resolve("inputs");
    private static final String WALL_CLOCK = "(a rate over the wall-clock time between two scrapes)";

    private static String body(String name) throws Exception {
        return Files.readString(INPUTS.resolve(name));
    }

    @Test
    void metricsFromOneScrape() throws Exception {
        String b = body("scrape-b.prom");
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "text/plain; version=0.0.4", b))) {
            Cli.Result r = Cli.exec("metrics", "--backend-url", s.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertGolden("metrics-scrape.json", r.out(), s.url(), false);
        }
    }

    @Test
    void metricsFromTwoScrapesAWindowApart() throws Exception {
        Cli.Result r = Cli.exec("metrics", "--file", INPUTS.resolve("scrape-a.prom").toString(), "--file",
                INPUTS.resolve("scrape-b.prom").toString(), "--window", "10s", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertGolden("metrics-files-window.json", r.out(), null, false);
    }

    @Test
    void metricsFromPrometheus() throws Exception {
        // no --window: the default is the dashboard's (PanelId.WINDOW, as top's), so the script answers 1m queries
        try (ScriptedPrometheus p = prometheus(PanelId.WINDOW_TEXT)) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(unscripted(p)).as("queries the script does not answer").isEmpty();
            assertGolden("metrics-prometheus.json", r.out(), p.url(), false);
        }
    }

    /**
     * {@code metrics --by handler} from Prometheus: one query per panel with the label, aggregated there ({@code sum
     * by (handler)}, every value: no topk) and scoped to the backend's job as the snapshot's queries are; the script
     * answers exactly those (any other query would be in {@code unknown()}).
     */
    @Test
    void metricsByHandlerFromPrometheus() throws Exception {
        try (ScriptedPrometheus p = prometheus(PanelId.WINDOW_TEXT)) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "--by",
                    "handler", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(unscripted(p)).as("queries the script does not answer").isEmpty();
            for (PanelId id : List.of(PanelId.REQUEST_RATE, PanelId.LATENCY, PanelId.ERROR_RATE)) {
                assertThat(id.cut("handler", Scope.BACKEND.promql(), PanelId.WINDOW, Combination.defaults()))
                        .contains("by (", "handler)", "{job=\"exlm-backend\"}").doesNotContain("topk");
            }
            JsonNode by = JSON.readTree(r.out()).get("by");
            assertThat(by.at("/0/rows/0/value").asText()).isEqualTo("/api/v1/users");
            assertThat(by.at("/0/rows/0/error_rate").asDouble()).isEqualTo(0.13);
            assertGolden("metrics-by-prometheus.json", r.out(), p.url(), false);
            Cli.Result text = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "--by",
                    "handler");
            assertThat(text.out()).containsPattern("/api/v1/users +4.60/s +484ms +13.0% ALERT\n/api/v1/models"
                    + " +0.40/s +n/a +0.0%\n");
        }
    }

    @Test
    void topFromTwoScrapes() throws Exception {
        String a = body("scrape-a.prom");
        String b = body("scrape-b.prom");
        AtomicInteger served = new AtomicInteger();
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "text/plain; version=0.0.4", served.getAndIncrement() == 0 ? a : b))) {
            // a window of one interval: two scrapes, as the golden file was made of; the default window would scrape for 10 s
            Cli.Result r = Cli.exec("top", "--backend-url", s.url(), "--once", "--interval", "250ms", "--window",
                    "250ms", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(served.get()).isEqualTo(2);
            assertGolden("top-scrape.json", r.out(), s.url(), true);
        }
    }

    @Test
    void topFromPrometheus() throws Exception {
        String out = topFromPrometheus("json", "--fail-on-alert");
        assertGolden("top-prometheus.json", out, null, false);
    }

    /**
     * {@code --at}: the same figures (the script answers whatever the time), the document saying the time they are
     * of; the one difference from top-prometheus.json is its {@code at}.
     */
    @Test
    void topFromPrometheusAtAPastTime() throws Exception {
        String out = topFromPrometheus("json", "--fail-on-alert", "--at", "1767780000");
        JsonNode doc = JSON.readTree(out);
        assertThat(doc.get("at").asText()).isEqualTo("2026-01-07T10:00:00Z");
        ((ObjectNode) doc).putNull("at");
        assertThat(JSON.writeValueAsString(doc) + "\n").isEqualTo(Files.readString(Golden.DIR.resolve(
                "top-prometheus.json")));
    }

    @Test
    void topJUnitFromPrometheus() throws Exception {
        String xml = topFromPrometheus("junit", "--fail-on-alert=disk").replaceAll("time=\"[0-9.]+\"", "time=\"0\"");
        Golden.assertMatches("top-junit-prometheus.xml", xml, "top's JUnit report from Prometheus");
    }

    /**
     * {@code top --once} from the scripted Prometheus in a format, gated (disk is above its alert threshold, so the
     * gate fails: exit 1); the output with the script's URL as {@code http://127.0.0.1:PORT}.
     */
    private static String topFromPrometheus(String format, String gate, String... more) throws Exception {
        try (ScriptedPrometheus p = prometheus("1m")) {
            List<String> args = new java.util.ArrayList<>(List.of("top", "--source", "prometheus", "--prometheus-url",
                    p.url(), "--once", "-o", format, gate));
            args.addAll(List.of(more));
            Cli.Result r = Cli.exec(args.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(unscripted(p)).as("queries the script does not answer").isEmpty();
            return r.out().replace(p.url(), "http://127.0.0.1:PORT");
        }
    }

    // ---------------------------------------------------------------------------------------- the script

    private static Series s(String value, String... labels) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            m.put(labels[i], labels[i + 1]);
        }
        return new Series(m, value);
    }

    private static final String[] GET_2XX = {"method", "GET", "handler", "/api/v1/users", "status", "2xx"};
    private static final String[] GET_5XX = {"method", "GET", "handler", "/api/v1/users", "status", "5xx"};
    private static final String[] POST_4XX = {"method", "POST", "handler", "/api/v1/models", "status", "4xx"};
    private static final String[] GET = {"method", "GET", "handler", "/api/v1/users"};

    /** A counter's total by spelling, as the Prometheus source asks for it: {@code __name__} beside its labels. */
    private static String[] named(String name, String... labels) {
        String[] out = new String[labels.length + 2];
        out[0] = "__name__";
        out[1] = name;
        System.arraycopy(labels, 0, out, 2, labels.length);
        return out;
    }

    /**
     * The figures of scrape-b.prom, and the rates between the two inputs over {@code range}, as Prometheus answers
     * the Prometheus source's queries (one per panel, each part of it tagged, see {@link PrometheusSource#queries}):
     * sums by the catalog's labels, the gauges combined with their counts of instances and processes, the latency
     * percentiles; celery_tasks_active is absent (a metric Prometheus does not have).
     */
    private static ScriptedPrometheus prometheus(String range) throws Exception {
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        parts.put("http_requests_total:value", List.of(s("1040", named("http_requests_total", GET_2XX)),
                s("26", named("http_requests_total", GET_5XX)), s("54", named("http_requests_total", POST_4XX))));
        parts.put("http_requests_total:rate", List.of(s("4", GET_2XX), s("0.6", GET_5XX), s("0.4", POST_4XX)));
        parts.put("http_request_duration_seconds:value", List.of(s("1120", GET)));
        parts.put("http_request_duration_seconds:rate", List.of(s("5", GET)));
        parts.put("http_request_duration_seconds:sum", List.of(s("188.25", GET)));
        // the bucket rates summed by le: p50 0.0833..., p95 0.484375, p99 0.5 (in the +Inf bucket: its lower bound)
        parts.put("http_request_duration_seconds:buckets", List.of(s("3", "le", "0.1"), s("4", "le", "0.25"),
                s("4.8", "le", "0.5"), s("5", "le", "+Inf")));
        String[][] gauges = {{"http_requests_inprogress", "4"}, {"cpu_usage_percent", "47.25"},
            {"memory_usage_percent", "64"}, {"disk_usage_percent", "91.5"}, {"active_users", "18"},
            {"active_websocket_connections", "6"}, {"celery_tasks_pending", "9"}};
        for (String[] g : gauges) {
            parts.put(g[0] + ":value", List.of(s(g[1])));
            parts.put(g[0] + ":processes", List.of(s("1")));
            parts.put(g[0] + ":instances", List.of(s("1")));
            parts.put(g[0] + ":instance", List.of(s(g[1], "instance", "backend:8000")));
        }
        parts.put("model_training_total:value", List.of(s("6", "__name__", "model_training_total", "status",
                "started"), s("4", "__name__", "model_training_total", "status", "completed"), s("2", "__name__",
                "model_training_total", "status", "failed")));
        parts.put("model_training_total:rate", List.of(s("0.2", "status", "started"), s("0.1", "status",
                "completed"), s("0.1", "status", "failed")));
        parts.put("dataset_processing_total:value", List.of(s("9", "__name__", "dataset_processing_total",
                "status", "completed"), s("1", "__name__", "dataset_processing_total", "status", "failed")));
        parts.put("dataset_processing_total:rate", List.of(s("0.2", "status", "completed"), s("0.1", "status",
                "failed")));
        parts.put("error_count:value", List.of(s("5", "__name__", "error_count_total", "type", "database"),
                s("2", "__name__", "error_count_total", "type", "timeout")));
        parts.put("error_count:rate", List.of(s("0.3", "type", "database"), s("0.1", "type", "timeout")));
        for (String c : new String[] {"cache_hits", "cache_misses"}) {
            parts.put(c + ":value", List.of(s(c.equals("cache_hits") ? "960" : "120", "__name__", c + "_total")));
            parts.put(c + ":rate", List.of(s(c.equals("cache_hits") ? "6" : "2")));
        }
        java.time.Duration window = io.exlm.mon.config.Durations.parse(range);
        Map<String, List<Series>> q = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), window, parts);
        // metrics --by handler: the panels' cuts by handler (0.6 of 4.6 req/s of /api/v1/users are 5xx; /models
        // observed nothing in the window, its p95 NaN as histogram_quantile gives it)
        String m = Scope.BACKEND.promql();
        q.put(PanelId.REQUEST_RATE.cut("handler", m, window, Combination.defaults()), List.of(s("4.6", "handler",
                "/api/v1/users"), s("0.4", "handler", "/api/v1/models")));
        q.put(PanelId.LATENCY.cut("handler", m, window, Combination.defaults()), List.of(s("0.484375", "handler",
                "/api/v1/users"), s("NaN", "handler", "/api/v1/models")));
        q.put(PanelId.ERROR_RATE.cut("handler", m, window, Combination.defaults()), List.of(s("0.13", "handler",
                "/api/v1/users"), s("0", "handler", "/api/v1/models")));
        return new ScriptedPrometheus(q, List.of("http_requests_total", "cpu_usage_percent", "celery_tasks_activ"));
    }

    // ---------------------------------------------------------------------------------------- normalising

    private static void assertGolden(String name, String out, String serverUrl, boolean wallClockRates)
            throws Exception {
        JsonNode doc = normalise(JSON.readTree(out), serverUrl, wallClockRates);
        Golden.assertMatches(name, JSON.writeValueAsString(doc) + "\n", name);
    }

    private static JsonNode normalise(JsonNode node, String serverUrl, boolean wallClockRates) {
        if (node instanceof ObjectNode o) {
            if (wallClockRates && "per_second".equals(o.path("unit").asText()) && o.has("value")) {
                o.set("value", TextNode.valueOf(WALL_CLOCK));
            }
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("time_ms")) {
                    e.setValue(IntNode.valueOf(0));
                } else {
                    e.setValue(normalise(e.getValue(), serverUrl, wallClockRates));
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, normalise(a.get(i), serverUrl, wallClockRates));
            }
        } else if (wallClockRates && node.isDouble()) {
            // a ratio of rates is the same over any time, but not to the last bit of a double
            return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(new java.math.BigDecimal(node.asDouble())
                    .round(new java.math.MathContext(12)).doubleValue());
        } else if (node.isTextual()) {
            String t = node.asText().replace(INPUTS.toString(), "INPUTS");
            return TextNode.valueOf(serverUrl == null ? t : t.replace(serverUrl, "http://127.0.0.1:PORT"));
        }
        return node;
    }

    /**
     * The queries asked that the script does not answer, but for the frame's recordings: the script has none (a
     * Prometheus without exlm's rules), so the frames send their queries as they are; FrameRecordingsTest and
     * FrameRecordingsIT hold the recordings to them.
     */
    private static java.util.List<String> unscripted(io.exlm.mon.testing.ScriptedPrometheus p) {
        return p.unknown().stream().filter(q -> !q.contains(io.exlm.mon.source.PrometheusSource.FINGERPRINT + "=\""))
                .toList();
    }
}
