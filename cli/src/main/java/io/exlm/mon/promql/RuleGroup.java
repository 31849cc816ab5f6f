package io.exlm.mon.promql;

import java.util.List;

/** A rule group: its name, the file it was loaded from, its evaluation interval in seconds, its rules. */
public record RuleGroup(String name, String file, double intervalSeconds, List<Rule> rules) {
}
