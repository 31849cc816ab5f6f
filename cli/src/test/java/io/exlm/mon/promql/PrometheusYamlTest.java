package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.Yaml;
import io.exlm.mon.stack.StackFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prometheus's rule files and configuration read by Jackson's YAML reader, whatever way the YAML is written. */
class PrometheusYamlTest {
    @Test
    void theRulesOfARuleFileWithTheirFieldsInOrder() {
        String yaml = """
                groups:
                  - name: g
                    rules:
                      - record: "r:quoted"   # a comment, not part of the name
                        expr: |
                          sum(
                            up
                          )
                      - {alert: Flow, expr: 'up == 0', for: 1y, labels: {severity: critical}}
                """;
        List<PrometheusYaml.FileRule> rules = PrometheusYaml.rules(yaml, "rules.yml");
        assertThat(rules).containsExactly(
                new PrometheusYaml.FileRule("g", null, "r:quoted", "sum( up )", null, Map.of()),
                new PrometheusYaml.FileRule("g", "Flow", null, "up == 0", "1y", Map.of("severity", "critical")));
        assertThat(rules.get(1).alerting()).isTrue();
    }

    @Test
    void theStacksAlertsAreTheGuidesFive() {
        assertThat(PrometheusYaml.rules(StackFiles.text(StackFiles.ALERTS), StackFiles.ALERTS).stream()
                .filter(PrometheusYaml.FileRule::alerting).map(PrometheusYaml.FileRule::alert)).containsExactly(
                        "HighCPUUsage", "HighMemoryUsage", "DiskSpaceLow", "HighErrorRate", "ServiceDown");
    }

    @Test
    void aGlobalSettingAsWrittenOrNull() {
        String yaml = "global:\n    scrape_interval: \"30s\"  # four spaces and quotes\nrule_files: [a.yml]\n";
        assertThat(PrometheusYaml.global(yaml, "scrape_interval", "c")).isEqualTo("30s");
        assertThat(PrometheusYaml.global(yaml, "evaluation_interval", "c")).isNull();
        assertThat(PrometheusYaml.global("", "scrape_interval", "c")).isNull();
        assertThat(PrometheusYaml.configuresAlertmanagers(yaml)).isFalse();
        assertThat(PrometheusYaml.configuresAlertmanagers(
                "alerting:\n  alertmanagers: [{static_configs: [{targets: ['a:9093']}]}]\n")).isTrue();
        assertThat(PrometheusYaml.configuresAlertmanagers("alerting: [")).isFalse();
    }

    @Test
    void yamlThatIsNotYamlIsOneLineSayingWhereAndWhat() {
        assertThatThrownBy(() -> PrometheusYaml.rules("groups:\n  - name: g\n    rules: [\n", "rules/x.yml"))
                .isInstanceOf(Yaml.Malformed.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("rules/x.yml is not YAML: ")
                        .contains("(line ").doesNotContain("\n"));
        assertThatThrownBy(() -> PrometheusYaml.global("global:\n  a: b\n c: d\n", "a", "the configuration"))
                .isInstanceOf(Yaml.Malformed.class)
                .satisfies(e -> assertThat(e.getMessage()).startsWith("the configuration is not YAML: ")
                        .doesNotContain("\n"));
        // the problem and its place, not SnakeYAML's context line ("while scanning for the next token", line 1)
        assertThatThrownBy(() -> PrometheusYaml.rules("groups:\n\t- name: g\n", "rules/tab.yml"))
                .isInstanceOf(Yaml.Malformed.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("cannot start any token").contains("(line 2,"));
    }

    @Test
    void aLargeConfigIsStillRead() {
        StringBuilder big = new StringBuilder("global:\n  scrape_interval: 7s\nscrape_configs:\n");
        while (big.length() < 4 << 20) {
            big.append("  - job_name: job").append(big.length()).append("\n    static_configs: [{targets: ['h:1']}]\n");
        }
        assertThat(Yaml.read(big.toString(), "the configuration").path("global").path("scrape_interval").asText())
                .isEqualTo("7s");
    }
}
