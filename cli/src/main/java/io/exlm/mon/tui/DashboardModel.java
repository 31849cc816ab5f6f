package io.exlm.mon.tui;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.Map;

/**
 * Everything a frame shows: the header and every panel's state, the alerts panel, the breakdown of the expanded panel,
 * plus the view (focus, expanded panel, help, pause, instance filter). A frame is a function of this model and the
 * terminal's size, nothing else.
 *
 * @param alerts    the alerts panel; null when the source has none (a scrape)
 * @param breakdown the expanded panel's breakdown; null when none is open or none has come yet
 * @param instance  the instance filter; null for every instance
 * @param notice    a line for the footer (what the last key could not do), or null
 */
public record DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
        boolean help, boolean paused, AlertsPanel alerts, Breakdown breakdown, String instance, String notice) {

    public DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
            boolean help, boolean paused) {
        this(header, panels, focus, expanded, help, paused, null, null, null, null);
    }

    /** How fresh the figures are. */
    public enum FeedStatus {
        /** No answer yet. */
        WAITING("waiting"),
        OK("OK"),
        /** The last update is older than three refresh intervals. */
        STALE("stale"),
        UNREACHABLE("unreachable"),
        /** The last poll failed in exlm-mon itself (a bug, or out of memory); the next one tries again. */
        FAILED("failed");

        private final String label;

        FeedStatus(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param source   where the figures come from, e.g. {@code scrape http://127.0.0.1:8000/metrics}
     * @param ageMillis time since the last successful update; negative when there was none
     * @param message  why the source is unreachable, or null
     */
    public record Header(String source, FeedStatus status, long ageMillis, long intervalMillis, String message) {
    }

    public PanelState panel(PanelId id) {
        PanelState p = panels.get(id);
        return p != null ? p : PanelState.unavailable(id, "no data yet");
    }
}
