package io.exlm.mon.health;

import io.exlm.mon.ExitCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Every check of one run, and the verdict over all of them.
 *
 * @param checks               each check's last outcome, in the order asked for
 * @param traces               each check's history over the attempts, in the same order
 * @param attempts             attempts made (1 without {@code --wait})
 * @param successThreshold     consecutive passing attempts the verdict asked for
 * @param consecutiveSuccesses passing attempts at the end, in a row
 */
public record HealthReport(String target, List<CheckResult> checks, List<CheckTrace> traces, int attempts,
        long elapsedMillis, int successThreshold, int consecutiveSuccesses) {

    public HealthReport {
        if (traces.size() != checks.size()) {
            throw new IllegalArgumentException(traces.size() + " traces for " + checks.size() + " checks");
        }
    }

    /** One attempt, no history: the checks as they are now. */
    public static HealthReport once(String target, List<CheckResult> checks, long elapsedMillis) {
        List<CheckTrace> traces = new ArrayList<>();
        for (CheckResult c : checks) {
            traces.add(CheckTrace.once(c.status().passes()));
        }
        boolean pass = checks.stream().allMatch(c -> c.status().passes());
        return new HealthReport(target, checks, traces, 1, elapsedMillis, 1, pass ? 1 : 0);
    }

    /** Whether every check passed in the last attempt. */
    public boolean lastAttemptPassed() {
        return worst().passes();
    }

    /**
     * Whether the checks passed in fewer consecutive attempts than asked for: each passes now, but the verdict is
     * not healthy yet.
     */
    public boolean belowThreshold() {
        return lastAttemptPassed() && consecutiveSuccesses < successThreshold;
    }

    /** The worst status of all checks; unhealthy when they all pass but not yet often enough in a row. */
    public HealthStatus status() {
        HealthStatus worst = worst();
        return belowThreshold() ? HealthStatus.UNHEALTHY : worst;
    }

    private HealthStatus worst() {
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

    /** The names of the checks that flapped: passed in an attempt, failed in a later one. */
    public List<String> flapping() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            if (traces.get(i).flapping()) {
                names.add(checks.get(i).name());
            }
        }
        return names;
    }

    /** 0 all healthy, 1 reachable but unhealthy (or not yet passing often enough), 3 unreachable or unintelligible. */
    public int exitCode() {
        return switch (status()) {
            case HEALTHY, WARN -> ExitCode.OK;
            case UNHEALTHY -> ExitCode.UNHEALTHY;
            case UNREACHABLE -> ExitCode.UNREACHABLE;
        };
    }
}
