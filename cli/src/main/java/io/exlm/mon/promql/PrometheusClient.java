package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.source.PromMath;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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
public final class PrometheusClient {
    private final HttpLayer http;
    private final String baseUrl;

    public PrometheusClient(HttpLayer http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** An instant query at the given time (now, when null). */
    public QueryResult query(String promql, Instant time) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("query", promql);
        if (time != null) {
            params.put("time", seconds(time));
        }
        return result(get("/api/v1/query", params));
    }

    /** The values of a label across all series, e.g. every metric name for {@code __name__}. */
    public List<String> labelValues(String label) {
        JsonNode data = get("/api/v1/label/" + encode(label) + "/values", Map.of());
        List<String> out = new ArrayList<>();
        for (JsonNode n : data) {
            out.add(n.asText());
        }
        return out;
    }

    /** GETs an API path and returns its {@code data}, failing on an error answer. */
    public JsonNode get(String path, Map<String, String> params) {
        StringBuilder url = new StringBuilder(baseUrl).append(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            url.append(sep).append(encode(p.getKey())).append('=').append(encode(p.getValue()));
            sep = '&';
        }
        String u = url.toString();
        JsonNode doc = http.getJson(u);
        if (!"success".equals(doc.path("status").asText())) {
            throw new HttpFailure(HttpFailure.Kind.PROTOCOL, u, 200, "GET " + u + ": the API answered "
                    + doc.path("status").asText("no status") + " (" + doc.path("error").asText("no error given")
                    + "); is this a Prometheus API?", null);
        }
        return doc.path("data");
    }

    static QueryResult result(JsonNode data) {
        String type = data.path("resultType").asText();
        JsonNode result = data.path("result");
        List<QueryResult.Series> series = new ArrayList<>();
        switch (type) {
            case "vector", "matrix" -> {
                for (JsonNode s : result) {
                    Map<String, String> labels = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = s.path("metric").fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        labels.put(e.getKey(), e.getValue().asText());
                    }
                    List<PromMath.Point> points = new ArrayList<>();
                    if (s.has("value")) {
                        points.add(point(s.get("value")));
                    }
                    for (JsonNode v : s.path("values")) {
                        points.add(point(v));
                    }
                    series.add(new QueryResult.Series(Labels.of(labels), List.copyOf(points)));
                }
            }
            case "scalar" -> series.add(new QueryResult.Series(Labels.EMPTY, List.of(point(result))));
            default -> {
                // a string result carries no numbers
            }
        }
        return new QueryResult(type, List.copyOf(series));
    }

    /** A point as the API writes it: [unix seconds, "value"], the value a string that may be NaN or ±Inf. */
    static PromMath.Point point(JsonNode pair) {
        double t = pair.get(0).asDouble();
        String v = pair.get(1).asText();
        double value = switch (v) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
        return new PromMath.Point(Math.round(t * 1000), value);
    }

    static String seconds(Instant t) {
        return t.getEpochSecond() + "." + String.format("%03d", t.getNano() / 1_000_000);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
