package io.exlm.mon.stack;

import java.nio.file.Path;
import java.time.Duration;
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
 * @param scrapeInterval a shorter scrape and evaluation interval, for tests and demos; null for the stack's 15 s
 * @param stateDir       data, logs, generated configuration and pid files
 * @param grafanaUser    Grafana's admin user
 * @param grafanaPassword Grafana's admin password, asked for only when Grafana is started
 */
public record StackConfig(Map<Component, String> urls, String backendUrl, String postgresDsn, String redisUrl,
        String webhookUrl, String retention, Duration scrapeInterval, Path stateDir, String grafanaUser,
        Supplier<String> grafanaPassword) {

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
