package io.exlm.mon.doctor;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.GrafanaClient;
import io.exlm.mon.promql.PrometheusClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What the checks of one run work with: the endpoints, the one HTTP client, what is expected, this machine, and the
 * facts they share.
 *
 * @param expectedScrapeInterval       the interval Prometheus should scrape at (the guide's 15 s unless configured)
 * @param expectedScrapeIntervalSource where that expectation comes from, for messages
 * @param promtool                     promtool's path, or null when it is not installed
 * @param stateDir                     exlm-mon's state directory (the stack that {@code up} started)
 * @param stackRuntime                 the runtime of the last {@code up} ({@code local}, {@code compose}), or null
 * @param clock                        the run's clock: what "not yet" is measured against
 * @param since                        how far back the checks over time look ({@code --since}; at most the history
 *                                     Prometheus has)
 */
public record DoctorEnv(HttpLayer http, String prometheusUrl, String backendUrl, String alertmanagerUrl,
        String grafanaUrl, Duration expectedScrapeInterval, String expectedScrapeIntervalSource,
        GrafanaSetup grafanaSetup, Path promtool, Path stateDir, String stackRuntime, HostProbe host, Facts facts,
        Clock clock, Duration since) {

    /** Looking back {@link OverTime#DEFAULT_SINCE}. */
    public DoctorEnv(HttpLayer http, String prometheusUrl, String backendUrl, String alertmanagerUrl,
            String grafanaUrl, Duration expectedScrapeInterval, String expectedScrapeIntervalSource,
            GrafanaSetup grafanaSetup, Path promtool, Path stateDir, String stackRuntime, HostProbe host,
            Facts facts, Clock clock) {
        this(http, prometheusUrl, backendUrl, alertmanagerUrl, grafanaUrl, expectedScrapeInterval,
                expectedScrapeIntervalSource, grafanaSetup, promtool, stateDir, stackRuntime, host, facts, clock,
                OverTime.DEFAULT_SINCE);
    }

    /** On this machine's clock. */
    public DoctorEnv(HttpLayer http, String prometheusUrl, String backendUrl, String alertmanagerUrl,
            String grafanaUrl, Duration expectedScrapeInterval, String expectedScrapeIntervalSource,
            GrafanaSetup grafanaSetup, Path promtool, Path stateDir, String stackRuntime, HostProbe host,
            Facts facts) {
        this(http, prometheusUrl, backendUrl, alertmanagerUrl, grafanaUrl, expectedScrapeInterval,
                expectedScrapeIntervalSource, grafanaSetup, promtool, stateDir, stackRuntime, host, facts,
                Clock.systemUTC());
    }

    /** The same run with fresh facts: what {@code doctor --wait} asks again. */
    public DoctorEnv again() {
        return new DoctorEnv(http, prometheusUrl, backendUrl, alertmanagerUrl, grafanaUrl, expectedScrapeInterval,
                expectedScrapeIntervalSource, grafanaSetup, promtool, stateDir, stackRuntime, host, new Facts(),
                clock, since);
    }

    /** The same run looking back {@code d} ({@code --since}). */
    public DoctorEnv withSince(Duration d) {
        return new DoctorEnv(http, prometheusUrl, backendUrl, alertmanagerUrl, grafanaUrl, expectedScrapeInterval,
                expectedScrapeIntervalSource, grafanaSetup, promtool, stateDir, stackRuntime, host, facts, clock, d);
    }

    /**
     * How Grafana is meant to be logged in to and whether it can run here.
     *
     * @param password       the configured admin password (EXLM_GRAFANA_PASSWORD, grafana.password-file, or the one
     *                       {@code up} generated); null when none; asked for only when a check needs it
     * @param passwordSource where the password comes from, for messages (never the password)
     * @param installedHere  whether a Grafana binary is on this machine's PATH
     */
    public record GrafanaSetup(String user, Supplier<String> password, String passwordSource, boolean installedHere) {
    }

    public PrometheusClient prometheus() {
        return new PrometheusClient(http, prometheusUrl);
    }

    public AlertmanagerClient alertmanager() {
        return new AlertmanagerClient(http, alertmanagerUrl);
    }

    public GrafanaClient grafana() {
        return new GrafanaClient(http, grafanaUrl);
    }
}
