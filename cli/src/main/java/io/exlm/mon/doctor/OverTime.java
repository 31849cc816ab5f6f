package io.exlm.mon.doctor;

import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * The thresholds of doctor's checks over time, each stated once: the checks, their messages, {@code --help} and the
 * README derive from these ({@code OverTimeDocsTest} binds the README's table to them).
 */
public final class OverTime {
    /** {@code --since} when not given, as written in {@code --help}. */
    public static final String DEFAULT_SINCE_TEXT = "1h";
    public static final Duration DEFAULT_SINCE = Durations.parse(DEFAULT_SINCE_TEXT);

    /**
     * A target that went down this often within the window flaps. Once is a restart (a deployment), twice may be
     * two; three times within an hour is a pattern that pages and resolves by itself.
     */
    static final int FLAPPING_DOWNS = 3;

    /**
     * A scrape that took this share of its timeout or more, at its slowest over the window: the next slow moment
     * ends in "context deadline exceeded", the target DOWN and its samples lost.
     */
    static final double SCRAPE_DURATION_SHARE = 0.8;

    /**
     * Clocks further apart than this, beyond what the measurement cannot tell (an HTTP Date is to the second, a
     * request takes its time): NTP keeps hosts within milliseconds, so a second means it does not run.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(1);

    /**
     * A label of a catalog metric with more values than this over the window: bounded labels (method, status,
     * a route template as handler, le) have tens at most; one that grows with every URL, user or process has more.
     */
    static final int LABEL_VALUES = 100;

    /**
     * Bytes a sample takes on disk when Prometheus cannot tell yet (no block compacted): the upper end of the 1-2
     * bytes its documentation gives for capacity planning, so the estimate errs towards warning early.
     */
    static final double BYTES_PER_SAMPLE = 2.0;

    /** A disk that fills within this at the current ingest rate fails; one that only cannot hold the retention warns. */
    static final Duration DISK_FULL_SOON = Duration.ofDays(1);

    private OverTime() {
    }

    /**
     * The range a check looks at: {@code --since}, or less when Prometheus has less history (a young stack is judged
     * on what it has, and says so).
     *
     * @param since   what was asked
     * @param range   what is looked at: whole seconds, at least one
     * @param history how much history Prometheus has, when it says (its start, or its oldest sample in memory when
     *                that is older; a VictoriaMetrics' earliest up sample); null when it does not say
     * @param store   the store's name, as summaries write it
     */
    record Window(Duration since, Duration range, Duration history, String store, boolean gap) {
        // gap: the window starts where its up samples begin, later than the store's history
        Window(Duration since, Duration range, Duration history, String store) {
            this(since, range, history, store, false);
        }

        /** The range as PromQL writes it: {@code [1h]}, {@code [4m12s]}. */
        String promql() {
            return "[" + Durations.format(range) + "]";
        }

        boolean shortened() {
            return range.compareTo(since) < 0;
        }

        /**
         * "the last 1h", "the last 4m12s (all the history Prometheus has; asked 1h)", or where the samples begin
         * later than the store's history "the last 3m (VictoriaMetrics holds no up sample of the 57m before it; asked
         * 1h)".
         */
        String words() {
            if (!shortened()) {
                return "the last " + Durations.format(range);
            }
            return "the last " + Durations.format(range) + (gap ? " (" + store + " holds no up sample of the "
                    + Durations.format(since.minus(range)) + " before it; asked " : " (all the history " + store
                    + " has; asked ") + Durations.format(since) + ")";
        }
    }

    /** The window of this run: {@code env.since()} cut to Prometheus's history. */
    static Window window(DoctorEnv env) {
        Duration since = env.since();
        Warmup w = Shared.warmup(env);
        if (w == null) {
            return new Window(since, whole(since), null, Shared.storeName(env));
        }
        Instant earliest = w.launched();
        if (Shared.victoriaMetrics(env)) {
            earliest = firstSample(env, since, earliest);
        } else {
            try {
                long headMin = Shared.tsdb(env).path("headStats").path("minTime").asLong(Long.MAX_VALUE);
                // data from before a restart is history too; an empty head says math.MaxInt64
                if (headMin > 0 && headMin < earliest.toEpochMilli()) {
                    earliest = Instant.ofEpochMilli(headMin);
                }
            } catch (RuntimeException e) {
                // no TSDB status: the start time it is
            }
        }
        // the window's own up samples say where its data begins: later than the estimate by more than a young
        // process takes to its first sample (a store down for most of the hour, restarted 3 minutes ago, holding
        // older samples), the window starts there and says so; earlier (a Prometheus whose blocks hold more than its
        // head), the history is theirs. A gap inside the window is no cut: what came before it is read as it is
        Duration step = gridStep(since, w.scrapeInterval());
        Instant end = Instant.ofEpochSecond(w.now().getEpochSecond());
        Instant held = samplesFrom(env, since, end, step);
        boolean fromStart = held != null && !held.isAfter(end.minus(since));
        // and Prometheus's scrape manager applies discovered targets on a tick of its own, after discovery's
        Duration young = Duration.between(w.launched(), w.firstScrapeBy(w.scrapeInterval())).plus(Warmup.DISCOVERY);
        boolean late = held != null && !fromStart && held.isAfter(earliest.plus(step).plus(young.isNegative()
                ? Duration.ZERO : young));
        // earlier by more than a step (the range a point counts): the store holds more than the estimate says
        if (held != null && (late || held.isBefore(earliest.minus(step)))) {
            earliest = held;
        }
        Duration history = Duration.between(earliest, w.now());
        history = history.isNegative() ? Duration.ZERO : history;
        return new Window(since, whole(history.compareTo(since) < 0 ? history : since), history.withNanos(0),
                Shared.storeName(env), late);
    }

    /**
     * The grid on which the window's samples are looked for: twice the scrape interval (a missed scrape is no
     * gap), and at most a hundred steps over the window.
     */
    static Duration gridStep(Duration since, Duration scrapeInterval) {
        long twice = Math.max(2, 2 * scrapeInterval.toSeconds());
        return Duration.ofSeconds(Math.max(twice, (since.toSeconds() + 99) / 100));
    }

    /**
     * Where the store's {@code up} samples within the window begin: {@code sum(count_over_time(up[STEP]))} over the
     * window, one point a step (a step without samples has no point; the grid reaches back to the window's start
     * or beyond it, whatever the store aligns it to), and the earliest point's own time less a step, the start of
     * the range it counted (a sample within it is no earlier), never before the window's start. Null when no point
     * holds samples, when the store does not answer, or answers what is not a range of points. {@code end} is the
     * window's end, a whole second.
     */
    static Instant samplesFrom(DoctorEnv env, Duration since, Instant end, Duration step) {
        long stepMs = step.toMillis();
        long n = (since.toMillis() + stepMs - 1) / stepMs; // whole steps, the first at or before the window's start
        if (n < 2) {
            return null;
        }
        Instant windowStart = end.minus(since);
        Instant start = end.minusMillis(n * stepMs);
        String promql = "sum(count_over_time(up[" + Durations.format(step) + "]))";
        io.exlm.mon.promql.QueryResult r;
        try {
            r = env.facts().get("overtime.samples:" + promql + " " + since, () -> env.prometheus()
                    .queryRangeUncached(promql, start, end, step));
        } catch (RuntimeException e) {
            return null; // no answer: nothing is known
        }
        if (!"matrix".equals(r.resultType()) || r.series().size() != 1) {
            return null;
        }
        long first = Long.MAX_VALUE;
        for (io.exlm.mon.promql.PromMath.Point p : r.series().get(0).points()) {
            if (p.value() > 0) {
                first = Math.min(first, p.millis());
            }
        }
        if (first == Long.MAX_VALUE) {
            return null;
        }
        Instant from = Instant.ofEpochMilli(first).minus(step);
        return from.isBefore(windowStart) ? windowStart : from;
    }

    /**
     * A VictoriaMetrics keeps what it stored across restarts, and says nothing of its storage's first sample: the
     * earliest sample of any {@code up} series in the window is asked for ({@code tfirst_over_time}, MetricsQL), so
     * that a store restarted minutes ago (or, in the sharded stack, a vmalert restarted) does not cut the window to
     * those minutes; {@code otherwise} when it finds none or does not answer.
     */
    private static Instant firstSample(DoctorEnv env, Duration since, Instant otherwise) {
        try {
            io.exlm.mon.promql.QueryResult r = Shared.query(env, "min(tfirst_over_time(up[" + Durations.format(since
                    .multipliedBy(2)) + "]))"); // twice the window: older data shows as a window's worth
            if (!r.isEmpty() && Double.isFinite(r.series().get(0).value())) {
                Instant first = Instant.ofEpochMilli(Math.round(r.series().get(0).value() * 1000));
                return first.isBefore(otherwise) ? first : otherwise;
            }
        } catch (RuntimeException e) {
            // no answer: the start time it is
        }
        return otherwise;
    }

    private static Duration whole(Duration d) {
        Duration s = d.withNanos(0);
        return s.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : s;
    }

    /** A share as a person reads it: 0.83 is "83 %". */
    static String percent(double share) {
        return Math.round(share * 100) + " %";
    }
}
