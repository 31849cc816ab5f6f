package io.exlm.mon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthDocumentTest {
    private static HttpResponse response(int status, String contentType, String body) {
        return new HttpResponse("http://x/health", status, contentType, Map.of(),
                body.getBytes(StandardCharsets.UTF_8), 1);
    }

    @Test
    void exlmBasic() {
        HealthDocument.Reading r = HealthDocument.read(response(200, "application/json",
                "{\"status\":\"healthy\",\"timestamp\":\"2025-01-07T10:00:00.000Z\",\"version\":\"0.1.0\","
                        + "\"environment\":\"development\",\"service\":\"exlm-backend\"}"));
        assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
        assertThat(r.format()).isEqualTo("exlm");
        assertThat(r.summary()).isEqualTo("exlm-backend 0.1.0 (development)");
    }

    @Test
    void exlmReadyNamesTheFailedDependency() {
        HealthDocument.Reading r = HealthDocument.read(response(503, "application/json",
                "{\"status\":\"not_ready\",\"checks\":{\"database\":{\"status\":\"fail\",\"error\":\"connection"
                        + " refused\"},\"redis\":{\"status\":\"not_configured\"},\"disk\":{\"status\":\"ok\","
                        + "\"usage_percent\":40.2}}}"));
        assertThat(r.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(r.failedDependencies()).extracting(Dependency::name).containsExactly("database");
        assertThat(r.failedDependencies().get(0).detail()).isEqualTo("connection refused");
        assertThat(r.dependencies()).filteredOn(d -> d.name().equals("redis")).first()
                .satisfies(d -> assertThat(d.status()).isNull());
    }

    @Test
    void springBootActuatorWithNestedComponents() {
        HealthDocument.Reading r = HealthDocument.read(response(503, "application/vnd.spring-boot.actuator.v3+json",
                "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\",\"details\":{\"error\":"
                        + "\"org.postgresql.util.PSQLException: Connection refused\"}},\"diskSpace\":{\"status\":"
                        + "\"UP\"},\"redis\":{\"status\":\"UP\",\"components\":{\"primary\":{\"status\":\"UP\"}}}}}"));
        assertThat(r.format()).isEqualTo("spring-actuator");
        assertThat(r.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(r.failedDependencies()).extracting(Dependency::name).containsExactly("db");
        assertThat(r.dependencies()).extracting(Dependency::name).contains("diskSpace", "redis.primary");
    }

    @Test
    void springUp() {
        HealthDocument.Reading r = HealthDocument.read(response(200, "application/json", "{\"status\":\"UP\"}"));
        assertThat(r.status()).isEqualTo(HealthStatus.HEALTHY);
    }

    @Test
    void healthJsonDraft() {
        HealthDocument.Reading warn = HealthDocument.read(response(200, "application/health+json",
                "{\"status\":\"warn\",\"output\":\"slow disk\",\"checks\":{\"disk:utilization\":[{\"status\":"
                        + "\"warn\",\"observedValue\":91,\"observedUnit\":\"percent\"}],\"db:responseTime\":[{"
                        + "\"componentId\":\"primary\",\"status\":\"pass\"}]}}"));
        assertThat(warn.format()).isEqualTo("health+json");
        assertThat(warn.status()).isEqualTo(HealthStatus.WARN);
        assertThat(warn.status().passes()).isTrue();
        assertThat(warn.dependencies()).extracting(Dependency::name).containsExactly("disk:utilization",
                "db:responseTime (primary)");

        HealthDocument.Reading fail = HealthDocument.read(response(503, "application/health+json",
                "{\"status\":\"fail\",\"checks\":{\"db:connections\":[{\"status\":\"fail\",\"output\":\"pool"
                        + " exhausted\"}]}}"));
        assertThat(fail.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(fail.failedDependencies().get(0).detail()).isEqualTo("pool exhausted");
    }

    @Test
    void plainTextJudgedByStatus() {
        assertThat(HealthDocument.read(response(200, "text/plain", "Prometheus Server is Healthy.\n")).status())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(HealthDocument.read(response(503, "text/plain", "Service Unavailable")).status())
                .isEqualTo(HealthStatus.UNHEALTHY);
        assertThatThrownBy(() -> HealthDocument.read(response(500, "text/plain", "boom")))
                .isInstanceOf(HttpFailure.class).hasMessageContaining("HTTP 500");
    }

    @Test
    void healthyWordUnderAnErrorStatusIsNotBelieved() {
        assertThat(HealthDocument.read(response(500, "application/json", "{\"status\":\"ok\"}")).status())
                .isEqualTo(HealthStatus.UNHEALTHY);
    }

    @Test
    void unknownStatusWordIsUnintelligible() {
        assertThatThrownBy(() -> HealthDocument.read(response(200, "application/json", "{\"status\":\"banana\"}")))
                .isInstanceOf(HttpFailure.class).hasMessageContaining("status 'banana'");
    }

    @Test
    void errorWithoutHealthDocumentIsAStatusFailure() {
        assertThatThrownBy(() -> HealthDocument.read(response(404, "application/json", "{\"detail\":\"Not Found\"}")))
                .isInstanceOf(HttpFailure.class).hasMessageContaining("HTTP 404 Not Found (Not Found)")
                .hasMessageContaining("no such endpoint");
    }

    @Test
    void systemMetricsWarnAboveTheAlertThresholds() {
        HealthDocument.Reading r = HealthDocument.read(response(200, "application/json",
                "{\"cpu_usage_percent\":93.5,\"memory_usage_percent\":40,\"disk_usage_percent\":95.1,"
                        + "\"synthetic\":true}"));
        assertThat(r.format()).isEqualTo("exlm-metrics");
        assertThat(r.status()).isEqualTo(HealthStatus.WARN);
        assertThat(r.summary()).contains("cpu 93.5%", "(synthetic)", "cpu above 80%", "disk above 90%");
        assertThat(r.values()).containsEntry("cpu_usage_percent", 93.5);
    }
}
