package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
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
                // Alertmanager's regexes are Go's RE2, anchored; the common subset reads the same in Java, but not
                // all of it (Java reads POSIX classes such as [[:alpha:]] as other classes): where Alertmanager is
                // asked, its own silencedBy decides (alerts silence add), and this is an estimate.
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

        /** As Alertmanager and amtool write it, and {@link #parse} reads it back: the value quoted and escaped. */
        @Override
        public String toString() {
            String op = equal ? (regex ? "=~" : "=") : (regex ? "!~" : "!=");
            return name + op + "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        }

        /** Whether a label that is absent (or empty) matches: a silence of such matchers alone would hold all. */
        public boolean matchesEmpty() {
            return matches(java.util.Map.of());
        }

        /**
         * A matcher as amtool and PromQL write it: {@code name=value}, {@code name!=value}, {@code name=~regex} or
         * {@code name!~regex}, the value bare or in double quotes (with {@code \"} and {@code \\}); a word alone is
         * {@code alertname=word}. A regular expression is checked here, as Alertmanager would refuse it.
         *
         * @throws IllegalArgumentException with a message that names the matcher and what is wrong
         */
        public static Matcher parse(String text) {
            String t = text.strip();
            int op = -1;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == '=' || c == '!' && i + 1 < t.length() && (t.charAt(i + 1) == '=' || t.charAt(i + 1) == '~')) {
                    op = i;
                    break;
                }
            }
            if (op < 0) {
                if (!t.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
                    throw new IllegalArgumentException("'" + text + "' is not a matcher: write name=value,"
                            + " name!=value, name=~regex or name!~regex (or an alert's name alone)");
                }
                return new Matcher("alertname", t, false, true);
            }
            String name = t.substring(0, op).strip();
            boolean equal = t.charAt(op) == '=';
            int at = equal ? op + 1 : op + 2;
            boolean regex = equal ? at < t.length() && t.charAt(at) == '~' : t.charAt(op + 1) == '~';
            if (equal && regex) {
                at++;
            }
            if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*")) {
                throw new IllegalArgumentException("'" + text + "': '" + name + "' is not a label name (letters,"
                        + " digits and '_', not starting with a digit)");
            }
            String value = unquote(t.substring(at).strip(), text);
            if (regex) {
                try {
                    java.util.regex.Pattern.compile(value.replace("(?P<", "(?<"));
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw new IllegalArgumentException("'" + text + "': not a regular expression ("
                            + e.getDescription() + ")");
                }
            }
            return new Matcher(name, value, regex, equal);
        }

        private static String unquote(String v, String text) {
            if (!v.startsWith("\"")) {
                if (v.indexOf('"') >= 0) {
                    throw new IllegalArgumentException("'" + text + "': a value with a '\"' in it is written"
                            + " quoted, with \\\" for the '\"'");
                }
                return v;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                // as Alertmanager's own parser: \", \\ and \n are escapes; any other backslash is kept, so that a
                // regular expression's \. or \d means what it says
                char n = i + 1 < v.length() ? v.charAt(i + 1) : 0;
                if (c == '\\' && (n == '"' || n == '\\' || n == 'n')) {
                    sb.append(n == 'n' ? '\n' : n);
                    i++;
                } else if (c == '"') {
                    if (i != v.length() - 1) {
                        throw new IllegalArgumentException("'" + text + "': text after the closing '\"'");
                    }
                    return sb.toString();
                } else {
                    sb.append(c);
                }
            }
            throw new IllegalArgumentException("'" + text + "': the value's '\"' is not closed");
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
            out.add(silence(s));
        }
        return out;
    }

    /** One silence by its id; null when Alertmanager has none of that id. */
    public Silence silence(String id) {
        String url = baseUrl + "/api/v2/silence/" + pathSegment(id);
        HttpResponse r = http.get(url, "application/json");
        if (r.status() == 404) {
            return null;
        }
        HttpLayer.requireOk(r);
        return silence(HttpLayer.json(r));
    }

    /**
     * Creates a silence of these matchers from {@code start} to {@code end}, as {@code amtool silence add} does
     * ({@code POST /api/v2/silences}); its id.
     */
    public String createSilence(List<Matcher> matchers, java.time.Instant start, java.time.Instant end,
            String createdBy, String comment) {
        List<NewSilence.MatcherBody> ms = new ArrayList<>();
        for (Matcher m : matchers) {
            ms.add(new NewSilence.MatcherBody(m.name(), m.value(), m.regex(), m.equal()));
        }
        byte[] body;
        try {
            body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(
                    new NewSilence(ms, start.toString(), end.toString(), createdBy, comment));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a silence's body is always written", e);
        }
        String url = baseUrl + "/api/v2/silences";
        HttpResponse r = http.post(url, "application/json", body, "application/json", java.util.Map.of());
        if (r.status() == 400) {
            // Alertmanager says which matcher or time it refuses (a regular expression RE2 cannot read, an end in
            // the past): the command line's fault, not the server's
            throw io.exlm.mon.ExitException.usage("Alertmanager at " + baseUrl + " refused the silence: "
                    + io.exlm.mon.Text.printable(r.text().strip().replaceAll("^\"|\"$", "")));
        }
        if (!r.ok()) {
            throw HttpLayer.statusFailure("POST", r.url(), r.status(), r.mediaType(), r.body());
        }
        String id = HttpLayer.json(r).path("silenceID").asText("");
        if (id.isEmpty()) {
            throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "POST " + url + ": the answer"
                    + " names no silenceID; is this Alertmanager's v2 API?");
        }
        return id;
    }

    /** Expires a silence at once ({@code DELETE /api/v2/silence/ID}); false when Alertmanager has none of that id. */
    public boolean expireSilence(String id) {
        HttpResponse r = http.delete(baseUrl + "/api/v2/silence/" + pathSegment(id), "application/json");
        if (r.status() == 404) {
            return false;
        }
        if (!r.ok()) {
            throw HttpLayer.statusFailure("DELETE", r.url(), r.status(), r.mediaType(), r.body());
        }
        return true;
    }

    /** The body of {@code POST /api/v2/silences}, in the API's own field names. */
    private record NewSilence(List<MatcherBody> matchers, String startsAt, String endsAt, String createdBy,
            String comment) {
        private record MatcherBody(String name, String value, boolean isRegex, boolean isEqual) {
        }
    }

    private static Silence silence(JsonNode s) {
        List<Matcher> matchers = new ArrayList<>();
        for (JsonNode m : s.path("matchers")) {
            matchers.add(new Matcher(m.path("name").asText(), m.path("value").asText(),
                    m.path("isRegex").asBoolean(false), m.path("isEqual").asBoolean(true)));
        }
        return new Silence(s.path("id").asText(), s.path("status").path("state").asText(),
                List.copyOf(matchers), s.path("startsAt").asText(null), s.path("endsAt").asText(null),
                s.path("createdBy").asText(""), s.path("comment").asText(""));
    }

    /** A silence id in a URL path: Alertmanager's are UUIDs; anything else is percent-encoded, never a path. */
    private static String pathSegment(String id) {
        return java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : array) {
            out.add(n.asText());
        }
        return List.copyOf(out);
    }
}
