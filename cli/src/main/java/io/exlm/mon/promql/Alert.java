package io.exlm.mon.promql;

import java.util.Map;

/**
 * An alert as Prometheus reports it ({@code /api/v1/alerts}, or inside a rule of {@code /api/v1/rules}).
 *
 * @param state    {@code pending} (its condition holds, for less than the rule's {@code for:}) or {@code firing}
 * @param activeAt when the condition began to hold (RFC 3339); may be null
 * @param value    the value of the expression when last evaluated, as Prometheus writes it
 */
public record Alert(Map<String, String> labels, Map<String, String> annotations, String state, String activeAt,
        String value) {

    /**
     * The severity of an alert that fires by design (the Watchdog, whose arrival proves the alert path): shown and
     * counted as firing, but never a page of its own.
     */
    public static final String BY_DESIGN = "none";

    /** Prometheus's clock, from the answer of its {@code time()}: the clock that activeAt is on. */
    public static java.time.Instant prometheusTime(QueryResult time) {
        return java.time.Instant.ofEpochMilli(Math.round(time.series().get(0).value() * 1000));
    }

    /**
     * How long the alert has been active (pending or firing) at {@code now}, whole seconds from its activeAt; null
     * when Prometheus gave none or one that is not RFC 3339. {@code now} should be on Prometheus's clock ({@link
     * #prometheusTime}), the clock of activeAt: then the age is the same wherever it is read.
     */
    public Long activeSeconds(java.time.Instant now) {
        if (activeAt == null || PrometheusClient.isZeroTime(activeAt)) {
            return null;
        }
        try {
            return Math.max(0, java.time.Duration.between(java.time.Instant.parse(activeAt), now).getSeconds());
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String name() {
        return labels.getOrDefault("alertname", "");
    }

    /**
     * The order in which alerts page, the one order of every view (top's alerts panel and header, {@code alerts},
     * {@code alerts --explain}, {@code explain}): the alerts that count first (not silenced or inhibited, not firing
     * by design as the Watchdog does), firing before pending, the most severe, the one active longest (the first to
     * go wrong, most often the cause of those after it; unknown ages last), then by name and instance.
     */
    public static <T> java.util.Comparator<T> pagingOrder(java.util.function.Predicate<T> counts,
            java.util.function.Function<T, String> state, java.util.function.Function<T, String> severity,
            java.util.function.Function<T, Long> activeSeconds, java.util.function.Function<T, String> name,
            java.util.function.Function<T, String> instance) {
        return java.util.Comparator.comparing((T t) -> counts.test(t) ? 0 : 1)
                .thenComparing(t -> "firing".equals(state.apply(t)) ? 0 : 1)
                .thenComparing(t -> severityRank(String.valueOf(severity.apply(t))))
                .thenComparing(t -> {
                    Long age = activeSeconds.apply(t);
                    return age == null ? 1L : -age;
                })
                .thenComparing(t -> String.valueOf(name.apply(t))).thenComparing(t -> String.valueOf(instance.apply(t)));
    }

    /** The order of severities, most urgent first: critical (or page), warning, info, anything else. */
    public static int severityRank(String severity) {
        return switch (severity.toLowerCase(java.util.Locale.ROOT)) {
            case "critical", "page" -> 0;
            case "warning", "warn" -> 1;
            case "info" -> 2;
            default -> 3;
        };
    }
}
