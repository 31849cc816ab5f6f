package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.http.JsonTree;
import io.exlm.mon.promql.PrometheusYaml;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.StackFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The provisioned dashboard (stack/grafana/dashboards/exlm-overview.json) as the "no data" trace reads it: its
 * rows, their panels, each panel's PromQL, and the catalog metrics that PromQL reads, through the recording rules of
 * the stack's rule files (a recording rule that an alert reads lives in the alert's group, in exlm-alerts.yml).
 */
final class Dashboard {
    /** A panel: its title, its queries, the catalog metrics they read and the recording rules they use. */
    record Panel(String title, List<String> exprs, List<String> metrics, List<String> recordingRules) {
    }

    /** A row of the dashboard: a slug for the check's id, its title, its panels. */
    record Row(String slug, String title, List<Panel> panels) {
    }

    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "offset", "bool", "sum", "min", "max", "avg", "count", "stddev",
            "stdvar", "topk", "bottomk", "quantile", "count_values", "group", "inf", "nan", "atan2");

    private static volatile List<Row> rows;

    private Dashboard() {
    }

    static List<Row> rows() {
        List<Row> r = rows;
        if (r == null) {
            r = parse(StackFiles.read(StackFiles.DASHBOARD), stackRecordingRules());
            rows = r;
        }
        return r;
    }

    static String uid() {
        try {
            return JsonTree.read(StackFiles.read(StackFiles.DASHBOARD)).path("uid").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Row> parse(byte[] json, Map<String, String> recording) {
        JsonNode doc;
        try {
            doc = JsonTree.read(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> out = new ArrayList<>();
        String title = "Panels";
        List<Panel> panels = new ArrayList<>();
        for (JsonNode p : doc.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                if (!panels.isEmpty()) {
                    out.add(new Row(slug(title), title, List.copyOf(panels)));
                }
                title = p.path("title").asText();
                panels = new ArrayList<>();
                for (JsonNode inner : p.path("panels")) { // a collapsed row keeps its panels inside it
                    panels.add(panel(inner, recording));
                }
                continue;
            }
            panels.add(panel(p, recording));
        }
        if (!panels.isEmpty()) {
            out.add(new Row(slug(title), title, List.copyOf(panels)));
        }
        return out;
    }

    private static Panel panel(JsonNode p, Map<String, String> recording) {
        List<String> exprs = new ArrayList<>();
        Set<String> metrics = new LinkedHashSet<>();
        Set<String> rules = new LinkedHashSet<>();
        for (JsonNode t : p.path("targets")) {
            String e = t.path("expr").asText("");
            if (e.isBlank()) {
                continue;
            }
            exprs.add(e);
            for (String name : names(e)) {
                if (recording.containsKey(name)) {
                    rules.add(name);
                    for (String inner : names(recording.get(name))) {
                        addMetric(metrics, inner);
                    }
                } else {
                    addMetric(metrics, name);
                }
            }
        }
        return new Panel(p.path("title").asText(""), List.copyOf(exprs), List.copyOf(metrics), List.copyOf(rules));
    }

    private static void addMetric(Set<String> metrics, String sampleName) {
        Catalog.Metric m = catalogMetric(sampleName);
        if (m != null) {
            metrics.add(m.name());
        }
    }

    /** The catalog metric a sample name belongs to: either counter spelling, a histogram's parts. */
    static Catalog.Metric catalogMetric(String sampleName) {
        Catalog.Metric m = Catalog.byName(sampleName);
        if (m != null) {
            return m;
        }
        for (String suffix : new String[] {"_total", "_bucket", "_count", "_sum"}) {
            if (sampleName.endsWith(suffix)) {
                m = Catalog.byName(sampleName.substring(0, sampleName.length() - suffix.length()));
                if (m != null) {
                    return m;
                }
            }
        }
        return Catalog.byName(sampleName + "_total");
    }

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, aggregations, keywords,
     * label names or label values, durations or numbers.
     */
    static List<String> names(String expr) {
        Set<String> out = new LinkedHashSet<>();
        int n = expr.length();
        int i = 0;
        boolean labelList = false;
        while (i < n) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = skipString(expr, i);
                continue;
            }
            if (c == '{') {
                i = skipTo(expr, i, '}');
                continue;
            }
            if (c == '[') {
                i = skipTo(expr, i, ']');
                continue;
            }
            if (c == '(' && labelList) {
                i = skipTo(expr, i, ')');
                labelList = false;
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == ':') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '_'
                        || expr.charAt(i) == ':')) {
                    i++;
                }
                String word = expr.substring(start, i);
                int j = i;
                while (j < n && Character.isWhitespace(expr.charAt(j))) {
                    j++;
                }
                String low = word.toLowerCase(Locale.ROOT);
                if (low.equals("by") || low.equals("without") || low.equals("on") || low.equals("ignoring")
                        || low.equals("group_left") || low.equals("group_right")) {
                    labelList = true;
                } else if (!(j < n && expr.charAt(j) == '(') && !KEYWORDS.contains(low)) {
                    out.add(word);
                }
                continue;
            }
            if (Character.isDigit(c)) {
                while (i < n && (Character.isLetterOrDigit(expr.charAt(i)) || expr.charAt(i) == '.')) {
                    i++;
                }
                continue;
            }
            i++;
        }
        return List.copyOf(out);
    }

    private static int skipString(String s, int i) {
        char q = s.charAt(i);
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != q) {
            j += s.charAt(j) == '\\' && q != '`' ? 2 : 1;
        }
        return j + 1;
    }

    private static int skipTo(String s, int i, char close) {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != close) {
            char c = s.charAt(j);
            j = c == '"' || c == '\'' || c == '`' ? skipString(s, j) : j + 1;
        }
        return j + 1;
    }

    /** The recording rules of every rule file that Prometheus loads from the stack. */
    static Map<String, String> stackRecordingRules() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String file : StackFiles.RULES) {
            out.putAll(recordingRules(StackFiles.text(file), file));
        }
        return out;
    }

    /** {@code record: name} to its {@code expr} (on one line), from a rule file. */
    static Map<String, String> recordingRules(String yaml) {
        return recordingRules(yaml, "a rule file");
    }

    private static Map<String, String> recordingRules(String yaml, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        for (PrometheusYaml.FileRule r : PrometheusYaml.rules(yaml, what)) {
            if (r.record() != null && r.expr() != null) {
                out.put(r.record(), r.expr());
            }
        }
        return out;
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        return s.replaceAll("^-+|-+$", "");
    }
}
