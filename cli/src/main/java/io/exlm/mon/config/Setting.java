package io.exlm.mon.config;

/**
 * Every value that can be set once instead of on each command line: its key in the config file, its
 * environment variable, and its default. A flag wins over the environment, which wins over the file.
 */
public enum Setting {
    BACKEND_URL("backend.url", "EXLM_BACKEND_URL", "http://localhost:8000"),
    PROMETHEUS_URL("prometheus.url", "EXLM_PROMETHEUS_URL", "http://localhost:9090"),
    GRAFANA_URL("grafana.url", "EXLM_GRAFANA_URL", "http://localhost:3001"),
    ALERTMANAGER_URL("alertmanager.url", "EXLM_ALERTMANAGER_URL", "http://localhost:9093"),
    PUSHGATEWAY_URL("pushgateway.url", "EXLM_PUSHGATEWAY_URL", "http://localhost:9091"),
    TIMEOUT("timeout", "EXLM_TIMEOUT", "10s"),
    CONNECT_TIMEOUT("connect-timeout", "EXLM_CONNECT_TIMEOUT", "3s"),
    MAX_BODY("max-body", "EXLM_MAX_BODY", "64MiB"),
    MAX_REDIRECTS("max-redirects", "EXLM_MAX_REDIRECTS", "5"),
    MAX_SERIES("max-series", "EXLM_MAX_SERIES", String.valueOf(io.exlm.mon.config.AnswerLimits.DEFAULT_MAX_SERIES)),
    MAX_LABEL_BYTES("max-label-bytes", "EXLM_MAX_LABEL_BYTES",
            (io.exlm.mon.config.AnswerLimits.DEFAULT_MAX_LABEL_BYTES >> 20) + "MiB"),
    BEARER_TOKEN_FILE("bearer-token-file", "EXLM_BEARER_TOKEN_FILE", null),
    BASIC_AUTH_USER("basic-auth.user", "EXLM_BASIC_AUTH_USER", null),
    BASIC_AUTH_PASSWORD_FILE("basic-auth.password-file", "EXLM_BASIC_AUTH_PASSWORD_FILE", null),
    TENANT("tenant", "EXLM_TENANT", null),
    CA_FILE("ca-file", "EXLM_CA_FILE", null),
    INSECURE("insecure", "EXLM_INSECURE", "false"),
    GRAFANA_USER("grafana.user", "EXLM_GRAFANA_USER", null),
    GRAFANA_PASSWORD_FILE("grafana.password-file", "EXLM_GRAFANA_PASSWORD_FILE", null),
    // the monitoring stack of `exlm-mon up`: where its parts listen and what they watch
    NODE_EXPORTER_URL("node-exporter.url", "EXLM_NODE_EXPORTER_URL", "http://localhost:9100"),
    POSTGRES_EXPORTER_URL("postgres-exporter.url", "EXLM_POSTGRES_EXPORTER_URL", "http://localhost:9187"),
    REDIS_EXPORTER_URL("redis-exporter.url", "EXLM_REDIS_EXPORTER_URL", "http://localhost:9121"),
    POSTGRES_DSN("postgres.dsn", "EXLM_POSTGRES_DSN", "postgresql://postgres@localhost:5432/postgres?sslmode=disable"),
    REDIS_URL("redis.url", "EXLM_REDIS_URL", "redis://localhost:6379"),
    ALERT_WEBHOOK_URL("alertmanager.webhook-url", "EXLM_ALERT_WEBHOOK_URL", "http://localhost:5001/alerts"),
    STACK_RUNTIME("stack.runtime", "EXLM_STACK_RUNTIME", "auto"),
    STACK_STATE_DIR("stack.state-dir", "EXLM_STACK_STATE_DIR", null),
    STACK_RETENTION("stack.retention", "EXLM_STACK_RETENTION", "15d"),
    /** For tests and demos only: the stack's files say 15 s, and this never changes them, only the generated copy. */
    STACK_SCRAPE_INTERVAL("stack.scrape-interval", "EXLM_STACK_SCRAPE_INTERVAL", null);

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
    private final String env;
    private final String defaultValue;

    Setting(String key, String env, String defaultValue) {
        this.key = key;
        this.env = env;
        this.defaultValue = defaultValue;
    }

    public String key() {
        return key;
    }

    public String env() {
        return env;
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
