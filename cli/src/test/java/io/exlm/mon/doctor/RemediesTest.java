package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpFailure;
import org.junit.jupiter.api.Test;

/** A part of the stack that does not answer is worded once, for Prometheus, Alertmanager and Grafana alike. */
class RemediesTest {
    @Test
    void aRefusedPartIsToldHowToStartItAndWhichFlagAndVariablePointElsewhere() {
        String url = "http://127.0.0.1:9";
        HttpFailure refused = new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, "connection refused", null);
        Outcome o = Remedies.notAnswering("Alertmanager", Setting.ALERTMANAGER_URL, url, refused);
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
    void theFlagAndVariableFollowTheSetting() {
        String url = "http://grafana.invalid:3000";
        HttpFailure dns = new HttpFailure(HttpFailure.Kind.DNS, url, 0, "unknown host", null);
        assertThat(Remedies.notAnswering("Grafana", Setting.GRAFANA_URL, url, dns).remediation())
                .isEqualTo("the host of " + url + " does not resolve: correct --grafana-url or EXLM_GRAFANA_URL");
        assertThat(Remedies.notAnswering("Prometheus", Setting.PROMETHEUS_URL, url, dns).remediation())
                .isEqualTo("the host of " + url + " does not resolve: correct --prometheus-url or EXLM_PROMETHEUS_URL");
    }
}
