package io.exlm.mon.kubernetes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.panel.GrafanaDashboard;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.StackFiles;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The stack's monitoring as objects for kube-prometheus-stack (the Prometheus Operator and Grafana's dashboard
 * sidecar): a PrometheusRule with the stack's rule files, a ServiceMonitor that scrapes the backend as prometheus.yml's
 * backend job does, the generated dashboard in a ConfigMap, and alertmanager.yml's routing as an AlertmanagerConfig.
 * Every object is built from the bundled stack files, never restated here; the test reads each back into the
 * operator's typed model (fabric8's), strictly.
 */
public final class KubernetesManifests {
    /** The chart's usual release name: its Prometheus selects rules and ServiceMonitors labelled release: NAME. */
    public static final String DEFAULT_RELEASE = "kube-prometheus-stack";
    /** The uid of the Prometheus datasource that kube-prometheus-stack's Grafana provisions. */
    public static final String DEFAULT_DATASOURCE_UID = "prometheus";
    /** The label of the backend's Service that the ServiceMonitor selects by default. */
    public static final String DEFAULT_SELECTOR = "app.kubernetes.io/name=exlm-backend";
    /** The name of the backend Service's port that serves the metrics. */
    public static final String DEFAULT_PORT = "http";
    /** The Secret that holds the webhook URL of every receiver, under {@link #WEBHOOK_SECRET_KEY}. */
    public static final String DEFAULT_WEBHOOK_SECRET = "exlm-alert-webhook";
    public static final String WEBHOOK_SECRET_KEY = "url";
    /** The label, and its value, that Grafana's sidecar in kube-prometheus-stack loads dashboards from. */
    public static final String DASHBOARD_LABEL = "grafana_dashboard";
    public static final String DASHBOARD_LABEL_VALUE = "1";
    public static final String RELEASE_LABEL = "release";

    static final String MONITORING_V1 = "monitoring.coreos.com/v1";
    static final String MONITORING_V1ALPHA1 = "monitoring.coreos.com/v1alpha1";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /**
     * Strings that a reader would take for something else stay quoted ({@link Yaml11Quoting}: a label {@code "1"}
     * must not become the number 1, which the API server refuses), long texts (the dashboard) are literal blocks a
     * person can read, and no line is folded.
     */
    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .stringQuotingChecker(new Yaml11Quoting()).build()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES));

    /**
     * Jackson's quoting, and also the plain scalars that a YAML 1.1 reader (PyYAML, and many a tool on the way to a
     * cluster) takes for something else than a string: {@code =} (its "value" type, which PyYAML refuses to load: an
     * AlertmanagerConfig's {@code matchType: =}), {@code <<} (a merge key), and digits with ':' or '-' (sexagesimal
     * numbers, dates).
     */
    private static final class Yaml11Quoting extends com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker
            .Default {
        private static final long serialVersionUID = 1L;
        private static final java.util.regex.Pattern NUMBERISH = java.util.regex.Pattern.compile("[-+0-9.:_ TtZz]+");

        @Override
        public boolean needToQuoteValue(String value) {
            return super.needToQuoteValue(value) || value.equals("=") || value.equals("<<")
                    || NUMBERISH.matcher(value).matches();
        }
    }

    /** What the objects are for: where they go and what they select. */
    public record Options(String namespace, String release, Map<String, String> backendSelector, String backendPort,
            String datasourceUid, String webhookSecret) {
    }

    /** One object, with the stack file it was made from (for the comment above it). */
    public record Manifest(String kind, String name, String from, ObjectNode object) {
        /** The file {@code --output-dir} writes it to. */
        public String fileName() {
            return kind.toLowerCase(Locale.ROOT) + "-" + name + ".yaml";
        }

        /** Its YAML document, with a comment that says where it comes from. */
        public String yaml() {
            try {
                return "# " + kind + " " + name + ", from the stack's " + from + " (exlm-mon render kubernetes)\n"
                        + YAML.writeValueAsString(object);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write " + kind + " " + name, e);
            }
        }
    }

    private KubernetesManifests() {
    }

    /** The four objects, in the order they are written. */
    public static List<Manifest> render(Options o) {
        return List.of(prometheusRule(o), serviceMonitor(o), dashboard(o), alertmanagerConfig(o));
    }

    /** The objects as one multi-document YAML stream, as {@code kubectl apply -f -} reads it. */
    public static String yaml(List<Manifest> manifests) {
        StringBuilder sb = new StringBuilder();
        for (Manifest m : manifests) {
            sb.append("---\n").append(m.yaml());
        }
        return sb.toString();
    }

    /**
     * Every group of the rule files Prometheus loads, in its order and as written, except that each alert also
     * carries the label {@code namespace}: the operator routes an AlertmanagerConfig's alerts by the namespace label
     * (its default matcher strategy, OnNamespace), and alerts on aggregates such as HighErrorRate's ratio have none.
     */
    static Manifest prometheusRule(Options o) {
        ObjectNode spec = NODES.objectNode();
        ArrayNode groups = spec.putArray("groups");
        Set<String> names = new HashSet<>();
        for (String file : StackFiles.RULES) {
            for (JsonNode g : bundled(file).withArray("groups")) {
                ObjectNode group = (ObjectNode) g.deepCopy();
                if (!names.add(group.path("name").asText())) {
                    throw new IllegalStateException("rule group " + group.path("name").asText() + " is in two rule"
                            + " files; one PrometheusRule cannot hold both (a build bug)");
                }
                for (JsonNode rule : group.withArray("rules")) {
                    if (rule.has("alert")) {
                        ((ObjectNode) rule).with("labels").put("namespace", o.namespace());
                    }
                }
                groups.add(group);
            }
        }
        return new Manifest("PrometheusRule", "exlm-mon-rules", "prometheus/rules/*.yml", object(MONITORING_V1,
                "PrometheusRule", "exlm-mon-rules", o, Map.of(RELEASE_LABEL, o.release()), "spec", spec));
    }

    /**
     * The backend's job of prometheus.yml: its interval (the job's or the global one) and metrics path, and its job
     * name kept (by default the operator names the job after the Service, and every rule selects
     * {@code job="exlm-backend"}). A setting of the job this cannot carry over is a build bug, not something to drop.
     */
    static Manifest serviceMonitor(Options o) {
        ObjectNode prometheus = bundled(StackFiles.PROMETHEUS);
        JsonNode job = null;
        for (JsonNode j : prometheus.withArray("scrape_configs")) {
            if (Catalog.BACKEND_JOB.equals(j.path("job_name").asText())) {
                job = j;
            }
        }
        if (job == null) {
            throw new IllegalStateException("stack/" + StackFiles.PROMETHEUS + " has no job " + Catalog.BACKEND_JOB
                    + " (a build bug)");
        }
        ObjectNode endpoint = NODES.objectNode();
        endpoint.put("port", o.backendPort());
        String interval = job.path("scrape_interval").asText(prometheus.path("global").path("scrape_interval")
                .asText(""));
        for (Iterator<String> it = job.fieldNames(); it.hasNext();) {
            String key = it.next();
            switch (key) {
                // the targets: the ServiceMonitor's selector finds them in the cluster
                case "job_name", "file_sd_configs", "static_configs", "scrape_interval" -> {
                }
                case "metrics_path" -> endpoint.put("path", job.get(key).asText());
                case "scrape_timeout" -> endpoint.put("scrapeTimeout", job.get(key).asText());
                case "scheme" -> endpoint.put("scheme", job.get(key).asText());
                case "honor_labels" -> endpoint.put("honorLabels", job.get(key).asBoolean());
                default -> throw new IllegalStateException("stack/" + StackFiles.PROMETHEUS + ": the job "
                        + Catalog.BACKEND_JOB + "'s '" + key + "' has no translation into a ServiceMonitor (a build"
                        + " bug: teach io.exlm.mon.kubernetes.KubernetesManifests the key)");
            }
        }
        if (!interval.isEmpty()) {
            endpoint.put("interval", interval);
        }
        endpoint.putArray("relabelings").addObject().put("action", "replace").put("targetLabel", "job")
                .put("replacement", Catalog.BACKEND_JOB);
        ObjectNode spec = NODES.objectNode();
        ObjectNode labels = spec.putObject("selector").putObject("matchLabels");
        o.backendSelector().forEach(labels::put);
        spec.putArray("endpoints").add(endpoint);
        return new Manifest("ServiceMonitor", Catalog.BACKEND_JOB, StackFiles.PROMETHEUS, object(MONITORING_V1,
                "ServiceMonitor", Catalog.BACKEND_JOB, o, Map.of(RELEASE_LABEL, o.release()), "spec", spec));
    }

    /** The generated dashboard, its panels pointed at the datasource uid of the cluster's Grafana. */
    static Manifest dashboard(Options o) {
        JsonNode dashboard;
        try {
            dashboard = new com.fasterxml.jackson.databind.ObjectMapper().readTree(StackFiles.read(
                    StackFiles.DASHBOARD));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("bundled " + StackFiles.DASHBOARD + " is not JSON (a build bug)", e);
        }
        pointDatasources(dashboard, o.datasourceUid());
        ObjectNode data = NODES.objectNode();
        String file = StackFiles.DASHBOARD.substring(StackFiles.DASHBOARD.lastIndexOf('/') + 1);
        data.put(file, GrafanaDashboard.text(dashboard));
        return new Manifest("ConfigMap", "exlm-mon-dashboards", StackFiles.DASHBOARD, object("v1", "ConfigMap",
                "exlm-mon-dashboards", o, Map.of(DASHBOARD_LABEL, DASHBOARD_LABEL_VALUE, RELEASE_LABEL, o.release()),
                "data", data));
    }

    /** Every datasource reference to the stack's Prometheus datasource, pointed at {@code uid}. */
    private static void pointDatasources(JsonNode node, String uid) {
        if (node.isObject()) {
            JsonNode ds = node.get("datasource");
            if (ds != null && ds.isObject() && GrafanaDashboard.DATASOURCE.equals(ds.path("uid").asText())) {
                ((ObjectNode) ds).put("uid", uid);
            }
        }
        for (JsonNode child : node) {
            pointDatasources(child, uid);
        }
    }

    static Manifest alertmanagerConfig(Options o) {
        ObjectNode spec = AlertmanagerRouting.spec(bundled(StackFiles.ALERTMANAGER), o.webhookSecret(),
                "stack/" + StackFiles.ALERTMANAGER);
        return new Manifest("AlertmanagerConfig", "exlm-mon-routing", StackFiles.ALERTMANAGER, object(
                MONITORING_V1ALPHA1, "AlertmanagerConfig", "exlm-mon-routing", o, Map.of(RELEASE_LABEL,
                        o.release()), "spec", spec));
    }

    private static ObjectNode object(String apiVersion, String kind, String name, Options o, Map<String, String> labels,
            String bodyField, ObjectNode body) {
        ObjectNode root = NODES.objectNode();
        root.put("apiVersion", apiVersion);
        root.put("kind", kind);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", o.namespace());
        ObjectNode l = metadata.putObject("labels");
        new java.util.TreeMap<>(labels).forEach(l::put);
        root.set(bodyField, body);
        return root;
    }

    private static ObjectNode bundled(String name) {
        return StackFiles.yamlTree(name);
    }
}
