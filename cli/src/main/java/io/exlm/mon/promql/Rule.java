package io.exlm.mon.promql;

import java.util.List;
import java.util.Map;

/**
 * A rule as {@code /api/v1/rules} reports it.
 *
 * @param type            {@code alerting} or {@code recording}
 * @param health          {@code ok}, {@code err} or {@code unknown} (not evaluated yet)
 * @param lastError       why its last evaluation failed; empty when it did not
 * @param state           an alerting rule's {@code inactive}, {@code pending} or {@code firing}; null for recording
 * @param durationSeconds an alerting rule's {@code for:}
 */
public record Rule(String name, String type, String query, String health, String lastError, String state,
        double durationSeconds, Map<String, String> labels, List<Alert> alerts) {

    public boolean alerting() {
        return "alerting".equals(type);
    }
}
