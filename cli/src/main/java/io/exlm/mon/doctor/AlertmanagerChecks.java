package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.config.Setting;
import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Alertmanager, which routes the alerts Prometheus fires. */
final class AlertmanagerChecks {
    private AlertmanagerChecks() {
    }

    static List<Check> all() {
        return List.of(new Check("alertmanager.ready", "Alertmanager is running and ready", List.of(),
                AlertmanagerChecks::ready),
                new Check("alertmanager.notifications", "Alertmanager's notifications reach their receivers",
                        List.of("alertmanager.ready"), AlertmanagerChecks::notifications));
    }

    /** Notification attempts and failures of one integration (webhook, email, ...), since Alertmanager started. */
    record Integration(String integration, long notifications, long failed) {
    }

    /**
     * alertmanager_notifications_total and alertmanager_notifications_failed_total from Alertmanager's /metrics:
     * every notification through a receiver that refuses (the log's "Notify attempt failed") is a failure here, where
     * Prometheus's view of Alertmanager stays green.
     */
    static Outcome notifications(DoctorEnv env) {
        String url = env.alertmanagerUrl();
        return Remedies.answering("Alertmanager", Setting.ALERTMANAGER_URL, url,
                () -> env.alertmanager().raw("/metrics"), r -> judgeNotifications(url, r));
    }

    static Outcome judgeNotifications(String url, HttpResponse r) {
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
        return judgeNotifications(url, s);
    }

    static Outcome judgeNotifications(String url, Scrape s) {
        List<Sample> total = s.samples("alertmanager_notifications_total");
        List<Sample> failed = s.samples("alertmanager_notifications_failed_total");
        if (total.isEmpty() && failed.isEmpty()) {
            return Outcome.fail("Alertmanager at " + url + " exposes no alertmanager_notifications_total: it is not"
                    + " Alertmanager, or too old to say whether its notifications are delivered")
                    .fix("check that --alertmanager-url (EXLM_ALERTMANAGER_URL) points at Alertmanager").figure("url",
                            url);
        }
        // summed by integration: newer Alertmanagers split the counters by receiver and reason as well
        Map<String, long[]> by = new TreeMap<>();
        for (Sample t : total) {
            by.computeIfAbsent(integration(t), k -> new long[2])[0] += (long) t.value();
        }
        for (Sample f : failed) {
            by.computeIfAbsent(integration(f), k -> new long[2])[1] += (long) f.value();
        }
        List<Integration> used = new ArrayList<>();
        long sent = 0;
        long failures = 0;
        for (Map.Entry<String, long[]> e : by.entrySet()) {
            if (e.getValue()[0] > 0 || e.getValue()[1] > 0) {
                used.add(new Integration(e.getKey(), e.getValue()[0], e.getValue()[1]));
                sent += e.getValue()[0];
                failures += e.getValue()[1];
            }
        }
        List<String> details = new ArrayList<>();
        boolean allFailing = false;
        for (Integration i : used) {
            if (i.failed() > 0) {
                details.add(i.failed() + " of " + i.notifications() + " notifications through " + i.integration()
                        + " failed since Alertmanager started");
                allFailing |= i.failed() >= i.notifications();
            }
        }
        Outcome o;
        if (sent == 0 && failures == 0) {
            o = Outcome.ok("Alertmanager has sent no notification yet (no alert has been routed to a receiver)");
        } else if (failures == 0) {
            o = Outcome.ok(sent + " notification" + (sent == 1 ? "" : "s") + " sent since Alertmanager started, none"
                    + " failed (" + String.join(", ", used.stream().map(i -> i.integration() + " "
                            + i.notifications()).toList()) + ")");
        } else {
            String summary = failures + " of " + sent + " notifications failed since Alertmanager started ("
                    + String.join(", ", used.stream().filter(i -> i.failed() > 0).map(i -> i.integration() + " "
                            + i.failed() + " of " + i.notifications()).toList()) + ")";
            // every attempt of an integration failed: its receiver refuses now. Some failed: they may be past (a
            // receiver restarted); the counters cannot say when, AlertmanagerNotificationsFailing can
            o = allFailing ? Outcome.fail(summary + ": its receiver refuses them")
                    : Outcome.warn(summary + "; the counters do not say when: AlertmanagerNotificationsFailing fires"
                            + " while they go on");
            o.details(details).fix("the receiver does not accept them: check that it runs and answers at its URL"
                    + " (alertmanager.webhook-url, EXLM_ALERT_WEBHOOK_URL; exlm-mon up writes it into"
                    + " alertmanager.yml), and read why in Alertmanager's log (\"Notify attempt failed\")");
        }
        return o.figure("url", url).figure("notifications", sent).figure("failed", failures)
                .figure("integrations", used);
    }

    private static String integration(Sample s) {
        String i = s.labels().get("integration");
        return i == null || i.isEmpty() ? "unknown" : i;
    }

    static Outcome ready(DoctorEnv env) {
        String url = env.alertmanagerUrl();
        return Remedies.answering("Alertmanager", Setting.ALERTMANAGER_URL, url,
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
