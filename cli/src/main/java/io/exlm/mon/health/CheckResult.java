package io.exlm.mon.health;

import io.exlm.mon.http.HttpFailure;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one health endpoint.
 *
 * @param name         the check's name ({@code basic}, {@code ready}, or the URL for {@code --url})
 * @param httpStatus   0 when no answer was received
 * @param format       which document format was recognised ({@code exlm}, {@code spring-actuator}, ...)
 * @param summary      one line for the table
 * @param error        the one-line failure when unreachable, else null
 * @param failureKind  what kind of transport failure, else null
 */
public record CheckResult(String name, String url, HealthStatus status, int httpStatus, long latencyMillis,
        String format, String summary, List<Dependency> dependencies, Map<String, Object> values, String error,
        HttpFailure.Kind failureKind) {

    public List<Dependency> failedDependencies() {
        return dependencies.stream().filter(Dependency::failed).toList();
    }
}
