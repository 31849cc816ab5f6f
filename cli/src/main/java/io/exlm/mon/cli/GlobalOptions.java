package io.exlm.mon.cli;

import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, declared once and inherited by every subcommand. Each also reads its environment
 * variable and the config file; what is given here wins.
 */
public final class GlobalOptions {
    @Option(names = "--backend-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 101,
            description = "exlm backend (env EXLM_BACKEND_URL; default http://localhost:8000)")
    String backendUrl;

    @Option(names = "--prometheus-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 102,
            description = "Prometheus or a compatible API (env EXLM_PROMETHEUS_URL; default http://localhost:9090)")
    String prometheusUrl;

    @Option(names = "--grafana-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 103,
            description = "Grafana (env EXLM_GRAFANA_URL; default http://localhost:3001)")
    String grafanaUrl;

    @Option(names = "--alertmanager-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 104,
            description = "Alertmanager (env EXLM_ALERTMANAGER_URL; default http://localhost:9093)")
    String alertmanagerUrl;

    @Option(names = "--timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, order = 110,
            description = "Deadline of each HTTP request, body included (env EXLM_TIMEOUT; default 10s)")
    String timeout;

    @Option(names = "--connect-timeout", paramLabel = "DURATION", scope = ScopeType.INHERIT, order = 111,
            description = "TCP/TLS connect timeout (env EXLM_CONNECT_TIMEOUT; default 3s)")
    String connectTimeout;

    @Option(names = "--max-body", paramLabel = "SIZE", scope = ScopeType.INHERIT, order = 112,
            description = "Largest response body read, after decompression (env EXLM_MAX_BODY; default 64MiB)")
    String maxBody;

    @Option(names = "--max-redirects", paramLabel = "N", scope = ScopeType.INHERIT, order = 113,
            description = "Redirects followed before giving up (default 5)")
    String maxRedirects;

    @Option(names = "--max-series", paramLabel = "N", scope = ScopeType.INHERIT, order = 114,
            description = "Most series kept from one scrape, --file or query answer (env EXLM_MAX_SERIES;"
                    + " default 100000)")
    String maxSeries;

    @Option(names = "--max-label-bytes", paramLabel = "SIZE", scope = ScopeType.INHERIT, order = 115,
            description = "Most bytes of label names and values kept from one answer (env EXLM_MAX_LABEL_BYTES;"
                    + " default 16MiB)")
    String maxLabelBytes;

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", scope = ScopeType.INHERIT, order = 120,
            description = "Extra header on every request; repeatable (config: header.NAME = VALUE)")
    List<String> headers = new ArrayList<>();

    @Option(names = "--bearer-token-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 121,
            description = "File holding a bearer token (or env EXLM_BEARER_TOKEN)")
    String bearerTokenFile;

    @Option(names = "--basic-auth-user", paramLabel = "USER", scope = ScopeType.INHERIT, order = 122,
            description = "Basic-auth user (env EXLM_BASIC_AUTH_USER); password from EXLM_BASIC_AUTH_PASSWORD or"
                    + " --basic-auth-password-file")
    String basicAuthUser;

    @Option(names = "--basic-auth-password-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 123,
            description = "File holding the basic-auth password")
    String basicAuthPasswordFile;

    @Option(names = "--tenant", paramLabel = "ID", scope = ScopeType.INHERIT, order = 124,
            description = "Tenant sent as X-Scope-OrgID (Mimir, Thanos, Cortex; env EXLM_TENANT)")
    String tenant;

    @Option(names = "--ca-file", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 125,
            description = "PEM file of CA certificates to trust instead of the system's")
    String caFile;

    @Option(names = "--insecure", scope = ScopeType.INHERIT, order = 126,
            description = "Skip TLS certificate and host name verification")
    Boolean insecure;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, order = 130,
            description = "Output: text (default), json; junit or csv where a command supports it")
    OutputFormat output = OutputFormat.text;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, order = 131,
            description = "No colour (also when NO_COLOR is set or the output is not a terminal)")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, order = 132,
            description = "Log each request to stderr; stack traces for internal errors")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 133,
            description = "Config file (env EXLM_MON_CONFIG; default ~/.config/exlm-mon/config.properties)")
    Path config;

    /** The settings given as flags, keyed by setting, for {@link Settings#resolve}. */
    Map<Setting, Settings.Flag> flags() {
        Map<Setting, Settings.Flag> m = new EnumMap<>(Setting.class);
        put(m, Setting.BACKEND_URL, "--backend-url", backendUrl);
        put(m, Setting.PROMETHEUS_URL, "--prometheus-url", prometheusUrl);
        put(m, Setting.GRAFANA_URL, "--grafana-url", grafanaUrl);
        put(m, Setting.ALERTMANAGER_URL, "--alertmanager-url", alertmanagerUrl);
        put(m, Setting.TIMEOUT, "--timeout", timeout);
        put(m, Setting.CONNECT_TIMEOUT, "--connect-timeout", connectTimeout);
        put(m, Setting.MAX_BODY, "--max-body", maxBody);
        put(m, Setting.MAX_REDIRECTS, "--max-redirects", maxRedirects);
        put(m, Setting.MAX_SERIES, "--max-series", maxSeries);
        put(m, Setting.MAX_LABEL_BYTES, "--max-label-bytes", maxLabelBytes);
        put(m, Setting.BEARER_TOKEN_FILE, "--bearer-token-file", bearerTokenFile);
        put(m, Setting.BASIC_AUTH_USER, "--basic-auth-user", basicAuthUser);
        put(m, Setting.BASIC_AUTH_PASSWORD_FILE, "--basic-auth-password-file", basicAuthPasswordFile);
        put(m, Setting.TENANT, "--tenant", tenant);
        put(m, Setting.CA_FILE, "--ca-file", caFile);
        put(m, Setting.INSECURE, "--insecure", insecure == null ? null : insecure.toString());
        return m;
    }

    private static void put(Map<Setting, Settings.Flag> m, Setting s, String name, String value) {
        if (value != null) {
            m.put(s, new Settings.Flag(name, value));
        }
    }
}
