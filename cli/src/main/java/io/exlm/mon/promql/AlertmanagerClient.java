package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.http.HttpLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of Alertmanager's v2 API over the one HTTP layer: its alerts (with what silences or inhibits them), its
 * silences and its status. Every failure is exit code 3 with a line naming the URL.
 */
public final class AlertmanagerClient extends ApiClient {
    /** An alert as Alertmanager holds it; state is {@code active}, {@code suppressed} or {@code unprocessed}. */
    public record AmAlert(java.util.Map<String, String> labels, java.util.Map<String, String> annotations,
            String state, String startsAt, List<String> silencedBy, List<String> inhibitedBy, List<String> receivers,
            String fingerprint) {
        public String name() {
            return labels.getOrDefault("alertname", "");
        }
    }

    /** A label matcher of a silence: {@code name=value}, {@code name!=value}, {@code name=~re}, {@code name!~re}. */
    public record Matcher(String name, String value, boolean regex, boolean equal) {
        public boolean matches(java.util.Map<String, String> labels) {
            String v = labels.getOrDefault(name, "");
            boolean m;
            if (regex) {
                // Alertmanager's regexes are Go's RE2, anchored; the common subset reads the same in Java. One that
                // Java cannot read (named groups as (?P<n>...), POSIX classes) is taken as not matching here, and
                // the alert's own silencedBy, which Alertmanager computed, still says whether it is silenced.
                try {
                    m = java.util.regex.Pattern.compile(value.replace("(?P<", "(?<")).matcher(v).matches();
                } catch (java.util.regex.PatternSyntaxException e) {
                    m = false;
                }
            } else {
                m = v.equals(value);
            }
            return equal == m;
        }

        @Override
        public String toString() {
            return name + (equal ? "" : "!") + (regex ? "=~" : "=") + "\"" + value + "\"";
        }
    }

    /** A silence; state is {@code active}, {@code pending} (starts later) or {@code expired}. */
    public record Silence(String id, String state, List<Matcher> matchers, String startsAt, String endsAt,
            String createdBy, String comment) {
        /** Whether this silence, while active, silences an alert with these labels. */
        public boolean silences(java.util.Map<String, String> labels) {
            if (!"active".equals(state) || matchers.isEmpty()) {
                return false;
            }
            for (Matcher m : matchers) {
                if (!m.matches(labels)) {
                    return false;
                }
            }
            return true;
        }
    }

    public AlertmanagerClient(HttpLayer http, String baseUrl) {
        super(http, baseUrl);
    }

    /** {@code /api/v2/status}: cluster, config, uptime, versionInfo. */
    public JsonNode status() {
        return http.getJson(baseUrl + "/api/v2/status");
    }

    public List<AmAlert> alerts() {
        List<AmAlert> out = new ArrayList<>();
        for (JsonNode a : http.getJson(baseUrl + "/api/v2/alerts")) {
            JsonNode st = a.path("status");
            List<String> receivers = new ArrayList<>();
            for (JsonNode r : a.path("receivers")) {
                receivers.add(r.path("name").asText());
            }
            out.add(new AmAlert(PrometheusClient.strings(a.path("labels")),
                    PrometheusClient.strings(a.path("annotations")), st.path("state").asText("active"),
                    a.path("startsAt").asText(null), texts(st.path("silencedBy")), texts(st.path("inhibitedBy")),
                    List.copyOf(receivers), a.path("fingerprint").asText("")));
        }
        return out;
    }

    public List<Silence> silences() {
        List<Silence> out = new ArrayList<>();
        for (JsonNode s : http.getJson(baseUrl + "/api/v2/silences")) {
            List<Matcher> matchers = new ArrayList<>();
            for (JsonNode m : s.path("matchers")) {
                matchers.add(new Matcher(m.path("name").asText(), m.path("value").asText(),
                        m.path("isRegex").asBoolean(false), m.path("isEqual").asBoolean(true)));
            }
            out.add(new Silence(s.path("id").asText(), s.path("status").path("state").asText(),
                    List.copyOf(matchers), s.path("startsAt").asText(null), s.path("endsAt").asText(null),
                    s.path("createdBy").asText(""), s.path("comment").asText("")));
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return List.copyOf(out);
    }
}
