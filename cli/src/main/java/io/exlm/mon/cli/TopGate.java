package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.Thresholds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** {@code top --fail-on-alert}: which panels gate the run, and which of them are beyond their alert threshold. */
final class TopGate {
    static final String ALL_PANELS = "all";

    private TopGate() {
    }

    /**
     * The JSON keys of the panels that have an alert threshold, for --fail-on-alert's help, completion and check:
     * read from the thresholds themselves, so that a gate on a panel that can never be beyond one is refused.
     */
    static final class Panels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PanelId.values()).filter(p -> Thresholds.of(p) != null).map(PanelId::key)
                    .iterator();
        }
    }

    static List<String> alerts(io.exlm.mon.tui.DashboardModel model) {
        return alerts(model, EnumSet.allOf(PanelId.class));
    }

    /**
     * The panels of {@code gated} beyond their alert threshold, by their JSON keys: the thresholds of the alert rules
     * only. The latency panel's level is against the SLO's objective ({@link Thresholds#objective}), which the
     * burn-rate alerts judge over hours: one window's p95 beyond it colours the panel and fails no gate.
     */
    static List<String> alerts(io.exlm.mon.tui.DashboardModel model, Set<PanelId> gated) {
        List<String> out = new ArrayList<>();
        for (PanelId id : PanelId.values()) {
            if (gated.contains(id) && Thresholds.of(id) != null && model.panel(id).level() == Level.ALERT) {
                out.add(id.key());
            }
        }
        return out;
    }

    /** The panels --fail-on-alert gates on: none without it, all with it alone, else those it names. */
    static Set<PanelId> gated(List<String> failOnAlert) {
        Set<PanelId> out = EnumSet.noneOf(PanelId.class);
        if (failOnAlert == null) {
            return out;
        }
        for (String word : failOnAlert) {
            String w = word.strip();
            if (w.equals(ALL_PANELS)) {
                out.addAll(EnumSet.allOf(PanelId.class));
                continue;
            }
            PanelId id = Arrays.stream(PanelId.values()).filter(p -> p.key().equals(w) && Thresholds.of(p) != null)
                    .findFirst().orElseThrow(() -> ExitException.usage("--fail-on-alert: no panel '"
                            + io.exlm.mon.Text.printable(w) + "'; the panels with an alert threshold are "
                            + String.join(", ", new Panels())));
            out.add(id);
        }
        return out;
    }
}
