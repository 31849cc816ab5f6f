package io.exlm.mon.tui;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard between frames: the latest panels, the histories behind the sparklines, how fresh the data is, and
 * the view (focus, expanded panel, help, pause). Thread-safe: the poller updates it, the terminal loop reads it.
 */
public final class DashboardState {
    /** Samples kept per history: enough for the widest sparkline. */
    static final int HISTORY = 240;

    private final String source;
    private final Map<PanelId, PanelState> panels = new EnumMap<>(PanelId.class);
    private final Map<PanelId, History> histories = new EnumMap<>(PanelId.class);
    private long intervalMillis;
    private long lastSuccess = -1;
    private String failure;
    private boolean failureIsEndpoint = true;
    private PanelId focus = PanelId.CPU;
    private PanelId expanded;
    private boolean help;
    private boolean paused;
    private AlertsPanel alerts;
    private Breakdown breakdown;
    private List<String> instances = List.of();
    private String oneInstance;
    private String instance;
    private String notice;

    public DashboardState(String source, long intervalMillis) {
        this.source = source;
        this.intervalMillis = intervalMillis;
        for (PanelId id : PanelId.values()) {
            if (id.history()) {
                histories.put(id, new History(HISTORY));
            }
        }
    }

    /** A successful poll: new panels, and one more point on each history. */
    public synchronized void update(Map<PanelId, PanelState> latest, long now) {
        for (Map.Entry<PanelId, PanelState> e : latest.entrySet()) {
            PanelState p = e.getValue();
            History h = histories.get(e.getKey());
            if (h != null) {
                h.add(p.available() && !p.figures().isEmpty() ? headline(p) : Double.NaN);
                p = p.withHistory(h.values());
            }
            panels.put(e.getKey(), p);
        }
        lastSuccess = now;
        failure = null;
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

    /** A failed poll: the panels keep their last values (marked by the header), the reason is shown. */
    public synchronized void failed(String why) {
        failed(why, true);
    }

    /**
     * A failed poll, the source's fault ({@code endpoint}: unreachable, or an answer not understood) or exlm-mon's own
     * (a bug, a full heap: the poll failed, the source may be fine).
     */
    public synchronized void failed(String why, boolean endpoint) {
        failure = io.exlm.mon.Text.printable(why);
        failureIsEndpoint = endpoint;
    }

    public synchronized DashboardModel model(long now) {
        DashboardModel.FeedStatus status;
        if (failure != null) {
            status = failureIsEndpoint ? DashboardModel.FeedStatus.UNREACHABLE : DashboardModel.FeedStatus.FAILED;
        } else if (lastSuccess < 0) {
            status = DashboardModel.FeedStatus.WAITING;
        } else if (now - lastSuccess > 3 * intervalMillis + 1000) {
            status = DashboardModel.FeedStatus.STALE;
        } else {
            status = DashboardModel.FeedStatus.OK;
        }
        Map<PanelId, PanelState> shown = new EnumMap<>(PanelId.class);
        for (PanelId id : PanelId.values()) {
            PanelState p = panels.get(id);
            if (p == null) {
                p = PanelState.unavailable(id, failure != null ? status.label() + ": " + failure : "waiting for the first"
                        + " update");
            } else if (failure != null) {
                p = PanelState.unavailable(id, status.label() + ": " + failure);
            }
            shown.put(id, p);
        }
        DashboardModel.Header header = new DashboardModel.Header(source, status,
                lastSuccess < 0 ? -1 : now - lastSuccess, intervalMillis, failure);
        Breakdown b = breakdown != null && breakdown.panel() == expanded ? breakdown : null;
        // alerts read before the source went down are not shown as the alerts now
        AlertsPanel a = alerts != null && failure != null ? AlertsPanel.unknown("alerts unknown: the source is "
                + status.label()) : alerts;
        return new DashboardModel(header, shown, focus, expanded, help, paused, a, failure != null ? null : b,
                instance, notice);
    }

    /** The alerts panel as last read (null: the source has none). */
    public synchronized void alerts(AlertsPanel a) {
        alerts = a;
    }

    /** The breakdown of the panel that was expanded when it was asked for. */
    public synchronized void breakdown(Breakdown b) {
        breakdown = b;
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
        breakdown = null;
    }

    /** {@code I}, or Esc on the grid: every instance again. */
    public synchronized void clearInstance() {
        notice = null;
        if (instance != null) {
            instance = null;
            breakdown = null;
        }
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

    /** Enter: expand the focused panel with its breakdown, or go back. */
    public synchronized void toggleExpand() {
        expanded = expanded == null ? focus : null;
        help = false;
        notice = null;
    }

    /** Esc: back to the grid; on the grid, the instance filter cleared. */
    public synchronized void back() {
        if (expanded == null && !help) {
            clearInstance();
        }
        expanded = null;
        help = false;
        notice = null;
    }

    public synchronized void moveFocus(int step) {
        PanelId[] all = PanelId.values();
        focus = all[Math.floorMod(focus.ordinal() + step, all.length)];
        if (expanded != null) {
            expanded = focus;
        }
    }

    /** Focus the panel in the next or previous row, at about the same place. */
    public synchronized void moveFocusRow(int step) {
        PanelId.Group[] groups = PanelId.Group.values();
        PanelId.Group target = groups[Math.floorMod(focus.group().ordinal() + step, groups.length)];
        int index = 0;
        for (PanelId id : PanelId.values()) {
            if (id.group() == focus.group() && id.ordinal() < focus.ordinal()) {
                index++;
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
        if (expanded != null) {
            expanded = focus;
        }
    }

    /** A fixed-size ring of the latest values. */
    static final class History {
        private final double[] ring;
        private int size;
        private int next;

        History(int capacity) {
            ring = new double[capacity];
        }

        void add(double v) {
            ring[next] = v;
            next = (next + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
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
