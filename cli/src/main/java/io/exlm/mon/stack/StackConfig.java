package io.exlm.mon.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Everything the stack's runtimes need to know, resolved from flags, the environment and the config file.
 *
 * @param urls           where each part listens (and is reached)
 * @param backendUrl     the exlm backend that Prometheus scrapes; not a part of the stack
 * @param postgresDsn    the platform's PostgreSQL, for the postgres exporter (may hold a password: never printed)
 * @param redisUrl       the platform's Redis, for the redis exporter
 * @param webhookUrl     Alertmanager's receiver
 * @param retention      Prometheus's retention, in Prometheus's own duration syntax (15d)
 * @param scrapeInterval a shorter scrape and evaluation interval, for tests and demos; null for the stack's 15 s (the
 *                       local runtime then also shortens Prometheus's query lookback: {@link #lookbackDelta})
 * @param stateDir       data, logs, generated configuration and pid files
 * @param grafanaUser    Grafana's admin user
 * @param grafanaPassword Grafana's admin password, asked for only when Grafana is started
 * @param remoteWrites   where Prometheus also sends its samples (up --remote-write, stack.remote-write); may be empty
 */
public record StackConfig(Map<Component, String> urls, String backendUrl, String postgresDsn, String redisUrl,
        String webhookUrl, String retention, Duration scrapeInterval, Path stateDir, String grafanaUser,
        Supplier<String> grafanaPassword, List<RemoteWrite> remoteWrites) {

    public StackConfig {
        remoteWrites = List.copyOf(remoteWrites);
    }

    /** Without remote write. */
    public StackConfig(Map<Component, String> urls, String backendUrl, String postgresDsn, String redisUrl,
            String webhookUrl, String retention, Duration scrapeInterval, Path stateDir, String grafanaUser,
            Supplier<String> grafanaPassword) {
        this(urls, backendUrl, postgresDsn, redisUrl, webhookUrl, retention, scrapeInterval, stateDir, grafanaUser,
                grafanaPassword, List.of());
    }

    /**
     * Prometheus's query lookback for a shorter scrape interval: the ratio of the stack's own (5 minutes to 15 s, 20
     * intervals), at least 30 s; null for the stack's interval, which keeps Prometheus's 5 minutes. Without it a
     * series that ends without a staleness marker (a job removed by a reload) stays visible for 5 minutes however
     * often the stack scrapes.
     */
    public Duration lookbackDelta() {
        if (scrapeInterval == null) {
            return null;
        }
        Duration d = scrapeInterval.multipliedBy(20);
        return d.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : d;
    }

    public String url(Component c) {
        return urls.get(c);
    }

    public HostPort address(Component c) {
        return HostPort.ofUrl(urls.get(c), c.urlSetting().key());
    }

    /** The URL that answers once the part is ready. */
    public String readyUrl(Component c) {
        return urls.get(c) + c.readyPath();
    }
}
