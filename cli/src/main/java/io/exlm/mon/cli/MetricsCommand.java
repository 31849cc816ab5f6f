package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.push.CheckOutcome;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.Breakdowns;
import io.exlm.mon.panel.ByLabel;
import io.exlm.mon.panel.IncidentFeed;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.SnapshotJson;
import java.util.function.BiFunction;
import io.exlm.mon.source.ScrapeSource;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import io.exlm.mon.source.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "metrics",
        subcommands = {MetricsCheckCommand.class},
        description = {"A snapshot of the documented metrics: values, rates, percentiles.", "",
            "Values, per-second rates, latency p50/p95/p99 and the derived figures (requests per second, error"
                + " ratio, cache hit ratio, jobs, Celery, system).", "",
            "One scrape gives values and lifetime percentiles; --window takes two scrapes that far apart and gives"
                + " rates and percentiles over the window, as Prometheus's irate and histogram_quantile would.", "",
            "--by LABEL shows the figures by a label's values instead (top's breakdown on Enter): by handler the"
                + " request rate, p95 and error ratio of each, the worst first."},
        exitCodeList = {"0:a snapshot was taken (missing metrics are listed, not failed)",
            "3:the source cannot be reached, read or parsed"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon metrics                        # one scrape of the backend",
            "  exlm-mon metrics --window 30s -o json   # two scrapes 30 s apart: rates",
            "  exlm-mon metrics --source prometheus --window 5m",
            "  exlm-mon metrics --file a.txt --file b.txt --window 15s",
            "  exlm-mon metrics --window 30s --by handler   # which endpoint fails",
            "  exlm-mon metrics --source prometheus --by handler,instance -o json",
            "  exlm-mon metrics check metrics.txt --catalog"})
public final class MetricsCommand extends BaseCommand {
    @Mixin
    SourceOptions source = new SourceOptions();

    @Option(names = "--file", paramLabel = "FILE", order = 2,
            description = "Read an exposition from a file (- for stdin) instead of scraping; twice, with --window,"
                    + " for rates between the two")
    List<String> files = new ArrayList<>();

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class, order = 3,
            description = "Rates and percentiles over this window: two scrapes this far apart, the time between two"
                    + " --file bodies, or the range of PromQL's rate() (default with --source prometheus: the dashboard's "
                    + PanelId.WINDOW_TEXT + ", as top's)")
    Duration window;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", order = 4,
            completionCandidates = Candidates.ExpositionFormats.class,
            description = "Format of --file bodies: auto (default), prometheus or openmetrics")
    String format;

    @Option(names = "--by", paramLabel = "LABEL", split = ",", order = 5,
            completionCandidates = MetricsBy.Labels.class,
            description = "Cut the figures by a label instead: a table per label (${COMPLETION-CANDIDATES}),"
                    + " a row per value, the worst first; repeatable or comma-separated. -o json adds every value"
                    + " under \"by\", -o csv lists them")
    List<String> by = new ArrayList<>();

    @Mixin
    PushOptions push = new PushOptions();

    @Override
    int run(Context ctx) throws InterruptedException {
        List<String> labels = MetricsBy.labels(by);
        if (labels.isEmpty()) {
            ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        } else {
            ctx.requireFormat(OutputFormat.text, OutputFormat.json, OutputFormat.csv);
        }
        push.validate();
        long start = System.nanoTime();
        if (window != null && (window.isZero() || window.isNegative())) {
            throw ExitException.usage("--window must be positive");
        }
        Snapshot snapshot = FailureDocument.guard(ctx, "metrics", () -> snapshot(ctx));
        List<ByLabel.Table> tables = labels.isEmpty() ? null : FailureDocument.guard(ctx, "metrics", () -> {
            BiFunction<PanelId, List<String>, Breakdown> cuts = cuts(ctx, snapshot);
            List<ByLabel.Table> out = new ArrayList<>();
            for (String label : labels) {
                out.addAll(ByLabel.of(label, cuts));
            }
            return out;
        });
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), SnapshotJson.of(snapshot, tables == null ? null : MetricsBy.json(tables)));
        } else if (ctx.format() == OutputFormat.csv) {
            MetricsBy.csv(ctx.out(), tables);
            // the notes that the text prints under its tables (a window not covered yet, lifetime totals) go to
            // stderr: a CSV of rates over 3 % of their window must not pass for the window's
            MetricsBy.notes(ctx.err(), snapshot, tables);
        } else if (tables != null) {
            MetricsBy.text(ctx.out(), ctx.ansi(), snapshot, tables);
        } else {
            MetricsText.write(ctx.out(), ctx.ansi(), snapshot);
        }
        ctx.out().flush();
        // pushed as one check per catalog metric: present or missing
        double seconds = (System.nanoTime() - start) / 1e9;
        List<CheckOutcome> outcomes = new ArrayList<>();
        for (Snapshot.Reading r : snapshot.metrics()) {
            outcomes.add(new CheckOutcome(r.metric().name(), r.present(), seconds));
        }
        push.push(ctx, "metrics", outcomes, ExitCode.OK);
        return ExitCode.OK;
    }

    /**
     * Each panel's breakdown by labels, every value of each: with --source prometheus, PromQL aggregated there over
     * the snapshot's window and scope (top's Enter with the Prometheus source); else from the snapshot's series (a
     * scrape or a file is one instance; one of them without a window gives lifetime totals).
     */
    private BiFunction<PanelId, List<String>, Breakdown> cuts(Context ctx, Snapshot snapshot) {
        if (source.prometheus(ctx)) {
            io.exlm.mon.promql.PrometheusClient client = new io.exlm.mon.promql.PrometheusClient(ctx.http(),
                    ctx.prometheusUrl());
            io.exlm.mon.source.Scope scope = source.scope(ctx);
            Duration w = window == null ? PanelId.WINDOW : window;
            java.time.Instant at = java.time.Instant.ofEpochMilli(snapshot.timeMillis());
            return (id, labels) -> Breakdowns.fromPrometheus(id, client, scope, w, ctx.combination(), labels, null,
                    at);
        }
        String instance = IncidentFeed.hostPort(snapshot.source());
        return (id, labels) -> Breakdowns.fromSnapshot(id, snapshot, instance, labels, null, true);
    }

    /** One snapshot of the source: one poll, or two a window apart for a scrape with --window. */
    private Snapshot snapshot(Context ctx) throws InterruptedException {
        source.scope(ctx); // --backend-job, --backend-instance, --match: usage errors before anything runs
        if (source.prometheus(ctx)) {
            if (!files.isEmpty()) {
                throw ExitException.usage("--file reads an exposition; it cannot be combined with --source"
                        + " prometheus");
            }
            // with --push-gateway the snapshot is pushed as checks (each metric present or missing): a verdict,
            // asked for at its own time
            try (Source s = source.prometheus(ctx, window == null ? PanelId.WINDOW : window, true, push.on())) {
                return s.snapshot();
            }
        }
        if (!files.isEmpty()) {
            return fromFiles(ctx);
        }
        try (Source s = SourceOptions.scrape(ctx, ctx.backendUrl(), Snapshots.SECOND_SCRAPE, window)) {
            Snapshot first = s.snapshot();
            if (window == null) {
                return first;
            }
            if (ctx.format() == OutputFormat.text) {
                ctx.err().println("exlm-mon: second scrape of " + io.exlm.mon.source.Scraper.metricsUrl(
                        ctx.backendUrl()) + " in " + Durations.format(window) + " ...");
                ctx.err().flush();
            }
            long due = System.nanoTime() + window.toNanos();
            for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
                Thread.sleep(Math.max(1, left / 1_000_000));
            }
            return s.snapshot();
        }
    }

    /** One body, or two a window apart: the source of the files in order, the second stamped a window later. */
    private Snapshot fromFiles(Context ctx) {
        if (files.size() > 2) {
            throw ExitException.usage("--file takes one body, or two with --window; got " + files.size());
        }
        if (files.size() == 2 && window == null) {
            throw ExitException.usage("two --file bodies need --window: the time between them, for the rates");
        }
        if (files.size() == 1 && window != null) {
            throw ExitException.usage("--window with --file needs a second --file: the body taken that much later");
        }
        if (files.size() == 2 && files.get(0).equals("-") && files.get(1).equals("-")) {
            throw ExitException.usage("only one --file can be - (standard input)");
        }
        int[] next = {0};
        Source s = new ScrapeSource(() -> {
            int i = next[0]++;
            return ExpositionFiles.read(ctx, files.get(i), format, i == 0 ? 0 : window.toMillis());
        }, "files " + String.join(", ", files), ctx.combination(), Snapshots.SECOND_SCRAPE, window);
        Snapshot snapshot = s.snapshot();
        return files.size() == 1 ? snapshot : s.snapshot();
    }
}
