package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.promql.PrometheusApiException;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "query",
        description = {"One PromQL query: a table, or with --range a terminal chart.", "",
            "An instant query against --prometheus-url as a table, or with --range a range query drawn as a chart"
                + " in the terminal."},
        exitCodeList = {"0:the query ran (an empty result too)", "2:usage error, or Prometheus refused the query",
            "3:Prometheus cannot be reached or failed to run it"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon query 'sum by (status) (rate(http_requests_total[5m]))'",
            "  exlm-mon query 'exlm:http_request_errors:ratio_rate5m' --range 1h",
            "  exlm-mon query up -o csv > up.csv"})
public final class QueryCommand extends BaseCommand {
    @Parameters(paramLabel = "EXPR", description = "The PromQL expression")
    String expr;

    @Option(names = "--range", paramLabel = "DURATION", converter = DurationConverter.class, order = 1,
            description = "A range query over this much time up to now (for example 30m, 6h), drawn as a chart")
    Duration range;

    @Option(names = "--step", paramLabel = "DURATION", converter = DurationConverter.class, order = 2,
            description = "Resolution of a range query (default: the range over the chart's width, at least 1s)")
    Duration step;

    @Option(names = "--time", paramLabel = "TIME", order = 3,
            description = "Evaluate at this time instead of now: RFC 3339, unix seconds, or a duration ago (5m); the"
                    + " range's end with --range")
    String time;

    @Option(names = "--width", paramLabel = "COLUMNS", order = 4,
            description = "Width of the chart (default: $COLUMNS, else 80)")
    Integer width;

    @Option(names = "--height", paramLabel = "ROWS", defaultValue = "12", order = 5,
            description = "Rows of the chart's plot (default: ${DEFAULT-VALUE})")
    int height;

    @Override
    int run(Context ctx) {
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
        Instant at = time == null ? null : QueryTimes.parseTime(time);
        PrometheusClient client = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
        QueryTimes.Window w = range == null ? null : QueryTimes.window(at, range, step, columns);
        Instant from = w == null ? null : w.start();
        Instant to = w == null ? null : w.end();
        Duration by = w == null ? null : w.step();
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
            case json -> Json.write(ctx.out(), QueryOutput.json(expr, result, at, from, to, by));
            case csv -> QueryOutput.csv(ctx, result);
            default -> {
                if (range == null) {
                    QueryOutput.table(ctx, result);
                } else {
                    QueryOutput.chart(ctx, result, expr, range, from, by, columns, height);
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
}
