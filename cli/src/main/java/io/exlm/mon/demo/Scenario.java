package io.exlm.mon.demo;

import java.util.List;
import java.util.Locale;

/**
 * What the demo backend does, chosen so that each alert of the guide has a scenario that trips it.
 *
 * @param errorRatio      share of API requests answered with a 5xx (the high-error-rate alert: above 5 %)
 * @param latencyMedianMs median API latency; the tail is log-normal around it
 * @param latencySigma    spread of the log-normal latency
 * @param requestsPerSecond load the built-in generator sends
 * @param syntheticSystem whether CPU, memory and disk are made up (overload) instead of read from the host
 */
public record Scenario(String name, double errorRatio, double latencyMedianMs, double latencySigma,
        double requestsPerSecond, boolean syntheticSystem, double usersBase, double cacheHitRatio,
        double celeryPendingBase) {

    /**
     * A healthy backend: within both service level objectives of stack/slo/exlm-backend.yml (0.2 % of API requests
     * fail, against a budget of 0.5 %; next to none slower than 500 ms), so that no burn-rate alert fires for it.
     */
    public static final Scenario NORMAL = new Scenario("normal", 0.002, 35, 0.6, 20, false, 50, 0.88, 4);
    /** 5xx on about one API request in six: the error-rate alert fires after its 5 minutes. */
    public static final Scenario ERRORS = new Scenario("errors", 0.16, 45, 0.7, 20, false, 50, 0.80, 8);
    /** Slow answers (p95 above one second); latency, not errors (its errors within the availability objective). */
    public static final Scenario SLOW = new Scenario("slow", 0.002, 650, 0.5, 12, false, 45, 0.75, 30);
    /** Saturated host: CPU, memory and disk above their alert thresholds, readiness failing. */
    public static final Scenario OVERLOAD = new Scenario("overload", 0.04, 260, 0.8, 40, true, 420, 0.55, 240);

    /** Every scenario, in the order help and completion list them. */
    public static final List<Scenario> ALL = List.of(NORMAL, ERRORS, SLOW, OVERLOAD);

    /** Their names: {@code normal, errors, slow, overload}. */
    public static final String NAMES = String.join(", ", ALL.stream().map(Scenario::name).toList());

    public static Scenario named(String name) {
        for (Scenario s : ALL) {
            if (s.name.equals(name.toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown scenario '" + name + "'; expected one of " + NAMES);
    }
}
