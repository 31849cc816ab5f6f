package io.exlm.mon.promql;

import io.exlm.mon.config.Durations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one clock an alert's state and age are read on: Prometheus's, from its activeAt (when the condition began to
 * hold) to its own {@code time()}, so that both ends come from one clock; this machine's only when Prometheus does
 * not answer {@code time()}, and then it says so ({@link #name}). {@code alerts}, {@code alerts --explain},
 * {@code explain} and top's alerts panel all measure with it and write ages with {@link #age}, so that one alert is
 * as old in every view. Alertmanager's startsAt is another instant (when Prometheus first sent the alert firing,
 * after its {@code for:}, stamped on Prometheus's clock): {@code alerts --source alertmanager} measures its age on
 * this clock too ({@link #secondsSince}), and says that it counts from startsAt.
 *
 * @param name {@link #PROMETHEUS} or {@link #LOCAL}
 * @param now  the instant the ages are measured at, on that clock
 */
public record AlertClock(String name, Instant now) {
    /** Prometheus's {@code time()}: the clock of its activeAt. */
    public static final String PROMETHEUS = "prometheus";
    /** This machine's, when Prometheus did not say its time. */
    public static final String LOCAL = "local";

    /** Prometheus's clock, or {@code local}'s when its {@code time()} cannot be read. */
    public static AlertClock read(PrometheusClient prometheus, Clock local) {
        try {
            return of(prometheus.query("time()", null));
        } catch (RuntimeException e) {
            return new AlertClock(LOCAL, local.instant());
        }
    }

    /** Prometheus's clock from the answer of its {@code time()}. */
    public static AlertClock of(QueryResult time) {
        return new AlertClock(PROMETHEUS, Alert.prometheusTime(time));
    }

    /** How long {@code alert} has been active (pending or firing), in whole seconds on this clock; null if unknown. */
    public Long activeSeconds(Alert alert) {
        return alert.activeSeconds(now);
    }

    /**
     * Whole seconds from {@code rfc3339} (an instant of Prometheus's: an activeAt, or the startsAt it sent
     * Alertmanager) to this clock's now, at least zero; null when it is missing, Go's zero time, or not RFC 3339.
     */
    public Long secondsSince(String rfc3339) {
        return new Alert(Map.of(), Map.of(), "", rfc3339, null).activeSeconds(now);
    }

    /** The clock in words, for under an alert: "by Prometheus's clock". */
    public String words() {
        return words(name);
    }

    /** The clock of that name in words. */
    public static String words(String name) {
        return PROMETHEUS.equals(name) ? "by Prometheus's clock" : "by this machine's clock";
    }

    /** An age as every view writes it ({@code 1m37s}, Go's style: {@link Durations#human}); "-" when unknown. */
    public static String age(Long seconds) {
        return seconds == null ? "-" : Durations.human(Duration.ofSeconds(seconds));
    }

    /** A rule's {@code for:} as the rule writes it ({@code 5m}). */
    public static String forText(long seconds) {
        return Durations.format(Duration.ofSeconds(seconds));
    }

    /** Each alerting rule's {@code for:} in seconds, by the alert's name (the first rule of a name). */
    public static Map<String, Long> forSeconds(List<RuleGroup> groups) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (r.alerting()) {
                    out.putIfAbsent(r.name(), (long) r.durationSeconds());
                }
            }
        }
        return out;
    }
}
