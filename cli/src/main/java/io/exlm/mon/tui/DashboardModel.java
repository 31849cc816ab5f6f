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
 * @param panels    what each panel stands at now: while the source is down, why it has no figures (what
 *                  {@code top --once -o json} and the gate read)
 * @param alerts    the alerts panel; null when the source has none (a scrape)
 * @param breakdown the expanded panel's breakdown; null when none is open or none has come yet
 * @param instance  the instance filter; null for every instance
 * @param notice    a line for the footer (what the last key could not do), or null
 * @param kept      while the source is down, the panels as they were last read, with their histories: drawn greyed
 *                  under the header's one banner; empty otherwise
 * @param alertsFocused  whether the focus is on the alerts panel (then {@code focus} is the panel it left, and
 *                       Enter opens the alerts); never without an alerts panel
 * @param alertsExpanded Enter on the alerts panel: every alert, and the silences, in full ({@code expanded} null)
 */
public record DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
        boolean help, boolean paused, AlertsPanel alerts, Breakdown breakdown, String instance, String notice,
        Map<PanelId, PanelState> kept, boolean alertsFocused, boolean alertsExpanded) {

    public DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
            boolean help, boolean paused, AlertsPanel alerts, Breakdown breakdown, String instance, String notice,
            Map<PanelId, PanelState> kept) {
        this(header, panels, focus, expanded, help, paused, alerts, breakdown, instance, notice, kept, false, false);
    }

    public DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
            boolean help, boolean paused) {
        this(header, panels, focus, expanded, help, paused, null, null, null, null, Map.of());
    }

    public DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
            boolean help, boolean paused, Map<PanelId, PanelState> kept) {
        this(header, panels, focus, expanded, help, paused, null, null, null, null, kept);
    }

    public DashboardModel(Header header, Map<PanelId, PanelState> panels, PanelId focus, PanelId expanded,
            boolean help, boolean paused, AlertsPanel alerts, Breakdown breakdown, String instance, String notice) {
        this(header, panels, focus, expanded, help, paused, alerts, breakdown, instance, notice, Map.of());
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
     * @param source          where the figures come from, e.g. {@code scrape http://127.0.0.1:8000/metrics}
     * @param ageMillis       time since the last successful update; negative when there was none
     * @param message         why the source is unreachable, or null
     * @param atMillis        the time the figures are of when it is not now ({@code --at}, the {@code [} key);
     *                        negative for now
     * @param agoMillis       how long before now {@code atMillis} is
     * @param downSinceMillis when the first of the failed polls in a row began; negative while the source answers
     * @param recorded        the recording rules the figures were read from (their time, {@code evaluatedMillis},
     *                        up to two evaluations before the poll); null when they were asked for at the poll's time
     * @param figuresAgeMillis how old the figures read from recordings are now; negative without {@code recorded}
     */
    public record Header(String source, FeedStatus status, long ageMillis, long intervalMillis, String message,
            long atMillis, long agoMillis, long downSinceMillis, io.exlm.mon.source.Snapshot.Recorded recorded,
            long figuresAgeMillis) {

        public Header(String source, FeedStatus status, long ageMillis, long intervalMillis, String message) {
            this(source, status, ageMillis, intervalMillis, message, -1, 0, -1);
        }

        public Header(String source, FeedStatus status, long ageMillis, long intervalMillis, String message,
                long atMillis, long agoMillis, long downSinceMillis) {
            this(source, status, ageMillis, intervalMillis, message, atMillis, agoMillis, downSinceMillis, null, -1);
        }

        /** Whether the figures are of a past time rather than now. */
        public boolean past() {
            return atMillis >= 0;
        }

        /** Whether the last poll failed: the panels are what was read before, the banner says since when. */
        public boolean down() {
            return status == FeedStatus.UNREACHABLE || status == FeedStatus.FAILED;
        }
    }

    public PanelState panel(PanelId id) {
        PanelState p = panels.get(id);
        return p != null ? p : PanelState.unavailable(id, "no data yet");
    }
}
