package io.exlm.mon.tui;

import io.exlm.mon.ExitException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls a feed on its own thread: one request in flight at a time, the refresh interval between the end of one
 * poll and the start of the next, and a failing source backed off (doubling up to 30 s) instead of piled on.
 */
public final class Poller implements AutoCloseable {
    static final long MAX_BACKOFF_MILLIS = 30_000;

    private final Feed feed;
    private final DashboardState state;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean stopped;
    private boolean refreshRequested;
    private int failures;
    private volatile long polls;

    public Poller(Feed feed, DashboardState state) {
        this.feed = feed;
        this.state = state;
        this.thread = new Thread(this::loop, "exlm-top-poller");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Polls now instead of at the end of the interval (the {@code r} key, or a changed interval). */
    public void refreshNow() {
        lock.lock();
        try {
            refreshRequested = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Polls completed, successful or not. */
    public long polls() {
        return polls;
    }

    /** One poll, on the caller's thread; for headless use. */
    public boolean pollOnce() {
        try {
            state.update(feed.poll(), System.currentTimeMillis());
            failures = 0;
            return true;
        } catch (ExitException e) {
            state.failed(e.getMessage());
            failures++;
            return false;
        } catch (RuntimeException e) {
            // a bug must not end the polling: the header says so, and the next poll tries again
            state.failed("internal error: " + e + " (a bug; please report it)");
            failures++;
            return false;
        } finally {
            polls++;
        }
    }

    private void loop() {
        while (!stopped) {
            if (!state.paused()) {
                pollOnce();
            }
            long delay = state.intervalMillis();
            delay = io.exlm.mon.Backoff.delayMillis(delay, failures, MAX_BACKOFF_MILLIS);
            lock.lock();
            try {
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay);
                while (!stopped && !refreshRequested) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wake.awaitNanos(left);
                }
                refreshRequested = false;
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public void close() {
        stopped = true;
        refreshNow();
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        feed.close();
    }
}
