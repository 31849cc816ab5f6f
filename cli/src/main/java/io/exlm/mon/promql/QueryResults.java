package io.exlm.mon.promql;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.exlm.mon.config.AnswerLimits;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.http.JsonTree;
import io.exlm.mon.promql.PromMath;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a query answer's {@code data} ({@code resultType} and {@code result}, in either order) as it streams in,
 * straight into series and points: no tree of the answer is built, and what is kept is counted against the answer's
 * budget, so that a million-series answer ends at the cap instead of in the heap. A shape that is not the API's is an
 * {@link IllegalArgumentException} saying what was found.
 */
final class QueryResults {
    private QueryResults() {
    }

    /**
     * A result's series, and why its pair was not [time, "number"] when it was not (a string result's pair, or a
     * broken scalar: which one only the type tells, and it may come after the result).
     */
    private record Read(List<QueryResult.Series> series, IllegalArgumentException notNumbers) {
        static final Read NONE = new Read(List.of(), null);
    }

    static QueryResult read(JsonParser p, AnswerLimits.Budget budget) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("data is not an object");
        }
        String type = "";
        Read read = Read.NONE;
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "resultType" -> {
                    type = v == JsonToken.VALUE_STRING ? p.getText() : "";
                    p.skipChildren();
                }
                case "result" -> read = result(p, v, budget);
                default -> p.skipChildren();
            }
        }
        if (!type.equals("vector") && !type.equals("matrix") && !type.equals("scalar")) {
            // a string result carries no numbers
            return new QueryResult(type, List.of());
        }
        if (read.notNumbers() != null) {
            throw read.notNumbers();
        }
        return new QueryResult(type, read.series());
    }

    /** A vector's or a matrix's array of series, or a scalar's one point (told apart by what the array holds). */
    private static Read result(JsonParser p, JsonToken t, AnswerLimits.Budget budget) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return Read.NONE;
        }
        List<QueryResult.Series> out = new ArrayList<>();
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT && first != JsonToken.END_ARRAY) {
            // a scalar (or a string): [unix time, "value"]
            PromMath.Point point;
            try {
                point = pointRest(p, first);
            } catch (IllegalArgumentException e) {
                finishArray(p);
                return new Read(List.of(), e);
            }
            budget.series();
            budget.points(1);
            return new Read(List.of(new QueryResult.Series(Labels.EMPTY, List.of(point))), null);
        }
        for (JsonToken s = first; s != JsonToken.END_ARRAY; s = p.nextToken()) {
            if (s != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("a series is not an object");
            }
            budget.series();
            out.add(series(p, budget));
        }
        return new Read(List.copyOf(out), null);
    }

    private static QueryResult.Series series(JsonParser p, AnswerLimits.Budget budget) throws IOException {
        Labels labels = Labels.EMPTY;
        List<PromMath.Point> points = new ArrayList<>(1);
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
            String field = p.currentName();
            JsonToken v = p.nextToken();
            switch (field) {
                case "metric" -> labels = labels(p, v, budget);
                case "value" -> {
                    budget.points(1);
                    points.add(point(p, v));
                }
                case "values" -> {
                    if (v != JsonToken.START_ARRAY) {
                        throw new IllegalArgumentException("values is not an array");
                    }
                    for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                        budget.points(1);
                        points.add(point(p, e));
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new QueryResult.Series(labels, List.copyOf(points));
    }

    private static Labels labels(JsonParser p, JsonToken t, AnswerLimits.Budget budget) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return Labels.EMPTY;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
            String name = io.exlm.mon.Text.noEscapes(p.currentName());
            budget.labelBytes(name.length());
            JsonToken v = p.nextToken();
            if (v.isScalarValue()) {
                m.put(name, JsonTree.text(p, budget));
            } else {
                p.skipChildren();
                m.put(name, "");
            }
        }
        return m.isEmpty() ? Labels.EMPTY : Labels.of(m);
    }

    /** A point as the API writes it: [unix seconds, "value"], the value a string that may be NaN or ±Inf. */
    private static PromMath.Point point(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            throw new IllegalArgumentException("a point is not [unix time, \"value\"]: " + t.asString());
        }
        return pointRest(p, p.nextToken());
    }

    /** The rest of a point whose opening bracket is read, {@code t} its first element. */
    private static PromMath.Point pointRest(JsonParser p, JsonToken t) throws IOException {
        if (t == null || !t.isNumeric()) {
            throw new IllegalArgumentException("a point is not [unix time, \"value\"]");
        }
        double time = p.getDoubleValue();
        JsonToken v = p.nextToken();
        if (v != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException("a point is not [unix time, \"value\"]");
        }
        String text = p.getText();
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw new IllegalArgumentException("a point is not [unix time, \"value\"]: it has more than two elements");
        }
        double value;
        try {
            value = switch (text) {
                case "NaN" -> Double.NaN;
                case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("a sample value is not a number: " + abbreviate(text));
        }
        return new PromMath.Point(Math.round(time * 1000), value);
    }

    /** Reads to the end of the array the parser is in (after a pair that was not one). */
    private static void finishArray(JsonParser p) throws IOException {
        for (JsonToken t = p.currentToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                p.skipChildren();
            }
        }
    }

    private static String abbreviate(String s) {
        String t = io.exlm.mon.Text.printable(s);
        return t.length() > 40 ? t.substring(0, 37) + "..." : t;
    }
}
