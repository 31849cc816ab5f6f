package io.exlm.mon.expo;

/** An OpenMetrics exemplar: labels (a trace id, typically), a value, and an optional timestamp in seconds. */
public record Exemplar(Labels labels, double value, boolean hasTimestamp, double timestampSeconds) {
}
