package io.exlm.mon.source;

/**
 * One number of a snapshot, or the reason in words why it is not available ("needs a second scrape for a rate",
 * "http_requests_total is not exposed by http://... (near: http_requests)", "the query returned nothing").
 */
public record Figure(Double value, String reason) {
    public static Figure of(double value) {
        return new Figure(value, null);
    }

    public static Figure unavailable(String reason) {
        return new Figure(null, reason);
    }

    public boolean available() {
        return value != null;
    }
}
