package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.Alertmanagers;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Rule;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
import io.exlm.mon.promql.PromMath;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A young stack is not a broken one: on facts given in advance and a fixed clock, data that cannot exist yet is
 * "warming up" with the time it will exist, the same data missing later is a warning or a failure, and a real fault
 * during warm-up fails at once.
 */
class WarmupTest {
    static final Instant STARTED = Instant.parse("2026-01-10T08:00:00Z");
    static final String CONFIG = "global:\n  scrape_interval: 15s\n  evaluation_interval: 15s\nalerting:\n"
            + "  alertmanagers:\n  - static_configs:\n    - targets:\n      - 127.0.0.1:9093\n";
    static final QueryResult EMPTY = new QueryResult("vector", List.of());

    static Map<String, Object> prometheus() throws Exception {
        Map<String, Object> f = new HashMap<>();
        JsonNode rt = new ObjectMapper().readTree("{\"startTime\":\"" + STARTED + "\",\"reloadConfigSuccess\":true}");
        f.put("prometheus.runtimeinfo", rt);
        f.put("prometheus.config", CONFIG);
        return f;
    }

    static DoctorEnv env(Map<String, Object> facts, Duration age) {
        return new DoctorEnv(null, "http://prom", "http://127.0.0.1:8000", "http://127.0.0.1:9093", "http://g",
                Duration.ofSeconds(15), "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null,
                null, null, null, new Facts(facts), Clock.fixed(STARTED.plus(age), ZoneOffset.UTC));
    }

    static Target target(String job, String health, String error) {
        return new Target(job, "127.0.0.1:1", job, "http://127.0.0.1:1/metrics", health, error,
                health.equals("unknown") ? "0001-01-01T00:00:00Z" : STARTED.plusSeconds(20).toString(), 0, "15s",
                "10s", Map.of());
    }

    @Test
    void theTimesDataCanExistFollowFromTheStartAndTheIntervals() {
        Warmup w = new Warmup(STARTED.plusSeconds(3), STARTED, Duration.ofSeconds(15), Duration.ofSeconds(15));
        // discovery (5 s), the first scrape's offset and its timeout (up to an interval each), slack (2 s)
        assertThat(w.firstScrapeBy(Duration.ofSeconds(15))).isEqualTo(STARTED.plusSeconds(37));
        assertThat(w.rateBy()).isEqualTo(STARTED.plusSeconds(52));
        assertThat(w.recordedRateBy()).isEqualTo(STARTED.plusSeconds(67));
        assertThat(w.firstEvaluationBy(Duration.ofSeconds(15))).isEqualTo(STARTED.plusSeconds(32));
        assertThat(w.alertmanagersBy()).isEqualTo(STARTED.plusSeconds(22));
        assertThat(w.explain(w.rateBy())).isEqualTo("Prometheus started 3s ago; expected by 08:00:52 UTC (in 49s)");
        Warmup later = new Warmup(STARTED.plusSeconds(60), STARTED, Duration.ofSeconds(15), Duration.ofSeconds(15));
        assertThat(later.before(later.rateBy())).isFalse();
        assertThat(later.explain(later.rateBy())).isEqualTo("Prometheus started 1m0s ago; due by 08:00:52 UTC (8s ago)");
        assertThat(Warmup.parse("0001-01-01T00:00:00Z")).isNull();
        assertThat(Warmup.parse("2026-01-10T08:00:00.123456789Z")).isEqualTo(STARTED.plusNanos(123456789));
        assertThat(Warmup.parse("2026-01-10T09:00:00.5+01:00")).isEqualTo(STARTED.plusMillis(500));
    }

    @Test
    void aStoreWithALatencyOffsetSaysWhatStartedAndItsWholeAge() {
        Duration offset = Duration.ofSeconds(30);
        // VictoriaMetrics started 34 s ago: its data shows from 30 s after that, and its age is 34 s, not 4 s
        Warmup w = new Warmup(STARTED.plusSeconds(34), STARTED.plus(offset), Duration.ofSeconds(15),
                Duration.ofSeconds(15), "VictoriaMetrics", offset);
        assertThat(w.explain(w.discoveredBy())).startsWith("VictoriaMetrics started 34s ago (a sample shows in queries"
                + " 30s after it is written); expected by ");
        assertThat(w.launched()).isEqualTo(STARTED);
        assertThat(w.discoveredBy()).isEqualTo(STARTED.plus(offset).plus(Warmup.DISCOVERY).plus(Warmup.SLACK));
        assertThat(new Warmup(STARTED.plusSeconds(4), STARTED, Duration.ofSeconds(15), Duration.ofSeconds(15))
                .explain(STARTED.plusSeconds(9))).isEqualTo("Prometheus started 4s ago; expected by "
                        + Warmup.clock(STARTED.plusSeconds(9)) + " (in 5s)");
    }

    @Test
    void targetsNotScrapedYetAreWarmingUpUntilTheirFirstScrapeIsDueThenAWarning() throws Exception {
        Map<String, Object> f = prometheus();
        f.put("prometheus.targets", List.of(target("exlm-backend", "up", ""), target("node", "unknown", "")));
        Outcome young = PrometheusChecks.targets(env(f, Duration.ofSeconds(5)));
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(37));
        assertThat(young.summary()).isEqualTo("1 of 2 targets not scraped yet; 1 UP; Prometheus started 5s ago;"
                + " expected by 08:00:37 UTC (in 32s)");

        Outcome old = PrometheusChecks.targets(env(f, Duration.ofMinutes(5)));
        assertThat(old.status()).isEqualTo(Status.WARN);
        assertThat(old.summary()).contains("due by 08:00:37 UTC");
    }

    @Test
    void aTargetThatRefusesConnectionsDuringWarmUpFailsAtOnce() throws Exception {
        Map<String, Object> f = prometheus();
        f.put("prometheus.targets", List.of(target("exlm-backend", "down",
                "Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused"),
                target("node", "unknown", "")));
        Outcome o = PrometheusChecks.targets(env(f, Duration.ofSeconds(5)));
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).contains("1 of 2 targets DOWN", "refused");
    }

    @Test
    void anAlertmanagerNotDiscoveredYetIsWarmingUpOnlyWhenTheConfigurationNamesOne() throws Exception {
        Map<String, Object> f = prometheus();
        f.put("prometheus.alertmanagers", new Alertmanagers(List.of(), List.of()));
        Outcome young = PrometheusChecks.alertmanager(env(f, Duration.ofSeconds(3)));
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(22));

        assertThat(PrometheusChecks.alertmanager(env(f, Duration.ofSeconds(30))).status()).isEqualTo(Status.FAIL);

        f.put("prometheus.config", "global:\n  scrape_interval: 15s\n");
        assertThat(PrometheusChecks.alertmanager(env(f, Duration.ofSeconds(3))).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void rulesNotEvaluatedYetAreWarmingUpButAFailingRuleFailsAtOnce() throws Exception {
        Map<String, Object> f = prometheus();
        List<Rule> rules = new java.util.ArrayList<>();
        for (String a : PrometheusChecks.expectedAlerts()) {
            rules.add(new Rule(a, "alerting", "x", "unknown", "", "inactive", 300, Map.of(), List.of()));
        }
        f.put("prometheus.rules", List.of(new RuleGroup("g", "f.yml", 15, rules, "0001-01-01T00:00:00Z")));
        Outcome young = PrometheusChecks.rules(env(f, Duration.ofSeconds(4)));
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(32));
        assertThat(PrometheusChecks.rules(env(f, Duration.ofMinutes(2))).status()).isEqualTo(Status.OK);

        rules.set(0, new Rule(rules.get(0).name(), "alerting", "x", "err", "many-to-many matching", "inactive", 300,
                Map.of(), List.of()));
        f.put("prometheus.rules", List.of(new RuleGroup("g", "f.yml", 15, rules, "0001-01-01T00:00:00Z")));
        assertThat(PrometheusChecks.rules(env(f, Duration.ofSeconds(4))).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aPanelWhoseRateHasOneSampleIsWarmingUpAndTheSameLaterIsAFinding() throws Exception {
        Dashboard.Panel rps = Dashboard.rows().get(1).panels().get(0); // exlm:http_requests:rate1m
        Map<String, Object> f = prometheus();
        for (String e : rps.exprs()) {
            f.put("query:" + NoDataChecks.grafanaVariables(e, env(f, Duration.ZERO)), EMPTY);
        }
        f.put("backend.scrape", Scrape.read(("# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"200\"} 3\n")
                .getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "test", 0));
        f.put("prometheus.targets", List.of(target("exlm-backend", "up", "")));
        f.put("query:count by (__name__) ({__name__=~\"http_requests_total|http_requests\",job=\"exlm-backend\"})",
                new QueryResult("vector", List.of(new QueryResult.Series(Labels.of("__name__", "http_requests_total"),
                        List.of(new PromMath.Point(0, 1))))));
        f.put("prometheus.rules", List.of(new RuleGroup("g", "f.yml", 15, List.of(new Rule(
                "exlm:http_requests:rate1m", "recording", "sum(...)", "ok", "", null, 0, Map.of(), List.of())))));

        NoDataChecks.Trace young = NoDataChecks.trace(env(f, Duration.ofSeconds(40)), rps);
        assertThat(young.warming()).isTrue();
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(67));
        assertThat(young.finding()).contains("its recording rule needs two scrapes and an evaluation",
                "expected by 08:01:07 UTC");

        NoDataChecks.Trace old = NoDataChecks.trace(env(f, Duration.ofSeconds(70)), rps);
        assertThat(old.warming()).isFalse();
        assertThat(old.brokenLink()).isEqualTo(4);
        assertThat(old.finding()).startsWith("the query returns nothing although its series exist");
    }

    @Test
    void aBackendTargetNotScrapedYetIsWarmingUpAndADownOneIsAFinding() throws Exception {
        Dashboard.Panel errors = Dashboard.rows().get(3).panels().get(1); // error_count
        Map<String, Object> f = prometheus();
        for (String e : errors.exprs()) {
            f.put("query:" + NoDataChecks.grafanaVariables(e, env(f, Duration.ZERO)), EMPTY);
        }
        f.put("backend.scrape", Scrape.read("# TYPE error_count counter\nerror_count_total{type=\"db\"} 3\n"
                .getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "test", 0));
        f.put("prometheus.targets", List.of(target("exlm-backend", "unknown", "")));
        NoDataChecks.Trace young = NoDataChecks.trace(env(f, Duration.ofSeconds(2)), errors);
        assertThat(young.warming()).isTrue();
        assertThat(young.brokenLink()).isEqualTo(2);

        f.put("prometheus.targets", List.of(target("exlm-backend", "down", "connection refused")));
        NoDataChecks.Trace down = NoDataChecks.trace(env(f, Duration.ofSeconds(2)), errors);
        assertThat(down.warming()).isFalse();
        assertThat(down.finding()).contains("is DOWN");
    }

    @Test
    void warmingUpFailsNothingNotEvenWithStrictAndTheReportSaysWhenItSettles() {
        Check a = new Check("x.a", "a", List.of(), e -> Outcome.ok("fine"));
        Check b = new Check("x.b", "b", List.of("x.a"), e -> Outcome.warming("not yet", STARTED.plusSeconds(50)));
        Check c = new Check("x.c", "c", List.of("x.b"), e -> Outcome.ok("runs after a warming-up prerequisite"));
        DoctorReport r = Doctor.run(List.of(a, b, c), env(new HashMap<>(), Duration.ZERO),
                new Doctor.Options(Duration.ofSeconds(5), 0), true);
        assertThat(r.exitCode()).isZero();
        assertThat(r.status()).isEqualTo(Status.WARMING);
        assertThat(r.results().get(2).status()).isEqualTo(Status.OK);
        assertThat(r.settledBy()).isEqualTo(STARTED.plusSeconds(50));
        DoctorJson.Document doc = DoctorJson.of(r, new DoctorJson.Endpoints(null, null, null, null));
        assertThat(doc.status()).isEqualTo("warming_up");
        assertThat(doc.counts().get("warming_up")).isEqualTo(1);
    }

    @Test
    void noTargetsBeforeDiscoveryHandsThemOverIsWarmingUpAndAfterItAFailure() throws Exception {
        Map<String, Object> f = prometheus();
        f.put("prometheus.targets", List.of());
        Outcome young = PrometheusChecks.targets(env(f, Duration.ofSeconds(1)));
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(7));
        assertThat(PrometheusChecks.targets(env(f, Duration.ofSeconds(8))).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aBackendDownAtItsLastScrapeThatAnswersNowIsWarmingUpUntilTheNextScrape() throws Exception {
        Map<String, Object> f = prometheus();
        // scraped at +20 s and refused; the backend started since, and its /metrics answers now
        Target down = new Target("exlm-backend", "127.0.0.1:8000", "exlm-backend", "http://127.0.0.1:8000/metrics",
                "down", "Get \"http://127.0.0.1:8000/metrics\": dial tcp 127.0.0.1:8000: connect: connection refused",
                STARTED.plusSeconds(20).toString(), 0, "15s", "10s", Map.of());
        f.put("prometheus.targets", List.of(down));
        f.put("backend.scrape", Scrape.read("# TYPE a gauge\na 1\n".getBytes(StandardCharsets.UTF_8),
                ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "test", 0));
        Outcome o = PrometheusChecks.targets(env(f, Duration.ofSeconds(30)));
        assertThat(o.status()).isEqualTo(Status.WARMING);
        assertThat(o.expectedAt()).isEqualTo(STARTED.plusSeconds(20 + 15 + 10 + 2));
        // past the next scrape it is a finding
        assertThat(PrometheusChecks.targets(env(f, Duration.ofSeconds(48))).status()).isEqualTo(Status.FAIL);
        // and when it does not answer now either, at once
        f.remove("backend.scrape");
        Outcome refused = PrometheusChecks.targets(env(f, Duration.ofSeconds(30)));
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        assertThat(refused.summary()).contains("refused");
    }
}
