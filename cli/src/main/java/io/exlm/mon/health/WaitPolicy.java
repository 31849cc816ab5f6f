package io.exlm.mon.health;

import io.exlm.mon.Backoff;
import java.time.Duration;

/**
 * How {@code health --wait} spends its time, as pure functions of what is left of it, so that a test can follow every
 * decision without a clock. An attempt (every check once, concurrently) may take the request timeout or what is left
 * of the wait, whichever is less; the pause between attempts backs off while attempts fail and never reaches past the
 * deadline.
 *
 * @param length           the whole wait, from the first attempt to the verdict
 * @param interval         the pause after a passing attempt, and after the first failing one
 * @param timeout          the longest one HTTP call may take ({@code --timeout})
 * @param successThreshold consecutive passing attempts before the verdict is healthy (Kubernetes probe semantics)
 */
public record WaitPolicy(Duration length, Duration interval, Duration timeout, int successThreshold) {
    /** No attempt starts with less than this left: it could not even connect. */
    public static final Duration MIN_ATTEMPT = Duration.ofMillis(100);
    /** Consecutive failures double the pause up to this many intervals: a service that comes up is seen soon. */
    public static final int MAX_BACKOFF_INTERVALS = 4;

    public WaitPolicy {
        if (successThreshold < 1) {
            throw new IllegalArgumentException("success threshold must be at least 1, not " + successThreshold);
        }
    }

    /** What one attempt may take when {@code left} remains of the wait: the timeout, or less. */
    public Duration attemptLimit(Duration left) {
        Duration l = left.isNegative() ? Duration.ZERO : left;
        return l.compareTo(timeout) < 0 ? l : timeout;
    }

    /**
     * The pause before the next attempt, after {@code failures} consecutive failed attempts (0 when the last one
     * passed) with {@code left} remaining; null when no attempt fits before the deadline any more. The pause is cut
     * short so that the last attempt still has {@link #MIN_ATTEMPT}.
     */
    public Duration pause(int failures, Duration left) {
        long base = interval.toMillis();
        long backoff = Backoff.delayMillis(base, failures, base * MAX_BACKOFF_INTERVALS);
        long room = left.toMillis() - MIN_ATTEMPT.toMillis();
        if (room <= 0) {
            // pausing 0 would start attempt after attempt in the last moment
            return null;
        }
        return Duration.ofMillis(Math.min(backoff, room));
    }
}
