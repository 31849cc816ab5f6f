package io.exlm.mon.docs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the generated documentation (completions/, man/adoc/) from the current command model; scripts/regenerate-docs
 * runs it and then asciidoctor for man/*.1.
 */
public final class Regenerate {
    private Regenerate() {
    }

    public static void main(String[] args) throws Exception {
        // first the thresholds, into the sources and into the classes this run reads: the command model below (the
        // demo's defaults) is built from them
        io.exlm.mon.source.AlertThresholds rules = io.exlm.mon.source.AlertThresholds.of(Files.readString(rules()),
                "stack/" + io.exlm.mon.stack.StackFiles.ALERTS);
        String thresholds = rules.properties();
        String name = alertThresholds().getFileName().toString();
        write(alertThresholds().getParent(), Map.of(name, thresholds), null);
        write(io.exlm.mon.testing.Launcher.root().resolve("cli/target/classes/io/exlm/mon/source"), Map.of(name,
                thresholds), null);
        // the latency objective the terminal judges the percentiles by, from the SLO definition
        String objective = io.exlm.mon.slo.Slo.parse(Files.readString(slo()),
                "stack/" + io.exlm.mon.stack.StackFiles.SLO).latencyObjective().properties();
        String objectiveName = io.exlm.mon.source.LatencyObjective.RESOURCE;
        write(alertThresholds().getParent(), Map.of(objectiveName, objective), null);
        write(io.exlm.mon.testing.Launcher.root().resolve("cli/target/classes/io/exlm/mon/source"), Map.of(
                objectiveName, objective), null);
        // the Grafana dashboard, from the panel specification at the rules' thresholds
        Path dashboard = dashboard();
        write(dashboard.getParent(), Map.of(dashboard.getFileName().toString(),
                io.exlm.mon.panel.GrafanaDashboard.json(rules)), null);
        // the SLO rules, from the SLO definition
        Path slo = io.exlm.mon.testing.Launcher.root().resolve("stack");
        write(slo.resolve(io.exlm.mon.stack.StackFiles.SLO_RULES).getParent(), Map.of(
                slo.resolve(io.exlm.mon.stack.StackFiles.SLO_RULES).getFileName().toString(),
                io.exlm.mon.slo.SloRules.yaml(io.exlm.mon.slo.Slo.parse(Files.readString(slo.resolve(
                        io.exlm.mon.stack.StackFiles.SLO)), "stack/" + io.exlm.mon.stack.StackFiles.SLO))), null);
        // the recordings of the Prometheus source's frame, from the panel specification
        Path frame = io.exlm.mon.testing.Launcher.root().resolve("stack").resolve(io.exlm.mon.stack.StackFiles.FRAME);
        write(frame.getParent(), Map.of(frame.getFileName().toString(), io.exlm.mon.source.PrometheusSource
                .frameRules(io.exlm.mon.panel.PanelId.WINDOW, io.exlm.mon.panel.PanelId.queryGroups())), null);
        write(Docs.completionsDir(), Docs.completions(), null);
        write(Docs.adocDir(), Docs.manPages(), ".adoc");
    }

    /** The alert rules, the authority the thresholds are generated from. */
    public static Path rules() {
        return io.exlm.mon.testing.Launcher.root().resolve("stack").resolve(io.exlm.mon.stack.StackFiles.ALERTS);
    }

    /** The SLO definition, the authority the latency objective is generated from. */
    public static Path slo() {
        return io.exlm.mon.testing.Launcher.root().resolve("stack").resolve(io.exlm.mon.stack.StackFiles.SLO);
    }

    /** Where the generated latency objective is committed, beside the alert thresholds. */
    public static Path latencyObjective() {
        return alertThresholds().resolveSibling(io.exlm.mon.source.LatencyObjective.RESOURCE);
    }

    /** The provisioned Grafana dashboard, generated from the panel specification. */
    public static Path dashboard() {
        return io.exlm.mon.testing.Launcher.root().resolve("stack").resolve(io.exlm.mon.stack.StackFiles.DASHBOARD);
    }

    /** Where the generated thresholds are committed, beside the sources they serve. */
    public static Path alertThresholds() {
        return io.exlm.mon.testing.Launcher.root().resolve("cli/src/main/resources/io/exlm/mon/source")
                .resolve(io.exlm.mon.source.AlertThresholds.RESOURCE);
    }

    /** Writes every file and removes those of the same kind that are no longer generated. */
    private static void write(Path dir, Map<String, String> files, String suffix) throws Exception {
        Files.createDirectories(dir);
        if (suffix != null) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    if (p.getFileName().toString().endsWith(suffix) && !files.containsKey(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
