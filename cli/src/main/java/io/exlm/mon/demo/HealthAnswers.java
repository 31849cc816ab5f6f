package io.exlm.mon.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The demo's health answers: the output contract of {@code /api/v1/health}, {@code /live}, {@code /ready} and
 * {@code /metrics} under it, which {@code health}, the doctor and a user's own probes read, in the shapes the
 * guide's backend answers in. Jackson writes the fields in component order, snake_case; the goldens
 * {@code demo-answer-*.json} ({@code DemoAnswersGoldenTest}) hold them.
 */
final class HealthAnswers {
    private HealthAnswers() {
    }

    /** {@code /api/v1/health}: always {@code healthy}, with the backend's version, environment and service. */
    record Health(String status, String timestamp, String version, String environment, String service) {
    }

    /** {@code /api/v1/health/live}: always {@code alive}, with the seconds since start (to 0.1) and the pid. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Live(String status, String timestamp, double uptimeSeconds, long pid) {
    }

    /**
     * {@code /api/v1/health/ready}: {@code ready} or {@code not_ready}, each dependency's check by name (database,
     * redis, disk, memory), and the names of the failing ones, only when there are.
     */
    record Ready(String status, String timestamp, Map<String, Readiness.Check> checks,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<String> failed) {
    }

    /**
     * {@code /api/v1/health/metrics}: the host's CPU, memory and disk use in percent (to 0.1), the disk's path,
     * whether the readings are made up (a scenario's), where they come from and the scenario.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SystemMetrics(String timestamp, double cpuUsagePercent, double memoryUsagePercent,
            double diskUsagePercent, String diskPath, boolean synthetic, String source, String scenario) {
    }
}
