package io.exlm.mon.health;

import io.exlm.mon.ExitCode;
import java.util.List;

/** Every check of one run, and the verdict over all of them. */
public record HealthReport(String target, List<CheckResult> checks, int attempts, long elapsedMillis) {

    /** The worst status of all checks. */
    public HealthStatus status() {
        HealthStatus worst = HealthStatus.HEALTHY;
        for (CheckResult c : checks) {
            if (c.status().ordinal() > worst.ordinal()) {
                worst = c.status();
            }
        }
        return worst;
    }

    public boolean healthy() {
        return status().passes();
    }

    /** 0 all healthy, 1 reachable but unhealthy, 3 unreachable or unintelligible. */
    public int exitCode() {
        return switch (status()) {
            case HEALTHY, WARN -> ExitCode.OK;
            case UNHEALTHY -> ExitCode.UNHEALTHY;
            case UNREACHABLE -> ExitCode.UNREACHABLE;
        };
    }
}
