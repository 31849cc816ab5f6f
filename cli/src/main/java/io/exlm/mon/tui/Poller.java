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
    private boolean backfill;
    /** The generation of the time shown whose history has been filled, and whose past figures have been read. */
    private long filled = -1;
    private volatile long read = -1;
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
        return !(t.past() && read == t.generation()) || state.awaitsBreakdown();
    }

    /** The time the figures of the last poll that read any are of (a scrape's), -1 before one. */
    public long snapshotMillis() {
        return snapshotMillis;
    }

    private volatile long snapshotMillis = -1;

    /** One poll, on the caller's thread; for headless use. */
    public boolean pollOnce() {
        DashboardState.Travel t = state.travel();
        long began = clock.millis();
        try {
            if (incident != null && !java.util.Objects.equals(appliedInstance, state.instance())) {
                appliedInstance = state.instance();
                incident.instance(appliedInstance);
                filled = -1; // the history of the instance chosen, not of the one before
            }
            if (backfill && filled != t.generation()) {
                history(t);
            }
            io.exlm.mon.source.Snapshot snapshot;
            if (t.past()) {
                snapshot = source.snapshot(Instant.ofEpochMilli(t.atMillis()));
                state.update(t.generation(), SnapshotPanels.of(snapshot), clock.millis(), snapshot.recorded());
                read = t.generation();
            } else {
                snapshot = source.snapshot();
                state.update(t.generation(), SnapshotPanels.of(snapshot), clock.millis(), snapshot.recorded());
            }
            snapshotMillis = snapshot.timeMillis();
            // a history that could not be had while the figures could is not asked for again at each poll
            filled = t.generation();
            failures = 0;
            if (incident != null) {
                incident(snapshot, t);
            }
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
     * The alerts panel, the instances and the expanded panel's breakdown, after a snapshot: each fails alone, in
     * words, and never fails the poll (the panels are in).
     */
    private void incident(io.exlm.mon.source.Snapshot snapshot, DashboardState.Travel t) {
        boolean past = t.past();
        long g = t.generation();
        try {
            // the alerts of now are not the alerts of a past time: not shown as if they were
            state.alerts(g, past ? io.exlm.mon.panel.AlertsPanel.unknown("alerts are shown for now only: n returns"
                    + " to now") : incident.alerts());
        } catch (RuntimeException e) {
            state.alerts(g, io.exlm.mon.panel.AlertsPanel.unknown("alerts unknown: " + e.getMessage()));
        }
        try {
            state.instances(incident.instances(), incident.oneInstance());
        } catch (RuntimeException e) {
            state.instances(java.util.List.of(), "instances unknown: " + e.getMessage());
        }
        io.exlm.mon.panel.PanelId expanded = state.expanded();
        if (expanded != null && past) {
            // a breakdown is read for now: beside a past time's figures it would tell of another time
            state.breakdown(g, io.exlm.mon.panel.Breakdown.unavailable(expanded, "breakdowns are shown for now only:"
                    + " n returns to now"));
        } else if (expanded != null) {
            try {
                state.breakdown(g, incident.breakdown(expanded, snapshot));
            } catch (RuntimeException e) {
                state.breakdown(g, io.exlm.mon.panel.Breakdown.unavailable(expanded, "internal error: " + e
                        + " (a bug; please report it)"));
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
