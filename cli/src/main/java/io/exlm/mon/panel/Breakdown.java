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
     * there were more; or, when there is nothing to show, why.
     */
    public record Cut(String label, Unit unit, List<Row> rows, boolean more, String reason, String note) {
        public Cut(String label, Unit unit, List<Row> rows, boolean more, String reason) {
            this(label, unit, rows, more, reason, null);
        }

        public static Cut unavailable(String label, Unit unit, String why) {
            return new Cut(label, unit, List.of(), false, io.exlm.mon.Text.printable(why), null);
        }
    }

    /** One label value and the figure of its series. */
    public record Row(String value, double figure) {
        public Row {
            value = io.exlm.mon.Text.printable(value);
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
