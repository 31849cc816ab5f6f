package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.config.Setting;
import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.stack.ConfigWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alertmanager, which routes the alerts Prometheus fires. */
final class AlertmanagerChecks {
    private AlertmanagerChecks() {
    }

    static final String READY = "alertmanager.ready";

    static List<Check> all() {
        return List.of(new Check(READY, "Alertmanager is running and ready", List.of(),
                AlertmanagerChecks::ready),
                new Check("alertmanager.notifications", "Alertmanager's notifications reach their receivers",
                        List.of(READY), AlertmanagerChecks::notifications));
    }

    /**
     * One integration (webhook, email, ...), since Alertmanager started: its notifications and those that failed for
     * good (the retries gave up, at the group's timeout), and its delivery attempts and those that failed (each
     * retry; the log's "Notify attempt failed"). A receiver that refuses shows in the attempts at once and in the
     * notifications only when the first one gives up (a group_interval later).
     */
    record Integration(String integration, long notifications, long failed, long attempts,
            @com.fasterxml.jackson.annotation.JsonProperty("failed_attempts") long failedAttempts) {
        boolean failing() {
            return failed > 0 || failedAttempts > 0;
        }

        /** Every attempt, or every notification, failed: the receiver refuses now. */
        boolean refused() {
            return attempts > 0 && failedAttempts >= attempts || notifications > 0 && failed >= notifications;
        }
    }

    private static final List<String> COUNTERS = List.of("alertmanager_notifications_total",
            "alertmanager_notifications_failed_total", "alertmanager_notification_requests_total",
            "alertmanager_notification_requests_failed_total");

    /**
     * Alertmanager's notification counters from its /metrics (alertmanager_notifications_total, _failed_total, and
     * the attempts, alertmanager_notification_requests_total and _failed_total): a receiver that refuses is a
     * failure here, where Prometheus's view of Alertmanager stays green.
     */
    static Outcome notifications(DoctorEnv env) {
        String url = env.alertmanagerUrl();
        return Remedies.answering("Alertmanager", Setting.ALERTMANAGER_URL, url, Remedies.runtimeAt(env, url),
                () -> env.alertmanager().raw("/metrics"), r -> judgeNotifications(url, r, webhookUrls(env)));
    }

    /**
     * The webhook URLs of Alertmanager's loaded configuration (its /api/v2/status), or null when it does not say:
     * whether the receiver is exlm-mon's placeholder, which nobody configured.
     */
    static List<String> webhookUrls(DoctorEnv env) {
        try {
            return webhookUrls(env.alertmanager().status().path("config").path("original").asText(null));
        } catch (RuntimeException e) {
            return null;
        }
    }

    static List<String> webhookUrls(String configYaml) {
        if (configYaml == null) {
            return null;
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode receiver : Yaml.read(configYaml, "Alertmanager's configuration").path("receivers")) {
            for (JsonNode w : receiver.path("webhook_configs")) {
                urls.add(w.path("url").asText(""));
            }
        }
        return urls;
    }

    /**
     * Whether every webhook of the configuration is exlm-mon's default {@link Setting#ALERT_WEBHOOK_URL} (as
     * {@code up} writes it for the local runtime or for containers): a receiver never configured.
     */
    static boolean placeholderOnly(List<String> webhookUrls) {
        String placeholder = Setting.ALERT_WEBHOOK_URL.defaultValue();
        return webhookUrls != null && !webhookUrls.isEmpty() && webhookUrls.stream().allMatch(
                u -> u.equals(placeholder) || u.equals(ConfigWriter.forContainers(placeholder)));
    }

    static Outcome judgeNotifications(String url, HttpResponse r, List<String> webhookUrls) {
        if (!r.ok()) {
            return Outcome.fail("Alertmanager at " + url + " does not serve its metrics: /metrics answered HTTP "
                    + r.status()).fix("check that " + url + " is Alertmanager's own address, not a proxy's")
                    .figure("url", url).figure("http_status", r.status());
        }
        Scrape s;
        try {
            s = Scrape.read(r.body(), r.mediaType() != null && r.mediaType().contains("openmetrics")
                    ? ExpositionFormat.OPENMETRICS : ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT,
                    url + "/metrics", System.currentTimeMillis());
        } catch (ExpositionException e) {
            return Outcome.fail("Alertmanager's /metrics at " + url + " does not parse: " + e.getMessage())
                    .fix("check that " + url + " is Alertmanager's own address").figure("url", url);
        }
        return judgeNotifications(url, s, webhookUrls);
    }

    static Outcome judgeNotifications(String url, Scrape s) {
        return judgeNotifications(url, s, null);
    }

    static Outcome judgeNotifications(String url, Scrape s, List<String> webhookUrls) {
        if (s.samples(COUNTERS.get(0)).isEmpty() && s.samples(COUNTERS.get(2)).isEmpty()) {
            return Outcome.fail("Alertmanager at " + url + " exposes no alertmanager_notifications_total: it is not"
                    + " Alertmanager, or too old to say whether its notifications are delivered")
                    .fix("check that --alertmanager-url (EXLM_ALERTMANAGER_URL) points at Alertmanager").figure("url",
                            url);
        }
        // summed by integration: newer Alertmanagers split the counters by receiver and reason as well
        Map<String, long[]> by = new TreeMap<>();
        for (int k = 0; k < COUNTERS.size(); k++) {
            for (Sample x : s.samples(COUNTERS.get(k))) {
                by.computeIfAbsent(integration(x), i -> new long[COUNTERS.size()])[k] += (long) x.value();
            }
        }
        List<Integration> used = new ArrayList<>();
        long sent = 0;
        long failures = 0;
        long attempts = 0;
        long failedAttempts = 0;
        for (Map.Entry<String, long[]> e : by.entrySet()) {
            long[] c = e.getValue();
            if (c[0] > 0 || c[1] > 0 || c[2] > 0 || c[3] > 0) {
                used.add(new Integration(e.getKey(), c[0], c[1], c[2], c[3]));
                sent += c[0];
                failures += c[1];
                attempts += c[2];
                failedAttempts += c[3];
            }
        }
        List<String> details = new ArrayList<>();
        boolean refused = false;
        for (Integration i : used) {
            if (i.failing()) {
                details.add(i.integration() + ": " + i.failedAttempts() + " of " + i.attempts() + " delivery attempts"
                        + " and " + i.failed() + " of " + i.notifications() + " notifications failed since"
                        + " Alertmanager started");
                refused |= i.refused();
            }
        }
        Outcome o;
        if (sent == 0 && attempts == 0) {
            o = Outcome.ok("Alertmanager has sent no notification yet (no alert has been routed to a receiver)");
        } else if (failures == 0 && failedAttempts == 0) {
            o = Outcome.ok(sent + " notification" + (sent == 1 ? "" : "s") + " sent since Alertmanager started, none"
                    + " failed (" + String.join(", ", used.stream().map(i -> i.integration() + " "
                            + i.notifications()).toList()) + ")");
        } else {
            String summary = "notifications fail: " + failedAttempts + " of " + attempts + " delivery attempts and "
                    + failures + " of " + sent + " notifications failed since Alertmanager started ("
                    + String.join(", ", used.stream().filter(Integration::failing).map(Integration::integration)
                            .toList()) + ")";
            // every attempt of an integration failed: its receiver refuses now. Some failed: they may be past (a
            // receiver restarted); the counters cannot say when, AlertmanagerNotificationsFailing can
            List<String> failing = used.stream().filter(Integration::failing).map(Integration::integration).toList();
            if (failing.equals(List.of("webhook")) && placeholderOnly(webhookUrls)) {
                // nobody configured a receiver: nothing is broken that worked, but alerts reach no one
                return Outcome.warn("no alert receiver is configured: Alertmanager sends its notifications to"
                        + " exlm-mon's placeholder " + Setting.ALERT_WEBHOOK_URL.defaultValue() + ", and "
                        + failedAttempts + " of " + attempts + " delivery attempts failed there; alerts reach no"
                        + " one").details(details).fix("set alertmanager.webhook-url (EXLM_ALERT_WEBHOOK_URL) to"
                                + " your receiver and run exlm-mon up again; a stack for a CI smoke test needs"
                                + " none").figure("url", url).figure("notifications", sent).figure("failed", failures)
                        .figure("attempts", attempts).figure("failed_attempts", failedAttempts)
                        .figure("integrations", used).figure("placeholder_receiver", true);
            }
            o = refused ? Outcome.fail(summary + ": its receiver refuses them")
                    : Outcome.warn(summary + "; the counters do not say when: AlertmanagerNotificationsFailing fires"
                            + " while they go on");
            o.details(details).fix("the receiver does not accept them: check that it runs and answers at its URL"
                    + " (alertmanager.webhook-url, EXLM_ALERT_WEBHOOK_URL; exlm-mon up writes it into"
                    + " alertmanager.yml), and read why in Alertmanager's log (\"Notify attempt failed\")");
        }
        return o.figure("url", url).figure("notifications", sent).figure("failed", failures)
                .figure("attempts", attempts).figure("failed_attempts", failedAttempts).figure("integrations", used);
    }

    private static String integration(Sample s) {
        String i = s.labels().get("integration");
        return i == null || i.isEmpty() ? "unknown" : i;
    }

    static Outcome ready(DoctorEnv env) {
        String url = env.alertmanagerUrl();
        return Remedies.answering("Alertmanager", Setting.ALERTMANAGER_URL, url, Remedies.runtimeAt(env, url),
                () -> env.alertmanager().raw("/-/ready"), r -> judgeReady(env, url, r));
    }

    private static Outcome judgeReady(DoctorEnv env, String url, HttpResponse r) {
        if (!r.ok()) {
            return Outcome.fail("Alertmanager at " + url + " is not ready: /-/ready answered HTTP " + r.status())
                    .fix("it is starting, or cannot read its configuration or its data directory: see its log")
                    .figure("url", url).figure("http_status", r.status());
        }
        String version = null;
        String cluster = null;
        try {
            JsonNode st = env.alertmanager().status();
            version = st.path("versionInfo").path("version").asText(null);
            cluster = st.path("cluster").path("status").asText(null);
        } catch (RuntimeException e) {
            // the version and cluster state are only figures
        }
        return Outcome.ok("Alertmanager " + (version == null ? "" : version + " ") + "is ready at " + url
                + (cluster == null ? "" : " (cluster " + cluster + ")")).figure("url", url)
                .figure("version", version).figure("cluster", cluster);
    }
}
