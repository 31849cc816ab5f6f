package io.exlm.mon.expo;

import java.util.Locale;

/** The two text formats a {@code /metrics} endpoint may answer in. */
public enum ExpositionFormat {
    /** The Prometheus text format, version 0.0.4. */
    PROMETHEUS_TEXT("prometheus", "text/plain; version=0.0.4; charset=utf-8"),
    /** OpenMetrics 1.0 text. */
    OPENMETRICS("openmetrics", "application/openmetrics-text; version=1.0.0; charset=utf-8");

    /**
     * What a scrape asks for: OpenMetrics first, then the text format, then anything (as Prometheus 2.x sends it).
     */
    public static final String ACCEPT = "application/openmetrics-text;version=1.0.0,"
            + "application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private final String label;
    private final String contentType;

    ExpositionFormat(String label, String contentType) {
        this.label = label;
        this.contentType = contentType;
    }

    /** {@code prometheus} or {@code openmetrics}, as the command line and JSON name it. */
    public String label() {
        return label;
    }

    public String contentType() {
        return contentType;
    }

    /**
     * The parser for a response, by its Content-Type, as Prometheus chooses it: OpenMetrics for
     * {@code application/openmetrics-text}, the text format for anything else (including none).
     */
    public static ExpositionFormat fromContentType(String contentType) {
        if (contentType == null) {
            return PROMETHEUS_TEXT;
        }
        String media = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return media.equals("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
    }
}
