package io.exlm.mon.explain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.doctor.Check;
import io.exlm.mon.doctor.Checks;
import io.exlm.mon.source.Formulas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
