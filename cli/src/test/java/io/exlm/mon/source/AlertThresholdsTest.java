package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.stack.StackFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The thresholds read from the alert rules, and the Grafana dashboard's held to them. */
class AlertThresholdsTest {
    private static final Path STACK = Path.of("..", "stack").toAbsolutePath().normalize();

    static String rules() throws Exception {
        return Files.readString(STACK.resolve(StackFiles.ALERTS));
    }

    @Test
    void theBundledRulesAreTheCheckoutsAndSayTheGuidesThresholds() throws Exception {
        AlertThresholds t = AlertThresholds.of(rules(), "stack/" + StackFiles.ALERTS);
        assertThat(AlertThresholds.bundled()).isEqualTo(t);
        assertThat(t).isEqualTo(new AlertThresholds(80, 90, 90, 0.05, java.util.Map.of(
                AlertThresholds.CPU_ALERT, java.time.Duration.ofMinutes(5), AlertThresholds.MEMORY_ALERT,
                java.time.Duration.ofMinutes(5), AlertThresholds.DISK_ALERT, java.time.Duration.ZERO)));
        assertThat(AlertThresholds.warningPercent(t.cpuPercent())).isEqualTo(70);
        assertThat(t.errorRatioWarning()).isEqualTo(0.02);
        assertThat(t.percent("disk_usage_percent")).isEqualTo(90);
        assertThat(t.percent("active_users")).isNaN();
    }

    @Test
    void theGeneratedThresholdsAreTheRulesFiles() throws Exception {
        // the jar reads a file generated from the rules (no YAML at run time): stale, it fails here
        assertCommitted(io.exlm.mon.docs.Regenerate.alertThresholds(), AlertThresholds.of(rules(), "stack/"
                + StackFiles.ALERTS).properties());
    }

    /** A generated file as committed is what its authority generates now: stale, it fails naming the remedy. */
    static void assertCommitted(Path committed, String generated) throws Exception {
        assertThat(committed).exists();
        assertThat(Files.readString(committed)).as(committed + " is stale: run scripts/regenerate-docs and commit the"
                + " result").isEqualTo(generated);
    }

    @Test
    void eachHostAlertsHoldIsItsFor() throws Exception {
        // a host alert's for: is what top --fail-on-alert waits for before its panel fails the gate (TopGate)
        String longer = rules().replaceFirst("(alert: HighMemoryUsage\\n(?:.*\\n)*?\\s*)for: 5m", "$1for: 10m");
        assertThat(longer).isNotEqualTo(rules());
        AlertThresholds t = AlertThresholds.of(longer, "a copy");
        assertThat(t.hold(AlertThresholds.MEMORY_ALERT)).isEqualTo(java.time.Duration.ofMinutes(10));
        assertThat(t.hold(AlertThresholds.CPU_ALERT)).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(t.hold(AlertThresholds.DISK_ALERT)).isZero(); // the guide's disk alert fires at once
        String none = rules().replaceAll("(?m)^\\s*for: 5m\\n", "");
        assertThat(AlertThresholds.of(none, "a copy").hold(AlertThresholds.CPU_ALERT)).isZero();
        String bad = rules().replaceFirst("for: 5m", "for: five");
        assertThatThrownBy(() -> AlertThresholds.of(bad, "a copy")).hasMessageContaining("for: that is not a"
                + " duration: five");
    }

    @Test
    void aThresholdIsTheNumberAfterTheAlertsComparison() throws Exception {
        String changed = rules().replace("(cpu_usage_percent) > 80", "(cpu_usage_percent) > 85.5")
                .replace("ratio_rate5m > 0.05 and", "ratio_rate5m > 0.1 and");
        AlertThresholds t = AlertThresholds.of(changed, "a copy");
        assertThat(t.cpuPercent()).isEqualTo(85.5);
        assertThat(t.errorRatio()).isEqualTo(0.1);
        assertThat(t.memoryPercent()).isEqualTo(90);
        assertThat(t.hold(AlertThresholds.CPU_ALERT)).isEqualTo(java.time.Duration.ofMinutes(5));
        assertThat(AlertThresholds.number(85.5)).isEqualTo("85.5");
        assertThat(AlertThresholds.number(80)).isEqualTo("80");
        assertThat(AlertThresholds.number(0.05 * 100)).isEqualTo("5");
    }

    @Test
    void anAlertMissingOrWithoutAComparisonIsAnErrorNamingIt() throws Exception {
        assertThatThrownBy(() -> AlertThresholds.of(rules().replace("alert: DiskSpaceLow", "alert: DiskFull"),
                "a copy")).hasMessage("a copy has no alert DiskSpaceLow");
        assertThatThrownBy(() -> AlertThresholds.of(rules().replace("(memory_usage_percent) > 90",
                "(memory_usage_percent) >= 90"), "a copy")).hasMessageStartingWith(
                        "a copy: the expression of alert HighMemoryUsage compares no memory_usage_percent");
    }

    /**
     * The Grafana dashboard's colour steps are the rules' thresholds: red at the alert's threshold, orange at the
     * warning band's start, as in the terminal (the error rate's band included).
     */
    @Test
    void grafanasThresholdsAreTheRules() throws Exception {
        AlertThresholds t = AlertThresholds.of(rules(), "the rules");
        JsonNode dashboard = new ObjectMapper().readTree(STACK.resolve(StackFiles.DASHBOARD).toFile());
        List<String> seen = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            JsonNode steps = panel.path("fieldConfig").path("defaults").path("thresholds").path("steps");
            if (steps.isEmpty()) {
                continue;
            }
            String expr = panel.path("targets").path(0).path("expr").asText();
            String title = panel.path("title").asText();
            if (expr.contains("cpu_usage_percent")) {
                assertThat(steps(steps)).as(title).isEqualTo(List.of(AlertThresholds.warningPercent(t.cpuPercent()),
                        t.cpuPercent()));
            } else if (expr.contains("memory_usage_percent")) {
                assertThat(steps(steps)).as(title).isEqualTo(List.of(AlertThresholds.warningPercent(
                        t.memoryPercent()), t.memoryPercent()));
            } else if (expr.contains("disk_usage_percent")) {
                assertThat(steps(steps)).as(title).isEqualTo(List.of(AlertThresholds.warningPercent(
                        t.diskPercent()), t.diskPercent()));
            } else if (expr.contains("status=~\"5..\"")) {
                assertThat(steps(steps)).as(title).isEqualTo(List.of(t.errorRatioWarning(), t.errorRatio()));
            } else {
                throw new AssertionError("panel " + title + " has thresholds but no alert rule: " + steps);
            }
            assertThat(steps.get(steps.size() - 1).path("color").asText()).as(title).isEqualTo("red");
            seen.add(title);
        }
        assertThat(seen).containsExactly("CPU usage", "Memory usage", "Disk usage", "Error rate");
    }

    /** The values of a panel's steps after the base (null) step. */
    private static List<Double> steps(JsonNode steps) {
        List<Double> out = new ArrayList<>();
        for (JsonNode s : steps) {
            if (!s.path("value").isNull() && !s.path("value").isMissingNode()) {
                out.add(s.path("value").asDouble());
            }
        }
        return out;
    }
}
