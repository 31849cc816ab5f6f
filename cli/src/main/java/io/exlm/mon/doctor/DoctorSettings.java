package io.exlm.mon.doctor;

import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.GrafanaPassword;
import io.exlm.mon.stack.LocalRuntime;
import io.exlm.mon.stack.StateDir;
import java.time.Duration;

/**
 * The doctor's environment, assembled from the settings: the four endpoints, the scrape interval to expect and
 * where that expectation comes from, Grafana's login (its password by {@link GrafanaPassword}'s precedence, never
 * generating one), and what this machine has (promtool, Grafana, the stack's state).
 */
public final class DoctorSettings {
    /** The monitoring guide's scrape interval, expected when neither a flag nor the config says otherwise. */
    static final Duration GUIDE_SCRAPE_INTERVAL = Duration.ofSeconds(15);

    private DoctorSettings() {
    }

    /** The environment; {@code expectScrapeInterval} is the flag's value, null when not given. */
    public static DoctorEnv env(Settings s, HttpLayer http, Duration expectScrapeInterval) {
        Duration expected;
        String expectedFrom;
        if (expectScrapeInterval != null) {
            expected = expectScrapeInterval;
            expectedFrom = "--expect-scrape-interval";
        } else if (s.scrapeInterval() != null) {
            expected = s.scrapeInterval();
            expectedFrom = "stack.scrape-interval from " + s.source(Setting.STACK_SCRAPE_INTERVAL);
        } else {
            expected = GUIDE_SCRAPE_INTERVAL;
            expectedFrom = "the guide's interval";
        }
        StateDir state = StateDir.resolve(s.path(Setting.STACK_STATE_DIR), s.env());
        GrafanaPassword password = new GrafanaPassword(s::grafanaPassword, state.grafanaPasswordFile());
        return new DoctorEnv(http, s.url(Setting.PROMETHEUS_URL), s.url(Setting.BACKEND_URL),
                s.url(Setting.ALERTMANAGER_URL), s.url(Setting.GRAFANA_URL), expected, expectedFrom,
                new DoctorEnv.GrafanaSetup(s.grafanaUser(), password::existing,
                        password.source(s.grafanaPasswordSource()), LocalRuntime.installed(Component.GRAFANA,
                                s.env())),
                LocalRuntime.onPath("promtool", s.env()), state.root(), state.runtime(), new OshiHost(), new Facts());
    }
}
