package io.exlm.mon.testing;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Prometheus HTTP API that answers instant queries from a script: each expression, exactly as the client sends it,
 * to the series of its answer; any other expression answers an empty vector and is recorded in {@link #unknown()},
 * so that a test sees a query it did not expect. {@code /api/v1/label/__name__/values} answers the script's names.
 */
public final class ScriptedPrometheus implements AutoCloseable {
    /** One series of an answer: its labels (with {@code __name__} where Prometheus keeps it) and its value. */
    public record Series(Map<String, String> labels, String value) {
    }

    private final FaultServer server;
    private final List<String> unknown = new CopyOnWriteArrayList<>();
    private final List<String> labelQueries = new CopyOnWriteArrayList<>();

    public ScriptedPrometheus(Map<String, List<Series>> script, List<String> names) throws IOException {
        this(script, names, q -> false);
    }

    /**
     * As above; a query {@code fails} accepts is answered with Prometheus's error document for a query that timed
     * out (HTTP 503, {@code errorType} timeout).
     */
    public ScriptedPrometheus(Map<String, List<Series>> script, List<String> names,
            java.util.function.Predicate<String> fails) throws IOException {
        server = new FaultServer((req, out, sock) -> {
            String path = req.path();
            if (path.startsWith("/api/v1/label/__name__/values")) {
                labelQueries.add(path);
                FaultServer.respond(out, 200, "application/json", "{\"status\":\"success\",\"data\":"
                        + strings(names) + "}");
                return;
            }
            if (!path.startsWith("/api/v1/query?")) {
                FaultServer.respond(out, 404, "text/plain", "not found");
                return;
            }
            String query = null;
            for (String pair : path.substring(path.indexOf('?') + 1).split("&")) {
                if (pair.startsWith("query=")) {
                    query = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                }
            }
            if (query != null && fails.test(query)) {
                FaultServer.respond(out, 503, "application/json", "{\"status\":\"error\",\"errorType\":"
                        + "\"timeout\",\"error\":\"query timed out in expression evaluation\"}");
                return;
            }
            List<Series> answer = script.get(query);
            if (answer == null) {
                unknown.add(query);
                answer = List.of();
            }
            boolean range = query != null && query.endsWith("]");
            StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"")
                    .append(range ? "matrix" : "vector").append("\",\"result\":[");
            for (int i = 0; i < answer.size(); i++) {
                Series s = answer.get(i);
                sb.append(i == 0 ? "" : ",").append("{\"metric\":").append(object(s.labels()))
                        .append(",\"value\":[1780000000,\"").append(s.value()).append("\"]}");
            }
            FaultServer.respond(out, 200, "application/json", sb.append("]}}").toString());
        });
    }

    /**
     * The answers to a frame of {@link io.exlm.mon.source.PrometheusSource}: each of its queries (and the coverage
     * query, answered with nothing) to the series of its parts, from {@code parts} by tag ({@code METRIC:PART}),
     * each series given the label that tags it.
     */
    public static java.util.Map<String, List<Series>> frame(io.exlm.mon.source.Scope scope,
            io.exlm.mon.source.Combination combination, java.time.Duration window,
            java.util.Map<String, List<Series>> parts) {
        java.util.Map<String, List<Series>> out = new java.util.LinkedHashMap<>();
        for (io.exlm.mon.source.PrometheusSource.Query q : io.exlm.mon.source.PrometheusSource.queries(scope,
                combination, window, io.exlm.mon.panel.PanelId.queryGroups())) {
            List<Series> answer = new java.util.ArrayList<>();
            for (io.exlm.mon.source.Catalog.Metric m : q.metrics()) {
                parts.forEach((tag, series) -> {
                    if (tag.startsWith(m.name() + ":")) {
                        for (Series s : series) {
                            java.util.Map<String, String> labels = new java.util.LinkedHashMap<>(s.labels());
                            labels.put(io.exlm.mon.source.PrometheusSource.PART, tag);
                            answer.add(new Series(labels, s.value()));
                        }
                    }
                });
            }
            out.put(q.promql(), answer);
        }
        if (window != null) {
            out.put(io.exlm.mon.source.PrometheusSource.coverageQuery(scope, window), List.of());
        }
        return out;
    }

    /**
     * The answers to a frame read from its recordings ({@code PrometheusSource.FRAME_GROUP}): each recorded query of
     * the default frame to the series of its parts as its recording holds them (the record's name, the fingerprint,
     * a counter's spelling in {@code exlm_name}), and its evaluation at {@code evaluatedAt} (epoch seconds).
     */
    public static java.util.Map<String, List<Series>> recordedFrame(java.time.Duration window,
            java.util.Map<String, List<Series>> parts, long evaluatedAt) {
        java.util.Map<String, List<Series>> out = new java.util.LinkedHashMap<>();
        java.util.Map<String, List<Series>> raw = frame(io.exlm.mon.source.Scope.BACKEND,
                io.exlm.mon.source.Combination.defaults(), window, parts);
        for (io.exlm.mon.source.PrometheusSource.Query q : io.exlm.mon.source.PrometheusSource.queries(
                io.exlm.mon.source.Scope.BACKEND, io.exlm.mon.source.Combination.defaults(), window,
                io.exlm.mon.panel.PanelId.queryGroups())) {
            List<Series> answer = new java.util.ArrayList<>();
            for (Series s : raw.get(q.promql())) {
                java.util.Map<String, String> labels = new java.util.LinkedHashMap<>(s.labels());
                String name = labels.remove("__name__");
                if (name != null) {
                    labels.put(io.exlm.mon.source.PrometheusSource.NAME, name);
                }
                labels.put("__name__", io.exlm.mon.source.PrometheusSource.recordName(q));
                labels.put(io.exlm.mon.source.PrometheusSource.FINGERPRINT,
                        io.exlm.mon.source.PrometheusSource.fingerprint(q.promql()));
                answer.add(new Series(labels, s.value()));
            }
            // the part every recording holds, whatever its query found
            answer.add(new Series(Map.of("__name__", io.exlm.mon.source.PrometheusSource.recordName(q),
                    io.exlm.mon.source.PrometheusSource.FINGERPRINT, io.exlm.mon.source.PrometheusSource.fingerprint(
                            q.promql()), io.exlm.mon.source.PrometheusSource.PART,
                    io.exlm.mon.source.PrometheusSource.EVALUATED), "1"));
            answer.add(new Series(Map.of(io.exlm.mon.source.PrometheusSource.PART,
                    io.exlm.mon.source.PrometheusSource.RECORDED_AT), Long.toString(evaluatedAt)));
            out.put(io.exlm.mon.source.PrometheusSource.recordedQuery(q), answer);
        }
        return out;
    }

    /** The time of every answer's samples (epoch seconds). */
    public static final long ANSWERED_AT = 1780000000L;

    private static String strings(List<String> values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(values.get(i)).append('"');
        }
        return sb.append(']').toString();
    }

    private static String object(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder("{");
        int i = 0;
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(labels).entrySet()) {
            sb.append(i++ == 0 ? "" : ",").append('"').append(e.getKey()).append("\":\"").append(e.getValue())
                    .append('"');
        }
        return sb.append('}').toString();
    }

    public String url() {
        return server.url();
    }

    /** The expressions asked that the script has no answer for. */
    public List<String> unknown() {
        return List.copyOf(unknown);
    }

    /** The paths of the label-values requests asked. */
    public List<String> labelQueries() {
        return List.copyOf(labelQueries);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
