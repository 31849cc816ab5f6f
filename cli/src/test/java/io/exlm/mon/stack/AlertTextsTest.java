package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.source.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alerts' texts and the names they share with the Java side: the backend's job in BackendMetricsAbsent, the jobs
 * ServiceDown's texts tell apart, and the README's alert table (every alert, its severity and runbook) held to the
 * rule files.
 */
class AlertTextsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** Every alerting rule of rules/*.yml, by name, as parsed YAML. */
    static Map<String, JsonNode> alerts() throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("stack/prometheus/rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                for (JsonNode g : Yaml.read(Files.readString(f), f.toString()).path("groups")) {
                    for (JsonNode r : g.path("rules")) {
                        if (r.hasNonNull("alert")) {
                            out.put(r.path("alert").asText(), r);
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theAbsentAlertWatchesTheBackendsJobByItsOneName() throws Exception {
        assertThat(alerts().get("BackendMetricsAbsent").path("expr").asText())
                .isEqualTo("absent(up{job=\"" + Catalog.BACKEND_JOB + "\"})");
    }

    @Test
    void serviceDownTellsApartOnlyJobsTheStackHas() throws Exception {
        Set<String> jobs = new HashSet<>(List.of(Catalog.BACKEND_JOB));
        for (Component c : Component.values()) {
            if (c.job() != null) {
                jobs.add(c.job());
            }
        }
        JsonNode annotations = alerts().get("ServiceDown").path("annotations");
        List<String> named = new ArrayList<>();
        Matcher m = Pattern.compile("eq \\$labels\\.job((?: \"[^\"]*\")+)").matcher(annotations.toString()
                .replace("\\\"", "\""));
        while (m.find()) {
            Matcher q = Pattern.compile("\"([^\"]*)\"").matcher(m.group(1));
            while (q.find()) {
                named.add(q.group(1));
            }
        }
        assertThat(named).as("the jobs ServiceDown's texts name").contains("redis", "postgres", "node",
                Catalog.BACKEND_JOB);
        assertThat(jobs).containsAll(named);
    }

    /** Every alert the stack ships and the guide's five, with a severity and its three texts, none of them blank. */
    @Test
    void everyAlertHasASeveritySummaryDescriptionAndRunbook() throws Exception {
        Map<String, JsonNode> alerts = alerts();
        assertThat(alerts).containsKeys("HighCPUUsage", "HighMemoryUsage", "DiskSpaceLow", "HighErrorRate",
                "ServiceDown", "Watchdog", "BackendMetricsAbsent", "SmokeResultsStale");
        for (String file : List.of(StackFiles.ALERTS, StackFiles.META, StackFiles.SLO_RULES)) {
            for (JsonNode g : Yaml.read(StackFiles.text(file), file).path("groups")) {
                for (JsonNode r : g.path("rules")) {
                    if (!r.hasNonNull("alert")) {
                        continue;
                    }
                    String name = r.path("alert").asText();
                    assertThat(r.path("labels").path("severity").asText()).as(name).isIn("critical", "warning",
                            "none");
                    for (String a : List.of("summary", "description", "runbook")) {
                        assertThat(r.path("annotations").path(a).asText()).as(name + " " + a).isNotBlank();
                    }
                }
            }
        }
    }

    /** The cells of a Markdown table row; {@code \|} is a bar inside a cell. */
    static List<String> cells(String row) {
        List<String> out = new ArrayList<>();
        for (String c : row.strip().replaceAll("^\\||\\|$", "").split("(?<!\\\\)\\|", -1)) {
            out.add(c.strip().replace("\\|", "|"));
        }
        return out;
    }

    @Test
    void theReadmesAlertTableIsTheRuleFiles() throws Exception {
        List<String> lines = Files.readAllLines(ROOT.resolve("README.md"));
        int header = lines.indexOf("| alert | fires when | for | severity | runbook |");
        assertThat(header).as("the README's alert table").isNotNegative();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> c = cells(lines.get(i));
            String name = c.get(0).replaceAll("^`([^`]+)`.*$", "$1");
            rows.put(name, c);
        }
        Map<String, JsonNode> alerts = alerts();
        assertThat(rows.keySet()).as("one row per alert of rules/*.yml").containsExactlyInAnyOrderElementsOf(
                alerts.keySet());
        for (Map.Entry<String, JsonNode> a : alerts.entrySet()) {
            List<String> row = rows.get(a.getKey());
            JsonNode rule = a.getValue();
            assertThat(row.get(2)).as(a.getKey() + "'s for").isEqualTo(rule.hasNonNull("for")
                    ? rule.path("for").asText() : "-");
            assertThat(row.get(3)).as(a.getKey() + "'s severity").isEqualTo(rule.path("labels").path("severity")
                    .asText());
            String runbook = rule.path("annotations").path("runbook").asText();
            if (!runbook.isEmpty()) {
                assertThat(row.get(4)).as(a.getKey() + "'s runbook").isEqualTo(runbook);
            } else {
                assertThat(row.get(4)).as(a.getKey() + "'s runbook").isNotBlank();
            }
        }
    }

    /**
     * A rule's texts claim no duration but its {@code for:} ("above 5 % for 5 minutes" of a 5m rule), so that they
     * are true once it fires; and while it is pending, {@code alerts} and {@code explain} say them without that
     * claim ({@link io.exlm.mon.promql.Pending#unclaimed}): here every "for N minutes" (or hours, seconds, or 5m) of
     * every annotation of a rule with a {@code for:} is gone a second before the for: has passed, and all there at
     * it. A new rule that words its duration otherwise ("for five minutes") fails the first assertion.
     */
    @Test
    void theDurationATextClaimsIsItsRulesForAndIsNotSaidWhilePending() throws Exception {
        Pattern claim = Pattern.compile("\\bfor (?:more than |at least )?(\\d+) ?(minute|hour|second|m\\b|h\\b|s\\b)",
                Pattern.CASE_INSENSITIVE);
        int claims = 0;
        for (Map.Entry<String, JsonNode> a : alerts().entrySet()) {
            if (!a.getValue().hasNonNull("for")) {
                continue;
            }
            long forSeconds = io.exlm.mon.config.Durations.parse(a.getValue().path("for").asText()).getSeconds();
            for (java.util.Iterator<Map.Entry<String, JsonNode>> it = a.getValue().path("annotations").fields();
                    it.hasNext();) {
                Map.Entry<String, JsonNode> ann = it.next();
                String text = ann.getValue().asText();
                Matcher m = claim.matcher(text);
                while (m.find()) {
                    claims++;
                    long unit = switch (m.group(2).toLowerCase(java.util.Locale.ROOT).charAt(0)) {
                        case 'h' -> 3600;
                        case 'm' -> 60;
                        default -> 1;
                    };
                    assertThat(Long.parseLong(m.group(1)) * unit).as(a.getKey() + "'s " + ann.getKey() + ": "
                            + m.group()).isEqualTo(forSeconds);
                }
                assertThat(text.toLowerCase(java.util.Locale.ROOT)).as(a.getKey() + "'s " + ann.getKey()
                        + " words a duration in another way").doesNotContainPattern(
                                "\\bfor (one|two|three|four|five|ten|fifteen|thirty|sixty)\\b");
                String pending = io.exlm.mon.promql.Pending.unclaimed(text, forSeconds - 1);
                assertThat(claim.matcher(pending).find()).as(a.getKey() + "'s " + ann.getKey() + " while pending: "
                        + pending).isFalse();
                assertThat(io.exlm.mon.promql.Pending.unclaimed(text, forSeconds)).isEqualTo(text);
            }
        }
        assertThat(claims).as("the guide's alerts say their 5 minutes").isGreaterThanOrEqualTo(5);
    }
}
