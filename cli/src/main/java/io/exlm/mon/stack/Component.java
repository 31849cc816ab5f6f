package io.exlm.mon.stack;

import io.exlm.mon.config.Setting;
import java.util.List;

/**
 * A part of the monitoring stack: its name (also its docker-compose service), the Prometheus job that scrapes it,
 * the setting that says where it listens, the endpoint that says it is ready, and the binaries that run it locally
 * (Debian's name first, then upstream's).
 */
public enum Component {
    PUSHGATEWAY("pushgateway", "pushgateway", Setting.PUSHGATEWAY_URL, "/-/ready", "EXLM_PUSHGATEWAY_PORT",
            "prometheus-pushgateway", List.of("prometheus-pushgateway", "pushgateway")),
    NODE_EXPORTER("node-exporter", "node", Setting.NODE_EXPORTER_URL, "/metrics", "EXLM_NODE_EXPORTER_PORT",
            "prometheus-node-exporter", List.of("prometheus-node-exporter", "node_exporter")),
    POSTGRES_EXPORTER("postgres-exporter", "postgres", Setting.POSTGRES_EXPORTER_URL, "/metrics",
            "EXLM_POSTGRES_EXPORTER_PORT", "prometheus-postgres-exporter",
            List.of("prometheus-postgres-exporter", "postgres_exporter")),
    REDIS_EXPORTER("redis-exporter", "redis", Setting.REDIS_EXPORTER_URL, "/metrics", "EXLM_REDIS_EXPORTER_PORT",
            "prometheus-redis-exporter", List.of("prometheus-redis-exporter", "redis_exporter")),
    ALERTMANAGER("alertmanager", "alertmanager", Setting.ALERTMANAGER_URL, "/-/ready", "EXLM_ALERTMANAGER_PORT",
            "prometheus-alertmanager", List.of("prometheus-alertmanager", "alertmanager")),
    PROMETHEUS("prometheus", "prometheus", Setting.PROMETHEUS_URL, "/-/ready", "EXLM_PROMETHEUS_PORT", "prometheus",
            List.of("prometheus")),
    /**
     * The sharded topology's store: VictoriaMetrics where Prometheus would listen (prometheus.url), so that every read
     * command, Grafana's datasource included, asks it; it passes the rules and alerts API on to vmalert.
     */
    VICTORIA_METRICS("victoria-metrics", "victoria-metrics", Setting.PROMETHEUS_URL, "/-/ready",
            "EXLM_PROMETHEUS_PORT", "victoria-metrics", List.of("victoria-metrics", "victoria-metrics-prod")),
    /** The sharded topology's scraping members: each scrapes its share of the targets. */
    VMAGENT_0("vmagent-0", "vmagent", Setting.VMAGENT_0_URL, "/-/ready", null, "victoria-metrics",
            List.of("vmagent", "vmagent-prod")),
    VMAGENT_1("vmagent-1", "vmagent", Setting.VMAGENT_1_URL, "/-/ready", null, "victoria-metrics",
            List.of("vmagent", "vmagent-prod")),
    /** The sharded topology's rule evaluator: the stack's rule files against VictoriaMetrics. */
    VMALERT("vmalert", "vmalert", Setting.VMALERT_URL, "/-/ready", null, "victoria-metrics",
            List.of("vmalert", "vmalert-prod")),
    /** Optional: started only where a Grafana binary is installed (never by apt on Debian's own archive). */
    GRAFANA("grafana", null, Setting.GRAFANA_URL, "/api/health", "EXLM_GRAFANA_PORT", null,
            List.of("grafana", "grafana-server"));

    private final String id;
    private final String job;
    private final Setting urlSetting;
    private final String readyPath;
    private final String portVariable;
    private final String debianPackage;
    private final List<String> binaries;

    Component(String id, String job, Setting urlSetting, String readyPath, String portVariable, String debianPackage,
            List<String> binaries) {
        this.id = id;
        this.job = job;
        this.urlSetting = urlSetting;
        this.readyPath = readyPath;
        this.portVariable = portVariable;
        this.debianPackage = debianPackage;
        this.binaries = binaries;
    }

    /** The name in tables, JSON, pid files and docker-compose.yml. */
    public String id() {
        return id;
    }

    /** The Prometheus job that scrapes it; null for Grafana, which is not scraped. */
    public String job() {
        return job;
    }

    public Setting urlSetting() {
        return urlSetting;
    }

    /** The path that answers 200 once the part is ready. */
    public String readyPath() {
        return readyPath;
    }

    /** The docker-compose.yml variable of its published port. */
    public String portVariable() {
        return portVariable;
    }

    /** The Debian package that installs it; null when Debian has none. */
    public String debianPackage() {
        return debianPackage;
    }

    /** Binary names to look for on the PATH, the preferred first. */
    public List<String> binaries() {
        return binaries;
    }

    public boolean optional() {
        return this == GRAFANA;
    }

    /** The scraping members of the sharded topology, in member order (-promscrape.cluster.memberNum). */
    public static final List<Component> SCRAPERS = List.of(VMAGENT_0, VMAGENT_1);

    public static Component byId(String id) {
        for (Component c : values()) {
            if (c.id.equals(id)) {
                return c;
            }
        }
        return null;
    }
}
