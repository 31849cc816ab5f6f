package io.exlm.mon.promql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Whether the alerts Prometheus reports can be trusted to say what exlm's rules would: which of the expected alerts
 * (the guide's, {@code StackFiles.alertNames()}) are loaded, which rules fail at every evaluation, which are not
 * evaluated yet. An empty alert list means "nothing fires" only when the rules that would fire are loaded and
 * evaluating; doctor's {@code prometheus.rules}, {@code alerts} and top's Alerts panel all judge it here.
 *
 * @param expected      the alert names looked for
 * @param alerting      the alerting rules' names, once each, in Prometheus's order
 * @param recording     how many recording rules
 * @param missing       the expected alerts not loaded
 * @param failing       every rule whose last evaluation failed (health {@code err})
 * @param exlmFailing   those of {@code failing} that exlm's alerts stand on: an expected alert itself, a recording
 *                      rule one of them reads (directly or through another recording rule, in whatever group it
 *                      is), or a rule in a group that holds an expected alert
 * @param notEvaluated  how many rules are not evaluated yet (health {@code unknown})
 * @param slowestUnevaluatedSeconds the longest interval of a group with a rule not evaluated yet (0: none)
 * @param firing        the alerting rules with an alert firing, once each
 * @param pending       the alerting rules with an alert pending, once each
 */
public record RuleHealth(List<String> expected, List<String> alerting, int recording, List<String> missing,
        List<Failing> failing, List<Failing> exlmFailing, int notEvaluated, double slowestUnevaluatedSeconds,
        List<String> firing, List<String> pending) {

    /**
     * A rule whose evaluation errs: also the output contract of each entry of doctor's {@code failing_rules} figure
     * and of {@code alerts -o json}'s {@code rules.failing}. Jackson writes the fields in component order
     * ({@code rule}, {@code group}, {@code file}, {@code error}), nulls included.
     */
    public record Failing(String rule, String group, String file, String error) {
        public Failing {
            rule = io.exlm.mon.Text.printable(rule);
            group = io.exlm.mon.Text.printable(group);
            file = io.exlm.mon.Text.printable(file);
            error = io.exlm.mon.Text.printable(error);
        }
    }

    public static RuleHealth of(List<RuleGroup> groups, List<String> expected) {
        Set<String> alerting = new LinkedHashSet<>();
        Set<String> firing = new LinkedHashSet<>();
        Set<String> pending = new LinkedHashSet<>();
        int recording = 0;
        int notEvaluated = 0;
        double slowest = 0;
        List<Failing> failing = new ArrayList<>();
        List<Failing> exlmFailing = new ArrayList<>();
        Set<String> read = readByExpected(groups, expected);
        for (RuleGroup g : groups) {
            boolean exlm = g.rules().stream().anyMatch(r -> r.alerting() && expected.contains(r.name()));
            for (Rule r : g.rules()) {
                if (r.alerting()) {
                    alerting.add(r.name());
                    for (Alert a : r.alerts()) {
                        ("firing".equals(a.state()) ? firing : pending).add(r.name());
                    }
                } else {
                    recording++;
                }
                if ("err".equals(r.health())) {
                    Failing f = new Failing(r.name(), g.name(), g.file(), r.lastError());
                    failing.add(f);
                    if (exlm || read.contains(r.name()) || r.alerting() && expected.contains(r.name())) {
                        exlmFailing.add(f);
                    }
                } else if ("unknown".equals(r.health())) {
                    notEvaluated++;
                    slowest = Math.max(slowest, g.intervalSeconds());
                }
            }
        }
        List<String> missing = expected.stream().filter(a -> !alerting.contains(a)).toList();
        return new RuleHealth(List.copyOf(expected), List.copyOf(alerting), recording, missing, List.copyOf(failing),
                List.copyOf(exlmFailing), notEvaluated, slowest, List.copyOf(firing), List.copyOf(pending));
    }

    /**
     * The recording rules the expected alerts read: each name that appears as a whole metric name in an expected
     * alert's query, then in those rules' queries, until no new one appears.
     */
    private static Set<String> readByExpected(List<RuleGroup> groups, List<String> expected) {
        java.util.Map<String, List<String>> recordings = new java.util.HashMap<>();
        List<String> queue = new ArrayList<>();
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (r.alerting()) {
                    if (expected.contains(r.name())) {
                        queue.add(r.query());
                    }
                } else {
                    recordings.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r.query());
                }
            }
        }
        Set<String> read = new LinkedHashSet<>();
        while (!queue.isEmpty()) {
            String q = queue.remove(queue.size() - 1);
            for (var e : recordings.entrySet()) {
                if (!read.contains(e.getKey()) && names(q, e.getKey())) {
                    read.add(e.getKey());
                    queue.addAll(e.getValue());
                }
            }
        }
        return read;
    }

    /** Whether {@code name} appears in {@code query} as a whole metric name (not inside a longer one). */
    static boolean names(String query, String name) {
        int from = 0;
        while (query != null && (from = query.indexOf(name, from)) >= 0) {
            int end = from + name.length();
            boolean before = from == 0 || !metricChar(query.charAt(from - 1));
            boolean after = end == query.length() || !metricChar(query.charAt(end));
            if (before && after) {
                return true;
            }
            from = end;
        }
        return false;
    }

    private static boolean metricChar(char c) {
        return c == '_' || c == ':' || Character.isLetterOrDigit(c);
    }

    /** None of the expected alerts is loaded: this Prometheus's alerts say nothing of exlm. */
    public boolean noneLoaded() {
        return missing.size() == expected.size() && !expected.isEmpty();
    }

    /**
     * Why "no alert fires" would not be true of exlm's rules: some expected alerts are not loaded, or a rule of their
     * groups fails; null when their alerts can be trusted. One line, printable.
     */
    public String untrusted() {
        List<String> what = new ArrayList<>();
        if (!missing.isEmpty()) {
            what.add("not loaded: " + String.join(", ", missing));
        }
        if (!exlmFailing.isEmpty()) {
            List<String> names = exlmFailing.stream().map(Failing::rule).distinct().toList();
            what.add((names.size() == 1 ? "rule failing: " : "rules failing: ") + String.join(", ", names) + " ("
                    + exlmFailing.get(0).error() + ")");
        }
        return what.isEmpty() ? null : io.exlm.mon.Text.printable("exlm's alerts cannot all fire: "
                + String.join("; ", what));
    }
}
