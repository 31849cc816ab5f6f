package io.exlm.mon.health;

/**
 * What one check did over the attempts of a {@code --wait}. A check is <em>flapping</em> when it passed in one
 * attempt and failed in a later one, whatever it did after: it came up and went down again, which is not the same as
 * never coming up.
 *
 * @param attempts          attempts in which this check ran
 * @param passed            of those, how many it passed
 * @param firstPassed       the attempt (from 1) it first passed in; 0 when it never passed
 * @param failedAgain       the first attempt after {@code firstPassed} that it failed; 0 when none
 */
public record CheckTrace(int attempts, int passed, int firstPassed, int failedAgain) {
    /** A single attempt: passed or not, nothing to flap. */
    public static CheckTrace once(boolean passed) {
        return new CheckTrace(1, passed ? 1 : 0, passed ? 1 : 0, 0);
    }

    /** This trace after one more attempt, the {@code attempt}-th of the wait. */
    public CheckTrace then(int attempt, boolean pass) {
        int first = firstPassed == 0 && pass ? attempt : firstPassed;
        int again = failedAgain == 0 && firstPassed > 0 && !pass ? attempt : failedAgain;
        return new CheckTrace(attempts + 1, passed + (pass ? 1 : 0), first, again);
    }

    public boolean flapping() {
        return failedAgain > 0;
    }

    public boolean neverPassed() {
        return passed == 0;
    }
}
