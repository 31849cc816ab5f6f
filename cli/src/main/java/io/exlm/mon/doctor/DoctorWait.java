package io.exlm.mon.doctor;

import io.exlm.mon.ExitCode;
import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/** {@code doctor --wait}: on a young stack, the checks again until nothing is warming up. */
public final class DoctorWait {
    private DoctorWait() {
    }

    /**
     * One run; with --wait, runs again while checks are warming up and nothing failed, each time at the earliest
     * time a warming-up check expects its data (at least a second later), until the deadline; {@code say} gets
     * what a person waiting should know (with {@code verbose}, each new run).
     */
    public static DoctorReport settled(List<Check> selected, DoctorEnv env, Doctor.Options options,
            boolean strict, Duration wait, boolean verbose, Consumer<String> say) {
        DoctorReport report = Doctor.run(selected, env, options, strict);
        if (wait == null) {
            return report;
        }
        Instant deadline = env.clock().instant().plus(wait);
        while (report.warmingUp() && report.exitCode() == ExitCode.OK) {
            Instant now = env.clock().instant();
            if (!now.isBefore(deadline)) {
                say.accept("still warming up after --wait " + Durations.format(wait)
                        + "; the missing data is expected by " + Warmup.clock(report.settledBy()));
                return report;
            }
            Instant next = null;
            for (CheckResult r : report.results()) {
                if (r.expectedAt() != null && (next == null || r.expectedAt().isBefore(next))) {
                    next = r.expectedAt();
                }
            }
            Instant at = next == null || next.isBefore(now.plusSeconds(1)) ? now.plusSeconds(1) : next;
            if (at.isAfter(deadline)) {
                at = deadline;
            }
            if (verbose) {
                say.accept(report.counts().get(Status.WARMING) + " checks warming up; again at " + Warmup.clock(at));
            }
            try {
                Thread.sleep(Math.max(1, Duration.between(now, at).toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
            env = env.again();
            report = Doctor.run(selected, env, options, strict);
        }
        return report;
    }
}
