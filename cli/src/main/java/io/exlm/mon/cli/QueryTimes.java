package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.time.Instant;

/** {@code query}'s times: {@code --time} as given, and the window of a range query. */
final class QueryTimes {
    private QueryTimes() {
    }

    /** A range query's start, end and step. */
    record Window(Instant start, Instant end, Duration step) {
    }

    /**
     * The {@code range} up to {@code at} (now when null), at {@code step} or else one point per column of the chart;
     * a usage error when it reaches before 1970 or holds more points than Prometheus returns.
     */
    static Window window(Instant at, Duration range, Duration step, int columns) {
        Instant end = at == null ? Instant.now() : at;
        Instant start = end.minus(range);
        if (start.isBefore(Instant.EPOCH)) {
            throw ExitException.usage("--range " + Durations.format(range) + " reaches back before 1970"
                    + " (unix time 0), where no sample can be; give a shorter --range");
        }
        Duration st = step != null ? step : Duration.ofMillis(Math.max(1000, (range.toMillis() / Math.max(10,
                columns - 12) + 999) / 1000 * 1000));
        if (range.toMillis() / st.toMillis() > 11_000) {
            throw ExitException.usage("--range " + Durations.format(range) + " at --step "
                    + Durations.format(st) + " is more than the 11,000 points Prometheus returns per series;"
                    + " use a longer --step");
        }
        return new Window(start, end, st);
    }

    /** The last second of the year 9999: the latest time RFC 3339 can write, and far past any sample. */
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    static Instant parseTime(String t) {
        return parseTime(t, "--time", Instant.now());
    }

    /**
     * A time as {@code option} takes it: RFC 3339 ({@code 2025-01-07T10:00:00Z}), unix seconds ({@code 1736244000}),
     * or a duration before {@code now} ({@code 5m}: five minutes ago); a usage error naming the option otherwise.
     */
    static Instant parseTime(String t, String option, Instant now) {
        Instant at;
        try {
            if (t.matches("\\d+(\\.\\d+)?")) {
                at = Instant.ofEpochMilli(Math.round(Double.parseDouble(t) * 1000));
            } else if (t.matches("[0-9.]+[a-z]+([0-9.]+[a-z]+)*")) {
                at = now.minus(Durations.parse(t));
            } else {
                at = Instant.parse(t);
            }
        } catch (RuntimeException e) {
            throw ExitException.usage(option + " '" + io.exlm.mon.Text.printable(t) + "' is neither RFC 3339"
                    + " (2025-01-07T10:00:00Z), unix seconds, nor a duration ago (5m)");
        }
        // a double rounds a number too large into Long.MAX_VALUE milliseconds: refuse it instead of asking for then
        if (at.isAfter(LATEST) || at.isBefore(Instant.EPOCH)) {
            throw ExitException.usage(option + " '" + io.exlm.mon.Text.printable(t) + "' is outside 1970 to 9999");
        }
        return at;
    }
}
