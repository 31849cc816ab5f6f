package io.exlm.mon.source;

import io.exlm.mon.promql.PrometheusYaml;
import io.exlm.mon.stack.StackFiles;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The alert thresholds, read from the alert rules ({@code stack/prometheus/rules/exlm-alerts.yml}, bundled in the
 * jar): the rules file is the authority, and every view that judges a figure (the terminal's colours, doctor's host
 * checks, the health document's system figures, the demo's scenarios) reads its threshold here. A threshold is the
 * number after {@code >} in the alert's expression ({@code max without (pid) (cpu_usage_percent) > 80}).
 *
 * <p>The warning bands below each threshold are the views' own (the rules have none), derived here once: 10 points
 * below the threshold for a percentage, two fifths of it for the error ratio (2 % below an alert at 5 %).
 *
 * @param cpuPercent    {@value #CPU_ALERT}: CPU use in percent
 * @param memoryPercent {@value #MEMORY_ALERT}: memory use in percent
 * @param diskPercent   {@value #DISK_ALERT}: disk use in percent
 * @param errorRatio    {@value #ERROR_ALERT}: the share of requests answered with a 5xx, as a fraction
 */
public record AlertThresholds(double cpuPercent, double memoryPercent, double diskPercent, double errorRatio) {
    public static final String CPU_ALERT = "HighCPUUsage";
    public static final String MEMORY_ALERT = "HighMemoryUsage";
    public static final String DISK_ALERT = "DiskSpaceLow";
    public static final String ERROR_ALERT = "HighErrorRate";
    /** How far below a percentage threshold its warning band starts, in points. */
    public static final double WARNING_POINTS = 10;
    /** Where the error ratio's warning band starts, as a share of its threshold. */
    public static final double ERROR_WARNING_SHARE = 0.4;

    /** The metric and the number compared with it: {@code cpu_usage_percent) > 80}. */
    private static final Pattern ABOVE = Pattern.compile("(?<![<>=!])>\\s*([0-9]+(?:\\.[0-9]+)?)(?![0-9.=])");

    /**
     * The thresholds of the bundled rules, read on first use and kept: a command that judges no figure never parses
     * the YAML: loading Jackson's YAML reader and reading the 5 KB file took 0.4-0.6 s in a cold JVM without a class
     * data archive (three runs on a shared two-core machine), so the health command asks only when it judges a figure.
     */
    public static AlertThresholds bundled() {
        return Bundled.THRESHOLDS;
    }

    private static final class Bundled {
        static final AlertThresholds THRESHOLDS = of(StackFiles.text(StackFiles.ALERTS), "the bundled "
                + StackFiles.ALERTS);
    }

    /** The thresholds of a rule file; an alert that is missing or has no {@code > NUMBER} is an error naming it. */
    public static AlertThresholds of(String rulesYaml, String what) {
        List<PrometheusYaml.FileRule> rules = PrometheusYaml.rules(rulesYaml, what);
        return new AlertThresholds(threshold(rules, CPU_ALERT, "cpu_usage_percent", what),
                threshold(rules, MEMORY_ALERT, "memory_usage_percent", what),
                threshold(rules, DISK_ALERT, "disk_usage_percent", what),
                threshold(rules, ERROR_ALERT, "exlm:http_request_errors:ratio_rate5m", what));
    }

    /** The threshold of a system figure by its metric name ({@code cpu_usage_percent}), NaN for any other. */
    public double percent(String metric) {
        return switch (metric) {
            case "cpu_usage_percent" -> cpuPercent;
            case "memory_usage_percent" -> memoryPercent;
            case "disk_usage_percent" -> diskPercent;
            default -> Double.NaN;
        };
    }

    /** Where the warning band below a percentage threshold starts. */
    public static double warningPercent(double threshold) {
        return java.math.BigDecimal.valueOf(threshold).subtract(java.math.BigDecimal.valueOf(WARNING_POINTS))
                .doubleValue();
    }

    /** Where the warning band below the error ratio's threshold starts. */
    public double errorRatioWarning() {
        // in decimal, as the rules write the threshold: 0.05 x 0.4 is 0.02, not 0.020000000000000004
        return java.math.BigDecimal.valueOf(errorRatio).multiply(java.math.BigDecimal.valueOf(ERROR_WARNING_SHARE))
                .doubleValue();
    }

    /** A threshold as the rules write it: {@code 80}, {@code 85.5}, {@code 5} (a percentage, not {@code 5.0}). */
    public static String number(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    private static double threshold(List<PrometheusYaml.FileRule> rules, String alert, String metric, String what) {
        PrometheusYaml.FileRule rule = rules.stream().filter(r -> alert.equals(r.alert())).findFirst()
                .orElseThrow(() -> new IllegalStateException(what + " has no alert " + alert));
        String expr = rule.expr() == null ? "" : rule.expr();
        int at = expr.indexOf(metric);
        Matcher m = ABOVE.matcher(expr);
        if (at < 0 || !m.find(at)) {
            throw new IllegalStateException(what + ": the expression of alert " + alert + " compares no " + metric
                    + " with '> NUMBER': " + expr);
        }
        return Double.parseDouble(m.group(1));
    }
}
