package io.exlm.mon.expo;

import java.util.List;
import java.util.Locale;

/** A metric family's type, as the {@code # TYPE} line names it. */
public enum MetricType {
    COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET, UNKNOWN;

    private static final List<String> TEXT_NONE = List.of("");
    private static final List<String> TEXT_HISTOGRAM = List.of("_bucket", "_sum", "_count");
    private static final List<String> TEXT_SUMMARY = List.of("", "_sum", "_count");
    private static final List<String> OM_COUNTER = List.of("_total", "_created");
    private static final List<String> OM_HISTOGRAM = List.of("_bucket", "_count", "_sum", "_created");
    private static final List<String> OM_GAUGEHISTOGRAM = List.of("_bucket", "_gcount", "_gsum");
    private static final List<String> OM_SUMMARY = List.of("", "_count", "_sum", "_created");
    private static final List<String> OM_INFO = List.of("_info");

    /** The name the format writes in {@code # TYPE}: {@code untyped} for UNKNOWN in the text format. */
    public String word(ExpositionFormat format) {
        if (this == UNKNOWN && format == ExpositionFormat.PROMETHEUS_TEXT) {
            return "untyped";
        }
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether the type's samples only ever go up (between resets): counters and the counts of histograms. */
    public boolean cumulative() {
        return this == COUNTER || this == HISTOGRAM || this == SUMMARY;
    }

    /**
     * The suffixes that a family of this type adds to its name to make its samples' names, in the given format.
     */
    public List<String> sampleSuffixes(ExpositionFormat format) {
        if (format == ExpositionFormat.PROMETHEUS_TEXT) {
            return switch (this) {
                case HISTOGRAM -> TEXT_HISTOGRAM;
                case SUMMARY -> TEXT_SUMMARY;
                default -> TEXT_NONE;
            };
        }
        return switch (this) {
            case COUNTER -> OM_COUNTER;
            case HISTOGRAM -> OM_HISTOGRAM;
            case GAUGEHISTOGRAM -> OM_GAUGEHISTOGRAM;
            case SUMMARY -> OM_SUMMARY;
            case INFO -> OM_INFO;
            default -> TEXT_NONE;
        };
    }

    /** The type a {@code # TYPE} word names in the format, or null when the format has no such type. */
    public static MetricType fromWord(String word, ExpositionFormat format) {
        if (format == ExpositionFormat.PROMETHEUS_TEXT) {
            return switch (word) {
                case "counter" -> COUNTER;
                case "gauge" -> GAUGE;
                case "histogram" -> HISTOGRAM;
                case "summary" -> SUMMARY;
                case "untyped" -> UNKNOWN;
                default -> null;
            };
        }
        return switch (word) {
            case "counter" -> COUNTER;
            case "gauge" -> GAUGE;
            case "histogram" -> HISTOGRAM;
            case "gaugehistogram" -> GAUGEHISTOGRAM;
            case "summary" -> SUMMARY;
            case "info" -> INFO;
            case "stateset" -> STATESET;
            case "unknown" -> UNKNOWN;
            default -> null;
        };
    }
}
