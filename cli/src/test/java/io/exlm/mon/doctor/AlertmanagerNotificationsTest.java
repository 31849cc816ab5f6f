package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.config.Setting;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.stack.ConfigWriter;
import io.exlm.mon.testing.Cli;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * alertmanager.notifications on Alertmanager's /metrics as 0.25 writes it (every integration registered, at 0 until
 * used): a receiver that refuses fails with its figures, a clean record passes.
 */
class AlertmanagerNotificationsTest {
    private static final String URL = "http://127.0.0.1:9093";

    /**
     * A /metrics body of Alertmanager 0.25 with these webhook and email counts: notifications and their failures
     * (given up after retries), and delivery attempts and theirs.
     */
    static String body(long webhookSent, long webhookFailed, long emailSent, long emailFailed) {
        return body(webhookSent, webhookFailed, webhookSent, webhookFailed, emailSent, emailFailed);
    }

    static String body(long webhookSent, long webhookFailed, long webhookAttempts, long webhookFailedAttempts,
            long emailSent, long emailFailed) {
        return "# HELP alertmanager_notification_requests_failed_total The total number of failed notification"
                + " requests.\n# TYPE alertmanager_notification_requests_failed_total counter\n"
                + "alertmanager_notification_requests_failed_total{integration=\"email\"} " + emailFailed + "\n"
                + "alertmanager_notification_requests_failed_total{integration=\"webhook\"} " + webhookFailedAttempts
                + "\n# TYPE alertmanager_notification_requests_total counter\n"
                + "alertmanager_notification_requests_total{integration=\"email\"} " + emailSent + "\n"
                + "alertmanager_notification_requests_total{integration=\"webhook\"} " + webhookAttempts + "\n"
                + "# HELP alertmanager_notifications_failed_total The total number of failed notifications.\n"
                + "# TYPE alertmanager_notifications_failed_total counter\n"
                + "alertmanager_notifications_failed_total{integration=\"email\"} " + emailFailed + "\n"
                + "alertmanager_notifications_failed_total{integration=\"opsgenie\"} 0\n"
                + "alertmanager_notifications_failed_total{integration=\"webhook\"} " + webhookFailed + "\n"
                + "# HELP alertmanager_notifications_total The total number of attempted notifications.\n"
                + "# TYPE alertmanager_notifications_total counter\n"
                + "alertmanager_notifications_total{integration=\"email\"} " + emailSent + "\n"
                + "alertmanager_notifications_total{integration=\"opsgenie\"} 0\n"
                + "alertmanager_notifications_total{integration=\"webhook\"} " + webhookSent + "\n"
                + "# TYPE alertmanager_alerts gauge\nalertmanager_alerts{state=\"active\"} 3\n";
    }

    static Outcome judge(String body) throws Exception {
        Scrape s = Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                ParseMode.LENIENT, URL + "/metrics", 0);
        return AlertmanagerChecks.judgeNotifications(URL, s);
    }

    static Outcome judge(String body, String alertmanagerConfig) throws Exception {
        Scrape s = Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                ParseMode.LENIENT, URL + "/metrics", 0);
        return AlertmanagerChecks.judgeNotifications(URL, s, AlertmanagerChecks.webhookUrls(alertmanagerConfig));
    }

    /**
     * A stack brought up with no receiver configured (alertmanager.webhook-url left at its default): the Watchdog's
     * notifications fail at exlm-mon's placeholder from the first minute. Alerts reach no one, which doctor says as
     * a warning; nothing that worked is broken, so the default stack, and CI's smoke test of it, is not red.
     */
    @Test
    void aRefusingPlaceholderReceiverThatNobodyConfiguredIsAWarningThatSaysSo() throws Exception {
        String placeholder = Setting.ALERT_WEBHOOK_URL.defaultValue();
        for (String config : List.of(ConfigWriter.alertmanager(placeholder),
                ConfigWriter.alertmanager(ConfigWriter.forContainers(placeholder)))) {
            Outcome o = judge(body(0, 0, 6, 6, 0, 0), config);
            assertThat(o.status()).as(config).isEqualTo(Status.WARN);
            assertThat(o.summary()).isEqualTo("no alert receiver is configured: Alertmanager sends its notifications"
                    + " to exlm-mon's placeholder " + placeholder + ", and 6 of 6 delivery attempts failed there;"
                    + " alerts reach no one");
            assertThat(o.remediation()).contains("alertmanager.webhook-url", "EXLM_ALERT_WEBHOOK_URL");
            assertThat(o.figures()).containsEntry("placeholder_receiver", true).containsEntry("failed_attempts", 6L);
        }
        // a receiver somebody configured that refuses is a failure, as is any other integration beside the
        // placeholder that fails, and a configuration Alertmanager does not show
        assertThat(judge(body(0, 0, 6, 6, 0, 0), ConfigWriter.alertmanager("http://127.0.0.1:5001/alerts"))
                .status()).isEqualTo(Status.FAIL);
        assertThat(judge(body(0, 0, 6, 6, 0, 0), ConfigWriter.alertmanager(placeholder + "/x")).status())
                .isEqualTo(Status.FAIL);
        assertThat(judge(body(0, 0, 0, 0, 4, 4), ConfigWriter.alertmanager(placeholder)).status())
                .isEqualTo(Status.FAIL);
        assertThat(judge(body(0, 0, 6, 6, 0, 0), null).status()).isEqualTo(Status.FAIL);
        assertThat(judge(body(0, 0, 6, 6, 0, 0), "route: {receiver: r}\nreceivers: [{name: r, webhook_configs:"
                + " [{url: '<secret>'}]}]\n").status()).isEqualTo(Status.FAIL);
    }

    @Test
    void aReceiverThatRefusesEveryNotificationFailsWithTheFigures() throws Exception {
        Outcome o = judge(body(12, 12, 0, 0));
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).isEqualTo("notifications fail: 12 of 12 delivery attempts and 12 of 12 notifications"
                + " failed since Alertmanager started (webhook): its receiver refuses them");
        assertThat(o.details()).containsExactly("webhook: 12 of 12 delivery attempts and 12 of 12 notifications"
                + " failed since Alertmanager started");
        assertThat(o.remediation()).contains("alertmanager.webhook-url", "EXLM_ALERT_WEBHOOK_URL",
                "Notify attempt failed");
        assertThat(o.figures()).containsEntry("notifications", 12L).containsEntry("failed", 12L)
                .containsEntry("integrations", List.of(new AlertmanagerChecks.Integration("webhook", 12, 12, 12,
                        12)));
    }

    /**
     * As measured on Alertmanager 0.25 with a webhook on a closed port: the log says "Notify attempt failed" at once
     * and the attempts count it, while alertmanager_notifications_failed_total stays 0 until the first notification
     * gives up its retries (a group_interval later).
     */
    @Test
    void aReceiverThatRefusesFailsAtOnceWhileItsNotificationsAreStillRetried() throws Exception {
        Outcome o = judge(body(2, 0, 12, 12, 0, 0));
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).isEqualTo("notifications fail: 12 of 12 delivery attempts and 0 of 2 notifications"
                + " failed since Alertmanager started (webhook): its receiver refuses them");
        assertThat(o.figures()).containsEntry("attempts", 12L).containsEntry("failed_attempts", 12L);
    }

    @Test
    void notificationsThatAllArrivedPassAndSayHowMany() throws Exception {
        Outcome o = judge(body(7, 0, 2, 0));
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.summary()).isEqualTo("9 notifications sent since Alertmanager started, none failed (email 2,"
                + " webhook 7)");
        assertThat(o.remediation()).isNull();
        assertThat(o.figures()).containsEntry("failed", 0L);
    }

    @Test
    void someFailuresAmongSuccessesAreAWarningThatSaysTheCountersHaveNoTime() throws Exception {
        Outcome o = judge(body(20, 3, 0, 0));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).startsWith("notifications fail: 3 of 20 delivery attempts and 3 of 20 notifications"
                + " failed since Alertmanager started (webhook); the counters do not say when")
                .contains("AlertmanagerNotificationsFailing");
        // one integration failing everything beside another that works is still a failure: that receiver refuses
        assertThat(judge(body(20, 0, 4, 4)).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void nothingSentYetPassesAndSomethingThatIsNotAlertmanagerFails() throws Exception {
        Outcome none = judge(body(0, 0, 0, 0));
        assertThat(none.status()).isEqualTo(Status.OK);
        assertThat(none.summary()).contains("no notification yet");
        Outcome other = judge("# TYPE up gauge\nup 1\n");
        assertThat(other.status()).isEqualTo(Status.FAIL);
        assertThat(other.summary()).contains("exposes no alertmanager_notifications_total");
    }

    /** The whole path: doctor -o json against an Alertmanager that answers /-/ready and a /metrics of failures. */
    @Test
    void doctorJsonCarriesTheFigures() throws Exception {
        HttpServer fake = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Map<String, String> answers = Map.of("/-/ready", "OK", "/api/v2/status",
                "{\"versionInfo\":{\"version\":\"0.25.0\"},\"cluster\":{\"status\":\"disabled\"}}", "/metrics",
                body(5, 5, 0, 0));
        fake.createContext("/", exchange -> {
            try (exchange) {
                String a = answers.get(exchange.getRequestURI().getPath());
                byte[] b = (a == null ? "not found" : a).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", exchange.getRequestURI().getPath().equals("/metrics")
                        ? "text/plain; version=0.0.4" : "application/json");
                exchange.sendResponseHeaders(a == null ? 404 : 200, b.length);
                exchange.getResponseBody().write(b);
            }
        });
        fake.start();
        try {
            String url = "http://127.0.0.1:" + fake.getAddress().getPort();
            Cli.Result r = Cli.exec("doctor", "--check", "alertmanager.notifications", "--alertmanager-url", url,
                    "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            JsonNode doc = new ObjectMapper().readTree(r.out());
            JsonNode check = null;
            for (JsonNode c : doc.path("checks")) {
                if (c.path("id").asText().equals("alertmanager.notifications")) {
                    check = c;
                }
            }
            assertThat(check).as(r.out()).isNotNull();
            assertThat(check.path("status").asText()).isEqualTo("fail");
            assertThat(check.path("requires").toString()).isEqualTo("[\"alertmanager.ready\"]");
            assertThat(check.path("figures").toString()).isEqualTo("{\"url\":\"" + url + "\",\"notifications\":5,"
                    + "\"failed\":5,\"attempts\":5,\"failed_attempts\":5,\"integrations\":[{\"integration\":"
                    + "\"webhook\",\"notifications\":5,\"failed\":5,\"attempts\":5,\"failed_attempts\":5}]}");
        } finally {
            fake.stop(0);
        }
    }
}
