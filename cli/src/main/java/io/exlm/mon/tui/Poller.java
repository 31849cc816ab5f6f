package io.exlm.mon.tui;

import io.exlm.mon.ExitException;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.source.Source;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Polls a source on its own thread, each snapshot turned into the dashboard's panels by the panel specification: one request in flight at a time, the refresh interval between the end of one
 * poll and the start of the next, and a failing source backed off (doubling up to 30 s) instead of piled on.
 */
public final class Poller implements AutoCloseable {
    static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Waits before the next poll; returns early when woken (refresh, close). */
    interface Pause {
        void await(long millis) throws InterruptedException;
    }

    private final Source source;
    private final io.exlm.mon.panel.IncidentFeed incident;
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
    /** The instance filter the source reads now (set on this thread only). */
    private String appliedInstance;

    public Poller(Source source, DashboardState state) {
        this(source, null, state, Clock.systemUTC(), null);
    }

    /** With the alerts, breakdowns and instances of {@code incident} after each snapshot (null for none). */
    public Poller(Source source, io.exlm.mon.panel.IncidentFeed incident, DashboardState state) {
        this(source, incident, state, Clock.systemUTC(), null);
    }

    Poller(Source source, DashboardState state, Clock clock, Pause pause) {
        this(source, null, state, clock, pause);
    }

    /** With the clock that stamps each update, and (for tests) the wait between polls; null for the real one. */
    Poller(Source source, io.exlm.mon.panel.IncidentFeed incident, DashboardState state, Clock clock, Pause pause) {
        this.source = source;
        this.incident = incident;
        this.state = state;
        this.clock = clock;
        this.pause = pause != null ? pause : this::awaitWake;
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

    /** The exit code of the last failed poll: 3 for an endpoint, 4 for a bug or a full heap. */
    public int failureCode() {
        return failureCode;
    }

    /** Polls completed, successful or not. */
    public long polls() {
        return polls;
    }

    /** One poll, on the caller's thread; for headless use. */
    public boolean pollOnce() {
        try {
            if (incident != null && !java.util.Objects.equals(appliedInstance, state.instance())) {
                appliedInstance = state.instance();
                incident.instance(appliedInstance);
            }
            io.exlm.mon.source.Snapshot snapshot = source.snapshot();
            state.update(SnapshotPanels.of(snapshot), clock.millis());
            failures = 0;
            if (incident != null) {
                incident(snapshot);
            }
            return true;
        } catch (ExitException e) {
            state.failed(e.getMessage());
            failureCode = e.exitCode();
            failures++;
            return false;
        } catch (OutOfMemoryError e) {
            // what the poll held is garbage now: the header says so, and the next poll tries again
            state.failed(io.exlm.mon.OutOfMemory.line(), false);
            failureCode = io.exlm.mon.ExitCode.INTERNAL;
            failures++;
            return false;
        } catch (RuntimeException | Error e) {
            // a bug must not end the polling: the header says so, and the next poll tries again
            state.failed("internal error: " + e + " (a bug; please report it)", false);
            failureCode = io.exlm.mon.ExitCode.INTERNAL;
            failures++;
            return false;
        } finally {
            polls++;
        }
    }

    /**
     * The alerts panel, the instances and the expanded panel's breakdown, after a snapshot: each fails alone, in
     * words, and never fails the poll (the panels are in).
     */
    private void incident(io.exlm.mon.source.Snapshot snapshot) {
        try {
            state.alerts(incident.alerts());
        } catch (RuntimeException e) {
            state.alerts(io.exlm.mon.panel.AlertsPanel.unknown("alerts unknown: " + e.getMessage()));
        }
        try {
            state.instances(incident.instances(), incident.oneInstance());
        } catch (RuntimeException e) {
            state.instances(java.util.List.of(), "instances unknown: " + e.getMessage());
        }
        io.exlm.mon.panel.PanelId expanded = state.expanded();
        if (expanded != null) {
            try {
                state.breakdown(incident.breakdown(expanded, snapshot));
            } catch (RuntimeException e) {
                java.util.List<io.exlm.mon.panel.Breakdown.Cut> cuts = new java.util.ArrayList<>();
                for (String label : expanded.breakdownLabels()) {
                    cuts.add(io.exlm.mon.panel.Breakdown.Cut.unavailable(label, expanded.unit(), "internal error: " + e
                            + " (a bug; please report it)"));
                }
                state.breakdown(new io.exlm.mon.panel.Breakdown(expanded, cuts));
            }
        }
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
            if (!state.paused()) {
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
