package io.exlm.mon.cli;

import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.Format;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.Thresholds;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code top --once -o junit}: the dashboard gate as a JUnit report. A test case for the source (a failure when it
 * could not be read, the exit-3 case) and one per panel, classname {@code exlm-mon.top.GROUP}, name the panel's JSON
 * key; a failure for each panel the command fails on, a skip with the reason for a panel without a value, and the
 * panel's figures in system-out.
 */
final class TopJUnit {
    private TopJUnit() {
    }

    /**
     * @param reachable whether the source answered (the command exits 3 when it did not)
     * @param verdict   the gate's: its failing panels (beyond their alert threshold, for their alert's hold where
     *                  it has one, with {@code --fail-on-alert}; none otherwise), and its notes on panels beyond
     *                  their threshold that do not fail it (yet), each starting with the panel's key: in that
     *                  panel's system-out
     */
    static void write(PrintWriter out, DashboardModel model, boolean reachable, TopGate.Verdict verdict,
            double seconds) {
        List<String> failing = verdict.failing();
        List<String> notes = verdict.notes();
        List<JUnitXml.Case> cases = new ArrayList<>();
        DashboardModel.Header h = model.header();
        String source = h.source() + ": " + h.status().label() + (h.message() == null ? "" : ": " + h.message());
        cases.add(new JUnitXml.Case("exlm-mon.top", "source", 0, reachable ? null : "unreachable: " + h.message(),
                "unreachable", null, source));
        for (PanelId id : PanelId.values()) {
            PanelState p = model.panel(id);
            String className = "exlm-mon.top." + id.group().name().toLowerCase(Locale.ROOT);
            if (!p.available()) {
                // a gated host panel without a value fails the gate (TopGate.verdict): unknown is not healthy
                boolean failed = failing.contains(id.key());
                cases.add(new JUnitXml.Case(className, id.key(), 0, failed ? id.title() + " has no value to judge"
                        + " against its alert threshold: " + p.unavailable() : null, failed ? "none" : null,
                        failed ? null : p.unavailable(), id.title() + ": no value: " + p.unavailable()));
                continue;
            }
            String level = p.level().name().toLowerCase(Locale.ROOT);
            String failure = failing.contains(id.key()) ? id.title() + " is beyond its alert threshold"
                    + verdict.heldFor(id.key()) + ": " + values(p) + threshold(p) : null;
            String output = id.title() + ": " + values(p) + (Thresholds.of(id) == null && Thresholds.objective(id)
                    == null ? "" : "\nlevel: " + level + threshold(p)) + notes.stream().filter(n -> n.startsWith(
                    id.key() + " ")).map(n -> "\ngate: " + n).collect(java.util.stream.Collectors.joining());
            cases.add(new JUnitXml.Case(className, id.key(), 0, failure, level, null, output));
        }
        JUnitXml.write(out, "exlm-mon top", seconds, cases);
    }

    /** The alert threshold as the frame writes it, for the panels that have one. */
    private static String threshold(PanelState p) {
        Thresholds.Band band = Thresholds.of(p.id());
        Thresholds.Band objective = Thresholds.objective(p.id());
        if (p.figures().isEmpty()) {
            return "";
        }
        if (band == null) {
            // an objective, not an alert: it colours the panel and fails no gate
            return objective == null ? "" : " (objective: " + io.exlm.mon.source.LatencyObjective.bundled().label()
                    + " <= " + Format.value(objective.alert(), p.figures().get(0).unit()) + ", not gated)";
        }
        return " (alert > " + Format.value(band.alert(), p.figures().get(0).unit()) + ")";
    }

    private static String values(PanelState p) {
        List<String> parts = new ArrayList<>();
        for (PanelState.Figure f : p.figures()) {
            parts.add((f.label().isEmpty() ? "" : f.label() + " ") + Format.value(f.value(), f.unit()));
        }
        for (PanelState.Bar b : p.bars()) {
            parts.add(b.label() + " " + Format.value(b.value(), b.unit()));
        }
        return String.join(", ", parts);
    }
}
