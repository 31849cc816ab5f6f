package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Rule;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
import io.exlm.mon.promql.PromMath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The "no data" trace, link by link, on facts given in advance (the real-stack test covers the backend stopped;
 * these are the states a real stack does not get into on demand: a series dropped between scrape and storage, a
 * recording rule that is not loaded).
 */
class NoDataTraceTest {
    static final String PROM = "http://prom";
    static final Dashboard.Panel PANEL = Dashboard.rows().get(3).panels().get(1); // Errors by type: error_count
    static final Dashboard.Panel RPS = Dashboard.rows().get(1).panels().get(0); // exlm:http_requests:rate1m

    static final QueryResult EMPTY = new QueryResult("vector", List.of());
    static final QueryResult ONE = new QueryResult("vector", List.of(new QueryResult.Series(Labels.EMPTY,
            List.of(new PromMath.Point(0, 1)))));

    static Scrape scrape(String body) {
        try {
            return Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                    ParseMode.LENIENT, "test", 0);
        } catch (io.exlm.mon.expo.ExpositionException e) {
            throw new AssertionError(e);
        }
    }

    static Target target(String health, String error) {
        return new Target("exlm-backend", "127.0.0.1:8000", "exlm-backend", "http://127.0.0.1:8000/metrics", health,
                error, "", 0, "15s", "10s", Map.of());
    }

    static String seriesQuery(String... names) {
        return "query:count by (__name__) ({__name__=~\"" + String.join("|", names) + "\",job=\"exlm-backend\"})";
    }

    static NoDataChecks.Trace trace(Dashboard.Panel p, Map<String, Object> facts) {
        DoctorEnv env = new DoctorEnv(null, PROM, "http://127.0.0.1:8000", "http://am", "http://g",
                Duration.ofSeconds(15), "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null,
                null, null, null, new Facts(facts));
        return NoDataChecks.trace(env, p);
    }

    static Map<String, Object> facts(Dashboard.Panel p, QueryResult panelResult) {
        Map<String, Object> f = new HashMap<>();
        for (String e : p.exprs()) {
            f.put("query:" + e, panelResult);
        }
        return f;
    }

    @Test
    void aPanelWithDataNeedsNoTrace() {
        assertThat(trace(PANEL, facts(PANEL, ONE)).hasData()).isTrue();
    }

    @Test
    void linkOneTheBackendDoesNotExposeTheMetric() {
        Map<String, Object> f = facts(PANEL, EMPTY);
        f.put("backend.scrape", scrape("# TYPE cache_hits counter\ncache_hits_total 3\n"));
        NoDataChecks.Trace t = trace(PANEL, f);
        assertThat(t.brokenLink()).isEqualTo(1);
        assertThat(t.finding()).isEqualTo("the backend does not expose error_count");
        assertThat(t.fix()).contains("metrics check --catalog");
    }

    @Test
    void linkTwoTheTargetIsDown() {
        Map<String, Object> f = facts(PANEL, EMPTY);
        f.put("backend.scrape", scrape("# TYPE error_count counter\nerror_count_total{type=\"db\"} 3\n"));
        f.put("prometheus.targets", List.of(target("down",
                "Get \"http://127.0.0.1:8000/metrics\": context deadline exceeded")));
        NoDataChecks.Trace t = trace(PANEL, f);
        assertThat(t.brokenLink()).isEqualTo(2);
        assertThat(t.finding()).contains("the exlm-backend target 127.0.0.1:8000 is DOWN",
                "no answer within the scrape timeout (10s)");
        assertThat(t.fix()).contains("scrape_timeout");

        f.put("prometheus.targets", List.of());
        assertThat(trace(PANEL, f).finding()).isEqualTo("Prometheus has no target of job exlm-backend");
    }

    @Test
    void linkThreeTheSeriesIsNotInPrometheus() {
        Map<String, Object> f = facts(PANEL, EMPTY);
        f.put("backend.scrape", scrape("# TYPE error_count counter\nerror_count_total{type=\"db\"} 3\n"));
        f.put("prometheus.targets", List.of(target("up", "")));
        f.put(seriesQuery("error_count", "error_count_total"), EMPTY);
        NoDataChecks.Trace t = trace(PANEL, f);
        assertThat(t.brokenLink()).isEqualTo(3);
        assertThat(t.finding()).contains("Prometheus holds no series of error_count", "although the backend exposes");
        assertThat(t.fix()).contains("metric_relabel_configs");
    }

    @Test
    void aYoungVictoriaMetricsNotShowingTheSeriesYetIsWarmingUpAnOldOneIsMissingIt() {
        Map<String, Object> f = facts(PANEL, EMPTY);
        f.put("backend.scrape", scrape("# TYPE error_count counter\nerror_count_total{type=\"db\"} 3\n"));
        f.put("prometheus.targets", List.of(target("up", "")));
        f.put(seriesQuery("error_count", "error_count_total"), EMPTY);
        f.put(Shared.STORE, new Store(Store.Kind.VICTORIA_METRICS, PROM, null, null, "/etc/vm/scrape.yml", "",
                Duration.ofSeconds(30), null, null));
        java.time.Instant started = java.time.Instant.ofEpochSecond(1780000000L);
        // its target UP, its samples written: shown in queries a -search.latencyOffset later (the warm-up's start)
        f.put("prometheus.warmup", new Warmup(started.plusSeconds(3), started.plusSeconds(30), Duration.ofSeconds(15),
                Duration.ofMinutes(1)));
        NoDataChecks.Trace young = trace(PANEL, f);
        assertThat(young.warming()).as(young.toString()).isTrue();
        assertThat(young.finding()).startsWith("VictoriaMetrics holds no series of error_count yet");

        f.put("prometheus.warmup", new Warmup(started.plusSeconds(3600), started.plusSeconds(30),
                Duration.ofSeconds(15), Duration.ofMinutes(1)));
        NoDataChecks.Trace old = trace(PANEL, f);
        assertThat(old.warming()).isFalse();
        assertThat(old.brokenLink()).isEqualTo(3);
        assertThat(old.finding()).startsWith("VictoriaMetrics holds no series of error_count for job exlm-backend");
    }

    /** Link 3 as the row's finding names it: the store doctor reads, not always Prometheus. */
    @Test
    void linkThreeNamesTheStoreItIsAbout() {
        java.util.function.Function<Map<String, Object>, DoctorEnv> env = f -> new DoctorEnv(null, PROM,
                "http://127.0.0.1:8000", "http://am", "http://g", Duration.ofSeconds(15), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, null, null, new Facts(f));
        Map<String, Object> prometheus = new HashMap<>();
        prometheus.put(Shared.STORE, new Store(Store.Kind.PROMETHEUS, PROM, null, null, "/etc/prometheus.yml", "",
                Duration.ZERO, null, null));
        assertThat(NoDataChecks.link(env.apply(prometheus), 3)).isEqualTo("the series exists in Prometheus");
        Map<String, Object> vm = new HashMap<>();
        vm.put(Shared.STORE, new Store(Store.Kind.VICTORIA_METRICS, PROM, null, null, "/etc/vm/scrape.yml", "",
                Duration.ofSeconds(30), null, null));
        assertThat(NoDataChecks.link(env.apply(vm), 3)).isEqualTo("the series exists in VictoriaMetrics");
        assertThat(NoDataChecks.link(env.apply(vm), 2)).isEqualTo("its target is UP");
    }

    /**
     * A VictoriaMetrics that others write into lists no targets and cannot tell its rules: the trace reads its up
     * series and the recording's own series instead, so that an empty panel is never a skip (a false pass).
     */
    @Test
    void aStoreThatListsNoTargetsNorRulesIsJudgedByItsUpSeriesAndTheRecordingsOwn() {
        java.time.Instant started = java.time.Instant.ofEpochSecond(1780000000L);
        Warmup old = new Warmup(started.plusSeconds(3600), started.plusSeconds(30), Duration.ofSeconds(15),
                Duration.ofMinutes(1));
        java.util.function.Function<Map<String, Object>, DoctorEnv> env = known -> {
            Facts facts = new Facts(known);
            // what it cannot tell, as Shared says it (the fetch fails once, and every later ask gets the same)
            for (String key : List.of("prometheus.targets", "prometheus.rules")) {
                try {
                    facts.get(key, () -> {
                        throw new Unknowable("VictoriaMetrics at " + PROM + " cannot tell (" + key + ")");
                    });
                } catch (Unknowable expected) {
                    // cached for the trace
                }
            }
            return new DoctorEnv(null, PROM, "http://127.0.0.1:8000", "http://am", "http://g", Duration.ofSeconds(15),
                    "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, null, null,
                    facts);
        };
        Map<String, Object> f = facts(RPS, EMPTY);
        f.put("backend.scrape", scrape("# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"200\"} 3\n"));
        f.put(Shared.STORE, new Store(Store.Kind.VICTORIA_METRICS, PROM, null, null, "", "", Duration.ofSeconds(30),
                null, null));
        f.put("prometheus.warmup", old);
        String up = "query:up{job=\"exlm-backend\"}";

        // nothing scrapes the backend into it: an empty store is a failure, not a skip
        f.put(up, EMPTY);
        NoDataChecks.Trace none = NoDataChecks.trace(env.apply(f), RPS);
        assertThat(none.warming()).isFalse();
        assertThat(none.brokenLink()).isEqualTo(2);
        assertThat(none.finding()).isEqualTo("VictoriaMetrics holds no up series of job exlm-backend: nothing scrapes"
                + " the backend into it");
        // ... unless it is too young to hold one
        f.put("prometheus.warmup", new Warmup(started.plusSeconds(3), started.plusSeconds(30), Duration.ofSeconds(15),
                Duration.ofMinutes(1)));
        assertThat(NoDataChecks.trace(env.apply(f), RPS).warming()).isTrue();
        f.put("prometheus.warmup", old);

        // scraped into it, and DOWN
        f.put(up, new QueryResult("vector", List.of(new QueryResult.Series(Labels.of("__name__", "up", "job",
                "exlm-backend", "instance", "127.0.0.1:8000"), List.of(new PromMath.Point(0, 0))))));
        NoDataChecks.Trace down = NoDataChecks.trace(env.apply(f), RPS);
        assertThat(down.brokenLink()).isEqualTo(2);
        assertThat(down.finding()).isEqualTo("the exlm-backend target 127.0.0.1:8000 is DOWN (up is 0 in"
                + " VictoriaMetrics)");

        // UP, its series there, the recording rule's not: link 4, whatever rules it cannot list
        f.put(up, ONE);
        f.put(seriesQuery("http_requests_total", "http_requests"), new QueryResult("vector", List.of(
                new QueryResult.Series(Labels.of("__name__", "http_requests_total"), List.of(new PromMath.Point(0,
                        1))))));
        f.put("query:count(exlm:http_requests:rate1m)", EMPTY);
        NoDataChecks.Trace norule = NoDataChecks.trace(env.apply(f), RPS);
        assertThat(norule.hasData()).isFalse();
        assertThat(norule.warming()).isFalse();
        assertThat(norule.brokenLink()).isEqualTo(4);
        assertThat(norule.finding()).startsWith("VictoriaMetrics holds no series of the recording rule"
                + " exlm:http_requests:rate1m that the panel shows, and cannot tell which rules are evaluated");

        // the recording's series there: the panel's own query is what returns nothing
        f.put("query:count(exlm:http_requests:rate1m)", ONE);
        assertThat(NoDataChecks.trace(env.apply(f), RPS).finding()).startsWith("the query returns nothing although"
                + " its series exist");
    }

    @Test
    void linkFourTheRecordingRuleIsNotLoadedOrTheQueryIsEmpty() {
        Map<String, Object> f = facts(RPS, EMPTY);
        f.put("backend.scrape", scrape("# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"200\"} 3\n"));
        f.put("prometheus.targets", List.of(target("up", "")));
        f.put(seriesQuery("http_requests_total", "http_requests"), new QueryResult("vector", List.of(new QueryResult.Series(
                Labels.of("__name__", "http_requests_total"), List.of(new PromMath.Point(0, 1))))));
        f.put("prometheus.rules", List.of(new RuleGroup("g", "f.yml", 15, List.of())));
        NoDataChecks.Trace t = trace(RPS, f);
        assertThat(t.brokenLink()).isEqualTo(4);
        assertThat(t.finding()).isEqualTo("Prometheus does not evaluate the recording rule exlm:http_requests:rate1m"
                + " that the panel shows");
        assertThat(t.fix()).contains("rules/exlm-recording.yml");

        f.put("prometheus.rules", List.of(new RuleGroup("g", "f.yml", 15, List.of(new Rule(
                "exlm:http_requests:rate1m", "recording", "sum(...)", "ok", "", null, 0, Map.of(), List.of())))));
        NoDataChecks.Trace empty = trace(RPS, f);
        assertThat(empty.brokenLink()).isEqualTo(4);
        assertThat(empty.finding()).startsWith("the query returns nothing although its series exist");
        assertThat(empty.fix()).contains("needs two samples");
    }

    @Test
    void eachPanelOfARowsFiguresIsWrittenWithItsFieldsInOrderAndTheLinkOnlyWhenBroken() throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        Map<String, Object> f = facts(PANEL, EMPTY);
        f.put("backend.scrape", scrape("# TYPE cache_hits counter\ncache_hits_total 3\n"));
        assertThat(json.writeValueAsString(NoDataChecks.PanelFigure.of(trace(PANEL, f)))).isEqualTo("{\"panel\":\""
                + PANEL.title() + "\",\"has_data\":false,\"broken_link\":1,\"finding\":\"the backend does not"
                + " expose error_count\",\"expected_at\":null}");
        assertThat(json.writeValueAsString(NoDataChecks.PanelFigure.of(trace(PANEL, facts(PANEL, ONE))))).isEqualTo(
                "{\"panel\":\"" + PANEL.title() + "\",\"has_data\":true,\"broken_link\":null,\"finding\":\"its"
                + " query returns data\",\"expected_at\":null}");
        NoDataChecks.Trace warming = new NoDataChecks.Trace("Request rate", false, 4, "one sample so far", "wait",
                java.time.Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(json.writeValueAsString(NoDataChecks.PanelFigure.of(warming))).isEqualTo("{\"panel\":\"Request"
                + " rate\",\"has_data\":false,\"broken_link\":null,\"finding\":\"one sample so far\","
                + "\"expected_at\":\"2026-01-02T03:04:05Z\"}");
    }
}
