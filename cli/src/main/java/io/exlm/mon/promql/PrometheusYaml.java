package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prometheus's two YAML formats as exlm-mon reads them, through {@link Yaml}: rule files
 * ({@code groups[].rules[]}) and the configuration ({@code global}, {@code alerting}, ...), which Prometheus also
 * reports at {@code /api/v1/status/config}. A document that is not YAML is a {@link Yaml.Malformed}.
 */
public final class PrometheusYaml {
    private PrometheusYaml() {
    }

    /**
     * A rule of a rule file: an alerting rule has {@code alert}, a recording rule {@code record}; {@code forText} is
     * the {@code for:} as written, null when not set. An expression written over several lines is one line here.
     */
    public record FileRule(String group, String alert, String record, String expr, String forText,
            Map<String, String> labels) {
        public boolean alerting() {
            return alert != null;
        }
    }

    /** The rules of a rule file, in the order written. */
    public static List<FileRule> rules(String yaml, String what) {
        List<FileRule> out = new ArrayList<>();
        for (JsonNode g : Yaml.read(yaml, what).path("groups")) {
            String group = Yaml.text(g.path("name"));
            for (JsonNode r : g.path("rules")) {
                Map<String, String> labels = new LinkedHashMap<>();
                r.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), Yaml.text(e.getValue())));
                String expr = Yaml.text(r.path("expr"));
                out.add(new FileRule(group, Yaml.text(r.path("alert")), Yaml.text(r.path("record")),
                        expr == null ? null : oneLine(expr), Yaml.text(r.path("for")), labels));
            }
        }
        return out;
    }

    /** A key of the configuration's {@code global:} block as written ({@code 15s}), null when not set. */
    public static String global(String yaml, String key, String what) {
        return Yaml.text(Yaml.read(yaml, what).path("global").path(key));
    }

    /** Whether a configuration names any Alertmanager ({@code alerting.alertmanagers}); false when it is not YAML. */
    public static boolean configuresAlertmanagers(String yaml) {
        try {
            return Yaml.read(yaml, "the configuration").path("alerting").path("alertmanagers").size() > 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String oneLine(String expr) {
        StringBuilder sb = new StringBuilder();
        for (String line : expr.split("\n")) {
            if (!line.isBlank()) {
                sb.append(sb.length() == 0 ? "" : " ").append(line.strip());
            }
        }
        return sb.toString();
    }
}
