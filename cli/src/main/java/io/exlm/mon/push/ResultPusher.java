package io.exlm.mon.push;

import io.exlm.mon.http.HttpOptions;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Pushes a run's results to a Prometheus Pushgateway with the Prometheus Java client's exporter, so that a CI smoke
 * check leaves a trace Prometheus scrapes and alerts on:
 * <ul>
 * <li>{@code exlm_mon_check_success{command, check}}: 1 passed, 0 failed;</li>
 * <li>{@code exlm_mon_check_duration_seconds{command, check}};</li>
 * <li>{@code exlm_mon_run_success{command}}: 1 when the command's exit code was 0;</li>
 * <li>{@code exlm_mon_last_run_timestamp_seconds{command}}.</li>
 * </ul>
 * Each run replaces its group (job and grouping labels, {@code command} among them), so the Pushgateway holds the
 * latest run of each command.
 */
public final class ResultPusher {
    /** Where to push: the Pushgateway's URL, the job, extra grouping labels. */
    public record Target(String url, String job, Map<String, String> grouping) {
    }

    private ResultPusher() {
    }

    /**
     * @throws IOException when the Pushgateway cannot be reached or refuses the push; the caller warns and keeps
     *                     its own verdict
     */
    public static void push(Target target, String command, List<CheckOutcome> outcomes, boolean runSucceeded,
            HttpOptions http) throws IOException {
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

        URI uri = URI.create(target.url());
        int port = uri.getPort() > 0 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        PushGateway.Builder b = PushGateway.builder().registry(registry)
                .address(uri.getHost() + ":" + port)
                .scheme(uri.getScheme().equals("https") ? Scheme.HTTPS : Scheme.HTTP)
                .job(target.job())
                .connectionTimeout(http.connectTimeout())
                .readTimeout(http.timeout());
        b.groupingKey("command", command);
        target.grouping().forEach(b::groupingKey);
        if (http.bearerToken() != null) {
            b.bearerToken(http.bearerToken());
        } else if (http.basicUser() != null) {
            b.basicAuth(http.basicUser(), http.basicPassword() == null ? "" : http.basicPassword());
        }
        b.build().push();
    }
}
