package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which failing rules exlm's alerts stand on: their own, the recording rules they read (in any group), their group's. */
class RuleHealthTest {
    private static Rule recording(String name, String query, String health) {
        return new Rule(name, "recording", query, health, health.equals("err") ? "boom" : "", null, 0, Map.of(),
                List.of());
    }

    private static Rule alerting(String name, String query) {
        return new Rule(name, "alerting", query, "ok", "", "inactive", 300, Map.of(), List.of());
    }

    @Test
    void aFailingRecordingRuleTheAlertReadsCountsInWhateverGroupItLives() {
        List<RuleGroup> groups = List.of(
                new RuleGroup("alerts", "a.yml", 15, List.of(alerting("HighErrorRate",
                        "exlm:ratio > 0.05 and exlm:rate > 0"))),
                // exlm:ratio reads exlm:base, which fails: two steps away, in another group
                new RuleGroup("recording", "r.yml", 15, List.of(recording("exlm:ratio", "exlm:base / 2", "ok"),
                        recording("exlm:base", "abs({job=\"x\"})", "err"),
                        recording("exlm:rate", "sum(rate(x[5m]))", "ok"))),
                // another team's failing rule, whose name only contains one exlm reads
                new RuleGroup("other", "o.yml", 15, List.of(recording("exlm:base_other", "y", "err"))));
        RuleHealth h = RuleHealth.of(groups, List.of("HighErrorRate"));
        assertThat(h.failing()).extracting(RuleHealth.Failing::rule).containsExactly("exlm:base", "exlm:base_other");
        assertThat(h.exlmFailing()).extracting(RuleHealth.Failing::rule).containsExactly("exlm:base");
        assertThat(h.untrusted()).isEqualTo("exlm's alerts cannot all fire: rule failing: exlm:base (boom)");
    }

    @Test
    void aNameCountsOnlyWhole() {
        assertThat(RuleHealth.names("exlm:ratio > 0", "exlm:ratio")).isTrue();
        assertThat(RuleHealth.names("sum(exlm:ratio{job=\"a\"})", "exlm:ratio")).isTrue();
        assertThat(RuleHealth.names("exlm:ratio_rate5m > 0", "exlm:ratio")).isFalse();
        assertThat(RuleHealth.names("job:exlm:ratio > 0", "exlm:ratio")).isFalse();
        assertThat(RuleHealth.names(null, "x")).isFalse();
    }

    @Test
    void rulesNotEvaluatedYetAreNoReasonToDistrust() {
        RuleHealth h = RuleHealth.of(List.of(new RuleGroup("g", "f", 15, List.of(new Rule("HighErrorRate",
                "alerting", "x > 1", "unknown", "", "inactive", 300, Map.of(), List.of())))),
                List.of("HighErrorRate"));
        assertThat(h.untrusted()).isNull();
        assertThat(h.notEvaluated()).isEqualTo(1);
        assertThat(RuleHealth.of(List.of(), List.of("HighErrorRate")).noneLoaded()).isTrue();
    }
}
