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

    /** Scrapes of {@code backendUrl}'s metrics; {@code noRateReason} says why the first has no rates. */
    static Source scrape(Context ctx, String backendUrl, String noRateReason) {
        return ScrapeSource.of(new Scraper(ctx.http()), Scraper.metricsUrl(backendUrl), ctx.combination(),
                noRateReason);
    }

    /** PromQL against --prometheus-url, rates over {@code window} (lifetime figures when null). */
    static Source prometheus(Context ctx, Duration window) {
        return new PrometheusSource(new PrometheusClient(ctx.http(), ctx.prometheusUrl()), ctx.combination(), window);
    }
}
