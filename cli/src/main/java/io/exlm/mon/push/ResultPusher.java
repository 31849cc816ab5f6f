package io.exlm.mon.push;

import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes a run's results to a Prometheus Pushgateway, so that a CI smoke check leaves a trace Prometheus scrapes and
 * alerts on:
 * <ul>
 * <li>{@code exlm_mon_check_success{command, check}}: 1 passed, 0 failed;</li>
 * <li>{@code exlm_mon_check_duration_seconds{command, check}};</li>
 * <li>{@code exlm_mon_run_success{command}}: 1 when the command's exit code was 0;</li>
 * <li>{@code exlm_mon_last_run_timestamp_seconds{command}}.</li>
 * </ul>
 * The Prometheus Java client writes the body (text format 0.0.4); exlm-mon's HTTP layer sends it, so a push has the
 * same timeouts, {@code --ca-file}/{@code --insecure}, {@code -H}, {@code --tenant} and credentials (sent to the
 * Pushgateway's origin only) as every other request. Each run replaces its group with a PUT (job and grouping labels,
 * {@code command} among them), so the Pushgateway holds the latest run of each command.
 */
public final class ResultPusher {
    /** Where to push: the Pushgateway's URL, the job, extra grouping labels. */
    public record Target(String url, String job, Map<String, String> grouping) {
    }

    private ResultPusher() {
    }

    /**
     * @throws HttpFailure when the Pushgateway cannot be reached or refuses the push; the caller warns and keeps its
     *                     own verdict
     */
    public static void push(Target target, String command, List<CheckOutcome> outcomes, boolean runSucceeded,
            HttpLayer http) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge success = Gauge.builder().name("exlm_mon_check_success")
                .help("Whether the check passed in the last run (1) or failed (0).").labelNames("command", "check")
                .register(registry);
        Gauge duration = Gauge.builder().name("exlm_mon_check_duration_seconds")
                .help("How long the check took in the last run.").labelNames("command", "check").register(registry);
        Gauge run = Gauge.builder().name("exlm_mon_run_success")
                .help("Whether the last run ended with exit code 0.").labelNames("command").register(registry);
        Gauge last = Gauge.builder().name("exlm_mon_last_run_timestamp_seconds")
                .help("When the last run ended, in seconds since the epoch.").labelNames("command").register(registry);
        for (CheckOutcome o : outcomes) {
            success.labelValues(command, o.check()).set(o.success() ? 1 : 0);
            duration.labelValues(command, o.check()).set(o.durationSeconds());
        }
        run.labelValues(command).set(runSucceeded ? 1 : 0);
        last.labelValues(command).set(System.currentTimeMillis() / 1000.0);

        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writer.write(body, registry.scrape());

        Map<String, String> grouping = new LinkedHashMap<>(Map.of("command", command));
        grouping.putAll(target.grouping());
        String url = groupUrl(target.url(), target.job(), grouping);
        // PUT replaces the whole group, as the client library's push() did; a POST would keep series of an earlier
        // run that this one no longer has (a check that was dropped)
        HttpResponse r = http.put(url, writer.getContentType(), body.toByteArray(), "*/*");
        if (!r.ok()) {
            throw HttpLayer.statusFailure("PUT", r.url(), r.status(), r.mediaType(), r.body());
        }
    }

    /**
     * The group's URL, {@code <base>/metrics/job/<job>/<label>/<value>...}, as the Pushgateway's API reads it: a value
     * that is empty, holds a {@code /} or is a dot segment ({@code .}, {@code ..}, which a URL normalises away) is
     * sent as {@code <label>@base64/<base64url>}; any other value is percent-encoded as one path segment (UTF-8; a
     * space is {@code %20}, never {@code +}, which the Pushgateway would keep as a plus).
     */
    static String groupUrl(String base, String job, Map<String, String> grouping) {
        URI uri = URI.create(base);
        StringBuilder sb = new StringBuilder(uri.getScheme()).append("://").append(uri.getRawAuthority())
                .append("/metrics");
        appendLabel(sb, "job", job);
        grouping.forEach((name, value) -> appendLabel(sb, name, value));
        return sb.toString();
    }

    private static void appendLabel(StringBuilder sb, String name, String value) {
        sb.append('/').append(name);
        if (value.isEmpty()) {
            sb.append("@base64/=");
        } else if (value.contains("/") || value.equals(".") || value.equals("..")) {
            sb.append("@base64/").append(Base64.getUrlEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)));
        } else {
            sb.append('/').append(pathSegment(value));
        }
    }

    /** Percent-encodes all but RFC 3986's unreserved characters. */
    private static String pathSegment(String value) {
        StringBuilder sb = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_'
                    || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
