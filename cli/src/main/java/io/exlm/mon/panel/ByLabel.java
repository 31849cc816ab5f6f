package io.exlm.mon.panel;

import io.exlm.mon.panel.PanelState.Unit;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Combination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code metrics --by LABEL}: the panels' headline figures cut by one label, as tables whose rows are the label's
 * values and whose columns are the panels that can be cut by it ({@link PanelId#cutLabels()}). The figures are the
 * panels' {@link Breakdown}s (top's Enter), of every label value; nothing is grouped here but the cuts into rows.
 * A label that only some panels have leaves the others out, with one note, never a zero. The panels of a label
 * whose metrics are of different catalog groups get a table each: the status of a request is not a job's; the
 * instance, which every panel has, a table per row of the dashboard ({@link PanelId.Group}), each a screen wide. The
 * panels that keep a label apart in the cut ({@link PanelId#apart()}: the jobs by instance keep their status) get a
 * table of their own, a row per value and status.
 */
public final class ByLabel {
    private ByLabel() {
    }

    /** The labels a figure can be cut by: the catalog's (as the panels cut by them), then the instance. */
    public static List<String> labels() {
        Set<String> out = new LinkedHashSet<>();
        for (PanelId id : PanelId.values()) {
            for (String l : id.cutLabels()) {
                if (!l.equals(Combination.INSTANCE)) {
                    out.add(l);
                }
            }
        }
        out.add(Combination.INSTANCE);
        return List.copyOf(out);
    }

    /** One column: a panel's headline figure, by its heading, in its unit. */
    public record Column(PanelId panel, String heading, Unit unit) {
    }

    /**
     * One label value (with the value of the label kept apart, {@link Table#apart()}, else null) and each column's
     * figure (null where that panel has none for it).
     */
    public record Line(String value, String part, List<Double> figures) {
    }

    /**
     * One table.
     *
     * @param label   the label cut by
     * @param apart   the label whose values its rows keep apart beside the label's ({@link PanelId#grouping}), or
     *                null
     * @param group   what its columns are: the catalog group of their metrics ({@code http}), or for the instance
     *                the dashboard row's title ({@code System})
     * @param metrics the catalog metrics its columns read
     * @param columns the panels, in the panel specification's order
     * @param rows    every label value, the worst first ({@link #priority()})
     * @param reasons why a column has no figures at all, by its panel
     * @param notes   what the figures are, said once: one instance, lifetime totals, the panels left out
     */
    public record Table(String label, String apart, String group, List<String> metrics, List<Column> columns, List<Line> rows,
            Map<PanelId, String> reasons, List<String> notes) {
        /**
         * The table's name, unique among the tables of every label ({@link #of} makes one table per group and kept
         * label): {@code LABEL[ and APART]: GROUP}, as the text's heading says the instance's ("instance and status:
         * Jobs", "instance: Jobs", "handler: http").
         */
        public String name() {
            return label + (apart == null ? "" : " and " + apart) + ": " + group;
        }
    }

    /**
     * The order in which columns decide which rows come first: the signals that page someone first (the reverse of
     * {@link PanelId#dropOrder()}): the worst error rate, then the slowest p95, then the most requests.
     */
    public static List<PanelId> priority() {
        List<PanelId> out = new ArrayList<>(Arrays.asList(PanelId.dropOrder()));
        java.util.Collections.reverse(out);
        return List.copyOf(out);
    }

    /**
     * The tables of {@code label}: {@code breakdown} gives a panel's breakdown by the labels asked of it (all rows),
     * from whichever source.
     */
    public static List<Table> of(String label, BiFunction<PanelId, List<String>, Breakdown> breakdown) {
        if (!labels().contains(label)) {
            throw new IllegalArgumentException("no panel is cut by " + label);
        }
        Map<List<String>, List<PanelId>> groups = new LinkedHashMap<>();
        List<PanelId> without = new ArrayList<>();
        for (PanelId id : PanelId.values()) {
            if (!id.cutLabels().contains(label)) {
                without.add(id);
                continue;
            }
            // a target's label is every panel's: a table per row of the dashboard; a catalog label's values are
            // its metrics' group's
            String group = label.equals(Combination.INSTANCE) ? id.group().title()
                    : Catalog.byName(id.metrics().get(0)).group();
            // figures kept apart by a second label are not one row's with those of the label alone
            groups.computeIfAbsent(java.util.Arrays.asList(group, apart(id, label)), g -> new ArrayList<>()).add(id);
        }
        List<Table> out = new ArrayList<>();
        for (Map.Entry<List<String>, List<PanelId>> g : groups.entrySet()) {
            List<PanelId> panels = g.getValue();
            List<Breakdown.Cut> cuts = new ArrayList<>();
            for (PanelId id : panels) {
                cuts.add(breakdown.apply(id, List.of(label)).cuts().get(0));
            }
            out.add(table(label, g.getKey().get(1), g.getKey().get(0), panels, cuts, out.isEmpty() ? leftOut(label,
                    without) : null));
        }
        return List.copyOf(out);
    }

    private static String apart(PanelId id, String label) {
        List<String> g = id.grouping(label);
        return g.size() > 1 ? g.get(1) : null;
    }

    /** The note that says which panels a label leaves out (the tables' headings name the metrics that have it). */
    static String leftOut(String label, List<PanelId> without) {
        if (without.isEmpty()) {
            return null;
        }
        return "left out, no label " + label + ": " + String.join(", ", without.stream().map(PanelId::title)
                .toList());
    }

    private static Table table(String label, String apart, String group, List<PanelId> panels,
            List<Breakdown.Cut> cuts, String leftOut) {
        List<Column> columns = new ArrayList<>();
        Map<PanelId, String> reasons = new LinkedHashMap<>();
        Set<String> notes = new LinkedHashSet<>();
        Map<List<String>, Double[]> byValue = new LinkedHashMap<>();
        List<String> metrics = new ArrayList<>();
        for (int i = 0; i < panels.size(); i++) {
            PanelId id = panels.get(i);
            Breakdown.Cut c = cuts.get(i);
            columns.add(new Column(id, heading(id, c.unit()), c.unit()));
            id.metrics().forEach(m -> {
                if (!metrics.contains(m)) {
                    metrics.add(m);
                }
            });
            if (c.reason() != null) {
                reasons.put(id, c.reason());
            }
            notes.addAll(c.notes());
            for (Breakdown.Row r : c.rows()) {
                byValue.computeIfAbsent(java.util.Arrays.asList(r.value(), r.part()), v -> new Double[panels
                        .size()])[i] = r.figure();
            }
        }
        if (leftOut != null) {
            notes.add(leftOut);
        }
        List<Line> rows = new ArrayList<>();
        byValue.forEach((v, f) -> rows.add(new Line(v.get(0), v.get(1), java.util.Collections.unmodifiableList(
                Arrays.asList(f)))));
        rows.sort(order(panels).thenComparing(Line::value));
        List<Line> ordered = rows;
        if (apart != null) {
            // the rows of one value together, the value of the worst row first, its parts as the panel orders them
            Map<String, List<Line>> byLabel = new LinkedHashMap<>();
            rows.forEach(l -> byLabel.computeIfAbsent(l.value(), k -> new ArrayList<>()).add(l));
            ordered = new ArrayList<>();
            for (List<Line> g : byLabel.values()) {
                g.sort(Comparator.comparing(Line::part, SnapshotPanels.statusOrder()).thenComparing(Line::part));
                ordered.addAll(g);
            }
        }
        return new Table(label, apart, group, List.copyOf(metrics), List.copyOf(columns), List.copyOf(ordered),
                java.util.Collections.unmodifiableMap(reasons), List.copyOf(notes));
    }

    /** Rows by the columns in {@link #priority()} order, each highest first, a missing or NaN figure last. */
    private static Comparator<Line> order(List<PanelId> panels) {
        Comparator<Line> c = (a, b) -> 0;
        for (PanelId id : priority()) {
            int i = panels.indexOf(id);
            if (i < 0) {
                continue;
            }
            c = c.thenComparing(l -> {
                Double v = l.figures().get(i);
                return v == null || Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
            }, Comparator.reverseOrder());
        }
        return c;
    }

    /** A column's heading: what the panel's headline figure is, in its unit. */
    static String heading(PanelId id, Unit unit) {
        boolean count = unit == Unit.COUNT;
        return switch (id) {
            case REQUEST_RATE -> count ? "requests" : "requests/s";
            case LATENCY -> Breakdowns.LATENCY_CUT;
            case ERRORS_BY_TYPE -> count ? "errors" : "errors/s";
            case ERROR_RATE -> "error ratio";
            case USERS -> "users";
            case CELERY -> "celery pending";
            case TRAINING -> "training jobs";
            case DATASETS -> "dataset jobs";
            case CACHE -> "cache hit ratio";
            default -> id.title().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
