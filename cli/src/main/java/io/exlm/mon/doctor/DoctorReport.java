package io.exlm.mon.doctor;

import io.exlm.mon.ExitCode;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Every check of one run, and the verdict over them. */
public record DoctorReport(List<CheckResult> results, long elapsedMillis, boolean strict) {

    public Map<Status, Integer> counts() {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) {
            m.put(s, 0);
        }
        results.forEach(r -> m.merge(r.status(), 1, Integer::sum));
        return m;
    }

    /**
     * The root cause of each check whose verdict follows from another's failure or skip, by id ({@link RootCauses}):
     * what a report lists it under, and {@code caused_by} in JSON.
     */
    public Map<String, String> causes() {
        return RootCauses.of(results);
    }

    /**
     * What {@code doctor --problems} keeps: the checks that are not ok (failed, warning, warming up) and those skipped
     * because something failed; not those skipped because they do not apply here. In report order.
     */
    public List<CheckResult> problems() {
        Map<String, String> causes = causes();
        Map<String, CheckResult> byId = new java.util.HashMap<>();
        results.forEach(r -> byId.put(r.id(), r));
        return results.stream().filter(r -> r.status() != Status.OK && (r.status() != Status.SKIP
                || causes.containsKey(r.id()) && byId.get(causes.get(r.id())).status() == Status.FAIL)).toList();
    }

    /** Whether a result fails the run: a failure, or with --strict a warning. */
    public boolean fails(CheckResult r) {
        return r.status() == Status.FAIL || strict && r.status() == Status.WARN;
    }

    /** No endpoint answered any check, and at least one was tried. */
    public boolean nothingReached() {
        boolean tried = false;
        for (CheckResult r : results) {
            if (r.reach() == Reach.REACHED) {
                return false;
            }
            tried |= r.reach() == Reach.UNREACHABLE;
        }
        return tried;
    }

    /**
     * 0 nothing failed (warnings allowed unless strict), 1 something failed, 3 nothing could be reached at all,
     * 4 a check crashed (a bug).
     */
    public int exitCode() {
        if (results.stream().anyMatch(CheckResult::crashed)) {
            return ExitCode.INTERNAL;
        }
        if (nothingReached()) {
            return ExitCode.UNREACHABLE;
        }
        return results.stream().anyMatch(this::fails) ? ExitCode.UNHEALTHY : ExitCode.OK;
    }

    /**
     * The worst status over the checks that ran: ok, warming up (data that cannot exist yet, and nothing worse), warn
     * or fail (skips do not count). A run that reached nothing at all (exit 3) is a failure, also when each of its
     * checks was skipped for it: its verdict must never read ok.
     */
    public Status status() {
        if (nothingReached()) {
            return Status.FAIL;
        }
        Status worst = Status.OK;
        for (CheckResult r : results) {
            if (r.status() == Status.FAIL) {
                return Status.FAIL;
            }
            if (r.status() == Status.WARN || r.status() == Status.WARMING && worst == Status.OK) {
                worst = r.status();
            }
        }
        return worst;
    }

    /** Whether some check waits for data that cannot exist yet. */
    public boolean warmingUp() {
        return results.stream().anyMatch(r -> r.status() == Status.WARMING);
    }

    /** When the last of the data that warming-up checks wait for will exist; null when none is warming up. */
    public java.time.Instant settledBy() {
        java.time.Instant last = null;
        for (CheckResult r : results) {
            if (r.expectedAt() != null && (last == null || r.expectedAt().isAfter(last))) {
                last = r.expectedAt();
            }
        }
        return last;
    }
}
