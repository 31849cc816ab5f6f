package io.exlm.mon.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * How the stack stores and scrapes: one Prometheus, or scraping shared by {@link Component#SCRAPERS} members
 * (vmagent with {@code -promscrape.cluster.membersCount}) that remote-write into one VictoriaMetrics, with vmalert
 * evaluating the stack's rule files against it. The exporters, the Pushgateway and Alertmanager are the same in both;
 * so is the address every read command asks (prometheus.url): Prometheus's, or VictoriaMetrics'. {@code up} records
 * the topology in the state directory, so that status, down and doctor know what runs.
 */
public enum Topology {
    SINGLE("single", List.of(Component.PUSHGATEWAY, Component.NODE_EXPORTER, Component.POSTGRES_EXPORTER,
            Component.REDIS_EXPORTER, Component.ALERTMANAGER, Component.PROMETHEUS, Component.GRAFANA)),
    /** The store before its writers, the writers before vmalert, which reads the store at its start. */
    SHARDED("sharded", List.of(Component.PUSHGATEWAY, Component.NODE_EXPORTER, Component.POSTGRES_EXPORTER,
            Component.REDIS_EXPORTER, Component.ALERTMANAGER, Component.VICTORIA_METRICS, Component.VMAGENT_0,
            Component.VMAGENT_1, Component.VMALERT, Component.GRAFANA));

    private static final String FILE = "topology";

    private final String id;
    private final List<Component> parts;

    Topology(String id, List<Component> parts) {
        this.id = id;
        this.parts = parts;
    }

    public String id() {
        return id;
    }

    /** Its parts in the order of starting: exporters first, so that the first scrape finds them. */
    public List<Component> parts() {
        return parts;
    }

    /** The topology of this name (single, sharded), or null. */
    public static Topology byId(String name) {
        String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        for (Topology t : values()) {
            if (t.id.equals(n)) {
                return t;
            }
        }
        return null;
    }

    /** The topology the last up recorded under {@code stateRoot}; null when none (an older up ran single). */
    public static Topology recorded(Path stateRoot) {
        if (stateRoot == null) {
            return null;
        }
        try {
            return byId(Files.readString(stateRoot.resolve(FILE), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return null;
        }
    }

    void record(Path stateRoot) throws IOException {
        Files.createDirectories(stateRoot);
        Files.writeString(stateRoot.resolve(FILE), id + "\n", StandardCharsets.UTF_8);
    }
}
