package io.exlm.mon;

/**
 * The one back-off rule of exlm-mon: after consecutive failures the pause doubles, up to a cap. A pure function, so
 * that the dashboard's poller and {@code health --wait} pause alike and a test can read the whole schedule.
 */
public final class Backoff {
    /** Doublings stop after this many failures: the cap is normally reached long before. */
    static final int MAX_DOUBLINGS = 5;

    private Backoff() {
    }

    /**
     * The pause after {@code failures} consecutive failures: {@code base} for none or one, then twice as long for each
     * further failure, never more than {@code cap} once something failed.
     */
    public static long delayMillis(long baseMillis, int failures, long capMillis) {
        if (failures <= 0) {
            return baseMillis;
        }
        return Math.min(capMillis, baseMillis << Math.min(failures - 1, MAX_DOUBLINGS));
    }
}
