package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpResponse;
import java.util.List;

/** Alertmanager, which routes the alerts Prometheus fires. */
final class AlertmanagerChecks {
    private AlertmanagerChecks() {
    }

    static List<Check> all() {
        return List.of(new Check("alertmanager.ready", "Alertmanager is running and ready", List.of(),
                AlertmanagerChecks::ready));
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
