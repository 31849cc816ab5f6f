package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PrometheusApiException;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.PromMath;
import io.exlm.mon.tui.Glyphs;
import io.exlm.mon.tui.LineChart;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "query",
        sortOptions = false,
        description = {"Run one PromQL query against --prometheus-url: an instant query as a table, or with --range a"
            + " range query drawn as a chart in the terminal."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon query 'sum by (status) (rate(http_requests_total[5m]))'",
            "  exlm-mon query 'exlm:http_request_errors:ratio_rate5m' --range 1h",
            "  exlm-mon query up -o csv > up.csv",
            "",
            "Exit: 0 the query ran (an empty result too), 2 Prometheus refused the query,",
            "      3 Prometheus cannot be reached or failed to run it."})
public final class QueryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "EXPR", description = "The PromQL expression")
    String expr;

    @Option(names = "--range", paramLabel = "DURATION", converter = DurationConverter.class, order = 1,
            description = "A range query over this much time up to now (for example 30m, 6h), drawn as a chart")
    Duration range;

    @Option(names = "--step", paramLabel = "DURATION", converter = DurationConverter.class, order = 2,
            description = "Resolution of a range query (default: the range over the chart's width, at least 1s)")
    Duration step;

    @Option(names = "--time", paramLabel = "TIME", order = 3,
            description = "Evaluate at this time instead of now: RFC 3339 or unix seconds; the range's end with --range")
    String time;

    @Option(names = "--width", paramLabel = "COLUMNS", order = 4,
            description = "Width of the chart (default: $COLUMNS, else 80)")
    Integer width;

    @Option(names = "--height", paramLabel = "ROWS", defaultValue = "12", order = 5,
            description = "Rows of the chart's plot (default: ${DEFAULT-VALUE})")
    int height;

    @Override
    public Integer call() {
        Context ctx = ExlmMon.context(spec);
        ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.csv);
        if (step != null && range == null) {
            throw ExitException.usage("--step needs --range: an instant query has no step");
        }
        if (range != null && (range.isZero() || range.isNegative())) {
            throw ExitException.usage("--range must be positive");
        }
        if (step != null && (step.isZero() || step.isNegative())) {
            throw ExitException.usage("--step must be positive");
        }
        if (height < 3 || height > 200) {
            throw ExitException.usage("--height must be from 3 to 200");
        }
        int columns = columns(ctx);
        Instant at = time == null ? null : parseTime(time);
        PrometheusClient client = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
        Instant start = null;
        Instant end = null;
        Duration st = null;
        if (range != null) {
            end = at == null ? Instant.now() : at;
            start = end.minus(range);
            if (start.isBefore(Instant.EPOCH)) {
                throw ExitException.usage("--range " + Durations.format(range) + " reaches back before 1970"
                        + " (unix time 0), where no sample can be; give a shorter --range");
            }
            st = step != null ? step : Duration.ofMillis(Math.max(1000, (range.toMillis() / Math.max(10,
                    columns - 12) + 999) / 1000 * 1000));
            if (range.toMillis() / st.toMillis() > 11_000) {
                throw ExitException.usage("--range " + Durations.format(range) + " at --step "
                        + Durations.format(st) + " is more than the 11,000 points Prometheus returns per series;"
                        + " use a longer --step");
            }
        }
        Instant from = start;
        Instant to = end;
        Duration by = st;
        QueryResult result = FailureDocument.guard(ctx, "query", () -> {
            try {
                return range == null ? client.query(expr, at) : client.queryRange(expr, from, to, by);
            } catch (PrometheusApiException e) {
                if (e.badData()) {
                    throw ExitException.usage("Prometheus refused the query: " + e.error());
                }
                throw e;
            }
        });
        switch (ctx.format()) {
            case json -> Json.write(ctx.out(), json(result, at, start, end, st));
            case csv -> csv(ctx, result);
            default -> {
                if (range == null) {
                    table(ctx, result);
                } else {
                    chart(ctx, result, start, st, columns);
                }
            }
        }
        ctx.out().flush();
        return ExitCode.OK;
    }

    private int columns(Context ctx) {
        if (width != null) {
            if (width < 20 || width > 1000) {
                throw ExitException.usage("--width must be from 20 to 1000");
            }
            return width;
        }
        try {
            int c = Integer.parseInt(ctx.env().getOrDefault("COLUMNS", "").strip());
            return c >= 20 ? c : 80;
        } catch (NumberFormatException e) {
            return 80;
        }
    }

    /** The last second of the year 9999: the latest time RFC 3339 can write, and far past any sample. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    static Instant parseTime(String t) {
        Instant at;
        try {
            at = t.matches("\\d+(\\.\\d+)?") ? Instant.ofEpochMilli(Math.round(Double.parseDouble(t) * 1000))
                    : Instant.parse(t);
        } catch (RuntimeException e) {
            throw ExitException.usage("--time '" + t + "' is neither RFC 3339 (2025-01-07T10:00:00Z) nor unix"
                    + " seconds");
        }
        // a double rounds a number too large into Long.MAX_VALUE milliseconds: refuse it instead of asking for then
        if (at.isAfter(LATEST) || at.isBefore(Instant.EPOCH)) {
            throw ExitException.usage("--time '" + t + "' is outside 1970 to 9999");
        }
        return at;
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

    private void table(Context ctx, QueryResult r) {
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

    private void chart(Context ctx, QueryResult r, Instant start, Duration st, int columns) {
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

    private Map<String, Object> json(QueryResult r, Instant at, Instant start, Instant end, Duration st) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("query", expr);
        doc.put("result_type", r.resultType());
        if (range == null) {
            doc.put("time", at == null ? null : at.toString());
        } else {
            doc.put("start", start.toString());
            doc.put("end", end.toString());
            doc.put("step_seconds", st.toMillis() / 1000.0);
        }
        List<Map<String, Object>> series = new ArrayList<>();
        for (QueryResult.Series s : r.series()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("labels", s.metric().asMap());
            if (range == null) {
                m.put("timestamp", s.points().get(0).millis() / 1000.0);
                m.put("value", number(s.value()));
            } else {
                List<List<Object>> values = new ArrayList<>();
                for (PromMath.Point p : s.points()) {
                    values.add(List.of(p.millis() / 1000.0, number(p.value())));
                }
                m.put("values", values);
            }
            series.add(m);
        }
        doc.put("series", series);
        return doc;
    }

    private void csv(Context ctx, QueryResult r) {
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
