package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.ScrapeSource;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.source.Source;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --source scrape|prometheus}, one vocabulary for {@code top} and {@code metrics}, and the {@link Source} it
 * names. {@code metrics} used to call the scrape source {@code backend}: the old word is still accepted, with a
 * one-line notice on stderr.
 */
public final class SourceOptions {
    /** The sources, for help and completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of(SCRAPE, PROMETHEUS).iterator();
        }
    }

    static final String SCRAPE = "scrape";
    static final String PROMETHEUS = "prometheus";

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = SCRAPE, order = 1,
            completionCandidates = Names.class,
            description = "scrape: the backend's /metrics, rates computed here (no Prometheus needed); prometheus:"
                    + " PromQL against --prometheus-url (default: ${DEFAULT-VALUE})")
    String source = SCRAPE;

    @Option(names = "--backend-job", paramLabel = "JOB", order = 1,
            description = "With --source prometheus: only the series of this job count (default: the backend's, "
                    + io.exlm.mon.source.Catalog.BACKEND_JOB + "; --backend-job= for any job, narrowed by --match)")
    String job;

    @Option(names = "--backend-instance", paramLabel = "INSTANCE", order = 1,
            description = "With --source prometheus: only the series of this instance (one replica), e.g."
                    + " 10.0.0.5:8000")
    String instance;

    @Option(names = "--match", paramLabel = "MATCHER", order = 1,
            description = "With --source prometheus: a further PromQL label matcher every query carries, e.g."
                    + " 'region=\"eu\"' (repeatable)")
    List<String> match = new java.util.ArrayList<>();

    /**
     * The series the Prometheus source reads: --backend-job (the backend's by default), --backend-instance,
     * --match; exit 2 for a matcher that is not one, or for these options without --source prometheus.
     */
    io.exlm.mon.source.Scope scope(Context ctx) {
        boolean given = job != null || instance != null || !match.isEmpty();
        if (given && !prometheus(ctx)) {
            throw ExitException.usage("--backend-job, --backend-instance and --match choose the series of --source"
                    + " prometheus; a scrape reads one backend (--backend-url)");
        }
        try {
            return new io.exlm.mon.source.Scope(job == null ? io.exlm.mon.source.Catalog.BACKEND_JOB : job.strip(),
                    instance == null || instance.isBlank() ? null : instance.strip(), match);
        } catch (IllegalArgumentException e) {
            throw ExitException.usage(e.getMessage());
        }
    }

    /** The source's name, the old {@code backend} read as {@code scrape} with a notice; any other is exit 2. */
    String name(Context ctx) {
        String s = source.strip().toLowerCase(Locale.ROOT);
        if (s.equals("backend")) {
            ctx.err().println("exlm-mon: --source backend is now called --source scrape");
            ctx.err().flush();
            source = SCRAPE;
            return SCRAPE;
        }
        if (!s.equals(SCRAPE) && !s.equals(PROMETHEUS)) {
            throw ExitException.usage("--source must be scrape or prometheus, not '" + io.exlm.mon.Text.printable(
                    source) + "'");
        }
        return s;
    }

    boolean prometheus(Context ctx) {
        return name(ctx).equals(PROMETHEUS);
    }

    /**
     * Scrapes of {@code backendUrl}'s metrics over a rolling {@code window} (null: each with the one before it);
     * {@code noRateReason} says why the first has no rates.
     */
    static Source scrape(Context ctx, String backendUrl, String noRateReason, Duration window) {
        return ScrapeSource.of(new Scraper(ctx.http()), Scraper.metricsUrl(backendUrl), ctx.combination(),
                noRateReason, window);
    }

    /**
     * PromQL against --prometheus-url over the series of {@link #scope}, rates over {@code window} (lifetime figures
     * when null); with {@code log} and -v, a line on stderr per frame (not under top's full screen). A frame reads
     * its recordings (exlm-frame) where they serve, unless {@code fresh}: a run whose frame becomes a verdict (an
     * exit code, a pushed check) asks every query at its own time, since a recording can be up to 30 s old (a gate
     * passed just after errors began, or failed just after a fix).
     */
    Source prometheus(Context ctx, Duration window, boolean log, boolean fresh) {
        PrometheusSource s = new PrometheusSource(new PrometheusClient(ctx.http(), ctx.prometheusUrl()),
                ctx.combination(), window, scope(ctx), io.exlm.mon.panel.PanelId.queryGroups());
        if (!fresh) {
            s.recordings(io.exlm.mon.panel.PanelId.WINDOW);
        }
        if (log && ctx.verbose()) {
            s.log(line -> {
                ctx.err().println("exlm-mon: " + line);
                ctx.err().flush();
            });
        }
        return s;
    }
}
