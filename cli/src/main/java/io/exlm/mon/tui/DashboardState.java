package io.exlm.mon.tui;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard between frames: the latest panels, the histories behind the sparklines, how fresh the data is, the
 * time the figures are of (now, or a past time with a source that remembers), and the view (focus, expanded panel,
 * help, pause). Thread-safe: the poller updates it, the terminal loop reads it.
 * <p>
 * A history is one point per poll, or per step of a backfill ({@link #backfill}, the Prometheus source's range
 * queries at the refresh interval). While polls fail, the panels are kept as they were (drawn greyed) and the
 * history gets no points; the first poll that answers again adds a gap of the polls missed, so that the chart does
 * not join across the time the source was down.
 */
public final class DashboardState {
    /** Samples kept per history: enough for the widest sparkline. */
    public static final int HISTORY = 240;
    /** How far the {@code [} and {@code ]} keys move the time the figures are of. */
    public static final long STEP_MILLIS = 60_000;

    /**
     * The time the dashboard is to show, as one poll reads it: {@code atMillis} negative for now; {@code generation}
     * moves on each change, so that an answer for a time no longer shown is dropped.
     */
    public record Travel(long generation, long atMillis) {
        public boolean past() {
            return atMillis >= 0;
        }
    }

    private final String source;
    private final boolean remembers;
    private final Map<PanelId, PanelState> panels = new EnumMap<>(PanelId.class);
    private final Map<PanelId, History> histories = new EnumMap<>(PanelId.class);
    private long intervalMillis;
    private long lastSuccess = -1;
    private String failure;
    private boolean failureIsEndpoint = true;
    private long downSince = -1;
    private boolean missed;
    private long generation;
    private long atMillis = -1;
    /** The recording rules the last poll's figures were read from; null when they were asked for then. */
    private io.exlm.mon.source.Snapshot.Recorded recorded;
    private PanelId focus = PanelId.CPU;
    private PanelId expanded;
    /** The focus is on the alerts panel (the first stop of the panel keys, when there is one); {@code focus} waits. */
    private boolean alertsFocused;
    /** Enter on the alerts panel: the alerts in full. */
    private boolean alertsExpanded;
    private boolean help;
    private boolean paused;
    private AlertsPanel alerts;
    private Breakdown breakdown;
    private List<String> instances = List.of();
    private String oneInstance;
    private String instance;
    private String notice;

    public DashboardState(String source, long intervalMillis) {
        this(source, intervalMillis, false, -1);
    }

    /**
     * @param remembers whether the source answers for past times (the Prometheus source): only then do the time keys
     *                  move
     * @param atMillis  the time to show ({@code --at}); negative for now
     */
    public DashboardState(String source, long intervalMillis, boolean remembers, long atMillis) {
        this.source = source;
        this.intervalMillis = intervalMillis;
        this.remembers = remembers;
        this.atMillis = remembers ? atMillis : -1;
        for (PanelId id : PanelId.values()) {
            if (id.history()) {
                histories.put(id, new History(HISTORY));
            }
        }
    }

    /** The time the next poll is to read. */
    public synchronized Travel travel() {
        return new Travel(generation, atMillis);
    }

    /**
     * The history up to the time shown, from a source that remembers: one map of panels per step, oldest first, the
     * last at {@code endMillis}. Replaces the histories; dropped when the time shown has changed since the poll
     * began ({@code generation}).
     */
    public synchronized void backfill(long generation, java.util.List<Map<PanelId, PanelState>> steps,
            long endMillis) {
        if (generation != this.generation) {
            return;
        }
        for (Map.Entry<PanelId, History> e : histories.entrySet()) {
            History h = e.getValue();
            h.clear();
            for (Map<PanelId, PanelState> step : steps) {
                PanelState p = step.get(e.getKey());
                h.add(p != null ? point(p) : Double.NaN);
            }
            h.last = endMillis;
        }
    }

    /** A successful poll: new panels, and one more point on each history. */
    public synchronized void update(Map<PanelId, PanelState> latest, long now) {
        update(generation, latest, now);
    }

    /**
     * A successful poll of the time {@code generation} stood for: new panels, and (at now) one more point on each
     * history, after a gap for the polls that failed before it. Dropped when the time shown has changed since.
     */
    public synchronized void update(long generation, Map<PanelId, PanelState> latest, long now) {
        update(generation, latest, now, null);
    }

    /**
     * As above, the figures read from recording rules as {@code recorded} says (null: asked for at the poll's time),
     * which the header then tells by their age.
     */
    public synchronized void update(long generation, Map<PanelId, PanelState> latest, long now,
            io.exlm.mon.source.Snapshot.Recorded recorded) {
        if (generation != this.generation) {
            return;
        }
        this.recorded = recorded;
        for (Map.Entry<PanelId, PanelState> e : latest.entrySet()) {
            PanelState p = e.getValue();
            History h = histories.get(e.getKey());
            if (h != null) {
                if (atMillis < 0) {
                    h.add(point(p), now, intervalMillis, missed);
                }
                p = p.withHistory(h.values());
            }
            panels.put(e.getKey(), p);
        }
        lastSuccess = now;
        failure = null;
        downSince = -1;
        missed = false;
    }

    /** A panel's point on its history: its headline, or a gap when it has none. */
    private static double point(PanelState p) {
        return p.available() && !p.figures().isEmpty() ? headline(p) : Double.NaN;
    }
    /** The latency history follows p95, the figure alerts are usually written against. */
    private static double headline(PanelState p) {
        if (p.id() == PanelId.LATENCY) {
            for (PanelState.Figure f : p.figures()) {
                if (f.label().equals("p95")) {
                    return f.value();
                }
            }
        }
        return p.figures().get(0).value();
    }

    /** A failed poll: the panels keep their last values (drawn greyed, under the banner), the reason is shown. */
    public synchronized void failed(String why) {
        failed(why, true);
    }

    /**
     * A failed poll, the source's fault ({@code endpoint}: unreachable, or an answer not understood) or exlm-mon's own
     * (a bug, a full heap: the poll failed, the source may be fine).
     */
    public synchronized void failed(String why, boolean endpoint) {
        failed(why, endpoint, -1);
    }

    /** As above, the poll having begun at {@code began} (the banner's "since"); negative when not known. */
    public synchronized void failed(String why, boolean endpoint, long began) {
        failure = io.exlm.mon.Text.printable(why);
        failureIsEndpoint = endpoint;
        if (downSince < 0) {
            downSince = began;
        }
        missed = true;
    }

    public synchronized DashboardModel model(long now) {
        DashboardModel.FeedStatus status;
        if (failure != null) {
            status = failureIsEndpoint ? DashboardModel.FeedStatus.UNREACHABLE : DashboardModel.FeedStatus.FAILED;
        } else if (lastSuccess < 0) {
            status = DashboardModel.FeedStatus.WAITING;
        } else if (atMillis < 0 && now - lastSuccess > 3 * intervalMillis + 1000) {
            // a past time is read once: its figures do not age
            status = DashboardModel.FeedStatus.STALE;
        } else {
            status = DashboardModel.FeedStatus.OK;
        }
        Map<PanelId, PanelState> shown = new EnumMap<>(PanelId.class);
        Map<PanelId, PanelState> kept = new EnumMap<>(PanelId.class);
        for (PanelId id : PanelId.values()) {
            PanelState p = panels.get(id);
            if (p == null) {
                p = PanelState.unavailable(id, failure != null ? status.label() + ": " + failure : "waiting for the first"
                        + " update");
            } else if (failure != null) {
                kept.put(id, p);
                p = PanelState.unavailable(id, status.label() + ": " + failure);
            }
            shown.put(id, p);
        }
        DashboardModel.Header header = new DashboardModel.Header(source, status,
                lastSuccess < 0 ? -1 : now - lastSuccess, intervalMillis, failure, atMillis,
                atMillis < 0 ? 0 : now - atMillis, failure == null ? -1 : downSince, failure == null ? recorded : null,
                recorded == null || failure != null ? -1 : recorded.age().toMillis() + (now - lastSuccess));
        Breakdown b = breakdown != null && breakdown.panel() == expanded ? breakdown : null;
        // alerts read before the source went down are not shown as the alerts now
        AlertsPanel a = alerts != null && failure != null ? AlertsPanel.unknown("alerts unknown: the source is "
                + status.label()) : alerts;
        boolean onAlerts = alertsFocused && alerts != null;
        return new DashboardModel(header, shown, focus, expanded, help, paused, a, failure != null ? null : b,
                instance, notice, kept, onAlerts, onAlerts && alertsExpanded);
    }

    /** The alerts panel as last read (null: the source has none). */
    public synchronized void alerts(AlertsPanel a) {
        alerts = a;
    }

    /**
     * The alerts panel as read by a poll of the time and filter {@code generation} stood for: dropped when either
     * has changed since (alerts of now beside a past time's figures, or of all instances under a filter).
     */
    public synchronized void alerts(long generation, AlertsPanel a) {
        if (generation == this.generation) {
            alerts = a;
        }
    }

    /** The breakdown of the panel that was expanded when it was asked for. */
    public synchronized void breakdown(Breakdown b) {
        breakdown = b;
    }

    /** The breakdown as read by a poll of {@code generation}: dropped when the time or the filter changed since. */
    public synchronized void breakdown(long generation, Breakdown b) {
        if (generation == this.generation) {
            breakdown = b;
        }
    }

    /** Whether a panel is expanded and its breakdown has not come: a past time's frame must be read once more. */
    public synchronized boolean awaitsBreakdown() {
        return expanded != null && (breakdown == null || breakdown.panel() != expanded);
    }

    /** The panel whose breakdown the poller should fetch: the expanded one, or null. */
    public synchronized PanelId expanded() {
        return expanded;
    }

    /**
     * The instances the filter chooses from, as last read; {@code why} says why there are none to choose (a scrape
     * reads one).
     */
    public synchronized void instances(List<String> all, String why) {
        instances = List.copyOf(all);
        oneInstance = why;
    }

    /** The instance filter: null for every instance. */
    public synchronized String instance() {
        return instance;
    }

    /**
     * {@code i}: the next instance after the filter's (the first without one; after the last, every instance again),
     * or a notice when there is nothing to choose from.
     */
    public synchronized void nextInstance() {
        notice = null;
        if (instances.isEmpty()) {
            notice = oneInstance != null ? oneInstance : "no instances known yet";
            return;
        }
        int at = instance == null ? -1 : instances.indexOf(instance);
        instance = at + 1 < instances.size() ? instances.get(at + 1) : null;
        filterChanged();
    }

    /** {@code I}, or Esc on the grid: every instance again. */
    public synchronized void clearInstance() {
        notice = null;
        if (instance != null) {
            instance = null;
            filterChanged();
        }
    }

    /**
     * A new filter: the figures, histories, alerts and breakdown read under the old one are not shown under it, and
     * a poll in flight for the old one is dropped (its generation); a past time is read again for it.
     */
    private void filterChanged() {
        generation++;
        panels.clear();
        histories.values().forEach(History::clear);
        lastSuccess = -1;
        breakdown = null;
        alerts = null;
    }

    // ------------------------------------------------------------------------------------------- the time shown

    /** Whether the time keys move: the source remembers. */
    public boolean remembers() {
        return remembers;
    }

    /** The {@code [} key: one step further back (from now, the first step back). */
    public synchronized void stepBack(long now) {
        travelTo((atMillis < 0 ? now : atMillis) - STEP_MILLIS, now);
    }

    /** The {@code ]} key: one step forward; a step that reaches now is now again. */
    public synchronized void stepForward(long now) {
        if (atMillis >= 0) {
            travelTo(atMillis + STEP_MILLIS, now);
        }
    }

    /** The {@code n} key: back to now. */
    public synchronized void backToNow() {
        if (atMillis >= 0) {
            travelTo(-1, 0);
        }
    }

    /** A new time to show: the panels and histories of the old one are not shown for it. */
    private void travelTo(long at, long now) {
        if (!remembers) {
            return;
        }
        atMillis = at < 0 || at >= now ? -1 : at;
        generation++;
        panels.clear();
        histories.values().forEach(History::clear);
        lastSuccess = -1;
        // read for the time before: not shown for this one
        alerts = null;
        breakdown = null;
    }

    /** The latest panels as polled (for {@code --once -o json} and {@code --fail-on-alert}). */
    public synchronized Map<PanelId, PanelState> panels() {
        return new EnumMap<>(panels);
    }

    public synchronized long intervalMillis() {
        return intervalMillis;
    }

    public synchronized void interval(long millis) {
        intervalMillis = millis;
    }

    public synchronized boolean paused() {
        return paused;
    }

    public synchronized void togglePause() {
        paused = !paused;
    }

    public synchronized void toggleHelp() {
        help = !help;
    }

    /** Enter: expand the focused panel with its breakdown (the alerts panel: every alert), or go back. */
    public synchronized void toggleExpand() {
        if (expanded != null || alertsExpanded) {
            expanded = null;
            alertsExpanded = false;
        } else if (alertsFocused && alerts != null) {
            alertsExpanded = true;
        } else {
            expanded = focus;
        }
        help = false;
        notice = null;
    }

    /** Esc: back to the grid; on the grid, the instance filter cleared. */
    public synchronized void back() {
        if (expanded == null && !alertsExpanded && !help) {
            clearInstance();
        }
        expanded = null;
        alertsExpanded = false;
        help = false;
        notice = null;
    }

    /**
     * Tab and the left and right keys: the next or previous panel, the alerts panel (when the source has one) before
     * the first row's; an open panel follows the focus.
     */
    public synchronized void moveFocus(int step) {
        PanelId[] all = PanelId.values();
        if (alerts == null) {
            alertsFocused = false;
            focus = all[Math.floorMod(focus.ordinal() + step, all.length)];
        } else {
            int at = Math.floorMod((alertsFocused ? 0 : focus.ordinal() + 1) + step, all.length + 1);
            alertsFocused = at == 0;
            if (!alertsFocused) {
                focus = all[at - 1];
            }
        }
        follow();
    }

    /** Focus the panel in the next or previous row, at about the same place; the alerts panel is a row above all. */
    public synchronized void moveFocusRow(int step) {
        PanelId.Group[] groups = PanelId.Group.values();
        int rows = groups.length + (alerts == null ? 0 : 1);
        int from = alerts == null ? focus.group().ordinal() : alertsFocused ? 0 : focus.group().ordinal() + 1;
        int to = Math.floorMod(from + step, rows);
        boolean wasOnAlerts = alertsFocused && alerts != null;
        if (alerts != null && to == 0) {
            alertsFocused = true;
            follow();
            return;
        }
        alertsFocused = false;
        PanelId.Group target = groups[alerts == null ? to : to - 1];
        int index = 0;
        if (!wasOnAlerts) {
            for (PanelId id : PanelId.values()) {
                if (id.group() == focus.group() && id.ordinal() < focus.ordinal()) {
                    index++;
                }
            }
        }
        PanelId best = null;
        int i = 0;
        for (PanelId id : PanelId.values()) {
            if (id.group() == target) {
                if (best == null || i <= index) {
                    best = id;
                }
                i++;
            }
        }
        focus = best;
        follow();
    }

    /** An open panel follows the focus: the alerts in full, or the focused panel's breakdown. */
    private void follow() {
        if (expanded != null || alertsExpanded) {
            alertsExpanded = alertsFocused;
            expanded = alertsFocused ? null : focus;
        }
    }

    /** A fixed-size ring of the latest values, and the time of the newest. */
    static final class History {
        private final double[] ring;
        private int size;
        private int next;
        /** When the newest point was read; negative before the first. */
        long last = -1;

        History(int capacity) {
            ring = new double[capacity];
        }

        void add(double v) {
            ring[next] = v;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
        }

        /**
         * A point read at {@code now}; after polls that failed ({@code afterGap}), first a gap (NaN) for each interval
         * missed since the last point, at least one.
         */
        void add(double v, long now, long intervalMillis, boolean afterGap) {
            if (afterGap && last >= 0 && intervalMillis > 0) {
                long missing = Math.max(1, Math.round((double) (now - last) / intervalMillis) - 1);
                for (long i = 0; i < Math.min(missing, ring.length); i++) {
                    add(Double.NaN);
                }
            }
            add(v);
            last = now;
        }

        void clear() {
            size = 0;
            next = 0;
            last = -1;
        }

        double[] values() {
            double[] out = new double[size];
            int start = (next - size + ring.length) % ring.length;
            for (int i = 0; i < size; i++) {
                out[i] = ring[(start + i) % ring.length];
            }
            return out;
        }
    }
}
