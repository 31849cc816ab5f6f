package io.exlm.mon.source;

/**
 * Where the numbers come from: a direct scrape of {@code /metrics} ({@link ScrapeSource}) or PromQL against a
 * Prometheus-compatible API ({@link PrometheusSource}), both yielding one catalog {@link Snapshot} per call. A source
 * owns what it needs between calls (the previous scrape, for rates; the window of its PromQL). {@code top},
 * {@code metrics} and the dashboard read snapshots and never care which source made them. A failure is an
 * {@link io.exlm.mon.ExitException} (an {@link io.exlm.mon.http.HttpFailure} for an endpoint) whose message says
 * why, in words.
 */
public interface Source extends AutoCloseable {
    /** What the source is, for a header: {@code scrape http://127.0.0.1:8000/metrics}, {@code PromQL URL [1m]}. */
    String describe();

    /** The catalog now: values, and rates over the source's window when it has one. */
    Snapshot snapshot();

    /**
     * Whether the next snapshot has rates and windowed percentiles: a scrape source needs a scrape before it, a
     * Prometheus source has its window at once.
     */
    boolean hasWindow();

    /**
     * Whether the source remembers: answers for a time in the past ({@link #snapshot(java.time.Instant)}) and gives
     * a history ({@link #history}). A Prometheus source does; a scrape sees only the present.
     */
    default boolean remembers() {
        return false;
    }

    /** The catalog as it was at {@code at}; only a source that {@link #remembers()}. */
    default Snapshot snapshot(java.time.Instant at) {
        throw new UnsupportedOperationException(describe() + " sees only the present");
    }

    /**
     * The catalog at each of {@code points} steps of {@code step} up to {@code end}, oldest first; only a source that
     * {@link #remembers()}.
     */
    default java.util.List<Snapshot> history(java.time.Instant end, java.time.Duration step, int points) {
        throw new UnsupportedOperationException(describe() + " sees only the present");
    }

    /**
     * How much longer the source must be polled before its rates span enough to be judged against their thresholds
     * ({@link Snapshot.Coverage#judgedSpan}); zero when they do now. A Prometheus source has its window at once.
     */
    default java.time.Duration untilJudged() {
        return java.time.Duration.ZERO;
    }

    /** How much longer the source must be polled before its window is full; zero when it is now. */
    default java.time.Duration untilFull() {
        return java.time.Duration.ZERO;
    }

    @Override
    default void close() {
    }
}
