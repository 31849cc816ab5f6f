package io.exlm.mon.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for a real process to reach a state: a poll with a deadline, never a sleep as synchronisation. */
public final class Polls {
    private Polls() {
    }

    /**
     * Polls {@code condition} every 100 ms until it holds; fails when {@code process} exits first or the deadline
     * passes. A condition that throws is "not yet" (the process is still starting).
     */
    public static void await(Duration timeout, BooleanSupplier condition, Process process, String name)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue());
            }
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("condition not met within " + timeout);
    }

    /** Polls {@code condition} every 20 ms until it holds; fails, naming {@code what}, when the deadline passes. */
    public static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
