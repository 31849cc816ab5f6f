package io.exlm.mon.panel;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.source.AlertThresholds;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The provisioned Grafana dashboard ({@code stack/grafana/dashboards/exlm-overview.json}), generated from the panel
 * specification by scripts/regenerate-docs and held to it by {@code GrafanaDashboardTest}: the same rows and panels
 * as the terminal, each panel's PromQL from {@link PanelId#targets} over {@link PanelId#WINDOW} for the backend's job,
 * and the colour steps of the panels with an alert threshold at the rules' thresholds and warning bands.
 */
public final class GrafanaDashboard {
    /** The dashboard's uid, the one Grafana's provisioning and doctor's checks name. */
    public static final String UID = "exlm-overview";
    /** The uid of the provisioned Prometheus datasource. */
    public static final String DATASOURCE = "exlm-prometheus";

    private static final int WIDTH = 24;

    private GrafanaDashboard() {
    }

    /**
     * The dashboard, as Grafana's dashboard JSON model has it: the output contract of the generated file (held byte
     * for byte by {@code GrafanaDashboardTest}). Fields are written in record order under Grafana's own names; the
     * empty {@code timepicker} keeps Grafana's defaults.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Dashboard(String uid, String title, String description, List<String> tags, String timezone,
            int schemaVersion, int version, boolean editable, int graphTooltip, String refresh, TimeRange time,
            Map<String, Object> timepicker, Templating templating, Annotations annotations, List<Object> links,
            List<Item> panels) {
    }

    /** The dashboard's default time range, Grafana's relative words ({@code now-1h} to {@code now}). */
    record TimeRange(String from, String to) {
    }

    /** The template variables: none. */
    record Templating(List<Object> list) {
    }

    /** The annotation queries: none. */
    record Annotations(List<Object> list) {
    }

    /** An entry of the dashboard's {@code panels}: a row or a panel. */
    sealed interface Item permits Row, Panel {
    }

    /** A row header (never collapsed, so its own {@code panels} is empty and its panels follow it). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Row(int id, String type, String title, boolean collapsed, GridPos gridPos, List<Item> panels)
            implements Item {
        Row(int id, String title, GridPos gridPos) {
            this(id, "row", title, false, gridPos, List.of());
        }
    }

    /** A panel: its visualisation ({@code type}), queries, field defaults and options. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Panel(int id, String type, String title, String description, Datasource datasource, GridPos gridPos,
            List<Target> targets, FieldConfig fieldConfig, Options options) implements Item {
    }

    /** Where a panel sits: height and width in grid units (24 across), column and row. */
    record GridPos(int h, int w, int x, int y) {
    }

    /** A datasource reference by type and uid. */
    record Datasource(String type, String uid) {
        static final Datasource PROMETHEUS = new Datasource("prometheus", DATASOURCE);
    }

    /** A PromQL query of a panel: a time series ({@code range}) or the current value ({@code instant}). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Target(Datasource datasource, String refId, String expr, String legendFormat,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean range,
            @JsonInclude(JsonInclude.Include.NON_NULL) Boolean instant) {
    }

    /** The field config: defaults, and no overrides. */
    record FieldConfig(Defaults defaults, List<Object> overrides) {
    }

    /** A panel's field defaults: the unit, and for a panel with an alert band its colour steps and its range. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Defaults(String unit, ThresholdSteps thresholds, Integer min, Integer max, Custom custom) {
    }

    /** A chart's own field options: its alert band drawn as lines and areas (else a chart does not draw it). */
    record Custom(ThresholdsStyle thresholdsStyle) {
        static final Custom BANDS = new Custom(new ThresholdsStyle("line+area"));
    }

    /** How a chart draws its thresholds. */
    record ThresholdsStyle(String mode) {
    }

    /** Grafana's {@code thresholds}: absolute colour steps, green, orange from the warning, red from the alert rule's threshold. */
    record ThresholdSteps(String mode, List<Step> steps) {
    }

    /** A colour from a value on (null: the base colour). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Step(String color, Number value) {
    }

    /** A visualisation's options, those the widget has (the others are not written). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Options(String displayMode, String orientation, String pieType, Legend legend, String graphMode) {
        static final Options NONE = new Options(null, null, null, null, null);
    }

    /** A pie chart's legend: a table on the right with each slice's value. */
    record Legend(String displayMode, String placement, List<String> values) {
    }

    /** The dashboard's JSON, as committed: two-space indentation, a newline at the end. */
    public static String json(AlertThresholds thresholds) {
        List<Item> panels = new ArrayList<>();
        int id = 1;
        int y = 0;
        for (PanelId.Group row : PanelId.Group.values()) {
            panels.add(new Row(id++, row.grafanaTitle(), new GridPos(1, WIDTH, 0, y)));
            y += 1;
            List<PanelId> members = row.panels();
            int height = row == PanelId.Group.SYSTEM ? 7 : 8;
            int x = 0;
            for (int i = 0; i < members.size(); i++) {
                int w = WIDTH / members.size() + (i < WIDTH % members.size() ? 1 : 0);
                panels.add(panel(members.get(i), id++, new GridPos(height, w, x, y), thresholds));
                x += w;
            }
            y += height;
        }
        Dashboard d = new Dashboard(UID, "exlm overview", "The exlm monitoring guide's default dashboard (system"
                + " state, HTTP traffic, jobs, errors), with the panels of exlm-mon top: generated from its panel"
                + " specification by scripts/regenerate-docs; edit the specification, not this file.", List.of("exlm"),
                "browser", 39, 1, false, 1, "30s", new TimeRange("now-1h", "now"), Map.of(),
                new Templating(List.of()), new Annotations(List.of()), List.of(), panels);
        return text(d);
    }

    /**
     * A dashboard as the text of its file: the generated one, or a tree read from it and changed (render kubernetes
     * points its datasource elsewhere), which then differs from the file only where it was changed.
     */
    public static String text(Object dashboard) {
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(com.fasterxml.jackson.core.util.Separators
                    .createDefaultInstance().withObjectFieldValueSpacing(
                            com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator("")).withObjectIndenter(
                    new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n"));
            return new ObjectMapper().writer(printer).writeValueAsString(dashboard) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard", e);
        }
    }

    private static Panel panel(PanelId p, int id, GridPos grid, AlertThresholds t) {
        boolean chart = p.widget().grafanaType().equals("timeseries");
        // a range query for a chart, and for a figure with a sparkline of its history; an instant one otherwise
        boolean series = chart || p.history();
        List<Target> targets = new ArrayList<>();
        char ref = 'A';
        for (PanelId.Target target : p.targets(PanelId.BACKEND, PanelId.WINDOW)) {
            targets.add(new Target(Datasource.PROMETHEUS, String.valueOf(ref++), target.expr(),
                    target.legend().isEmpty() ? p.title() : target.legend(), series ? true : null,
                    series ? null : true));
        }
        Thresholds.Band band = Thresholds.of(p, t);
        ThresholdSteps steps = band == null ? null : new ThresholdSteps("absolute",
                List.of(new Step("green", null), new Step("orange", number(band.warn())),
                        new Step("red", number(band.alert()))));
        boolean bounded = p.unit() == PanelState.Unit.PERCENT || p.unit() == PanelState.Unit.RATIO;
        // a gauge needs its whole range; a chart keeps its floor and scales to what it draws (an error rate of 2-5 %
        // would lie flat on a 0-100 % axis)
        boolean gauge = p.widget().grafanaType().equals("gauge");
        Defaults defaults = new Defaults(p == PanelId.REQUEST_RATE ? "reqps" : unit(p.unit()), steps,
                bounded ? 0 : null, bounded && gauge ? (p.unit() == PanelState.Unit.PERCENT ? 100 : 1) : null,
                chart && steps != null ? Custom.BANDS : null);
        Options options = switch (p.widget()) {
            case BARS -> new Options("gradient", "horizontal", null, null, null);
            case DISTRIBUTION -> new Options(null, null, "pie", new Legend("table", "right", List.of("value")), null);
            case FIGURES -> new Options(null, null, null, null, "area");
            default -> Options.NONE;
        };
        return new Panel(id, p.widget().grafanaType(), p.grafanaTitle(), description(p, t), Datasource.PROMETHEUS,
                grid, targets, new FieldConfig(defaults, List.of()), options);
    }

    /** What the panel shows, from the specification: its metrics, how they combine, its window and threshold. */
    static String description(PanelId p, AlertThresholds t) {
        String window = switch (p.window()) {
            case NOW -> "the current value";
            case DASHBOARD -> "over " + io.exlm.mon.config.Durations.format(PanelId.WINDOW) + " (exlm-mon top --window's"
                    + " default)";
            case LIFETIME -> "totals since the backend's processes started";
        };
        Thresholds.Band band = Thresholds.of(p, t);
        String alert = AlertThresholds.number(scaled(p, band == null ? 0 : band.alert()));
        String threshold = band == null ? "" : "; orange from " + AlertThresholds.number(scaled(p, band.warn()))
                + " %, red from " + alert + " % (the alert rule fires above " + alert + " %)";
        String what = p.aggregation().startsWith(p.metrics().get(0)) ? p.aggregation()
                : String.join(", ", p.metrics()) + ": " + p.aggregation();
        return what + "; " + window + threshold + ".";
    }

    /** A whole number as one (70, not 70.0), as the file has always written them. */
    private static Number number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Number) (long) v : (Number) v;
    }

    private static double scaled(PanelId p, double v) {
        return p.unit() == PanelState.Unit.RATIO ? Math.round(v * 1e6) / 1e4 : v;
    }

    private static String unit(PanelState.Unit u) {
        return switch (u) {
            case PERCENT -> "percent";
            case RATIO -> "percentunit";
            case PER_SECOND -> "cps";
            case SECONDS -> "s";
            case COUNT -> "short";
        };
    }
}
