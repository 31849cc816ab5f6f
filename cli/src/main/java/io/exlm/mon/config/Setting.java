package io.exlm.mon.config;

/**
 * Every value that can be set once instead of on each command line: its key in the config file, its
 * environment variable ({@code EXLM_} and the constant's name), and its default. A flag wins over the environment,
 * which wins over the file.
 */
public enum Setting {
    BACKEND_URL("backend.url", "http://localhost:8000"),
    PROMETHEUS_URL("prometheus.url", "http://localhost:9090"),
    GRAFANA_URL("grafana.url", "http://localhost:3001"),
    ALERTMANAGER_URL("alertmanager.url", "http://localhost:9093"),
    PUSHGATEWAY_URL("pushgateway.url", "http://localhost:9091"),
    TIMEOUT("timeout", "10s"),
    CONNECT_TIMEOUT("connect-timeout", "3s"),
    MAX_BODY("max-body", "64MiB"),
    MAX_REDIRECTS("max-redirects", "5"),
    MAX_SERIES("max-series", String.valueOf(io.exlm.mon.config.AnswerLimits.DEFAULT_MAX_SERIES)),
    MAX_LABEL_BYTES("max-label-bytes", (io.exlm.mon.config.AnswerLimits.DEFAULT_MAX_LABEL_BYTES >> 20) + "MiB"),
    BEARER_TOKEN_FILE("bearer-token-file", null),
    BASIC_AUTH_USER("basic-auth.user", null),
    BASIC_AUTH_PASSWORD_FILE("basic-auth.password-file", null),
    TENANT("tenant", null),
    CA_FILE("ca-file", null),
    INSECURE("insecure", "false"),
    GRAFANA_USER("grafana.user", null),
    GRAFANA_PASSWORD_FILE("grafana.password-file", null),
    // the monitoring stack of `exlm-mon up`: where its parts listen and what they watch
    NODE_EXPORTER_URL("node-exporter.url", "http://localhost:9100"),
    POSTGRES_EXPORTER_URL("postgres-exporter.url", "http://localhost:9187"),
    REDIS_EXPORTER_URL("redis-exporter.url", "http://localhost:9121"),
    // the sharded topology (up --topology sharded): its scraping members and its rule evaluator; VictoriaMetrics, the
    // store, listens at prometheus.url, where every read command already looks
    VMAGENT_0_URL("vmagent-0.url", "http://localhost:8429"),
    VMAGENT_1_URL("vmagent-1.url", "http://localhost:8430"),
    VMALERT_URL("vmalert.url", "http://localhost:8880"),
    POSTGRES_DSN("postgres.dsn", "postgresql://postgres@localhost:5432/postgres?sslmode=disable"),
    REDIS_URL("redis.url", "redis://localhost:6379"),
    ALERT_WEBHOOK_URL("alertmanager.webhook-url", "http://localhost:5001/alerts"),
    STACK_RUNTIME("stack.runtime", "auto"),
    STACK_STATE_DIR("stack.state-dir", null),
    /** single (one Prometheus) or sharded (vmagent members, VictoriaMetrics, vmalert); {@code up --topology}. */
    STACK_TOPOLOGY("stack.topology", "single"),
    STACK_RETENTION("stack.retention", "15d"),
    /** Remote-write URLs of the stack's Prometheus, comma-separated; {@code up --remote-write} replaces them. */
    STACK_REMOTE_WRITE("stack.remote-write", null),
    /** Whether the remote writes sign in with the HTTP layer's credentials; {@code up --remote-write-auth} sets it. */
    STACK_REMOTE_WRITE_AUTH("stack.remote-write-auth", "false"),
    /** For tests and demos only: the stack's files say 15 s, and this never changes them, only the generated copy. */
    STACK_SCRAPE_INTERVAL("stack.scrape-interval", null);

    /** Secrets that may only come from the environment, never from a flag or the config file. */
    public static final String ENV_BEARER_TOKEN = "EXLM_BEARER_TOKEN";
    public static final String ENV_BASIC_AUTH_PASSWORD = "EXLM_BASIC_AUTH_PASSWORD";
    public static final String ENV_GRAFANA_PASSWORD = "EXLM_GRAFANA_PASSWORD";
    /** Where the config file is when {@code --config} is not given. */
    public static final String ENV_CONFIG = "EXLM_MON_CONFIG";
    /** Headers in the config file are written {@code header.Name = value}. */
    public static final String HEADER_PREFIX = "header.";
    /** {@code combine.METRIC = INSTANCES/WORKERS}: how a catalog gauge combines across series (SPEC.md's table). */
    public static final String COMBINE_PREFIX = "combine.";

    private final String key;
    private final String defaultValue;

    Setting(String key, String defaultValue) {
        this.key = key;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    /** Its environment variable: {@code EXLM_} and the constant's name ({@code EXLM_PROMETHEUS_URL}). */
    public String env() {
        return "EXLM_" + name();
    }

    public String defaultValue() {
        return defaultValue;
    }

    public static Setting forKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return s;
            }
        }
        return null;
    }
}
