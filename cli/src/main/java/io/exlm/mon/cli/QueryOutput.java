package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PromMath;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.tui.Glyphs;
import io.exlm.mon.tui.LineChart;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** What {@code query} writes: a table or a chart, CSV rows, or one of its two documents. */
final class QueryOutput {
    private QueryOutput() {
    }

    /**
     * {@code query -o json} of an instant query, the contract the README states: {@code time} null when evaluated at
     * Prometheus's now. A value is a number, or the string NaN, +Inf or -Inf. Fields in record order, snake_case.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Instantly(String query, String resultType, String time, List<Sample> series) {
    }

    /** One series of an instant query: its labels, its timestamp in unix seconds and its value. */
    record Sample(Map<String, String> labels, double timestamp, Object value) {
    }

    /** {@code query -o json} of a range query: its start, end and step, each series' [seconds, value] pairs. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Ranged(String query, String resultType, String start, String end, double stepSeconds,
            List<Samples> series) {
    }

    /** One series of a range query. */
    record Samples(Map<String, String> labels, List<List<Object>> values) {
    }

    static Object json(String expr, QueryResult r, Instant at, Instant start, Instant end, Duration st) {
        if (start == null) {
            return new Instantly(expr, r.resultType(), at == null ? null : at.toString(), r.series().stream()
                    .map(s -> new Sample(s.metric().asMap(), s.points().get(0).millis() / 1000.0,
                            number(s.value()))).toList());
        }
        return new Ranged(expr, r.resultType(), start.toString(), end.toString(), st.toMillis() / 1000.0,
                r.series().stream().map(s -> new Samples(s.metric().asMap(), s.points().stream()
                        .map(p -> List.<Object>of(p.millis() / 1000.0, number(p.value()))).toList())).toList());
    }

    /** A series as Prometheus writes it: {@code name{label="value", ...}}. */
    static String seriesName(Labels labels) {
        String name = labels.get("__name__");
        StringBuilder sb = new StringBuilder(name == null ? "" : name);
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (!labels.name(i).equals("__name__")) {
                parts.add(labels.name(i) + "=\"" + labels.value(i).replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
            }
        }
        if (!parts.isEmpty() || name == null) {
            sb.append('{').append(String.join(", ", parts)).append('}');
        }
        return sb.toString();
    }

    static void table(Context ctx, QueryResult r) {
        if (r.resultType().equals("string")) {
            ctx.out().println("(a string result)");
            return;
        }
        if (r.isEmpty()) {
            ctx.out().println("(no data)");
            return;
        }
        Table t = new Table("SERIES", "VALUE");
        for (QueryResult.Series s : r.series()) {
            t.row(r.resultType().equals("scalar") ? "scalar" : seriesName(s.metric()), value(s.value()));
        }
        t.lines().forEach(ctx.out()::println);
        ctx.out().println();
        ctx.out().println(r.series().size() + " series (" + r.resultType() + ")");
    }

    static void chart(Context ctx, QueryResult r, String expr, Duration range, Instant start, Duration st,
            int columns, int height) {
        if (r.isEmpty()) {
            ctx.out().println("(no data in the range)");
            return;
        }
        int points = (int) (range.toMillis() / st.toMillis()) + 1;
        List<LineChart.Series> series = new ArrayList<>();
        for (QueryResult.Series s : r.series()) {
            double[] values = new double[points];
            java.util.Arrays.fill(values, Double.NaN);
            for (PromMath.Point p : s.points()) {
                int i = (int) Math.round((p.millis() - start.toEpochMilli()) / (double) st.toMillis());
                if (i >= 0 && i < points) {
                    values[i] = p.value();
                }
            }
            series.add(new LineChart.Series(seriesName(s.metric()), values));
        }
        Ansi a = ctx.ansi();
        String[] palette = {"32", "36", "33", "35", "34", "31", "37", "92"};
        Glyphs glyphs = ctx.env().getOrDefault("LANG", "").toUpperCase(java.util.Locale.ROOT).contains("UTF")
                || ctx.terminal() ? Glyphs.UNICODE : Glyphs.ASCII;
        boolean colour = ctx.color();
        ctx.out().println(a.bold(expr) + "  (" + Durations.format(range) + " at " + Durations.format(st) + " steps)");
        for (String line : LineChart.render(series, start, st.toMillis(), columns, height, glyphs,
                ZoneId.systemDefault(), (i, text) -> colour ? "\u001b[" + palette[i % palette.length] + "m" + text
                        + "\u001b[0m" : text)) {
            ctx.out().println(line);
        }
    }

    static void csv(Context ctx, QueryResult r) {
        TreeSet<String> keys = new TreeSet<>();
        for (QueryResult.Series s : r.series()) {
            for (int i = 0; i < s.metric().size(); i++) {
                keys.add(s.metric().name(i));
            }
        }
        List<String> columns = new ArrayList<>();
        if (keys.remove("__name__")) {
            columns.add("__name__");
        }
        columns.addAll(keys);
        List<String> header = new ArrayList<>(columns);
        header.add("timestamp");
        header.add("value");
        Csv.row(ctx.out(), header);
        for (QueryResult.Series s : r.series()) {
            for (PromMath.Point p : s.points()) {
                List<String> row = new ArrayList<>();
                for (String c : columns) {
                    String v = s.metric().get(c);
                    row.add(v == null ? "" : v);
                }
                row.add(seconds(p.millis()));
                row.add(value(p.value()));
                Csv.row(ctx.out(), row);
            }
        }
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? String.valueOf(millis / 1000)
                : (millis / 1000) + "." + String.format(java.util.Locale.ROOT, "%03d", Math.abs(millis % 1000));
    }

    /** A value as Prometheus writes it: the shortest exact decimal, NaN and +Inf/-Inf spelled out. */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static Object number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        return v;
    }
}
