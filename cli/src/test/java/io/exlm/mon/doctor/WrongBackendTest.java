package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.Target;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * --backend-url pointed at another service, a common slip (the node exporter's port): doctor says whose /metrics it
 * is and where Prometheus scrapes the real backend, on a real node_exporter's exposition.
 */
class WrongBackendTest {
    @Test
    void theNodeExportersMetricsAreNamedAsSuchWithTheAddressPrometheusScrapes() throws Exception {
        byte[] body;
        try (InputStream in = getClass().getResourceAsStream("/io/exlm/mon/expo/node-exporter.txt")) {
            body = in.readAllBytes();
        }
        Map<String, Object> f = new HashMap<>();
        f.put("backend.scrape", Scrape.read(body, ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "node", 0));
        f.put("prometheus.targets", List.of(new Target("exlm-backend", "10.0.0.7:8000", "exlm-backend",
                "http://10.0.0.7:8000/metrics", "up", "", "2026-01-10T08:00:00Z", 0.01, "15s", "10s", Map.of())));
        DoctorEnv env = new DoctorEnv(null, "http://prom", "http://127.0.0.1:9100", "http://am", "http://g",
                Duration.ofSeconds(15), "test", new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null,
                null, null, null, new Facts(f), Clock.systemUTC());
        Outcome o = BackendChecks.catalog(env);
        assertThat(o.status()).isEqualTo(Status.FAIL);
        assertThat(o.summary()).matches("none of the catalog metrics is exposed: http://127.0.0.1:9100/metrics is the"
                + " node exporter's \\(\\d+ node_\\* families\\) /metrics, not the exlm backend's");
        assertThat(o.details()).singleElement().asString().startsWith("missing: http_requests_total,")
                .contains("cache_hits", "celery_tasks_active");
        assertThat(o.remediation()).isEqualTo("point --backend-url (EXLM_BACKEND_URL, backend.url) at the exlm"
                + " backend: Prometheus scrapes job exlm-backend at http://10.0.0.7:8000/metrics");
    }

    @Test
    void metricsAreCheckedWhetherOrNotTheHealthEndpointsAnswer() {
        Check metrics = Checks.all().stream().filter(c -> c.id().equals(BackendChecks.METRICS)).findFirst()
                .orElseThrow();
        assertThat(metrics.requires()).isEmpty();
    }
}
