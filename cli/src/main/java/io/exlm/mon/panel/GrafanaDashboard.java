package io.exlm.mon.panel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.exlm.mon.source.AlertThresholds;
import java.util.List;

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

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final int WIDTH = 24;

    private GrafanaDashboard() {
    }

    /** The dashboard's JSON, as committed: two-space indentation, a newline at the end. */
    public static String json(AlertThresholds thresholds) {
        ObjectNode d = F.objectNode();
        d.put("uid", UID);
        d.put("title", "exlm overview");
        d.put("description", "The exlm monitoring guide's default dashboard (system state, HTTP traffic, jobs,"
                + " errors), with the panels of exlm-mon top: generated from its panel specification by"
                + " scripts/regenerate-docs; edit the specification, not this file.");
        d.set("tags", F.arrayNode().add("exlm"));
        d.put("timezone", "browser");
        d.put("schemaVersion", 39);
        d.put("version", 1);
        d.put("editable", false);
        d.put("graphTooltip", 1);
        d.put("refresh", "30s");
        ObjectNode time = d.putObject("time");
        time.put("from", "now-1h");
        time.put("to", "now");
        d.putObject("timepicker");
        d.putObject("templating").putArray("list");
        d.putObject("annotations").putArray("list");
        d.putArray("links");
        ArrayNode panels = d.putArray("panels");
        int id = 1;
        int y = 0;
        for (PanelId.Group row : PanelId.Group.values()) {
            ObjectNode r = panels.addObject();
            r.put("id", id++);
            r.put("type", "row");
            r.put("title", row.grafanaTitle());
            r.put("collapsed", false);
            grid(r, 1, WIDTH, 0, y);
            r.putArray("panels");
            y += 1;
            List<PanelId> members = row.panels();
            int height = row == PanelId.Group.SYSTEM ? 7 : 8;
            int x = 0;
            for (int i = 0; i < members.size(); i++) {
                int w = WIDTH / members.size() + (i < WIDTH % members.size() ? 1 : 0);
                panels.add(panel(members.get(i), id++, height, w, x, y, thresholds));
                x += w;
            }
            y += height;
        }
        try {
            DefaultPrettyPrinter printer = new DefaultPrettyPrinter(com.fasterxml.jackson.core.util.Separators
                    .createDefaultInstance().withObjectFieldValueSpacing(
                            com.fasterxml.jackson.core.util.Separators.Spacing.AFTER)
                    .withObjectEmptySeparator("").withArrayEmptySeparator("")).withObjectIndenter(
                    new DefaultIndenter("  ", "\n")).withArrayIndenter(new DefaultIndenter("  ", "\n"));
            return new ObjectMapper().writer(printer).writeValueAsString(d) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dashboard", e);
        }
    }

    private static ObjectNode panel(PanelId p, int id, int h, int w, int x, int y, AlertThresholds t) {
        ObjectNode n = F.objectNode();
        n.put("id", id);
        n.put("type", p.widget().grafanaType());
        n.put("title", p.grafanaTitle());
        n.put("description", description(p, t));
        n.set("datasource", datasource());
        grid(n, h, w, x, y);
        ArrayNode targets = n.putArray("targets");
        char ref = 'A';
        for (PanelId.Target target : p.targets(PanelId.BACKEND, PanelId.WINDOW)) {
            ObjectNode tn = targets.addObject();
            tn.set("datasource", datasource());
            tn.put("refId", String.valueOf(ref++));
            tn.put("expr", target.expr());
            tn.put("legendFormat", target.legend().isEmpty() ? p.title() : target.legend());
            tn.put(p.widget().grafanaType().equals("timeseries") ? "range" : "instant", true);
        }
        ObjectNode defaults = n.putObject("fieldConfig").putObject("defaults");
        defaults.put("unit", p == PanelId.REQUEST_RATE ? "reqps" : unit(p.unit()));
        Thresholds.Band band = Thresholds.of(p, t);
        if (band != null) {
            ObjectNode th = defaults.putObject("thresholds");
            th.put("mode", "absolute");
            ArrayNode steps = th.putArray("steps");
            steps.addObject().put("color", "green").putNull("value");
            steps.addObject().put("color", "orange").set("value", number(band.warn()));
            steps.addObject().put("color", "red").set("value", number(band.alert()));
        }
        if (p.unit() == PanelState.Unit.PERCENT || p.unit() == PanelState.Unit.RATIO) {
            defaults.put("min", 0);
            defaults.put("max", p.unit() == PanelState.Unit.PERCENT ? 100 : 1);
        }
        n.with("fieldConfig").putArray("overrides");
        ObjectNode options = n.putObject("options");
        switch (p.widget()) {
            case BARS -> {
                options.put("displayMode", "gradient");
                options.put("orientation", "horizontal");
            }
            case DISTRIBUTION -> {
                options.put("pieType", "pie");
                ObjectNode legend = options.putObject("legend");
                legend.put("displayMode", "table");
                legend.put("placement", "right");
                legend.putArray("values").add("value");
            }
            case FIGURES -> options.put("graphMode", "area");
            default -> {
            }
        }
        return n;
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
        String threshold = band == null ? "" : "; orange from " + AlertThresholds.number(scaled(p, band.warn()))
                + " %, red above the alert rule's " + AlertThresholds.number(scaled(p, band.alert())) + " %";
        String what = p.aggregation().startsWith(p.metrics().get(0)) ? p.aggregation()
                : String.join(", ", p.metrics()) + ": " + p.aggregation();
        return what + "; " + window + threshold + ".";
    }

    /** A whole number as one (70, not 70.0), as the file has always written them. */
    private static com.fasterxml.jackson.databind.JsonNode number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? F.numberNode((long) v) : F.numberNode(v);
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

    private static ObjectNode datasource() {
        ObjectNode ds = F.objectNode();
        ds.put("type", "prometheus");
        ds.put("uid", DATASOURCE);
        return ds;
    }

    private static void grid(ObjectNode n, int h, int w, int x, int y) {
        ObjectNode g = n.putObject("gridPos");
        g.put("h", h);
        g.put("w", w);
        g.put("x", x);
        g.put("y", y);
    }
}
