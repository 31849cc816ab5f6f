package io.exlm.mon.source;

import io.exlm.mon.expo.Scrape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Snapshots of successive scrapes over a rolling window: the first scrape gives values and lifetime percentiles, each
 * later one rates and percentiles from the oldest scrape of the window to the newest ({@link Snapshots#over}: resets
 * inside the window counted as Prometheus's {@code increase()} counts them), and, while the scrapes span less than
 * the window, its {@link Snapshot.Coverage}. The scrapes come from a backend's {@code /metrics}
 * ({@link #of(Scraper, String, Combination, String, Duration)}) or from any supplier of bodies in order (two files a
 * window apart).
 * <p>
 * The window is held in memory as a ring of at most {@link #MAX_SCRAPES} scrapes (each keeps only the catalog's
 * samples): at a refresh interval shorter than {@code window / MAX_SCRAPES} a scrape replaces the newest instead of
 * joining the ring, so that the ring spans the window whatever the interval, with scrapes about that far apart (a
 * reset between two of them that the counter outgrew is not seen, as with a longer scrape interval).
 * The window reaches back to the newest scrape at or before its start, so that a window of two scrapes a window
 * apart (metrics --window) spans it whole.
 */
public final class ScrapeSource implements Source {
    /** Why the first scrape has no rate, in top's words. */
    public static final String NEXT_SCRAPE = "needs a second scrape for a rate";
    /** The most scrapes the window holds (and one newest besides). */
    public static final int MAX_SCRAPES = 120;
    /**
     * How far before the window's start its oldest scrape may be (or a tenth of the window, when longer): a scrape
     * takes time, so two scrapes asked a window apart are stamped a little more apart.
     */
    static final long STALE_MILLIS = 30_000;

    private final Supplier<Scrape> next;
    private final String describe;
    private final Combination combination;
    private final String noRateReason;
    private final Duration window;
    /** Oldest first; the last one is the newest scrape. */
    private final List<Scrape> ring = new ArrayList<>();

    /**
     * @param next         the next scrape, on each call
     * @param describe     what the source is, for a header
     * @param noRateReason why the first snapshot has no rates, in the caller's words
     * @param window       the window of the rates and percentiles; null for each scrape with the one before it
     */
    public ScrapeSource(Supplier<Scrape> next, String describe, Combination combination, String noRateReason,
            Duration window) {
        if (window != null && (window.isZero() || window.isNegative())) {
            throw new IllegalArgumentException("the window must be positive, not " + window);
        }
        this.next = next;
        this.describe = describe;
        this.combination = combination;
        this.noRateReason = noRateReason;
        this.window = window;
    }

    /** Each scrape paired with the one before it. */
    public ScrapeSource(Supplier<Scrape> next, String describe, Combination combination, String noRateReason) {
        this(next, describe, combination, noRateReason, null);
    }

    /** Scrapes of a metrics URL, keeping the catalog's samples, over {@code window} (null: pairs). */
    public static ScrapeSource of(Scraper scraper, String metricsUrl, Combination combination, String noRateReason,
            Duration window) {
        return new ScrapeSource(() -> scraper.scrape(metricsUrl, Catalog::hasSample), "scrape " + metricsUrl
                + (window == null ? "" : " " + Formulas.range(window)), combination, noRateReason, window);
    }

    /** Scrapes of a metrics URL, each paired with the one before it. */
    public static ScrapeSource of(Scraper scraper, String metricsUrl, Combination combination, String noRateReason) {
        return of(scraper, metricsUrl, combination, noRateReason, null);
    }

    @Override
    public String describe() {
        return describe;
    }

    @Override
    public boolean hasWindow() {
        return !ring.isEmpty();
    }

    /** The time from the oldest scrape of the window to the newest: zero before the second scrape. */
    public Duration span() {
        return ring.size() < 2 ? Duration.ZERO
                : Duration.ofMillis(ring.get(ring.size() - 1).timeMillis() - ring.get(0).timeMillis());
    }

    /** How many scrapes the window holds now. */
    public int size() {
        return ring.size();
    }

    @Override
    public Duration untilJudged() {
        // the next scrape makes the second: a window, however short
        Duration second = ring.size() < 2 ? Duration.ofMillis(1) : Duration.ZERO;
        if (window == null) {
            return second;
        }
        Duration left = Snapshot.Coverage.judgedSpan(window).minus(span());
        return left.isZero() || left.isNegative() ? second : left;
    }

    @Override
    public Duration untilFull() {
        Duration second = ring.size() < 2 ? Duration.ofMillis(1) : Duration.ZERO;
        if (window == null) {
            return second;
        }
        Duration left = Duration.ofMillis((long) Math.ceil(window.toMillis() * Snapshot.Coverage.FULL)).minus(span());
        return left.isZero() || left.isNegative() ? second : left;
    }

    /** The next scrape, with the window of the scrapes before it. */
    @Override
    public Snapshot snapshot() {
        add(next.get());
        Scrape current = ring.get(ring.size() - 1);
        return ring.size() < 2 ? Snapshots.of(current, noRateReason, combination)
                : Snapshots.over(ring, combination, window);
    }

    private void add(Scrape s) {
        if (!ring.isEmpty() && s.timeMillis() <= ring.get(ring.size() - 1).timeMillis()) {
            // no time to divide by (a clock set back, two bodies stamped alike): the window starts again here
            ring.clear();
        }
        if (window == null) {
            if (ring.size() == 2) {
                ring.remove(0);
            }
            ring.add(s);
            return;
        }
        int n = ring.size();
        // spaced so that the scrapes from the window's start to the newest are MAX_SCRAPES and the newest at most
        long spacing = window.toMillis() / (MAX_SCRAPES - 2);
        if (n >= 2 && ring.get(n - 1).timeMillis() - ring.get(n - 2).timeMillis() < spacing) {
            ring.set(n - 1, s); // the newest was too close to the one before it to be kept: this one takes its place
        } else {
            ring.add(s);
        }
        long start = s.timeMillis() - window.toMillis();
        while (ring.size() > 2 && ring.get(1).timeMillis() <= start) {
            ring.remove(0);
        }
        // after an outage longer than the window the scrape before it is no start for the window (Prometheus would
        // have no sample in it either): the window starts again from the newest, as a first scrape
        long stale = start - Math.max(window.toMillis() / 10, STALE_MILLIS);
        while (ring.size() >= 2 && ring.get(0).timeMillis() < stale) {
            ring.remove(0);
        }
        while (ring.size() > MAX_SCRAPES + 1) {
            ring.remove(0);
        }
    }
}
