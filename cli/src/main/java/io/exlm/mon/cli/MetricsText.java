package io.exlm.mon.cli;

import io.exlm.mon.Numbers;
import io.exlm.mon.config.Durations;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Figure;
import io.exlm.mon.source.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The text rendering of a snapshot. */
final class MetricsText {
    private MetricsText() {
    }

    /**
     * The first line: where the figures are from, and what they are over; read from recording rules, how old they
     * were when asked for ("exlm-frame recordings, 14.2s old").
     */
    static String header(Ansi a, Snapshot s) {
        return a.bold(s.source()) + "  (" + (s.window() == null ? "one scrape: lifetime figures"
                : "window " + Durations.format(s.window())) + (s.recorded() == null ? "" : "; " + recorded(s
                        .recorded())) + ")";
    }

    /** Figures read from recordings, in a few words: "exlm-frame recordings, 14.2s old". */
    static String recorded(Snapshot.Recorded r) {
        return r.group() + " recordings, " + String.format(Locale.ROOT, "%.1f", r.age().toMillis() / 1000.0)
                + "s old";
    }

    static void write(java.io.PrintWriter out, Ansi a, Snapshot s) {
        out.println(header(a, s));
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
