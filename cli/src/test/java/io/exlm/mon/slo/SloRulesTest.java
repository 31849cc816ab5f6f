package io.exlm.mon.slo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.config.Durations;
import io.exlm.mon.slo.Slo.BurnAlert;
import io.exlm.mon.slo.Slo.Objective;
import io.exlm.mon.slo.Slo.Severity;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.StackFiles;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SLO rules are the SLO definition's: stack/prometheus/rules/exlm-slo.yml is generated from
 * stack/slo/exlm-backend.yml by scripts/regenerate-docs and fails here while stale; the definition holds the numbers
 * the promtool tests (exlm-slo.test.yml, exlm-slo-slow.test.yml) were written for, and the workbook's windows.
 */
class SloRulesTest {
    private static final Path STACK = Path.of("..", "stack").toAbsolutePath().normalize();

    private static Slo committed() throws Exception {
        return Slo.parse(Files.readString(STACK.resolve(StackFiles.SLO)), "stack/" + StackFiles.SLO);
    }

    @Test
    void theCommittedRulesAreTheGeneratedOnes() throws Exception {
        String rules = Files.readString(STACK.resolve(StackFiles.SLO_RULES), StandardCharsets.UTF_8);
        assertThat(rules).as(StackFiles.SLO_RULES + " is generated from " + StackFiles.SLO
                + ": run scripts/regenerate-docs").isEqualTo(SloRules.yaml(committed()));
        // and the bundled copy is the one on disk (what up ships)
        assertThat(StackFiles.text(StackFiles.SLO_RULES)).isEqualTo(rules);
    }

    /**
     * The numbers the promtool tests were written for (their inputs and eval times follow from them). Changing the
     * definition means rewriting those tests: this fails first, and says so.
     */
    @Test
    void theDefinitionHoldsTheNumbersThePromtoolTestsWereWrittenFor() throws Exception {
        Slo slo = committed();
        String why = "the promtool tests (stack/prometheus/tests/exlm-slo*.test.yml) were written for these numbers:"
                + " change them together";
        assertThat(slo.period()).as(why).isEqualTo(Duration.ofDays(30));
        assertThat(slo.objectives()).as(why).extracting(Objective::name, o -> o.objective().toPlainString(),
                Objective::le).containsExactly(org.assertj.core.groups.Tuple.tuple("availability", "99.5", null),
                org.assertj.core.groups.Tuple.tuple("latency", "95", "0.5"));
        // SPEC.md's "Service levels": 99.5 % of requests without a 5xx, 95 % within 500 ms, over 30 days
        String spec = "the objectives of SPEC.md";
        assertThat(slo.objectives().get(0).budget()).as(spec).isEqualByComparingTo("0.005");
        assertThat(slo.objectives().get(1).budget()).as(spec).isEqualByComparingTo("0.05");
        // the Google SRE workbook's table for a 30-day objective
        assertThat(slo.alerts()).as("the workbook's windows and factors").extracting(BurnAlert::severity,
                a -> Durations.format(a.longWindow()), a -> Durations.format(a.shortWindow()),
                a -> a.factor().toPlainString()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Severity.PAGE, "1h", "5m", "14.4"),
                org.assertj.core.groups.Tuple.tuple(Severity.PAGE, "6h", "30m", "6"),
                org.assertj.core.groups.Tuple.tuple(Severity.TICKET, "1d", "2h", "3"),
                org.assertj.core.groups.Tuple.tuple(Severity.TICKET, "3d", "6h", "1"));
        // what each window pair spends of the budget: 2 %, 5 %, 10 %, 10 % (the workbook's figures)
        assertThat(slo.alerts()).extracting(a -> a.budgetSpent(slo.period()).toPlainString())
                .containsExactly("2", "5", "10", "10");
        assertThat(slo.job()).isEqualTo(Catalog.BACKEND_JOB);
    }

    @Test
    void theLatencyBucketIsOneTheBackendExposes() throws Exception {
        String le = committed().objectives().get(1).le();
        // the Python client's default buckets (what prometheus-fastapi-instrumentator exposes), which the demo uses
        java.lang.reflect.Field f = Class.forName("io.exlm.mon.demo.DemoMetrics").getDeclaredField("LATENCY_BUCKETS");
        f.setAccessible(true);
        double[] demo = (double[]) f.get(null);
        assertThat(demo).containsExactly(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10);
        assertThat(Arrays.stream(demo).mapToObj(Double::toString).toList()).as("le=" + le).contains(le);
    }

    /** Every alert of every objective and severity, its labels and texts, as the rule file holds them. */
    @Test
    void everyAlertHasItsLabelsAndTextsAndNoEmptyOne() throws Exception {
        Slo slo = committed();
        JsonNode doc = Yaml.read(SloRules.yaml(slo), "the generated rules");
        List<String> alerts = new ArrayList<>();
        for (JsonNode g : doc.path("groups")) {
            boolean sawAlert = false;
            for (JsonNode r : g.path("rules")) {
                if (r.has("record")) {
                    assertThat(sawAlert).as("a recording rule after an alert in " + g.path("name")).isFalse();
                    continue;
                }
                sawAlert = true;
                alerts.add(r.path("alert").asText() + " " + r.path("labels").path("long").asText() + "/"
                        + r.path("labels").path("short").asText() + " " + r.path("labels").path("severity").asText());
                assertThat(r.path("labels").path("slo").asText()).isIn("availability", "latency");
                for (String a : List.of("summary", "description", "runbook")) {
                    String text = r.path("annotations").path(a).asText();
                    assertThat(text).as(a).contains(slo.service()).doesNotContain("$labels.instance")
                            .doesNotContain("  ");
                }
                // the only label a text reads is the job, which every ratio keeps (sum by (job))
                assertThat(r.path("annotations").toString().replace("$labels.job", ""))
                        .doesNotContain("$labels");
                assertThat(r.has("for")).as("the workbook's alerts have no for: the short window confirms").isFalse();
            }
        }
        assertThat(alerts).containsExactly(
                "ErrorBudgetBurn 1h/5m critical", "ErrorBudgetBurn 6h/30m critical",
                "ErrorBudgetSlowBurn 1d/2h warning", "ErrorBudgetSlowBurn 3d/6h warning",
                "LatencyBudgetBurn 1h/5m critical", "LatencyBudgetBurn 6h/30m critical",
                "LatencyBudgetSlowBurn 1d/2h warning", "LatencyBudgetSlowBurn 3d/6h warning");
    }

    @Test
    void theExpressionsAreTheWorkbooks() throws Exception {
        Slo slo = committed();
        Objective availability = slo.objectives().get(0);
        assertThat(SloRules.alertExpr(slo, availability, slo.alerts().get(0))).isEqualTo(
                "exlm:slo_availability_errors:ratio_rate1h > (14.4 * 0.005)"
                        + " and exlm:slo_availability_errors:ratio_rate5m > (14.4 * 0.005)"
                        + " and on(job) count_over_time((count by (job) (max_over_time(up{job=\"exlm-backend\"}[3m]) == 1))"
                        + "[1h:36s]) >= 90");
        // a twentieth of the window back from each step, at most 15 minutes; a hundred steps over the window
        assertThat(slo.alerts()).extracting(a -> SloRules.historyGuard(slo, a).replaceAll(".*\\[(\\w+)\\]\\) == 1\\)\\)"
                + "\\[(\\w+:\\w+)\\].*", "$1 $2")).containsExactly("3m 1h:36s", "15m 6h:3m36s", "15m 1d:14m24s",
                "15m 3d:43m12s");
        // the history each long window needs: 0.9 of it
        assertThat(slo.history()).isEqualByComparingTo("0.9");
        assertThat(slo.alerts()).extracting(a -> Durations.format(a.historyNeeded(slo.history())))
                .containsExactly("54m", "5h24m", "21h36m", "2d16h48m");
        // a 5xx is an error, under both spellings of the counter, summed by job; the guide's own rule says the same
        assertThat(SloRules.ratioExpr(slo, availability, Duration.ofHours(1))).isEqualTo(
                "(sum by (job) ((rate(http_requests_total{job=\"exlm-backend\",status=~\"5..\"}[1h])"
                        + " or rate(http_requests{job=\"exlm-backend\",status=~\"5..\"}[1h])))"
                        + " or sum by (job) ((rate(http_requests_total{job=\"exlm-backend\"}[1h])"
                        + " or rate(http_requests{job=\"exlm-backend\"}[1h]))) * 0)"
                        + " / sum by (job) ((rate(http_requests_total{job=\"exlm-backend\"}[1h])"
                        + " or rate(http_requests{job=\"exlm-backend\"}[1h])))");
        assertThat(SloRules.ratioExpr(slo, slo.objectives().get(1), Duration.ofMinutes(5))).isEqualTo(
                "(sum by (job) (rate(http_request_duration_seconds_count{job=\"exlm-backend\"}[5m]))"
                        + " - sum by (job) (rate(http_request_duration_seconds_bucket{job=\"exlm-backend\",le=\"0.5\"}[5m])))"
                        + " / sum by (job) (rate(http_request_duration_seconds_count{job=\"exlm-backend\"}[5m]))");
        assertThat(slo.windows()).extracting(Durations::format).containsExactly("5m", "30m", "1h", "2h", "6h", "1d",
                "3d");
    }

    /** Every alert of the rules is under a promtool test, each firing at least once. */
    @Test
    void everyAlertIsUnderAPromtoolTest() throws Exception {
        String tests = Files.readString(STACK.resolve(StackFiles.SLO_RULE_TESTS))
                + Files.readString(STACK.resolve(StackFiles.SLO_SLOW_RULE_TESTS));
        Slo slo = committed();
        for (Objective o : slo.objectives()) {
            for (Severity s : Severity.values()) {
                assertThat(tests).contains("alertname: " + o.alertName(s));
            }
        }
        // every window pair of every objective fires in some test (its labels are asserted), at the workbook's
        // detection time or the history guard's
        for (Objective o : slo.objectives()) {
            for (BurnAlert a : slo.alerts()) {
                assertThat(tests).as(o.alertName(a.severity()) + " " + a.longWindow()).contains("slo: " + o.name()
                        + ", long: " + Durations.format(a.longWindow()) + ", short: "
                        + Durations.format(a.shortWindow()));
            }
        }
    }

    @Test
    void aDefinitionWithAMistakeIsOneLineNamingIt() {
        String ok = """
                service: s
                job: j
                period: 30d
                history: 0.9
                objectives:
                  - {slo: availability, objective: 99.5, page: P, ticket: T}
                alerts:
                  - {kind: page, long: 1h, short: 5m, factor: 14.4}
                """;
        assertThat(Slo.parse(ok, "f.yml").objectives().get(0).budget()).isEqualByComparingTo(new BigDecimal("0.005"));
        assertThatThrownBy(() -> Slo.parse(ok.replace("99.5", "100"), "f.yml"))
                .hasMessage("f.yml: objective availability is 100, not a percentage between 0 and 100");
        assertThatThrownBy(() -> Slo.parse(ok.replace("kind: page", "kind: pager"), "f.yml"))
                .hasMessage("f.yml: alert kind pager is neither page nor ticket");
        assertThatThrownBy(() -> Slo.parse(ok.replace("job: j\n", ""), "f.yml")).hasMessage("f.yml: job is missing");
        assertThatThrownBy(() -> Slo.parse(ok.replace("slo: availability", "slo: latency"), "f.yml"))
                .hasMessage("f.yml: le is missing");
        assertThatThrownBy(() -> Slo.parse(ok.replace("long: 1h", "long: 1 hour"), "f.yml"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Slo.parse(ok.replace("history: 0.9\n", ""), "f.yml"))
                .hasMessage("f.yml: history is missing");
        assertThatThrownBy(() -> Slo.parse(ok.replace("history: 0.9", "history: 1.5"), "f.yml"))
                .hasMessage("f.yml: history is 1.5, not a share of a window above 0 and at most 1");
        assertThatThrownBy(() -> Slo.parse(ok.replace("factor: 14.4", "factor: fast"), "f.yml"))
                .hasMessage("f.yml: factor is fast, not a number");
    }
}
