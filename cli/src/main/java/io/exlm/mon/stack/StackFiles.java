package io.exlm.mon.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The files of the top-level {@code stack/} directory, as bundled in the jar (Maven copies them next to this class),
 * so that an installed exlm-mon needs no checkout. The list is checked against {@code stack/} by a test.
 */
public final class StackFiles {
    public static final String COMPOSE = "docker-compose.yml";
    public static final String PROMETHEUS = "prometheus/prometheus.yml";
    public static final String BACKEND_TARGETS = "prometheus/targets/exlm-backend.yml";
    public static final String ALERTS = "prometheus/rules/exlm-alerts.yml";
    public static final String RECORDING = "prometheus/rules/exlm-recording.yml";
    /** The recordings of the Prometheus source's frame, generated from the panel specification. */
    public static final String FRAME = "prometheus/rules/exlm-frame.yml";
    /** The alerts on the monitoring itself: the Watchdog, the backend's job absent, stale CI results, ... */
    public static final String META = "prometheus/rules/exlm-meta.yml";
    public static final String RULE_TESTS = "prometheus/tests/exlm-alerts.test.yml";
    /** The service level objectives, the authority the SLO rules are generated from. */
    public static final String SLO = "slo/exlm-backend.yml";
    public static final String SLO_RULES = "prometheus/rules/exlm-slo.yml";
    public static final String SLO_RULE_TESTS = "prometheus/tests/exlm-slo.test.yml";
    public static final String SLO_SLOW_RULE_TESTS = "prometheus/tests/exlm-slo-slow.test.yml";
    public static final String META_TESTS = "prometheus/tests/exlm-meta.test.yml";
    /** SmokeResultsStale's day, in a file evaluated every 10 minutes instead of every minute. */
    public static final String META_STALE_TESTS = "prometheus/tests/exlm-meta-stale.test.yml";
    public static final String ALERTMANAGER = "alertmanager/alertmanager.yml";
    public static final String GRAFANA_DATASOURCE = "grafana/provisioning/datasources/prometheus.yml";
    public static final String GRAFANA_PROVIDER = "grafana/provisioning/dashboards/exlm.yml";
    public static final String DASHBOARD = "grafana/dashboards/exlm-overview.json";

    /** Every file of {@code stack/}, relative to it. */
    public static final List<String> ALL = List.of(COMPOSE, PROMETHEUS, BACKEND_TARGETS, ALERTS, RECORDING, FRAME, META,
            RULE_TESTS, META_TESTS, META_STALE_TESTS, SLO, SLO_RULES, SLO_RULE_TESTS, SLO_SLOW_RULE_TESTS, ALERTMANAGER,
            GRAFANA_DATASOURCE, GRAFANA_PROVIDER, DASHBOARD);

    /** The rule files that Prometheus loads. */
    public static final List<String> RULES = List.of(RECORDING, FRAME, ALERTS, META, SLO_RULES);

    /** The promtool unit tests of the rules. */
    public static final List<String> RULE_TEST_FILES = List.of(RULE_TESTS, META_TESTS, META_STALE_TESTS,
            SLO_RULE_TESTS, SLO_SLOW_RULE_TESTS);

    private StackFiles() {
    }

    public static byte[] read(String relative) {
        try (InputStream in = StackFiles.class.getResourceAsStream(relative)) {
            if (in == null) {
                throw new IllegalStateException("stack file " + relative + " is not bundled in the jar (a build bug)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The alert names of the stack's rules file ({@link #ALERTS}): the guide's five, in the file's order. */
    public static List<String> alertNames() {
        List<String> names = new java.util.ArrayList<>();
        for (io.exlm.mon.promql.PrometheusYaml.FileRule r : io.exlm.mon.promql.PrometheusYaml.rules(text(ALERTS),
                ALERTS)) {
            if (r.alerting()) {
                names.add(r.alert());
            }
        }
        return List.copyOf(names);
    }

    public static String text(String relative) {
        return new String(read(relative), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A YAML file of the stack as bundled in the jar, as a tree; one that does not read is a build bug. */
    public static com.fasterxml.jackson.databind.node.ObjectNode yamlTree(String relative) {
        try {
            return (com.fasterxml.jackson.databind.node.ObjectNode) io.exlm.mon.Yaml.read(text(relative), "bundled "
                    + relative);
        } catch (io.exlm.mon.Yaml.Malformed e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Writes every stack file under {@code dir}, replacing what an earlier run wrote there. */
    public static void writeAll(Path dir) throws IOException {
        for (String f : ALL) {
            write(f, dir.resolve(f));
        }
    }

    public static void write(String relative, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, read(relative));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
