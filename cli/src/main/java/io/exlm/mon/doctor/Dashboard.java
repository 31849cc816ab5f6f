package io.exlm.mon.doctor;

import io.exlm.mon.panel.GrafanaDashboard;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusYaml;
import io.exlm.mon.stack.StackFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The dashboard as the "no data" trace reads it, from the panel specification ({@link PanelId}, which the provisioned
 * stack/grafana/dashboards/exlm-overview.json is generated from): its rows, their panels, each panel's PromQL as
 * Grafana runs it, the catalog metrics it reads, and the recording rules of the stack's rule files it uses (a
 * recording rule that an alert reads lives in the alert's group, in exlm-alerts.yml).
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
            r = fromSpecification(stackRecordingRules());
            rows = r;
        }
        return r;
    }

    static String uid() {
        return GrafanaDashboard.UID;
    }

    /** The rows and panels of the specification, with the PromQL of the Grafana dashboard generated from it. */
    static List<Row> fromSpecification(Map<String, String> recording) {
        List<Row> out = new ArrayList<>();
        for (PanelId.Group g : PanelId.Group.values()) {
            List<Panel> panels = new ArrayList<>();
            for (PanelId id : g.panels()) {
                List<String> exprs = new ArrayList<>();
                Set<String> rules = new LinkedHashSet<>();
                for (PanelId.Target t : id.targets(PanelId.BACKEND, PanelId.WINDOW)) {
                    exprs.add(t.expr());
                    for (String name : names(t.expr())) {
                        if (recording.containsKey(name)) {
                            rules.add(name);
                        }
                    }
                }
                panels.add(new Panel(id.grafanaTitle(), List.copyOf(exprs), id.metrics(), List.copyOf(rules)));
            }
            out.add(new Row(slug(g.grafanaTitle()), g.grafanaTitle(), List.copyOf(panels)));
        }
        return out;
    }

    private static final java.util.regex.Pattern NAME_MATCHER = java.util.regex.Pattern.compile(
            "__name__\\s*=~?\\s*\"([^\"]*)\"");
    private static final java.util.regex.Pattern METRIC_NAME = java.util.regex.Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*");

    /**
     * The metric names a PromQL expression selects: identifiers that are not functions, aggregations, keywords,
     * label names or label values, durations or numbers; and the names a selector's {@code __name__} matcher
     * lists ({@code {__name__=~"http_requests_total|http_requests"}}).
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
                int end = skipTo(expr, i, '}');
                // a selector by name: {__name__="x"}, or the alternation of a counter's spellings {__name__=~"a|b"}
                java.util.regex.Matcher m = NAME_MATCHER.matcher(expr.substring(i, Math.min(end, n)));
                if (m.find()) {
                    for (String name : m.group(1).split("\\|")) {
                        if (METRIC_NAME.matcher(name).matches()) {
                            out.add(name);
                        }
                    }
                }
                i = end;
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
