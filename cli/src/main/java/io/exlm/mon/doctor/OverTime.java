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
         * "the last 1h", "the last 4m12s (all the history Prometheus has; asked 1h)", or after a gap "the last 3m
         * (since a gap in the up samples of VictoriaMetrics; asked 1h)".
         */
        String words() {
            if (!shortened()) {
                return "the last " + Durations.format(range);
            }
            return "the last " + Durations.format(range) + (gap ? " (since a gap in the up samples of " + store
                    + "; asked " : " (all the history " + store + " has; asked ") + Durations.format(since) + ")";
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
        // history from before a gap in the samples does not count: the checks would judge the minutes after it as
        // if they were the whole window (a store down for an hour and restarted three minutes ago)
        Duration step = gapStep(since, w.scrapeInterval());
        Instant gap = lastGap(env, since, w.now(), step);
        boolean gapped = gap != null && gap.isAfter(earliest.plus(step));
        earliest = gapped ? gap : earliest;
        Duration history = Duration.between(earliest, w.now());
        history = history.isNegative() ? Duration.ZERO : history;
        return new Window(since, whole(history.compareTo(since) < 0 ? history : since), history.withNanos(0),
                Shared.storeName(env), gapped);
    }

    /**
     * The grid on which gaps are looked for: twice the scrape interval (a missed scrape is no gap), and at most a
     * hundred steps over the window.
     */
    static Duration gapStep(Duration since, Duration scrapeInterval) {
        long twice = Math.max(2, 2 * scrapeInterval.toSeconds());
        return Duration.ofSeconds(Math.max(twice, (since.toSeconds() + 99) / 100));
    }

    /**
     * The last gap in the store's {@code up} samples within the window: the latest step of the grid, before the
     * newest one that holds samples, in which no target's up was written ({@code sum(count_over_time(up[STEP]))}
     * over the window, one point a step: a step without samples has no point). Null when there is none, when the
     * store does not answer, or answers what is not a range of points.
     */
    static Instant lastGap(DoctorEnv env, Duration since, Instant now, Duration step) {
        long stepMs = step.toMillis();
        int n = (int) (since.toMillis() / stepMs);
        if (n < 2) {
            return null;
        }
        Instant end = Instant.ofEpochSecond(now.getEpochSecond());
        Instant start = end.minusMillis(n * stepMs);
        String promql = "sum(count_over_time(up[" + Durations.format(step) + "]))";
        io.exlm.mon.promql.QueryResult r;
        try {
            r = env.facts().get("overtime.gaps:" + promql + " " + since, () -> env.prometheus()
                    .queryRange(promql, start, end, step));
        } catch (RuntimeException e) {
            return null; // no answer: no gap is known
        }
        if (!"matrix".equals(r.resultType()) || r.series().size() != 1) {
            return null;
        }
        boolean[] held = new boolean[n + 1];
        int newest = -1;
        for (io.exlm.mon.promql.PromMath.Point p : r.series().get(0).points()) {
            long k = Math.round((p.millis() - start.toEpochMilli()) / (double) stepMs);
            if (k >= 0 && k <= n && p.value() > 0) {
                held[(int) k] = true;
                newest = Math.max(newest, (int) k);
            }
        }
        for (int k = newest - 1; k >= 0; k--) {
            if (!held[k]) {
                return start.plusMillis(k * stepMs);
            }
        }
        return null;
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
