package io.exlm.mon.stack;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Turns the stack's files into the configuration a runtime runs: the same jobs, rules, routes and dashboards, with
 * the addresses exlm-mon was configured with. Nothing here changes {@code stack/} itself.
 */
public final class ConfigWriter {
    /** How the containers of docker-compose.yml reach a service on the host. */
    public static final String DOCKER_HOST_ALIAS = "host.docker.internal";

    private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private ConfigWriter() {
    }

    /**
     * prometheus.yml from the stack's: for the local runtime ({@code local}) each part's job scrapes the part's
     * configured address and alerts go to the configured Alertmanager; both runtimes take the optional shorter
     * scrape interval. Rule files and the backend's targets file stay relative, beside the written file.
     */
    public static String prometheus(StackConfig config, boolean local) {
        ObjectNode root = bundled(StackFiles.PROMETHEUS);
        if (config.scrapeInterval() != null) {
            ObjectNode global = root.with("global");
            String interval = io.exlm.mon.config.Durations.format(config.scrapeInterval());
            global.put("scrape_interval", interval);
            global.put("evaluation_interval", interval);
        }
        if (local) {
            for (JsonNode job : root.withArray("scrape_configs")) {
                String name = job.path("job_name").asText();
                for (Component c : Component.values()) {
                    if (name.equals(c.job())) {
                        setStaticTarget((ObjectNode) job, config.address(c).listenAddress());
                    }
                }
            }
            for (JsonNode am : root.with("alerting").withArray("alertmanagers")) {
                setStaticTarget((ObjectNode) am, config.address(Component.ALERTMANAGER).listenAddress());
            }
        }
        List<RemoteWrite> writes = config.remoteWrites();
        if (!writes.isEmpty()) {
            ArrayNode rw = root.putArray("remote_write");
            for (int i = 0; i < writes.size(); i++) {
                rw.add(remoteWrite(writes.get(i), i + 1, local));
            }
        }
        return writeYaml(root);
    }

    /**
     * The scrape configuration of the sharded topology's members (vmagent's -promscrape.config), from the same source
     * as prometheus.yml ({@link #prometheus}: the same jobs, targets, interval and external labels) without what only
     * Prometheus reads (rule files, alerting, remote write and the evaluation interval: vmalert and vmagent's flags
     * have them). The monitoring's own jobs are its parts: the prometheus job becomes victoria-metrics, and vmagent
     * (both members) and vmalert are scraped too, so that the meta alerts have their self-metrics to read.
     */
    public static String scrapers(StackConfig config) {
        ObjectNode root = (ObjectNode) yamlTree(prometheus(config, true));
        root.remove(List.of("rule_files", "alerting", "remote_write"));
        root.with("global").remove("evaluation_interval");
        ArrayNode jobs = root.withArray("scrape_configs");
        for (int i = jobs.size() - 1; i >= 0; i--) {
            if (Component.PROMETHEUS.job().equals(jobs.get(i).path("job_name").asText())) {
                jobs.remove(i);
            }
        }
        for (Component c : List.of(Component.VICTORIA_METRICS, Component.VMAGENT_0, Component.VMALERT)) {
            ObjectNode job = jobs.addObject();
            job.put("job_name", c.job());
            ArrayNode targets = job.putArray("static_configs").addObject().putArray("targets");
            for (Component part : Component.values()) {
                if (c.job().equals(part.job())) {
                    targets.add(config.address(part).listenAddress());
                }
            }
        }
        return writeYaml(root);
    }

    /** The global setting of prometheus.yml as {@link #prometheus} writes it ({@code evaluation_interval}), or null. */
    public static String globalSetting(StackConfig config, String key) {
        JsonNode v = yamlTree(prometheus(config, true)).path("global").path(key);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    /** The external labels of prometheus.yml (the alerts' too), name to value. */
    public static Map<String, String> externalLabels(StackConfig config) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        yamlTree(prometheus(config, true)).path("global").path("external_labels").fields()
                .forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static JsonNode yamlTree(String text) {
        try {
            return YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where {@link #remoteWriteFiles} puts the secrets of remote writes, beside prometheus.yml. */
    public static final String REMOTE_WRITE_DIR = "remote-write";

    /**
     * One entry of {@code remote_write}: the URL (for containers, loopback as the host's name), a name of its own, and
     * the secrets as files that {@link #remoteWriteFiles} writes (a relative path is resolved against prometheus.yml's
     * directory, which is the same in a container).
     */
    private static ObjectNode remoteWrite(RemoteWrite w, int n, boolean local) {
        ObjectNode e = YAML.createObjectNode();
        e.put("url", local ? w.url() : forContainers(w.url()));
        e.put("name", "exlm-" + n);
        if (w.bearerToken() != null) {
            ObjectNode auth = e.putObject("authorization");
            auth.put("type", "Bearer");
            auth.put("credentials_file", REMOTE_WRITE_DIR + "/" + n + ".token");
        }
        if (w.basicUser() != null) {
            ObjectNode basic = e.putObject("basic_auth");
            basic.put("username", w.basicUser());
            basic.put("password_file", REMOTE_WRITE_DIR + "/" + n + ".password");
        }
        if (w.tenant() != null || !w.headers().isEmpty()) {
            ObjectNode headers = e.putObject("headers");
            for (Map.Entry<String, String> h : w.headers()) {
                headers.put(h.getKey(), h.getValue());
            }
            if (w.tenant() != null) {
                headers.put("X-Scope-OrgID", w.tenant());
            }
        }
        if (w.caPem() != null || w.insecure()) {
            ObjectNode tls = e.putObject("tls_config");
            if (w.insecure()) {
                tls.put("insecure_skip_verify", true);
            } else {
                tls.put("ca_file", REMOTE_WRITE_DIR + "/" + n + ".ca.pem");
            }
        }
        return e;
    }

    /**
     * The files that the remote writes of prometheus.yml name, relative to its directory, with their content: bearer
     * tokens, basic-auth passwords and CA certificates. A runtime writes them readable by their owner only.
     */
    public static Map<String, String> remoteWriteFiles(StackConfig config) {
        Map<String, String> files = new java.util.LinkedHashMap<>();
        List<RemoteWrite> writes = config.remoteWrites();
        for (int i = 0; i < writes.size(); i++) {
            RemoteWrite w = writes.get(i);
            String base = REMOTE_WRITE_DIR + "/" + (i + 1);
            if (w.bearerToken() != null) {
                files.put(base + ".token", w.bearerToken());
            }
            if (w.basicUser() != null) {
                files.put(base + ".password", w.basicPassword());
            }
            if (w.caPem() != null && !w.insecure()) {
                files.put(base + ".ca.pem", w.caPem());
            }
        }
        return files;
    }

    /** The file-discovery file of the exlm backend job: address, scheme and metrics path from the backend URL. */
    public static String backendTargets(String backendUrl, boolean forContainers) {
        URI uri = URI.create(backendUrl);
        HostPort hp = HostPort.ofUrl(backendUrl, "backend.url");
        String host = forContainers && hp.loopback() ? DOCKER_HOST_ALIAS : hp.host();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        TargetGroup group = new TargetGroup(List.of(new HostPort(host, hp.port()).toString()),
                new TargetLabels(uri.getScheme(), path + "/metrics"));
        return "# written by exlm-mon up from backend.url " + redactUserInfo(backendUrl) + "\n"
                + writeYaml(List.of(group));
    }

    /**
     * One group of Prometheus's file-based discovery ({@code file_sd_configs}), the contract of the backend's targets
     * file: its addresses, then its labels.
     */
    record TargetGroup(List<String> targets, TargetLabels labels) {
    }

    /** The labels that make Prometheus scrape a target by this scheme at this path instead of http and /metrics. */
    record TargetLabels(@JsonProperty("__scheme__") String scheme,
            @JsonProperty("__metrics_path__") String metricsPath) {
    }

    /**
     * alertmanager.yml from the stack's, with the URL of every receiver's webhook replaced: pages, tickets and the
     * Watchdog all go to the one configured webhook, which tells them apart by the body's {@code receiver}.
     */
    public static String alertmanager(String webhookUrl) {
        return writeYaml(alertmanagerTree(webhookUrl));
    }

    /** {@link #alertmanager(String)} as a tree, for a caller that changes more (a test's shorter group timings). */
    public static ObjectNode alertmanagerTree(String webhookUrl) {
        ObjectNode root = bundled(StackFiles.ALERTMANAGER);
        for (JsonNode r : root.withArray("receivers")) {
            for (JsonNode w : r.withArray("webhook_configs")) {
                ((ObjectNode) w).put("url", webhookUrl);
            }
        }
        return root;
    }

    /** A tree of {@link #alertmanagerTree(String)} (or any YAML tree) as the text a runtime writes. */
    public static String yaml(JsonNode tree) {
        return writeYaml(tree);
    }

    /**
     * Grafana's datasource provisioning with the datasource pointed at the given Prometheus (uid unchanged), and its
     * {@code timeInterval} the shorter scrape interval when there is one: Grafana's {@code $__rate_interval} is
     * derived from it, and doctor's grafana.time-interval holds it to the interval Prometheus scrapes at.
     */
    public static String grafanaDatasource(String prometheusUrl, Duration scrapeInterval) {
        ObjectNode root = bundled(StackFiles.GRAFANA_DATASOURCE);
        for (JsonNode ds : root.withArray("datasources")) {
            ((ObjectNode) ds).put("url", prometheusUrl);
            if (scrapeInterval != null) {
                ((ObjectNode) ds).with("jsonData").put("timeInterval",
                        io.exlm.mon.config.Durations.format(scrapeInterval));
            }
        }
        return writeYaml(root);
    }

    /** Grafana's dashboard provider, reading the dashboards from {@code dashboardsDir}. */
    public static String grafanaProvider(String dashboardsDir) {
        ObjectNode root = bundled(StackFiles.GRAFANA_PROVIDER);
        for (JsonNode p : root.withArray("providers")) {
            ((ObjectNode) p).with("options").put("path", dashboardsDir);
        }
        return writeYaml(root);
    }

    /** URLs and DSNs that point at this machine's loopback, rewritten to the name containers reach the host by. */
    public static String forContainers(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://(?:[^@/]*@)?)(localhost|127(?:\\.[0-9]+){3}|\\[::1])(?=[:/?]|$)",
                "$1" + DOCKER_HOST_ALIAS);
    }


    /** A URL or DSN with any password replaced by {@code ***}, for messages. */
    public static String redactUserInfo(String url) {
        return url.replaceAll("(?<=://)([^:/@]*):[^@/]*@", "$1:***@");
    }

    private static void setStaticTarget(ObjectNode node, String address) {
        ArrayNode configs = node.putArray("static_configs");
        configs.addObject().putArray("targets").add(address);
    }

    private static ObjectNode bundled(String name) {
        return StackFiles.yamlTree(name);
    }

    private static String writeYaml(Object node) {
        try {
            return YAML.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests: the parsed form of a YAML text. */
    static Map<?, ?> parse(String text) throws JsonProcessingException {
        return YAML.readValue(text, Map.class);
    }
}
