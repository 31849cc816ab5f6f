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

    public String name() {
        return labels.getOrDefault("alertname", "");
    }
}
