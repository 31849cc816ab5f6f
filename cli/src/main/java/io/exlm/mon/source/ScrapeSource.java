package io.exlm.mon.source;

import io.exlm.mon.expo.Scrape;
import java.util.function.Supplier;

/**
 * Snapshots of successive scrapes: the first one gives values and lifetime percentiles, each later one rates and
 * percentiles over the time since the one before it (held here, the one state a scrape source needs). The scrapes
 * come from a backend's {@code /metrics} ({@link #of(Scraper, String, Combination, String)}) or from any supplier of
 * bodies in order (two files a window apart).
 */
public final class ScrapeSource implements Source {
    /** Why the first scrape has no rate, in top's words. */
    public static final String NEXT_SCRAPE = "needs a second scrape for a rate";

    private final Supplier<Scrape> next;
    private final String describe;
    private final Combination combination;
    private final String noRateReason;
    private Scrape previous;

    /**
     * @param next         the next scrape, on each call
     * @param describe     what the source is, for a header
     * @param noRateReason why the first snapshot has no rates, in the caller's words
     */
    public ScrapeSource(Supplier<Scrape> next, String describe, Combination combination, String noRateReason) {
        this.next = next;
        this.describe = describe;
        this.combination = combination;
        this.noRateReason = noRateReason;
    }

    /** Scrapes of a metrics URL, keeping the catalog's samples. */
    public static ScrapeSource of(Scraper scraper, String metricsUrl, Combination combination, String noRateReason) {
        return new ScrapeSource(() -> scraper.scrape(metricsUrl, Catalog::hasSample), "scrape " + metricsUrl,
                combination, noRateReason);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public boolean hasWindow() {
        return previous != null;
    }

    /** The next scrape, paired with the one before it when that one is older. */
    @Override
    public Snapshot snapshot() {
        Scrape current = next.get();
        Snapshot s = previous == null || current.timeMillis() <= previous.timeMillis()
                ? Snapshots.of(current, noRateReason, combination)
                : Snapshots.between(previous, current, combination);
        previous = current;
        return s;
    }
}
