package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A part of the stack that does not answer is worded once, for Prometheus, Alertmanager and Grafana alike. */
class RemediesTest {
    @Test
    void aRefusedPartIsToldHowToStartItAndWhichFlagAndVariablePointElsewhere() {
        String url = "http://127.0.0.1:9";
        HttpFailure refused = new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, "connection refused", null);
        Outcome o = Remedies.notAnswering("Alertmanager", Setting.ALERTMANAGER_URL, url, null, refused);
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).isEqualTo("Alertmanager does not answer at " + url + " (" + refused.kind().label()
                + ")");
        assertThat(o.details()).containsExactly(refused.getMessage());
        assertThat(o.remediation()).startsWith("Alertmanager is not running at " + url + ": start it: exlm-mon up")
                .contains("systemctl start prometheus-alertmanager")
                .endsWith("if it runs elsewhere, set --alertmanager-url or EXLM_ALERTMANAGER_URL");
        assertThat(o.reach()).isEqualTo(Remedies.reach(refused));
        assertThat(o.figures()).containsEntry("url", url);
    }

    @Test
    void aPartOfTheStackUpStartedHereIsStartedAgainWithItsRuntime() {
        String url = "http://127.0.0.1:9093";
        HttpFailure refused = new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, "connection refused", null);
        // a plain "exlm-mon up" would take stack.runtime (auto: compose where Docker answers), not the one recorded
        assertThat(Remedies.notAnswering("Alertmanager", Setting.ALERTMANAGER_URL, url, "local", refused)
                .remediation()).isEqualTo("Alertmanager is not running at " + url + ": start it: exlm-mon up"
                        + " --runtime local; if it runs elsewhere, set --alertmanager-url or EXLM_ALERTMANAGER_URL");
        assertThat(Remedies.notAnswering("Prometheus", Setting.PROMETHEUS_URL, url, "compose", refused)
                .remediation()).contains("start it: exlm-mon up --runtime compose;").doesNotContain("systemctl");

        DoctorEnv local = new DoctorEnv(null, "http://p", "http://b", "http://a", "http://g", Duration.ofSeconds(15),
                "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, "local", null,
                new Facts());
        assertThat(Remedies.runtimeAt(local, "http://127.0.0.1:9090")).isEqualTo("local");
        assertThat(Remedies.runtimeAt(local, "http://localhost:9090")).isEqualTo("local");
        // a part elsewhere is none of the stack up started here
        assertThat(Remedies.runtimeAt(local, "http://prometheus.example:9090")).isNull();
    }

    @Test
    void theFlagAndVariableFollowTheSetting() {
        String url = "http://grafana.invalid:3000";
        HttpFailure dns = new HttpFailure(HttpFailure.Kind.DNS, url, 0, "unknown host", null);
        assertThat(Remedies.notAnswering("Grafana", Setting.GRAFANA_URL, url, null, dns).remediation())
                .isEqualTo("the host of " + url + " does not resolve: correct --grafana-url or EXLM_GRAFANA_URL");
        assertThat(Remedies.notAnswering("Prometheus", Setting.PROMETHEUS_URL, url, null, dns).remediation())
                .isEqualTo("the host of " + url + " does not resolve: correct --prometheus-url or EXLM_PROMETHEUS_URL");
    }

    @Test
    void startingGrafanaOnFreshDataNamesTheRuntimeItRan() {
        for (String runtime : new String[] {"local", "compose"}) {
            DoctorEnv env = new DoctorEnv(null, "http://p", "http://b", "http://a", "http://g",
                    Duration.ofSeconds(15), "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null,
                    null, runtime, null, new Facts());
            // a plain "exlm-mon up" would take stack.runtime, which may name the other runtime
            assertThat(GrafanaChecks.freshData(env)).endsWith(" exlm-mon up --runtime " + runtime)
                    .doesNotContain("exlm-mon up;").doesNotEndWith("exlm-mon up");
        }
    }
}
