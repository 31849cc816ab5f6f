package io.exlm.mon.tui;

import io.exlm.mon.ExitException;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.source.Source;
import io.exlm.mon.source.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls a source on its own thread, each snapshot turned into the dashboard's panels by the panel specification: one
 * request in flight at a time, the refresh interval between the end of one poll and the start of the next, and a
 * failing source backed off (doubling up to 30 s) instead of piled on.
 * <p>
 * With a source that remembers (Prometheus), the first poll for a time shown (now at start, or the time the keys
 * went to) first fills the histories from the source's history up to that time, at the refresh interval
 * ({@link DashboardState#backfill}); a past time, once read, is not read again until the time shown changes.
 */
public final class Poller implements AutoCloseable {
    static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Waits before the next poll; returns early when woken (refresh, close). */
    interface Pause {
        void await(long millis) throws InterruptedException;
    }

    private final Source source;
    private final DashboardState state;
    private final Clock clock;
    private final Pause pause;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean stopped;
    private boolean refreshRequested;
    private int failures;
    private volatile int failureCode = io.exlm.mon.ExitCode.UNREACHABLE;
    private volatile long polls;
    private boolean backfill;
    /** The generation of the time shown whose history has been filled, and whose past figures have been read. */
    private long filled = -1;
    private volatile long read = -1;

    public Poller(Source source, DashboardState state) {
        this(source, state, Clock.systemUTC(), null);
    }

    /** With the clock that stamps each update, and (for tests) the wait between polls; null for the real one. */
    Poller(Source source, DashboardState state, Clock clock, Pause pause) {
        this.source = source;
        this.state = state;
        this.clock = clock;
        this.pause = pause != null ? pause : this::awaitWake;
        this.thread = new Thread(this::loop, "exlm-top-poller");
        thread.setDaemon(true);
        this.backfill = source.remembers();
    }

    /** Whether to fill the histories from the source (when it remembers; by default): not for a JSON document. */
    public Poller backfill(boolean on) {
        backfill = on && source.remembers();
        return this;
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

    /** The exit code of the last failed poll: 3 for an endpoint, 4 for a bug or a full heap. */
    public int failureCode() {
        return failureCode;
    }

    /** Polls completed, successful or not. */
    public long polls() {
        return polls;
    }

    /** Whether a poll would read anything new: a past time's figures do not change, read once until it moves. */
    public boolean due() {
        DashboardState.Travel t = state.travel();
        return !(t.past() && read == t.generation());
    }

    /** One poll, on the caller's thread; for headless use. */
    public boolean pollOnce() {
        DashboardState.Travel t = state.travel();
        long began = clock.millis();
        try {
            if (backfill && filled != t.generation()) {
                history(t);
            }
            if (t.past()) {
                state.update(t.generation(), SnapshotPanels.of(source.snapshot(Instant.ofEpochMilli(t.atMillis()))),
                        clock.millis());
                read = t.generation();
            } else {
                state.update(t.generation(), SnapshotPanels.of(source.snapshot()), clock.millis());
            }
            // a history that could not be had while the figures could is not asked for again at each poll
            filled = t.generation();
            failures = 0;
            return true;
        } catch (ExitException e) {
            state.failed(e.getMessage(), true, began);
            failureCode = e.exitCode();
            failures++;
            return false;
        } catch (OutOfMemoryError e) {
            // what the poll held is garbage now: the header says so, and the next poll tries again
            state.failed(io.exlm.mon.OutOfMemory.line(), false, began);
            failureCode = io.exlm.mon.ExitCode.INTERNAL;
            failures++;
            return false;
        } catch (RuntimeException | Error e) {
            // a bug must not end the polling: the header says so, and the next poll tries again
            state.failed("internal error: " + e + " (a bug; please report it)", false, began);
            failureCode = io.exlm.mon.ExitCode.INTERNAL;
            failures++;
            return false;
        } finally {
            polls++;
        }
    }

    /**
     * The histories up to the time shown, at the refresh interval ({@link DashboardState#HISTORY} steps): a failure
     * here leaves them to fill poll by poll, and the snapshot that follows says whether the source is down.
     */
    private void history(DashboardState.Travel t) {
        long end = t.past() ? t.atMillis() : clock.millis();
        Duration step = Duration.ofMillis(Math.max(1, state.intervalMillis()));
        List<Map<io.exlm.mon.panel.PanelId, io.exlm.mon.panel.PanelState>> steps = new ArrayList<>();
        try {
            for (Snapshot s : source.history(Instant.ofEpochMilli(end), step, DashboardState.HISTORY)) {
                steps.add(SnapshotPanels.of(s));
            }
        } catch (ExitException e) {
            return;
        } catch (RuntimeException | Error e) {
            // a bug: said once by this poll's header, and not asked again, so that the next polls show the figures
            filled = t.generation();
            throw e;
        }
        state.backfill(t.generation(), steps, end);
        filled = t.generation();
    }

    /**
     * How long to wait before the next poll: the refresh interval, doubled for each failure in a row after the
     * first, at most {@link #MAX_BACKOFF_MILLIS} (the one back-off rule, {@link io.exlm.mon.Backoff}).
     */
    static long delayMillis(long intervalMillis, int failures) {
        return io.exlm.mon.Backoff.delayMillis(intervalMillis, failures, MAX_BACKOFF_MILLIS);
    }

    private void loop() {
        while (!stopped) {
            if (!state.paused() && due()) {
                pollOnce();
            }
            try {
                pause.await(delayMillis(state.intervalMillis(), failures));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void awaitWake(long millis) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!stopped && !refreshRequested) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wake.awaitNanos(left);
            }
            refreshRequested = false;
        } finally {
            lock.unlock();
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
        source.close();
    }
}
