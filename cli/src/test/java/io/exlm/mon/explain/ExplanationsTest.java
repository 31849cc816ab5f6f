package io.exlm.mon.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PromMath;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Formulas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The explanations, the runbooks and the rule files held together: every alert of every shipped rule file has an
 * explanation and a runbook file, every explanation and every runbook file an alert, every rule's runbook_url is
 * its runbook's URL, every doctor check an explanation names exists, and every runbook's steps are what explain
 * can print whole under the findings of one screen.
 */
class ExplanationsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path RUNBOOKS = ROOT.resolve(Runbooks.DIRECTORY);

    /** Every alerting rule of stack/prometheus/rules/*.yml (an SLO alert has several rules of one name). */
    static List<JsonNode> alertRules() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("stack/prometheus/rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode g : Yaml.read(Files.readString(f), f.toString()).path("groups")) {
                    for (JsonNode r : g.path("rules")) {
                        if (r.hasNonNull("alert")) {
                            out.add(r);
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Set<String> alertNames() throws Exception {
        return alertRules().stream().map(r -> r.path("alert").asText()).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyAlertOfTheRulesHasAnExplanationAndEveryExplanationAnAlert() throws Exception {
        Set<String> explained = Arrays.stream(Explanation.values()).map(Explanation::alert)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(explained).isEqualTo(alertNames());
        for (Explanation e : Explanation.values()) {
            assertThat(Explanation.of(e.alert())).isSameAs(e);
        }
    }

    @Test
    void everyAlertHasARunbookFileAndEveryRunbookFileAnAlert() throws Exception {
        Set<String> files;
        try (Stream<Path> s = Files.list(RUNBOOKS)) {
            files = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        assertThat(files).isEqualTo(alertNames().stream().map(a -> a + ".md")
                .collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyRulesRunbookUrlIsItsRunbooksUrl() throws Exception {
        for (JsonNode r : alertRules()) {
            String alert = r.path("alert").asText();
            assertThat(r.path("annotations").path("runbook_url").asText()).as(alert).isEqualTo(Runbooks.url(alert))
                    .isEqualTo(Runbooks.BASE_URL + Runbooks.path(alert).substring(Runbooks.DIRECTORY.length() + 1));
            // the one-line hint stays beside it (AlertTextsTest holds it to the README's table)
            assertThat(r.path("annotations").path("runbook").asText()).as(alert).isNotBlank();
        }
    }

    @Test
    void everyRunbookIsBundledWithStepsThatExplainPrintsWhole() throws Exception {
        for (String alert : alertNames()) {
            String text = Files.readString(RUNBOOKS.resolve(alert + ".md"));
            assertThat(text).as(alert).startsWith("# " + alert + "\n").contains("\n" + Runbooks.STEPS + "\n");
            assertThat(Runbooks.text(alert)).as("the jar's copy of " + alert).isEqualTo(text);
            List<String> steps = Runbooks.steps(text);
            assertThat(steps).as(alert).isNotEmpty().hasSizeLessThanOrEqualTo(Runbooks.MAX_STEP_LINES)
                    .noneMatch(l -> l.startsWith("... ("));
            // printed indented by four under the findings, within 80 columns
            assertThat(steps).as(alert).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(76));
            Runbooks.Runbook rb = Runbooks.of(alert, Runbooks.url(alert));
            assertThat(rb.path()).isEqualTo(Runbooks.DIRECTORY + "/" + alert + ".md");
            assertThat(rb.steps()).isEqualTo(steps);
        }
    }

    @Test
    void noRunbookSaysAPlainUpWhichMayStartTheOtherRuntime() throws Exception {
        // a plain up takes stack.runtime (auto: compose wherever a Docker engine answers), not the runtime the stack
        // was started with: after up --runtime local it could start a second stack (StackRuntime.upAgain)
        java.util.regex.Pattern plain = java.util.regex.Pattern.compile("`exlm-mon up(?! --runtime)[^`]*`");
        for (String alert : alertNames()) {
            String text = Files.readString(RUNBOOKS.resolve(alert + ".md"));
            assertThat(text).as(alert).doesNotContainPattern(plain);
        }
    }

    @Test
    void aRunbookUrlElsewhereIsResolvedByItsFileName() {
        Runbooks.Runbook rb = Runbooks.of("HighErrorRate", "https://wiki.example/ops/runbooks/HighErrorRate.md");
        assertThat(rb.url()).isEqualTo("https://wiki.example/ops/runbooks/HighErrorRate.md");
        assertThat(rb.steps()).isEqualTo(Runbooks.steps(Runbooks.text("HighErrorRate")));
        assertThat(Runbooks.of("SomeoneElsesAlert", null)).isNull();
        assertThat(Runbooks.text("../../etc/passwd")).isNull();
    }

    @Test
    void everyDoctorCheckNamedExists() {
        Set<String> ids = Checks.all().stream().map(Check::id).collect(Collectors.toSet());
        for (Explanation e : Explanation.values()) {
            assertThat(ids).as(e.alert()).containsAll(e.checks());
        }
    }

    @Test
    void theBreakdownsWindowIsTheAlertsOwn() throws Exception {
        // HighErrorRate reads the 5xx ratio over 5 minutes: its breakdowns cover the same window
        JsonNode ratio = null;
        Path f = ROOT.resolve("stack/prometheus/rules/exlm-alerts.yml");
        for (JsonNode r : Yaml.read(Files.readString(f), f.toString()).path("groups").get(0).path("rules")) {
            if (r.path("record").asText().equals("exlm:http_request_errors:ratio_rate5m")) {
                ratio = r;
            }
        }
        assertThat(ratio).isNotNull();
        assertThat(ratio.path("expr").asText()).contains(Formulas.range(Probe.WINDOW));
        assertThat(Probe.ERROR_RATIO_BY_INSTANCE.queries(Scope.of(java.util.Map.of("job", "j"))).get(0))
                .contains("exlm:http_request_errors:ratio_rate5m");
    }

    private static QueryResult vector(double[] values, String label, String... names) {
        List<QueryResult.Series> rows = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            rows.add(new QueryResult.Series(Labels.of(label, names[i]), List.of(new PromMath.Point(0, values[i]))));
        }
        return new QueryResult("vector", rows);
    }

    private static Target target(String job, String instance, String health, String error) {
        return new Target(job, instance, job, "http://" + instance + "/metrics", health, error, "", 0, "15s", "10s",
                Map.of());
    }

    @Test
    void noRequestsAtAllIsSaidSoAndNotReadAsNoErrors() {
        Scope s = Scope.of(Map.of("job", "exlm-backend", "instance", "127.0.0.1:8000"));
        QueryResult none = new QueryResult("vector", List.of());
        assertThat(Probe.ERRORS_BY_HANDLER.lines(s, List.of(none, none)))
                .containsExactly("no requests seen over the last 5m (job exlm-backend, instance 127.0.0.1:8000)");
        assertThat(Probe.ERRORS_BY_HANDLER.lines(s, List.of(none, vector(new double[] {0}, "handler", "/a"))))
                .containsExactly("no requests seen over the last 5m (job exlm-backend, instance 127.0.0.1:8000)");
        // requests, none of them answered with a 5xx: that is no 5xx
        assertThat(Probe.ERRORS_BY_HANDLER.lines(s, List.of(vector(new double[] {0}, "handler", "/a"),
                vector(new double[] {2}, "handler", "/a")))).containsExactly("no 5xx answers over the last 5m");
        // the recording rule's share is NaN (0 / 0) for an instance without requests, never a share of 0 %
        assertThat(Probe.ERROR_RATIO_BY_INSTANCE.lines(s, List.of(vector(new double[] {Double.NaN, Double.NaN},
                "instance", "127.0.0.1:8000", "127.0.0.1:8001"))))
                .containsExactly("no requests seen on any of its 2 instances over the last 5m");
        assertThat(Probe.ERROR_RATIO_BY_INSTANCE.lines(s, List.of(vector(new double[] {0.2, Double.NaN},
                "instance", "127.0.0.1:8000", "127.0.0.1:8001"))))
                .containsExactly("1 of 2: 127.0.0.1:8000 20.0 %, 127.0.0.1:8001 no requests");
    }

    @Test
    void theJobsTargetsSayWhenPrometheusScrapesTheAlertsTargetNoMore() {
        Scope own = Scope.of(Map.of("job", "exlm-backend", "instance", "10.0.0.1:8000"));
        Target up = target("exlm-backend", "10.0.0.2:8000", "up", "");
        Target other = target("node", "10.0.0.1:9100", "up", "");
        // the alert's instance is gone from the targets (relabelled away): said first
        assertThat(Probe.jobTargetLines(own, List.of(other, up), null)).containsExactly(
                "the alert's instance 10.0.0.1:8000 is no target of Prometheus now (removed, or relabelled away)",
                "up: 10.0.0.2:8000; the figures below are from before it stopped (last 5m)");
        // no target of the job at all
        assertThat(Probe.jobTargetLines(own, List.of(other), null)).containsExactly("Prometheus has no active"
                + " target of job exlm-backend now (removed, or relabelled away): the figures below are from before"
                + " it stopped (last 5m)");
        // another instance down, the alert's own up: the other is named with its cause, the figures are current
        Target down = target("exlm-backend", "10.0.0.3:8000", "down", "Get \"http://10.0.0.3:8000/metrics\": context"
                + " deadline exceeded");
        Target mine = target("exlm-backend", "10.0.0.1:8000", "up", "");
        assertThat(Probe.jobTargetLines(own, List.of(down, mine), null)).containsExactly(
                "10.0.0.3:8000 DOWN: no answer within the scrape timeout (10s)",
                "fix: " + io.exlm.mon.doctor.ScrapeErrors.diagnose("exlm-backend", down.scrapeUrl(), down.lastError(),
                        "10s").fix(), "up: 10.0.0.1:8000");
        // an alert of the whole job (the SLO alerts): its figures are old only when no target is scraped
        Scope job = Scope.of(Map.of("job", "exlm-backend"));
        assertThat(Probe.jobTargetLines(job, List.of(down, mine), null)).last().isEqualTo("up: 10.0.0.1:8000");
        assertThat(Probe.jobTargetLines(job, List.of(down, target("exlm-backend", "10.0.0.1:8000", "unknown", "")),
                null))
                .contains("10.0.0.1:8000 not scraped yet (unknown)")
                .last().isEqualTo("the figures below are from before they stopped (last 5m)");
        assertThat(Probe.jobTargetLines(own, List.of(mine, up), null)).containsExactly("all 2 up: 10.0.0.1:8000,"
                + " 10.0.0.2:8000");
        // the alert's target just added, not scraped yet: nothing was lost, so the figures are not said to be old
        assertThat(Probe.jobTargetLines(own, List.of(target("exlm-backend", "10.0.0.1:8000", "unknown", ""), up),
                null)).containsExactly("10.0.0.1:8000 not scraped yet (unknown)", "up: 10.0.0.2:8000");
    }

    @Test
    void aHostReadingNamesWhereItWasReadAndTheAlertsInstanceAndIsNeverABareOk() {
        assertThat(HostReading.sameHost("127.0.0.1:9100", "127.0.0.1:8000")).isTrue();
        assertThat(HostReading.sameHost("localhost:9100", "127.0.0.1:8000")).isTrue();
        assertThat(HostReading.sameHost("[::1]:9100", "127.0.0.1:8000")).isTrue();
        assertThat(HostReading.sameHost("Web-1:9100", "web-1:8000")).isTrue();
        // names that may be one host (a container's and its host's) are not known to be
        assertThat(HostReading.sameHost("node-exporter:9100", "backend:8000")).isFalse();
        assertThat(HostReading.sameHost("10.0.0.1:9100", "10.0.0.2:8000")).isFalse();

        assertThat(HostReading.verdict(23.0, 80, "127.0.0.1:9100", "127.0.0.1:8000", true)).isEqualTo("below 80 %"
                + " now on 127.0.0.1:9100, the alert's host (127.0.0.1:8000): its figure has fallen since, or is"
                + " counted otherwise");
        // CPU by mode is a 5m average, which the minutes before a pending alert began hold down: not "fallen"
        assertThat(HostReading.verdict(78.6, 80, "127.0.0.1:9100", "127.0.0.1:8000", true, java.time.Duration
                .ofMinutes(5))).isEqualTo("below 80 % over the last 5m on 127.0.0.1:9100, the alert's host"
                + " (127.0.0.1:8000): an average that holds the time before the alert began, or counted otherwise");
        assertThat(HostReading.verdict(85.5, 80, "127.0.0.1:9100", "127.0.0.1:8000", true))
                .isEqualTo("above 80 % on 127.0.0.1:9100, the alert's host (127.0.0.1:8000)");
        assertThat(HostReading.verdict(23.0, 80, "this machine", "backend:8000", false))
                .isEqualTo("below 80 % now on this machine (the alert is on backend:8000)");
        assertThat(HostReading.verdict(95, 90, "node-exporter:9100", null, false))
                .isEqualTo("above 90 % on node-exporter:9100");

        // the node exporter of another host than the alert's: both named, its reading not the alert's host's
        Scope s = Scope.of(Map.of("job", "exlm-backend", "instance", "backend:8000"));
        QueryResult shares = new QueryResult("vector", List.of(
                new QueryResult.Series(Labels.of("instance", "node-exporter:9100", "mode", "user"),
                        List.of(new PromMath.Point(0, 12.5))),
                new QueryResult.Series(Labels.of("instance", "node-exporter:9100", "mode", "iowait"),
                        List.of(new PromMath.Point(0, 40.0)))));
        assertThat(Probe.CPU_BY_MODE.lines(s, List.of(shares, new QueryResult("vector", List.of())),
                java.time.Instant.EPOCH)).startsWith("node-exporter:9100: user 12.5 %, iowait 40.0 %",
                        "busy 12.5 %: below 80 % over the last 5m on node-exporter:9100 (the alert is on backend:8000)");
    }

    @Test
    void queriesAreScopedToTheAlertsJobAndInstanceWithTheirValuesQuoted() {
        Scope s = Scope.of(java.util.Map.of("job", "exlm-backend", "instance", "a\"b\\c:8000"));
        assertThat(s.matchers()).isEqualTo("job=\"exlm-backend\",instance=\"a\\\"b\\\\c:8000\"");
        for (Probe p : List.of(Probe.ERRORS_BY_HANDLER, Probe.ERRORS_BY_TYPE, Probe.LATENCY_BY_HANDLER)) {
            assertThat(p.queries(s)).as(p.name()).allSatisfy(q -> assertThat(q).contains(s.matchers()));
        }
        assertThat(Scope.of(java.util.Map.of("job", "exlm-backend")).matchers()).isEqualTo("job=\"exlm-backend\"");
    }
}
