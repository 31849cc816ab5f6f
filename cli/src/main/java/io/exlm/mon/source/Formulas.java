package io.exlm.mon.source;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The dashboard's formulas, each written once, in PromQL for Prometheus (the Prometheus source, the generated
 * Grafana dashboard and the recording rules, held to it by a test) and, where the scrape source computes the same
 * figure in Java, the Java test beside it: which status is a server error, how a catalog metric is selected whatever
 * its exposed spelling, a rate, a percentile.
 */
public final class Formulas {
    /**
     * A server error: the {@code status} label as the anchored PromQL regular expression {@code status=~"5.."}
     * matches it ({@code 503}, and the {@code 5xx} of prometheus-fastapi-instrumentator's grouped statuses).
     */
    public static final String SERVER_ERROR_STATUS = "5..";

    /** The label matcher of a server error, as the rules and the dashboard write it. */
    public static final String SERVER_ERROR_MATCHER = "status=~\"" + SERVER_ERROR_STATUS + "\"";

    /** The percentiles of the latency panel. */
    public static final double[] QUANTILES = {0.5, 0.95, 0.99};

    private static final Pattern SERVER_ERROR = Pattern.compile(SERVER_ERROR_STATUS);

    private Formulas() {
    }

    /** Whether a status label is a server error, as {@link #SERVER_ERROR_MATCHER} decides in Prometheus. */
    public static boolean serverError(String status) {
        return status != null && SERVER_ERROR.matcher(status).matches();
    }

    /**
     * The series of a catalog metric in PromQL, with extra label matchers (empty for none, else e.g.
     * {@code job="exlm-backend"}): a counter under both its spellings, the catalog's first where a target exposes
     * both ({@code (error_count_total or error_count)}: {@code or} matches label sets without the name, so one series
     * never counts twice), a histogram by its {@code _count} series, anything else by its name.
     */
    public static String selector(Catalog.Metric m, String matchers) {
        return either(m, name -> name + braces(matchers));
    }

    /**
     * The per-second rate of a catalog counter (a histogram's {@code _count}) over {@code window}: of each spelling,
     * joined by {@code or}. One {@code rate()} over both names ({@code {__name__=~"a|b"}}) fails outright where a
     * target exposes both ("vector cannot contain metrics with the same labelset"), and would take every instance's
     * figure with it.
     */
    public static String rate(Catalog.Metric m, String matchers, Duration window) {
        return either(m, name -> rate(name + braces(matchers), window));
    }

    private static String either(Catalog.Metric m, java.util.function.UnaryOperator<String> of) {
        if (m.type() == Catalog.Type.HISTOGRAM) {
            return of.apply(m.countName());
        }
        java.util.List<String> names = m.exposedNames();
        if (names.size() == 1) {
            return of.apply(names.get(0));
        }
        return "(" + String.join(" or ", names.stream().map(of).toList()) + ")";
    }

    /** A histogram's bucket series, with extra label matchers. */
    public static String buckets(Catalog.Metric histogram, String matchers) {
        return histogram.bucketName() + braces(matchers);
    }

    /** {@code rate(SELECTOR[WINDOW])}. */
    public static String rate(String selector, Duration window) {
        return "rate(" + selector + range(window) + ")";
    }

    /** A PromQL range: {@code [1m]}. */
    public static String range(Duration window) {
        return "[" + io.exlm.mon.config.Durations.format(window) + "]";
    }

    /**
     * The percentile {@code q} of a histogram across every series: of the rates over {@code window}, or of the
     * lifetime buckets when it is null.
     */
    public static String quantile(double q, Catalog.Metric histogram, String matchers, Duration window) {
        return "histogram_quantile(" + q + ", " + bucketSum(histogram, matchers, window) + ")";
    }

    /**
     * What {@link #quantile} takes the percentile of: the bucket rates over {@code window} (or the lifetime buckets
     * when it is null) summed by {@code le} across every series. The Prometheus source asks for it once and takes
     * the three percentiles of it as histogram_quantile does ({@link io.exlm.mon.promql.PromMath#histogramQuantile}),
     * instead of having Prometheus rate every bucket series three times.
     */
    public static String bucketSum(Catalog.Metric histogram, String matchers, Duration window) {
        String buckets = buckets(histogram, matchers);
        String inner = window == null ? buckets : rate(buckets, window);
        return "sum by (le) (" + inner + ")";
    }

    /** Adds a matcher to a list of matchers. */
    public static String and(String matchers, String matcher) {
        return matchers.isEmpty() ? matcher : matchers + "," + matcher;
    }

    private static String braces(String matchers) {
        return matchers.isEmpty() ? "" : "{" + matchers + "}";
    }
}
