package io.exlm.mon.promql;

import java.util.List;

/**
 * A rule group: its name, the file it was loaded from, its evaluation interval in seconds, its rules, and when it
 * was last evaluated as the API writes it (Go's zero time, {@code 0001-01-01T00:00:00Z}, before the first; null
 * when the API does not say).
 */
public record RuleGroup(String name, String file, double intervalSeconds, List<Rule> rules, String lastEvaluation) {
    public RuleGroup(String name, String file, double intervalSeconds, List<Rule> rules) {
        this(name, file, intervalSeconds, rules, null);
    }
}
