package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.ScriptedPrometheus;
import io.exlm.mon.testing.ScriptedPrometheus.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus source's frame: one query per panel, every selector scoped, all sent together, and a failed query
 * costing its panel only. The figures themselves against a real Prometheus: PrometheusAgreementIT.
 */
class PrometheusSourceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration W = PanelId.WINDOW;

    private static List<PrometheusSource.Query> frame(Scope scope) {
        return PrometheusSource.queries(scope, Combination.defaults(), W, PanelId.queryGroups());
    }

    @Test
    void everyCatalogMetricIsAskedOnceInThePanelsQueries() {
        List<PrometheusSource.Query> queries = frame(Scope.BACKEND);
        List<String> asked = new ArrayList<>();
        queries.forEach(q -> q.metrics().forEach(m -> asked.add(m.name())));
        List<String> catalog = new ArrayList<>();
        Catalog.METRICS.forEach(m -> catalog.add(m.name()));
        assertThat(asked).containsExactlyInAnyOrderElementsOf(catalog);
        // one per panel, the request rate and error rate panels sharing their counter's
        assertThat(queries).hasSize(PanelId.values().length - 1);
    }

    /** Every selector of a sample name in {@code promql}, with what follows it. */
    private static List<String> selectors(String promql) {
        Set<String> names = new LinkedHashSet<>(List.of("up"));
        Catalog.METRICS.forEach(m -> names.addAll(m.sampleNames()));
        List<String> out = new ArrayList<>();
        for (String n : names) {
            Matcher x = Pattern.compile("(?<![\\w\"])" + Pattern.quote(n) + "(?![\\w:])").matcher(promql);
            while (x.find()) {
                out.add(promql.substring(x.start(), Math.min(promql.length(), x.end() + 60)));
            }
        }
        return out;
    }

    @Test
    void everySelectorCarriesTheScope() {
        Scope scope = new Scope("api", "10.0.0.5:8000", List.of("region=~\"eu-.*\""));
        String matchers = "{job=\"api\",instance=\"10.0.0.5:8000\",region=~\"eu-.*\"}";
        List<String> all = new ArrayList<>();
        frame(scope).forEach(q -> all.add(q.promql()));
        all.add(PrometheusSource.coverageQuery(scope, W));
        int n = 0;
        for (String q : all) {
            for (String s : selectors(q)) {
                assertThat(s).as(q).matches("(?s)[a-z_]+" + Pattern.quote(matchers) + ".*");
                n++;
            }
        }
        assertThat(n).isGreaterThan(30);
        // the default: the backend's job
        for (PrometheusSource.Query q : frame(Scope.BACKEND)) {
            for (String s : selectors(q.promql())) {
                assertThat(s).as(q.promql()).matches("(?s)[a-z_]+\\{job=\"exlm-backend\"\\}.*");
            }
        }
    }

    @Test
    void theGaugesQueryIsThePanelsPromql() {
        // one fact, one place: the terminal's gauge figure is the expression the Grafana panel runs
        String cpu = PanelId.CPU.targets(PanelId.BACKEND, W).get(0).expr();
        assertThat(frame(Scope.BACKEND).get(0).promql())
                .startsWith("label_replace(" + cpu + ", \"" + PrometheusSource.PART
                        + "\", \"cpu_usage_percent:value\"");
        // the latency panel's percentiles are of the one bucket sum the source asks for (their values: the IT)
        String all = String.join(" ", frame(Scope.BACKEND).stream()
                .map(PrometheusSource.Query::promql).toList());
        String buckets = Formulas.bucketSum(Catalog.byName("http_request_duration_seconds"), PanelId.BACKEND, W);
        assertThat(all).contains("label_replace(" + buckets + ", ");
        for (PanelId.Target t : PanelId.LATENCY.targets(PanelId.BACKEND, W)) {
            assertThat(t.expr()).endsWith(", " + buckets + ")");
        }
    }

    @Test
    void aFailedQueryCostsItsPanelOnly() throws Exception {
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        for (String g : List.of("cpu_usage_percent", "memory_usage_percent")) {
            parts.put(g + ":value", List.of(new Series(Map.of(), "42")));
        }
        Map<String, List<Series>> q = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), W, parts);
        try (ScriptedPrometheus p = new ScriptedPrometheus(q, List.of("memory_usage_percent"),
                query -> query.contains("cpu_usage_percent"))) {
            Cli.Result r = Cli.exec("top", "--source", "prometheus", "--prometheus-url", p.url(), "--once", "-o",
                    "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode panels = JSON.readTree(r.out()).get("panels");
            assertThat(panels.at("/cpu/available").asBoolean()).as(r.out()).isFalse();
            assertThat(panels.at("/cpu/reason").asText()).contains("the query of cpu_usage_percent failed")
                    .contains("query timed out in expression evaluation");
            assertThat(panels.at("/memory/figures/0/value").asDouble()).as(r.out()).isEqualTo(42.0);
            // the near names were asked for within the scope
            assertThat(p.labelQueries()).isNotEmpty().allSatisfy(path -> assertThat(java.net.URLDecoder.decode(path,
                    java.nio.charset.StandardCharsets.UTF_8)).contains("match[]={job=\"exlm-backend\"}"));
        }
    }

    @Test
    void aCountersSpellingComesWithItsTotalsNotAQueryOfItsOwn() throws Exception {
        // one instance exposes error_count_total, another the older error_count: the totals by spelling are added up
        // by their labels, and the spelling named is the catalog's first that is there
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        parts.put("error_count:value", List.of(
                new Series(Map.of("__name__", "error_count", "type", "database"), "2"),
                new Series(Map.of("__name__", "error_count_total", "type", "database"), "5"),
                new Series(Map.of("__name__", "error_count_total", "type", "timeout"), "1")));
        parts.put("error_count:rate", List.of(new Series(Map.of("type", "database"), "0.25")));
        Map<String, List<Series>> q = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(), W, parts);
        assertThat(String.join(" ", q.keySet())).doesNotContain("count by (__name__)");
        try (ScriptedPrometheus p = new ScriptedPrometheus(q, List.of("error_count", "error_count_total"));
                io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(
                        io.exlm.mon.http.HttpOptions.defaults());
                PrometheusSource source = new PrometheusSource(new io.exlm.mon.promql.PrometheusClient(http,
                        p.url()), Combination.defaults(), W, Scope.BACKEND, PanelId.queryGroups())) {
            Snapshot.Reading errors = source.snapshot().reading("error_count");
            assertThat(p.unknown()).isEmpty();
            assertThat(errors.exposedAs()).isEqualTo("error_count");
            assertThat(errors.series()).extracting(x -> x.labels(), x -> x.value(), x -> x.rate().value())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(Map.of("type", "database"), 7.0, 0.25),
                            org.assertj.core.groups.Tuple.tuple(Map.of("type", "timeout"), 1.0, null));
        }
    }

    @Test
    void theFrameQueriesAreInFlightTogether() throws Exception {
        int frame = frame(Scope.BACKEND).size() + 1;
        assertThat(frame).isLessThanOrEqualTo(PrometheusSource.MAX_CONCURRENT_QUERIES);
        // each answer waits until the whole frame has arrived: one by one, the first would wait for the timeout
        CountDownLatch all = new CountDownLatch(frame);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            if (req.path().startsWith("/api/v1/query?")) {
                most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                all.countDown();
                try {
                    all.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                inFlight.decrementAndGet();
            }
            FaultServer.respond(out, 200, "application/json", req.path().startsWith("/api/v1/query?")
                    ? "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"
                    : "{\"status\":\"success\",\"data\":[]}");
        })) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", s.url(), "--timeout",
                    "30s", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(all.getCount()).isZero();
            assertThat(most.get()).isEqualTo(frame);
            assertThat(JSON.readTree(r.out()).at("/reasons/cpu_usage_percent").asText()).isEqualTo("the query"
                    + " cpu_usage_percent{job=\"exlm-backend\"} returned nothing from " + s.url() + " (it has no"
                    + " series of {job=\"exlm-backend\"} at all: is --backend-job right?)");
        }
    }

    @Test
    void theScopeOptions() throws Exception {
        try (ScriptedPrometheus p = new ScriptedPrometheus(Map.of(), List.of())) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(),
                    "--backend-job", "api", "--backend-instance", "10.0.0.5:8000", "--match", "region=~\"eu-.*\"",
                    "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(p.unknown()).isNotEmpty().allSatisfy(q -> assertThat(q).contains(
                    "{job=\"api\",instance=\"10.0.0.5:8000\",region=~\"eu-.*\"}"));
        }
        Cli.Result bad = Cli.exec("top", "--once", "--source", "prometheus", "--match", "region=eu");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err().strip()).doesNotContain("\n").contains("--match 'region=eu' is not a label matcher");
        Cli.Result scrape = Cli.exec("metrics", "--backend-job", "api");
        assertThat(scrape.exitCode()).isEqualTo(2);
        assertThat(scrape.err().strip()).doesNotContain("\n").contains("--backend-job, --backend-instance and"
                + " --match choose the series of --source prometheus");
    }
}
