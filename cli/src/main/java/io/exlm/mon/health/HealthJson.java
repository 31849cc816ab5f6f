package io.exlm.mon.health;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The document of {@code health -o json}: the contract the README's "health -o json" states and the golden files
 * ({@code HealthJsonGoldenTest}) hold. Fields are written in record order, in snake_case, nulls included.
 */
public final class HealthJson {
    private HealthJson() {
    }

    /** The whole run: the verdict, the wait's figures, and each check. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Document(String target, String status, boolean healthy, int exitCode, int attempts, long elapsedMs,
            int successThreshold, int consecutiveSuccesses, List<String> flapping, List<Check> checks) {
    }

    /**
     * One endpoint: its last answer, and its story over the attempts ({@code firstPassedAttempt} and
     * {@code failedAgainAttempt} null when it never did).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Check(String name, String url, String status, Integer httpStatus, long latencyMs, String format,
            String summary, List<DependencyState> dependencies, List<String> failedDependencies,
            Map<String, Object> values, String error, String errorKind, int attemptsPassed,
            Integer firstPassedAttempt, Integer failedAgainAttempt, boolean flapping) {
    }

    /**
     * One dependency: {@code status} in the document's words (ok, warn, failed, not_configured), {@code word} as the
     * service wrote it, {@code healthy} null when it is not configured.
     */
    public record DependencyState(String name, String status, String word, Boolean healthy, String detail) {
    }

    /** The words a dependency's status is written in, in the order the README lists them. */
    public static final List<String> DEPENDENCY_WORDS = List.of("ok", "warn", "failed", "not_configured");

    /** A dependency's state in the document's words. */
    private static String dependencyStatus(Dependency d) {
        if (d.status() == null) {
            return "not_configured";
        }
        return switch (d.status()) {
            case HEALTHY -> "ok";
            case WARN -> "warn";
            default -> "failed";
        };
    }

    public static Document of(HealthReport report) {
        List<Check> checks = new ArrayList<>();
        for (int i = 0; i < report.checks().size(); i++) {
            CheckResult c = report.checks().get(i);
            CheckTrace t = report.traces().get(i);
            List<DependencyState> deps = new ArrayList<>();
            for (Dependency d : c.dependencies()) {
                deps.add(new DependencyState(d.name(), dependencyStatus(d), d.word(),
                        d.status() == null ? null : d.status().passes(), d.detail()));
            }
            checks.add(new Check(c.name(), c.url(), c.status().label(), c.httpStatus() == 0 ? null : c.httpStatus(),
                    c.latencyMillis(), c.format(), c.summary(), deps,
                    c.failedDependencies().stream().map(Dependency::name).toList(), c.values(), c.error(),
                    c.failureKind() == null ? null : c.failureKind().name().toLowerCase(Locale.ROOT), t.passed(),
                    t.firstPassed() == 0 ? null : t.firstPassed(), t.failedAgain() == 0 ? null : t.failedAgain(),
                    t.flapping()));
        }
        return new Document(report.target(), report.status().label(), report.healthy(), report.exitCode(),
                report.attempts(), report.elapsedMillis(), report.successThreshold(), report.consecutiveSuccesses(),
                report.flapping(), checks);
    }
}
