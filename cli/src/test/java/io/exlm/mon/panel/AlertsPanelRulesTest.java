package io.exlm.mon.panel;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.testing.FaultServer;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus with no alert at all may be one without the stack's rules (the second reader's: "no alerts
 * (Prometheus)" beside an error rate of 14.5 %): then the panel says so and the header takes the thresholds'.
 */
class AlertsPanelRulesTest {
    static final String NO_ALERTS = "{\"status\":\"success\",\"data\":{\"alerts\":[]}}";
    static final String TIME = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000,\"1700000000\"]}}";

    static AlertsPanel read(String rules) throws Exception {
        return read(rules, NO_ALERTS);
    }

    static AlertsPanel read(String rules, String alerts) throws Exception {
        try (FaultServer p = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                req.path().startsWith("/api/v1/rules") ? rules : req.path().startsWith("/api/v1/alerts") ? alerts
                        : TIME)); HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient client = new PrometheusClient(http, p.url());
            return AlertsPanel.read(client, null, Clock.systemUTC(), () -> io.exlm.mon.promql.RuleHealth.of(
                    client.rules(), io.exlm.mon.stack.StackFiles.alertNames()));
        }
    }

    @Test
    void noAlertsWithoutTheRulesIsNotAllClear() throws Exception {
        AlertsPanel a = read("{\"status\":\"success\",\"data\":{\"groups\":[]}}");
        assertThat(a.error()).contains("no exlm alert rules loaded in this Prometheus").contains("HighErrorRate");
    }

    @Test
    void noAlertsWithTheRulesLoadedIsNone() throws Exception {
        AlertsPanel a = read("{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"exlm\",\"file\":\"f\","
                + "\"interval\":15,\"rules\":[{\"name\":\"HighErrorRate\",\"type\":\"alerting\",\"query\":\"x\","
                + "\"health\":\"ok\",\"state\":\"inactive\",\"duration\":300,\"labels\":{},\"alerts\":[]}]}]}}");
        assertThat(a.error()).isNull();
        assertThat(a.alerts()).isEmpty();
    }

    private static String alert(String name, String severity, String activeAt) {
        return "{\"labels\":{\"alertname\":\"" + name + "\",\"severity\":\"" + severity + "\",\"instance\":"
                + "\"backend:8000\"},\"annotations\":{},\"state\":\"firing\",\"activeAt\":\"" + activeAt
                + "\",\"value\":\"1\"}";
    }

    @Test
    void amongAlertsOfOneSeverityTheOneActiveLongestComesFirst() throws Exception {
        // ServiceDown began 10 minutes before the error rate it caused: the header names it, not the first by name
        String alerts = "{\"status\":\"success\",\"data\":{\"alerts\":[" + alert("HighErrorRate", "critical",
                "2023-11-14T22:10:00Z") + "," + alert("ServiceDown", "critical", "2023-11-14T22:00:00Z") + ","
                + alert("HighCPUUsage", "warning", "2023-11-14T21:00:00Z") + "]}}";
        String rules = "{\"status\":\"success\",\"data\":{\"groups\":[]}}";
        AlertsPanel a = read(rules, alerts);
        assertThat(a.stateNames()).containsExactly("ServiceDown", "HighErrorRate", "HighCPUUsage");
        assertThat(a.alerts()).extracting(AlertsPanel.Row::ageSeconds).containsExactly(800L, 200L, 4400L);
    }
}
