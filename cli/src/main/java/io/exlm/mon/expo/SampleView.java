package io.exlm.mon.expo;

/**
 * The sample being parsed, valid only during {@link ExpositionHandler#sample}. Names and label strings are decoded
 * on demand (and shared between samples when they repeat), so that a handler pays only for what it reads.
 */
public interface SampleView {
    /** The sample's name, e.g. {@code http_request_duration_seconds_bucket}. */
    String name();

    /** The name of the family the sample belongs to, e.g. {@code http_request_duration_seconds}. */
    String family();

    /** The family's type; UNKNOWN when no {@code # TYPE} line named it. */
    MetricType type();

    int labelCount();

    String labelName(int i);

    /** The label's value, unescaped. */
    String labelValue(int i);

    /** The value of the label named so, or null. */
    String label(String name);

    double value();

    boolean hasTimestamp();

    /** The sample's timestamp in milliseconds (OpenMetrics seconds are converted as Prometheus does). */
    long timestampMillis();

    /** The exemplar on this sample (OpenMetrics), or null. */
    Exemplar exemplar();

    /** The line the sample is on, from 1. */
    int line();
}
