package io.exlm.mon.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.exlm.mon.ExitException;
import io.exlm.mon.panel.ByLabel;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.SnapshotJson;
import io.exlm.mon.tui.Format;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code metrics --by LABEL}: the labels asked for, checked against the catalog's ({@link ByLabel#labels()}), and
 * their tables ({@link ByLabel}) as text (the worst {@link PanelId#BREAKDOWN_ROWS} rows of each, and how many more),
 * JSON (every row, under {@code by}) and CSV (every figure, one a line).
 */
final class MetricsBy {
    /** The labels of {@code --by}, for help and completion. */
    static final class Labels implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ByLabel.labels().iterator();
        }
    }

    private MetricsBy() {
    }

    /** The labels asked for, each once, in the order given; exit 2 for one no figure is cut by. */
    static List<String> labels(List<String> asked) {
        Set<String> out = new LinkedHashSet<>();
        for (String a : asked) {
            String l = a.strip();
            if (!ByLabel.labels().contains(l)) {
                throw ExitException.usage("--by " + (l.isEmpty() ? "needs a label" : "'" + io.exlm.mon.Text.printable(
                        l) + "' is not a label of the catalog's metrics") + "; the labels are " + String.join(", ",
                        ByLabel.labels()));
            }
            out.add(l);
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------------------------------- text

    static void text(PrintWriter out, Ansi a, Snapshot s, List<ByLabel.Table> tables) {
        out.println(MetricsText.header(a, s));
        boolean judged = s.window() != null && (s.coverage() == null || s.coverage().judged());
        for (ByLabel.Table t : tables) {
            out.println();
            out.println(a.bold("by " + t.label() + (t.apart() == null ? "" : " and " + t.apart())) + ": "
                    + (t.label().equals(io.exlm.mon.source.Combination.INSTANCE) ? t.group() : String.join(", ",
                            t.metrics())));
            List<String> header = new ArrayList<>();
            header.add(t.label().toUpperCase(Locale.ROOT));
            if (t.apart() != null) {
                header.add(t.apart().toUpperCase(Locale.ROOT));
            }
            t.columns().forEach(c -> header.add(c.heading().toUpperCase(Locale.ROOT)));
            Table table = new Table(header.toArray(String[]::new));
            int shown = Math.min(t.rows().size(), PanelId.BREAKDOWN_ROWS);
            for (ByLabel.Line l : t.rows().subList(0, shown)) {
                List<String> cells = new ArrayList<>();
                cells.add(l.value());
                if (t.apart() != null) {
                    cells.add(l.part());
                }
                for (int i = 0; i < t.columns().size(); i++) {
                    cells.add(cell(a, t.columns().get(i), l.figures().get(i), judged));
                }
                table.row(cells.toArray(String[]::new));
            }
            if (t.rows().isEmpty()) {
                out.println("  no values");
            } else {
                table.lines().forEach(out::println);
            }
            if (t.rows().size() > shown) {
                out.println(a.dim("  " + (t.rows().size() - shown) + " more (every value in -o json or -o csv)"));
            }
            t.reasons().forEach((id, why) -> out.println(a.yellow("note") + " " + heading(t, id) + ": " + why));
            t.notes().forEach(n -> out.println(a.yellow("note") + " " + n));
        }
        if (s.coverage() != null) {
            out.println();
            out.println(a.yellow("note") + " " + s.coverage().words());
        }
    }

    private static String heading(ByLabel.Table t, PanelId id) {
        return t.columns().stream().filter(c -> c.panel() == id).findFirst().map(ByLabel.Column::heading)
                .orElse(id.title());
    }

    /** A figure, coloured by its panel's alert threshold when the window is judged, ALERT beyond it. */
    private static String cell(Ansi a, ByLabel.Column c, Double v, boolean judged) {
        if (v == null) {
            return "-";
        }
        String text = Format.value(v, c.unit());
        Thresholds.Band band = Thresholds.of(c.panel());
        if (!judged || band == null || c.unit() != c.panel().unit()) {
            return text;
        }
        return switch (band.level(v)) {
            case ALERT -> a.red(text + " ALERT");
            case WARN -> a.yellow(text);
            case OK, NONE -> text;
        };
    }

    // ------------------------------------------------------------------------------------------- JSON

    /**
     * A table in {@code -o json}: its name ({@link ByLabel.Table#name}, unique in the document), the label, the label
     * its rows keep apart beside it (null for none), the metrics
     * its columns read, the columns (the panel's key, what its figure is, the unit), every row (the label value, the
     * kept label's value under that label's name, and each panel's figure by its key, null where there is none),
     * why a column has no figures, and the notes.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record TableJson(String name, String label, String apart, String group, List<String> metrics,
            List<ColumnJson> columns, List<Map<String, Object>> rows, Map<String, String> reasons, List<String> notes) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ColumnJson(String panel, String figure, String unit) {
    }

    static List<TableJson> json(List<ByLabel.Table> tables) {
        List<TableJson> out = new ArrayList<>();
        for (ByLabel.Table t : tables) {
            List<ColumnJson> columns = new ArrayList<>();
            t.columns().forEach(c -> columns.add(new ColumnJson(c.panel().key(), c.heading(), unit(c))));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (ByLabel.Line l : t.rows()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("value", l.value());
                if (t.apart() != null) {
                    row.put(t.apart(), l.part());
                }
                for (int i = 0; i < t.columns().size(); i++) {
                    Double v = l.figures().get(i);
                    row.put(t.columns().get(i).panel().key(), v == null ? null : SnapshotJson.number(v));
                }
                rows.add(row);
            }
            Map<String, String> reasons = new LinkedHashMap<>();
            t.reasons().forEach((id, why) -> reasons.put(id.key(), why));
            out.add(new TableJson(t.name(), t.label(), t.apart(), t.group(), t.metrics(), columns, rows, reasons,
                    t.notes()));
        }
        return out;
    }

    private static String unit(ByLabel.Column c) {
        return c.unit().name().toLowerCase(Locale.ROOT);
    }

    // ------------------------------------------------------------------------------------------- CSV

    /** The notes of the tables and of the window's coverage, one line each, for beside a CSV (stderr). */
    static void notes(PrintWriter err, Snapshot s, List<ByLabel.Table> tables) {
        java.util.Set<String> said = new java.util.LinkedHashSet<>();
        for (ByLabel.Table t : tables) {
            t.reasons().forEach((id, why) -> said.add(t.label() + ", " + heading(t, id) + ": " + why));
            said.addAll(t.notes());
        }
        if (s.coverage() != null) {
            said.add(s.coverage().words());
        }
        said.forEach(n -> err.println("exlm-mon: note: " + n));
        err.flush();
    }

    /**
     * One line per figure: {@code label,label_value,panel,figure,unit,value,apart,apart_value}; every value of every
     * table, the last two empty but where the rows keep a label apart (the jobs by instance: {@code
     * status,failed}).
     */
    static void csv(PrintWriter out, List<ByLabel.Table> tables) {
        Csv.row(out, List.of("label", "label_value", "panel", "figure", "unit", "value", "apart", "apart_value"));
        for (ByLabel.Table t : tables) {
            for (ByLabel.Line l : t.rows()) {
                for (int i = 0; i < t.columns().size(); i++) {
                    Double v = l.figures().get(i);
                    if (v != null) {
                        ByLabel.Column c = t.columns().get(i);
                        Csv.row(out, List.of(t.label(), l.value(), c.panel().key(), c.heading(), unit(c),
                                QueryOutput.value(v), t.apart() == null ? "" : t.apart(), l.part() == null ? ""
                                        : l.part()));
                    }
                }
            }
        }
    }
}
