package io.exlm.mon.panel;

import io.exlm.mon.panel.PanelState.Unit;
import java.util.List;

/**
 * A panel's headline figure broken down by each of its {@link PanelId#breakdownLabels()}: what Enter shows in top.
 * Label values come from a server and are made printable here ({@link io.exlm.mon.Text#printable}).
 *
 * @param panel the panel broken down
 * @param cuts  one per label, in the panel's order
 */
public record Breakdown(PanelId panel, List<Cut> cuts) {
    /**
     * The figure by one label: its rows, highest first, at most {@link PanelId#BREAKDOWN_ROWS}; {@code more} when
     * there were more; or, when there is nothing to show, why; {@code notes} what the figures are, each said once
     * (lifetime totals, one instance).
     */
    public record Cut(String label, Unit unit, List<Row> rows, boolean more, String reason, List<String> notes) {
        public Cut {
            notes = List.copyOf(notes);
        }

        public Cut(String label, Unit unit, List<Row> rows, boolean more, String reason) {
            this(label, unit, rows, more, reason, List.of());
        }

        public Cut(String label, Unit unit, List<Row> rows, boolean more, String reason, String note) {
            this(label, unit, rows, more, reason, note == null ? List.of() : List.of(note));
        }

        public static Cut unavailable(String label, Unit unit, String why) {
            return new Cut(label, unit, List.of(), false, io.exlm.mon.Text.printable(why), List.of());
        }

        /** The notes in one line, or null when there are none. */
        public String note() {
            return notes.isEmpty() ? null : String.join("; ", notes);
        }

        /** This cut with {@code note} after its notes (once). */
        Cut noted(String note) {
            if (note == null || notes.contains(note)) {
                return this;
            }
            List<String> more = new java.util.ArrayList<>(notes);
            more.add(note);
            return new Cut(label, unit, rows, this.more, reason, more);
        }
    }

    /**
     * One label value and the figure of its series; {@code part} the value of the label the panel keeps apart
     * ({@link PanelId#apart()}: a job's status) when the cut is by another label, else null.
     */
    public record Row(String value, String part, double figure) {
        public Row {
            value = io.exlm.mon.Text.printable(value);
            part = part == null ? null : io.exlm.mon.Text.printable(part);
        }

        public Row(String value, double figure) {
            this(value, null, figure);
        }

        /** The row as a reader names it: the value, and the part beside it ({@code 10.0.0.1:8000 failed}). */
        public String name() {
            return part == null ? value : value + " " + part;
        }
    }

    /** The panel's breakdown with every label unavailable for one reason. */
    public static Breakdown unavailable(PanelId panel, String why) {
        java.util.List<Cut> cuts = new java.util.ArrayList<>();
        for (String label : panel.breakdownLabels()) {
            cuts.add(Cut.unavailable(label, panel.unit(), why));
        }
        return new Breakdown(panel, cuts);
    }
}
