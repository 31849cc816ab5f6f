package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Figure;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.exlm.mon.Numbers;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import io.exlm.mon.push.CheckOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "metrics",
        sortOptions = false,
        subcommands = {MetricsCheckCommand.class},
        description = {"One snapshot of the documented metrics: values, per-second rates, latency p50/p95/p99 and the"
            + " derived figures (requests per second, error ratio, cache hit ratio, jobs, Celery, system).",
            "One scrape gives values and lifetime percentiles; --window takes two scrapes that far apart and gives"
                + " rates and percentiles over the window, as Prometheus's irate and histogram_quantile would."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon metrics                        # one scrape of the backend",
            "  exlm-mon metrics --window 30s -o json   # two scrapes 30 s apart: rates",
            "  exlm-mon metrics --source prometheus --window 5m",
            "  exlm-mon metrics --file a.txt --file b.txt --window 15s",
            "  exlm-mon metrics check metrics.txt --catalog",
            "",
            "Exit: 0 a snapshot was taken (missing metrics are listed, not failed),",
            "      2 usage error, 3 the source cannot be reached, read or parsed."})
public final class MetricsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "backend", order = 1,
            completionCandidates = Candidates.MetricsSources.class,
            description = "backend (default: scrape --backend-url's /metrics) or prometheus (PromQL against"
                    + " --prometheus-url)")
    String source;

    @Option(names = "--file", paramLabel = "FILE", order = 2,
            description = "Read an exposition from a file (- for stdin) instead of scraping; twice, with --window,"
                    + " for rates between the two")
    List<String> files = new ArrayList<>();

    @Option(names = "--window", paramLabel = "DURATION", converter = DurationConverter.class, order = 3,
            description = "Rates and percentiles over this window: two scrapes this far apart, the time between two"
                    + " --file bodies, or the range of PromQL's rate() (default 5m with --source prometheus)")
    Duration window;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "auto", order = 4,
            completionCandidates = Candidates.ExpositionFormats.class,
            description = "Format of --file bodies: auto (default), prometheus or openmetrics")
    String format;

    @Mixin
    PushOptions push = new PushOptions();

    @Override
    public Integer call() throws InterruptedException {
        Context ctx = ExlmMon.context(spec);
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        push.validate();
        long start = System.nanoTime();
        if (window != null && (window.isZero() || window.isNegative())) {
            throw ExitException.usage("--window must be positive");
        }
        Snapshot snapshot = FailureDocument.guard(ctx, "metrics", () -> snapshot(ctx));
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), snapshot.toMap());
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

    private Snapshot snapshot(Context ctx) throws InterruptedException {
        return switch (source.toLowerCase(Locale.ROOT)) {
            case "backend" -> files.isEmpty() ? scrapeBackend(ctx) : fromFiles(ctx);
            case "prometheus" -> {
                if (!files.isEmpty()) {
                    throw ExitException.usage("--file reads an exposition; it cannot be combined with --source"
                            + " prometheus");
                }
                yield new PrometheusSource(new PrometheusClient(ctx.http(), ctx.prometheusUrl()), ctx.combination())
                        .snapshot(window == null ? Duration.ofMinutes(5) : window);
            }
            default -> throw ExitException.usage("--source must be backend or prometheus, not '" + source + "'");
        };
    }

    private Snapshot scrapeBackend(Context ctx) throws InterruptedException {
        Scraper scraper = new Scraper(ctx.http());
        String url = Scraper.metricsUrl(ctx.backendUrl());
        Scrape first = scraper.scrape(url, Catalog::hasSample);
        if (window == null) {
            return Snapshots.of(first, Snapshots.SECOND_SCRAPE, ctx.combination());
        }
        if (ctx.format() == OutputFormat.text) {
            ctx.err().println("exlm-mon: second scrape of " + url + " in " + Durations.format(window) + " ...");
            ctx.err().flush();
        }
        long due = System.nanoTime() + window.toNanos();
        for (long left = due - System.nanoTime(); left > 0; left = due - System.nanoTime()) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
        Scrape second = scraper.scrape(url, Catalog::hasSample);
        return Snapshots.between(first, second, ctx.combination());
    }

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
        Scrape first = read(ctx, files.get(0), 0);
        if (files.size() == 1) {
            return Snapshots.of(first, Snapshots.SECOND_SCRAPE, ctx.combination());
        }
        return Snapshots.between(first, read(ctx, files.get(1), window.toMillis()), ctx.combination());
    }

    private Scrape read(Context ctx, String file, long timeMillis) {
        try (ExpositionInput input = ExpositionInput.open(file, ctx.in(), ctx.httpOptions().timeout()); InputStream in = input.stream()) {
            return Scrape.read(in, input.format(format), ParseMode.LENIENT, input.name, timeMillis,
                    Catalog::hasSample, ctx.answerLimits());
        } catch (io.exlm.mon.config.AnswerLimits.Exceeded e) {
            throw new ExitException(ExitCode.UNREACHABLE, input(file) + ": " + e.getMessage());
        } catch (IOException e) {
            throw new ExpositionInput.Unreadable("cannot read " + file + ": " + e.getMessage(), e);
        } catch (ExpositionException e) {
            throw new ExitException(ExitCode.UNREACHABLE, e.getMessage() + "; 'exlm-mon metrics check " + file
                    + "' lists every problem", e);
        }
    }

    private static String input(String file) {
        return file.equals("-") ? "standard input" : file;
    }

    /** The text rendering of a snapshot. */
    static final class MetricsText {
        private MetricsText() {
        }

        static void write(java.io.PrintWriter out, Ansi a, Snapshot s) {
            out.println(a.bold(s.source()) + "  (" + (s.window() == null ? "one scrape: lifetime figures"
                    : "window " + Durations.format(s.window())) + ")");
            Table t = new Table("METRIC", "TYPE", "VALUE", "RATE/S", "SERIES");
            for (Snapshot.Reading r : s.metrics()) {
                if (!r.present()) {
                    continue;
                }
                String rate = "-";
                if (r.metric().type() != io.exlm.mon.source.Catalog.Type.GAUGE && s.window() != null) {
                    double sum = 0;
                    boolean any = false;
                    for (Snapshot.Series x : r.series()) {
                        if (x.rate().available()) {
                            sum += x.rate().value();
                            any = true;
                        }
                    }
                    rate = any ? num(sum) : "-";
                }
                double value = r.total();
                String series = String.valueOf(r.series().size());
                Combination.Combined c = s.derived().gauges().get(r.metric().name());
                if (c != null) {
                    value = c.value();
                    series += covers(c, s.derived().combination().rule(r.metric().name()));
                }
                t.row(r.exposedAs(), r.metric().type().name().toLowerCase(Locale.ROOT), num(value), rate, series);
            }
            t.lines().forEach(out::println);
            out.println();
            Snapshot.Latency l = s.latency();
            out.println("latency (" + l.basis() + "): p50 " + seconds(l.p50()) + "  p95 " + seconds(l.p95())
                    + "  p99 " + seconds(l.p99()));
            Snapshot.Derived d = s.derived();
            out.println("requests/s " + fig(d.requestsPerSecond(), false) + "  error ratio "
                    + fig(d.errorRatio(), true) + "  cache hit ratio " + fig(d.cacheHitRatio(), true));
            out.println("cpu " + pct(d.cpuPercent()) + "  memory " + pct(d.memoryPercent())
                    + "  disk " + pct(d.diskPercent()) + "  users " + fig(d.activeUsers(), false)
                    + "  websockets " + fig(d.websocketConnections(), false) + "  in progress "
                    + fig(d.requestsInProgress(), false));
            out.println("celery pending " + fig(d.celeryPending(), false) + "  active " + fig(d.celeryActive(), false)
                    + "  training " + breakdown(d.trainingJobs()) + "  datasets " + breakdown(d.datasetJobs()));
            out.println("errors by type " + breakdown(d.errorsByType()));
            List<String> notes = new ArrayList<>();
            for (Snapshot.Reading r : s.metrics()) {
                if (!r.present()) {
                    notes.add(a.yellow("missing") + " " + r.reason());
                } else if (!r.missingLabels().isEmpty()) {
                    notes.add(a.yellow("labels") + " " + r.metric().name() + ": series lack "
                            + String.join(", ", r.missingLabels()));
                }
            }
            if (s.coverage() != null) {
                notes.add(a.yellow("note") + " " + s.coverage().words());
            }
            for (Figure f : new Figure[] {l.p50(), d.requestsPerSecond(), d.errorRatio(), d.cacheHitRatio()}) {
                if (!f.available() && notes.stream().noneMatch(n -> n.endsWith(f.reason()))) {
                    notes.add(a.yellow("note") + " " + f.reason());
                }
            }
            if (!notes.isEmpty()) {
                out.println();
                notes.stream().distinct().forEach(out::println);
            }
        }

        /** What a gauge's figure covers, when it combines more than one process: "(max of 2 instances)". */
        static String covers(Combination.Combined c, Combination.Rule rule) {
            String covers = c.covers(rule, "worker processes");
            if (covers == null) {
                return "";
            }
            return " (" + covers + (c.instances() > 1 && c.processes() > c.instances() ? ", " + c.processes()
                    + " processes" : "") + ")";
        }

        private static String fig(Figure f, boolean percent) {
            if (!f.available()) {
                return "-";
            }
            return percent ? Numbers.significant(f.value() * 100, 2) + " %" : num(f.value());
        }

        /** A figure that is already a percentage. */
        private static String pct(Figure f) {
            return f.available() ? num(f.value()) + " %" : "-";
        }

        private static String seconds(Figure f) {
            if (!f.available()) {
                return "-";
            }
            double v = f.value();
            return v < 1 ? Numbers.significant(v * 1000, 1) + " ms" : Numbers.significant(v, 3) + " s";
        }

        private static String breakdown(Snapshot.Breakdown b) {
            if (b.reason() != null) {
                return "-";
            }
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Double> e : b.values().entrySet()) {
                parts.add(e.getKey() + " " + num(e.getValue()));
            }
            return parts.isEmpty() ? "none" : String.join(", ", parts);
        }

        static String num(double v) {
            return Numbers.human(v);
        }
    }
}
