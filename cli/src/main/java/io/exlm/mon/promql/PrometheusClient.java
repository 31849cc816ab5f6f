package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.promql.PromMath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of the Prometheus HTTP API ({@code /api/v1/...}) over the one HTTP layer, so that auth, tenant headers,
 * timeouts and failure classification are the same as everywhere. Works with Prometheus and compatible APIs (Mimir,
 * Thanos, VictoriaMetrics) under any path prefix. Every failure is exit code 3 with a line naming the URL.
 */
public final class PrometheusClient extends ApiClient {
    public PrometheusClient(HttpLayer http, String baseUrl) {
        super(http, baseUrl);
    }

    /** An instant query at the given time (now, when null). */
    public QueryResult query(String promql, Instant time) {
        return query(promql, time, null);
    }

    /**
     * An instant query whose answer counts against {@code shared} (with the other answers of the same budget: the
     * answer limits then hold for all of them together), or against its own budget when it is null.
     */
    public QueryResult query(String promql, Instant time, io.exlm.mon.config.AnswerLimits.Budget shared) {
        return api("/api/v1/query", time == null ? inOrder(Map.entry("query", promql))
                : inOrder(Map.entry("query", promql), Map.entry("time", seconds(time))), QueryResults::read,
                new QueryResult("", List.of()), shared);
    }

    /** A new budget of the answer limits, for answers that are to share one. */
    public io.exlm.mon.config.AnswerLimits.Budget budget() {
        return http.options().limits().budget();
    }

    /** A range query from start to end, one point per step. */
    public QueryResult queryRange(String promql, Instant start, Instant end, Duration step) {
        return queryRange(promql, start, end, step, null);
    }

    /**
     * A range query from start to end, one point per step, whose answer counts against {@code shared} as an instant
     * query's does. A result whose shape is not the API's is an answer that cannot be understood: exit 3, naming
     * the URL (after the envelope's status and error, which say more when there is one).
     */
    public QueryResult queryRange(String promql, Instant start, Instant end, Duration step,
            io.exlm.mon.config.AnswerLimits.Budget shared) {
        return range(rangeParams(promql, start, end, step), shared);
    }

    /**
     * A range query that a VictoriaMetrics answers from its data as it is now, not from its response cache
     * ({@code nocache=1}, which also keeps the grid where it was asked: a cached answer can hold steps that were
     * empty when first asked and have been filled since, as a vmagent's backlog is); Prometheus ignores the
     * parameter.
     */
    public QueryResult queryRangeUncached(String promql, Instant start, Instant end, Duration step) {
        Map<String, String> params = rangeParams(promql, start, end, step);
        params.put("nocache", "1");
        return range(params, null);
    }

    private static Map<String, String> rangeParams(String promql, Instant start, Instant end, Duration step) {
        return inOrder(Map.entry("query", promql), Map.entry("start", seconds(start)), Map.entry("end",
                seconds(end)), Map.entry("step", io.exlm.mon.config.Durations.format(step)));
    }

    private QueryResult range(Map<String, String> params, io.exlm.mon.config.AnswerLimits.Budget shared) {
        return api("/api/v1/query_range", params, QueryResults::read, new QueryResult("", List.of()), shared);
    }

    /** Query parameters in the order the URL names them (the query first, as an error line shows it). */
    @SafeVarargs
    private static Map<String, String> inOrder(Map.Entry<String, String>... params) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : params) {
            m.put(p.getKey(), p.getValue());
        }
        return m;
    }

    /** The active scrape targets ({@code /api/v1/targets?state=active}). */
    public List<Target> targets() {
        JsonNode data = get("/api/v1/targets", Map.of("state", "active"));
        List<Target> out = new ArrayList<>();
        for (JsonNode t : data.path("activeTargets")) {
            String health = t.path("health").asText("unknown");
            String lastScrape = t.path("lastScrape").asText("");
            String lastError = t.path("lastError").asText("");
            // vmagent says down for a target it has not scraped yet (no scrape time, no error): that is unknown
            if ("down".equals(health) && lastError.isEmpty() && (lastScrape.isEmpty() || isZeroTime(lastScrape))) {
                health = "unknown";
            }
            out.add(new Target(t.path("labels").path("job").asText(t.path("scrapePool").asText()),
                    t.path("labels").path("instance").asText(), t.path("scrapePool").asText(),
                    t.path("scrapeUrl").asText(), health, lastError,
                    t.path("lastScrape").asText(""), t.path("lastScrapeDuration").asDouble(),
                    // vmagent names them only among the discovered labels
                    orLabel(textOrNull(t, "scrapeInterval"), t, "__scrape_interval__"),
                    orLabel(textOrNull(t, "scrapeTimeout"), t, "__scrape_timeout__"), strings(t.path("labels"))));
        }
        return out;
    }

    private static String orLabel(String given, JsonNode target, String label) {
        if (given != null) {
            return given;
        }
        JsonNode v = target.path("discoveredLabels").path(label);
        return v.isTextual() && !v.asText().isEmpty() ? v.asText() : null;
    }

    /** The rule groups Prometheus evaluates ({@code /api/v1/rules}). */
    public List<RuleGroup> rules() {
        JsonNode data = get("/api/v1/rules", Map.of());
        List<RuleGroup> groups = new ArrayList<>();
        for (JsonNode g : data.path("groups")) {
            List<Rule> rules = new ArrayList<>();
            for (JsonNode r : g.path("rules")) {
                List<Alert> alerts = new ArrayList<>();
                for (JsonNode a : r.path("alerts")) {
                    alerts.add(alert(a));
                }
                rules.add(new Rule(r.path("name").asText(), r.path("type").asText(), r.path("query").asText(),
                        r.path("health").asText("unknown"), r.path("lastError").asText(""),
                        textOrNull(r, "state"), r.path("duration").asDouble(0), strings(r.path("labels")),
                        List.copyOf(alerts)));
            }
            groups.add(new RuleGroup(g.path("name").asText(), g.path("file").asText(), g.path("interval").asDouble(0),
                    List.copyOf(rules), textOrNull(g, "lastEvaluation")));
        }
        return groups;
    }

    /** The alerts that are pending or firing ({@code /api/v1/alerts}). */
    public List<Alert> alerts() {
        JsonNode data = get("/api/v1/alerts", Map.of());
        List<Alert> out = new ArrayList<>();
        for (JsonNode a : data.path("alerts")) {
            out.add(alert(a));
        }
        return out;
    }

    /** The configuration Prometheus runs, as the YAML text it reports ({@code /api/v1/status/config}). */
    public String config() {
        return get("/api/v1/status/config", Map.of()).path("yaml").asText();
    }

    /**
     * Whether a time the API writes means "never": absent, empty, Go's zero time ({@code 0001-01-01T00:00:00Z}),
     * which Prometheus writes for a target not scraped yet and a rule group not evaluated yet, or the Unix epoch
     * ({@code 1970-01-01T00:00:00Z}), which vmagent writes for a target not scraped yet.
     */
    public static boolean isZeroTime(String time) {
        if (time == null || time.isEmpty() || time.startsWith("0001-")) {
            return true;
        }
        try {
            return java.time.Instant.parse(time).equals(java.time.Instant.EPOCH);
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** The command-line flags Prometheus was started with ({@code /api/v1/status/flags}). */
    public Map<String, String> flags() {
        return strings(get("/api/v1/status/flags", Map.of()));
    }

    /** {@code /api/v1/status/runtimeinfo}: reloadConfigSuccess, lastConfigTime, storageRetention, ... */
    public JsonNode runtimeInfo() {
        return get("/api/v1/status/runtimeinfo", Map.of());
    }

    /** {@code /api/v1/status/tsdb}: head statistics and the metrics with the most series. */
    public JsonNode tsdb() {
        return get("/api/v1/status/tsdb", Map.of());
    }

    /** {@code /api/v1/status/buildinfo}: version, revision, goVersion. */
    public JsonNode buildInfo() {
        return get("/api/v1/status/buildinfo", Map.of());
    }

    /** The Alertmanagers Prometheus sends alerts to: the URLs of the active ones and of the dropped ones. */
    public Alertmanagers alertmanagers() {
        JsonNode data = get("/api/v1/alertmanagers", Map.of());
        List<String> active = new ArrayList<>();
        for (JsonNode a : data.path("activeAlertmanagers")) {
            active.add(a.path("url").asText());
        }
        List<String> dropped = new ArrayList<>();
        for (JsonNode a : data.path("droppedAlertmanagers")) {
            dropped.add(a.path("url").asText());
        }
        return new Alertmanagers(List.copyOf(active), List.copyOf(dropped));
    }

    /** The values of a label across all series, e.g. every metric name for {@code __name__}. */
    public List<String> labelValues(String label) {
        return labelValues(label, Map.of());
    }

    /** The values of a label across the series a selector matches ({@code match[]}), e.g. {@code {job="x"}}. */
    public List<String> labelValues(String label, String match) {
        return labelValues(label, Map.of("match[]", match));
    }

    private List<String> labelValues(String label, Map<String, String> params) {
        JsonNode data = get("/api/v1/label/" + encode(label) + "/values", params);
        List<String> out = new ArrayList<>();
        for (JsonNode n : data) {
            out.add(n.asText());
        }
        return out;
    }

    /**
     * The series that match one selector between start and end ({@code /api/v1/series}): each series' labels, the
     * metric name under {@code __name__}. Label values are as the server sent them: print them through
     * {@link io.exlm.mon.Text#printable}.
     */
    public List<Map<String, String>> series(String match, Instant start, Instant end) {
        JsonNode data = get("/api/v1/series", inOrder(Map.entry("match[]", match), Map.entry("start", seconds(start)),
                Map.entry("end", seconds(end))));
        List<Map<String, String>> out = new ArrayList<>();
        for (JsonNode s : data) {
            out.add(strings(s));
        }
        return out;
    }

    /**
     * GETs an API path and returns its {@code data}. An error answer of the API ({@code "status": "error"}, with
     * any HTTP status) is a {@link PrometheusApiException} that carries the API's errorType and error; anything else
     * that is not a 2xx JSON answer is the HTTP layer's classified failure.
     */
    public JsonNode get(String path, Map<String, String> params) {
        return api(path, params, io.exlm.mon.http.JsonTree::value, com.fasterxml.jackson.databind.node.MissingNode
                .getInstance());
    }

    /** Reads an answer's {@code data}, the parser standing on its first token, within the answer's budget. */
    private interface DataReader<T> {
        T read(com.fasterxml.jackson.core.JsonParser p, io.exlm.mon.config.AnswerLimits.Budget budget)
                throws java.io.IOException;
    }

    /**
     * The API's envelope ({@code status}, {@code data}, {@code errorType}, {@code error}), read as it streams in, in
     * any order of its fields: {@code data} goes to the reader, which keeps only what it needs.
     */
    private <T> T api(String path, Map<String, String> params, DataReader<T> data, T none) {
        return api(path, params, data, none, null);
    }

    private <T> T api(String path, Map<String, String> params, DataReader<T> data, T none,
            io.exlm.mon.config.AnswerLimits.Budget shared) {
        StringBuilder url = new StringBuilder(baseUrl).append(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String u = url.toString();
        return http.streamJson(u, body -> {
            com.fasterxml.jackson.core.JsonParser p = body.parser();
            String status = "";
            String errorType = "";
            String error = null;
            T result = none;
            // a data the reader cannot understand is judged after status: an error answer says why, not its data
            IllegalArgumentException notUnderstood = null;
            if (p.currentToken() == com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                for (var k = p.nextToken(); k == com.fasterxml.jackson.core.JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String field = p.currentName();
                    var v = p.nextToken();
                    switch (field) {
                        case "status" -> status = v.isScalarValue() ? io.exlm.mon.Text.noEscapes(p.getText()) : skip(p);
                        case "errorType" -> errorType = v.isScalarValue() ? io.exlm.mon.Text.noEscapes(p.getText())
                                : skip(p);
                        case "error" -> error = v.isScalarValue() ? io.exlm.mon.Text.noEscapes(p.getText()) : skip(p);
                        case "data" -> {
                            if (v != com.fasterxml.jackson.core.JsonToken.VALUE_NULL) {
                                int depth = p.getParsingContext().getNestingDepth();
                                try {
                                    result = data.read(p, body.budget());
                                } catch (IllegalArgumentException e) {
                                    notUnderstood = e;
                                    skipRest(p, v, depth);
                                }
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            if ("error".equals(status)) {
                throw new PrometheusApiException(u, body.status(), errorType, error == null ? "no error given" : error);
            }
            if (!body.ok()) {
                throw HttpLayer.statusFailure(body.url(), body.status(), body.mediaType(), body.head());
            }
            if (!"success".equals(status)) {
                throw new HttpFailure(HttpFailure.Kind.PROTOCOL, u, body.status(), "GET " + u + ": the API answered "
                        + (status.isEmpty() ? "no status" : status) + "; is this a Prometheus API?", null);
            }
            if (notUnderstood != null) {
                throw new HttpFailure(HttpFailure.Kind.PROTOCOL, u, body.status(), "GET " + u + ": the answer is not a"
                        + " Prometheus query result (" + notUnderstood.getMessage() + "); is this a"
                        + " Prometheus-compatible API?", notUnderstood);
            }
            return result;
        }, shared);
    }

    /**
     * After a reader gave up inside {@code data}: reads to the end of the value that began at nesting depth
     * {@code depth}, so that the envelope's other fields (its status, its error) are still read.
     */
    private static void skipRest(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.core.JsonToken first,
            int depth) throws java.io.IOException {
        if (!first.isStructStart()) {
            return;
        }
        // past an end token the context is its parent's: data's own end leaves the envelope's context
        for (com.fasterxml.jackson.core.JsonToken t = p.currentToken(); t != null; t = p.nextToken()) {
            if (t.isStructEnd() && p.getParsingContext().getNestingDepth() == depth - 1) {
                return;
            }
        }
    }

    private static String skip(com.fasterxml.jackson.core.JsonParser p) throws java.io.IOException {
        p.skipChildren();
        return "";
    }

    private static Alert alert(JsonNode a) {
        return new Alert(strings(a.path("labels")), strings(a.path("annotations")), a.path("state").asText(),
                textOrNull(a, "activeAt"), textOrNull(a, "value"));
    }

    private static String textOrNull(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }

    static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format(java.util.Locale.ROOT, "%03d", t.getNano() / 1_000_000);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
