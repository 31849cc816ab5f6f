package io.exlm.mon.doctor;

import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * How young the Prometheus is, and so which data can exist yet: what tells "no data yet, and none can exist yet"
 * from "no data, and there should be". Worked out from what Prometheus says about itself (its start time, the scrape
 * and evaluation intervals it runs with), against this machine's clock.
 *
 * <p>Prometheus hands a newly discovered target to its scrape loop after the discovery manager's first update (5 s
 * after start) and spreads the first scrapes over one interval; a scrape may then take up to its timeout, which is at
 * most one interval. So a target's first sample exists by {@code start + 5 s + 2 intervals}, a {@code rate()} needs
 * one interval more for its second sample, and a recording rule over that rate one evaluation interval more.
 *
 * @param now                the time of this run (the run's clock)
 * @param started            from when its data can be: when Prometheus started, or a VictoriaMetrics' start plus
 *                           its -search.latencyOffset (a sample shows in queries that long after it is written)
 * @param scrapeInterval     its global scrape interval
 * @param evaluationInterval its global evaluation interval
 * @param who                what started, as a summary names it: "Prometheus", "VictoriaMetrics", or the youngest
 *                           part of the sharded stack
 * @param delay              how much later than the process start {@code started} is (the latency offset)
 */
public record Warmup(Instant now, Instant started, Duration scrapeInterval, Duration evaluationInterval, String who,
        Duration delay) {
    /** A Prometheus's warm-up: its data can be from its start on. */
    public Warmup(Instant now, Instant started, Duration scrapeInterval, Duration evaluationInterval) {
        this(now, started, scrapeInterval, evaluationInterval, "Prometheus", Duration.ZERO);
    }

    /** The discovery managers' update throttle: targets and Alertmanagers reach their users this long after start. */
    static final Duration DISCOVERY = Duration.ofSeconds(5);
    /** What the first evaluation or discovery may be late by besides its interval (a loaded host). */
    static final Duration SLACK = Duration.ofSeconds(2);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.of("UTC"));

    /** Whether a time is still to come: data expected then cannot be missed now. */
    boolean before(Instant expected) {
        return now.isBefore(expected);
    }

    /** When a target scraped every {@code interval} has its first sample. */
    Instant firstScrapeBy(Duration interval) {
        return started.plus(DISCOVERY).plus(interval.multipliedBy(2)).plus(SLACK);
    }

    /** When Prometheus's discovery has handed it the targets of its configuration. */
    Instant discoveredBy() {
        return started.plus(DISCOVERY).plus(SLACK);
    }

    /** When the scrape after one at {@code last} has been made (an interval on, its timeout at the most). */
    Instant nextScrapeBy(Instant last, Duration interval, Duration timeout) {
        return last.plus(interval).plus(timeout).plus(SLACK);
    }

    /** When a rate() over a target scraped at the global interval has its two samples. */
    Instant rateBy() {
        return firstScrapeBy(scrapeInterval).plus(scrapeInterval);
    }

    /** When a recording rule over such a rate has been evaluated with them. */
    Instant recordedRateBy() {
        return rateBy().plus(evaluationInterval);
    }

    /** When a rule group evaluated every {@code interval} has been evaluated once. */
    Instant firstEvaluationBy(Duration interval) {
        return started.plus(interval.multipliedBy(2)).plus(SLACK);
    }

    /** When Prometheus's notifier has discovered the Alertmanagers of its configuration. */
    Instant alertmanagersBy() {
        return started.plus(DISCOVERY).plus(evaluationInterval).plus(SLACK);
    }

    /**
     * "Prometheus started 4s ago; expected by 06:59:41 UTC (in 31s)", or when that time has passed "...; due by
     * 06:59:41 UTC (2m ago)": the age and the expected time, for a summary. With a latency offset, "VictoriaMetrics
     * started 34s ago (a sample shows in queries 30s after it is written); ...".
     */
    String explain(Instant expected) {
        Duration left = Duration.between(now, expected);
        return who + " started " + Durations.human(age()) + " ago" + (delay.isZero() ? "" : " (a sample shows in"
                + " queries " + Durations.human(delay) + " after it is written)") + "; " + (left.isNegative()
                ? "due by " + clock(expected) + " (" + Durations.human(left.negated().withNanos(0)) + " ago)"
                : "expected by " + clock(expected) + " (in " + Durations.human(left.plusMillis(999).withNanos(0))
                        + ")");
    }

    /** How long ago the process started (not counting the latency offset). */
    Duration age() {
        Duration d = Duration.between(launched(), now);
        return d.isNegative() ? Duration.ZERO : d.withNanos(0);
    }

    /** When the process started: its data's earliest time. */
    Instant launched() {
        return started.minus(delay);
    }

    public static String clock(Instant t) {
        return CLOCK.format(t) + " UTC";
    }

    /** A time as the Prometheus API writes it; null when absent, unreadable, or Go's zero time (never happened). */
    static Instant parse(String text) {
        if (io.exlm.mon.promql.PrometheusClient.isZeroTime(text)) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }
}
