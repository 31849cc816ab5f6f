package io.exlm.mon.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.panel.GrafanaDashboard;
import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Tools;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.Endpoint;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.AlertmanagerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What {@code render kubernetes} writes, checked without a cluster: every document read back strictly into the
 * Prometheus Operator's typed model (fabric8's, generated from the operator's CRDs), the rules through the real
 * promtool, the dashboard against the generated one, the labels kube-prometheus-stack selects by; and a misspelt
 * field or a wrong type in each kind fails the same check.
 */
class KubernetesManifestsTest {
    private static final Path STACK = Launcher.root().resolve("stack");
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static KubernetesManifests.Options options(String datasourceUid) {
        Map<String, String> selector = new LinkedHashMap<>();
        selector.put("app.kubernetes.io/name", "exlm-backend");
        selector.put("tier", "api");
        return new KubernetesManifests.Options("exlm-prod", "monitoring", selector, "metrics", datasourceUid,
                "pager-hook");
    }

    private static String rendered() {
        return KubernetesManifests.yaml(KubernetesManifests.render(options("prometheus")));
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private static JsonNode stackYaml(String file) throws Exception {
        return YAML.readTree(STACK.resolve(file).toFile());
    }

    @Test
    void everyDocumentReadsStrictlyIntoTheOperatorsTypedModel() throws Exception {
        List<HasMetadata> objects = OperatorModel.read(rendered());
        assertThat(objects).extracting(HasMetadata::getKind).containsExactly("PrometheusRule", "ServiceMonitor",
                "ConfigMap", "AlertmanagerConfig");
        for (HasMetadata o : objects) {
            assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo("exlm-prod");
            assertThat(o.getMetadata().getName()).as(o.getKind()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        }
    }

    /** kube-prometheus-stack's Prometheus selects rules and ServiceMonitors by release: NAME (ruleSelector ...). */
    @Test
    void theLabelsTheChartSelectsBy() throws Exception {
        List<HasMetadata> objects = OperatorModel.read(rendered());
        assertThat(only(objects, PrometheusRule.class).getMetadata().getLabels()).containsEntry("release",
                "monitoring");
        assertThat(only(objects, ServiceMonitor.class).getMetadata().getLabels()).containsEntry("release",
                "monitoring");
        // the Grafana sidecar's label, a string: the API server refuses the number 1 as a label value
        assertThat(only(objects, ConfigMap.class).getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        assertThat(rendered()).contains("    grafana_dashboard: \"1\"\n");
    }

    /**
     * The backend's job of prometheus.yml, on the cluster: the Service selected by the given labels, its named port,
     * the job's path and the scrape interval, and the job name that every rule selects kept.
     */
    @Test
    void theServiceMonitorScrapesTheBackendAsPrometheusYmlDoes() throws Exception {
        ServiceMonitor sm = only(OperatorModel.read(rendered()), ServiceMonitor.class);
        assertThat(sm.getSpec().getSelector().getMatchLabels()).containsExactlyEntriesOf(options("x")
                .backendSelector());
        assertThat(sm.getSpec().getNamespaceSelector()).as("only the namespace of the ServiceMonitor").isNull();
        JsonNode prometheus = stackYaml(StackFiles.PROMETHEUS);
        JsonNode job = null;
        for (JsonNode j : prometheus.path("scrape_configs")) {
            if (j.path("job_name").asText().equals(Catalog.BACKEND_JOB)) {
                job = j;
            }
        }
        assertThat(job).isNotNull();
        assertThat(sm.getSpec().getEndpoints()).hasSize(1);
        Endpoint e = sm.getSpec().getEndpoints().get(0);
        assertThat(e.getPort()).isEqualTo("metrics");
        assertThat(e.getPath()).isEqualTo(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(e.getInterval()).isEqualTo(prometheus.path("global").path("scrape_interval").asText())
                .isEqualTo("15s");
        assertThat(e.getRelabelings()).hasSize(1);
        assertThat(e.getRelabelings().get(0).getTargetLabel()).isEqualTo("job");
        assertThat(e.getRelabelings().get(0).getReplacement()).isEqualTo(Catalog.BACKEND_JOB);
        // the job name the rules select: with another the alerts would never fire
        String rules = Files.readString(STACK.resolve(StackFiles.ALERTS)) + Files.readString(STACK.resolve(
                StackFiles.SLO_RULES));
        assertThat(rules).contains("job=\"" + e.getRelabelings().get(0).getReplacement() + "\"");
    }

    /**
     * The PrometheusRule holds every group of the rule files Prometheus loads, in order and as written, each alert
     * with the namespace label added and nothing else changed.
     */
    @Test
    void thePrometheusRuleHoldsTheStacksRulesWithTheNamespaceOnEveryAlert() throws Exception {
        JsonNode rule = OperatorModel.documents(rendered()).get(0);
        ArrayNode expected = JSON.createArrayNode();
        for (String file : StackFiles.RULES) {
            for (JsonNode g : stackYaml(file).path("groups")) {
                expected.add(g);
            }
        }
        ArrayNode groups = (ArrayNode) rule.path("spec").path("groups").deepCopy();
        int alerts = 0;
        for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
                if (r.has("alert")) {
                    assertThat(r.path("labels").path("namespace").asText()).as(r.path("alert").asText())
                            .isEqualTo("exlm-prod");
                    ((ObjectNode) r.path("labels")).remove("namespace");
                    alerts++;
                } else {
                    assertThat(r.path("labels").has("namespace")).as(r.path("record").asText()).isFalse();
                }
            }
        }
        assertThat(groups).isEqualTo(expected);
        assertThat(alerts).isGreaterThanOrEqualTo(5);
    }

    /** The rules inside the PrometheusRule, as a rule file, pass the real promtool. */
    @Test
    void theRulesInsidePassPromtool() throws Exception {
        String promtool = Tools.require("promtool").toString();
        Run ok = promtoolCheck(promtool, rendered());
        assertThat(ok.code()).as(ok.output()).isZero();
        assertThat(ok.output()).contains("SUCCESS");
        // and promtool does say no: one expression broken in the same document
        Run broken = promtoolCheck(promtool, rendered().replace("expr: max without (pid) (cpu_usage_percent) > 80",
                "expr: max without (pid) (cpu_usage_percent) >"));
        assertThat(broken.code()).as(broken.output()).isNotZero();
    }

    record Run(int code, String output) {
    }

    private Run promtoolCheck(String promtool, String yaml) throws Exception {
        JsonNode rule = OperatorModel.documents(yaml).get(0);
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        Path file = tmp.resolve("rules.yml");
        ObjectNode ruleFile = JSON.createObjectNode();
        ruleFile.set("groups", rule.path("spec").path("groups"));
        Files.writeString(file, YAML.writeValueAsString(ruleFile));
        Process p = new ProcessBuilder(promtool, "check", "rules", file.toString()).redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    /**
     * The ConfigMap's dashboard is the generated one: byte for byte when it keeps the stack's datasource uid, and
     * otherwise the same JSON but for the uid of every datasource reference.
     */
    @Test
    void theDashboardIsTheGeneratedOne() throws Exception {
        String generated = GrafanaDashboard.json(AlertThresholds.of(Files.readString(STACK.resolve(
                StackFiles.ALERTS)), "the rules"));
        assertThat(generated).as("the committed dashboard is the generated one (GrafanaDashboardTest)")
                .isEqualTo(Files.readString(STACK.resolve(StackFiles.DASHBOARD)));
        ConfigMap same = only(OperatorModel.read(KubernetesManifests.yaml(KubernetesManifests.render(options(
                GrafanaDashboard.DATASOURCE)))), ConfigMap.class);
        assertThat(same.getData()).containsOnlyKeys("exlm-overview.json");
        assertThat(same.getData().get("exlm-overview.json")).isEqualTo(generated);

        ConfigMap cluster = only(OperatorModel.read(rendered()), ConfigMap.class);
        JsonNode theirs = JSON.readTree(cluster.getData().get("exlm-overview.json"));
        List<String> changed = new ArrayList<>();
        diff(JSON.readTree(generated), theirs, "", changed);
        assertThat(changed).isNotEmpty().allSatisfy(path -> assertThat(path).endsWith("/datasource/uid "
                + GrafanaDashboard.DATASOURCE + " -> prometheus"));
    }

    /** Where two JSON trees differ, as "path old -> new"; a difference of shape is a difference at its path. */
    private static void diff(JsonNode a, JsonNode b, String path, List<String> out) {
        if (a.isObject() && b.isObject()) {
            List<String> names = new ArrayList<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(n -> {
                if (!names.contains(n)) {
                    names.add(n);
                }
            });
            for (String n : names) {
                diff(a.path(n), b.path(n), path + "/" + n, out);
            }
        } else if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                diff(a.get(i), b.get(i), path + "/" + i, out);
            }
        } else if (!a.equals(b)) {
            out.add(path + " " + a.asText(a.toString()) + " -> " + b.asText(b.toString()));
        }
    }

    /**
     * The routing of alertmanager.yml: the same route tree (receivers, grouping, timings, matchers), receivers and
     * inhibitions, every webhook reading its URL from the Secret and none carrying the stack's local URL.
     */
    @Test
    void theAlertmanagerConfigIsTheStacksRouting() throws Exception {
        AlertmanagerConfig amc = only(OperatorModel.read(rendered()), AlertmanagerConfig.class);
        JsonNode stack = stackYaml(StackFiles.ALERTMANAGER);
        JsonNode route = OperatorModel.documents(rendered()).get(3).path("spec").path("route");
        assertSameRoute(stack.path("route"), route, "route");
        assertThat(amc.getSpec().getReceivers()).extracting(r -> r.getName()).containsExactlyElementsOf(
                names(stack.path("receivers")));
        for (var r : amc.getSpec().getReceivers()) {
            assertThat(r.getWebhookConfigs()).isNotEmpty().allSatisfy(w -> {
                assertThat(w.getUrl()).isNull();
                assertThat(w.getUrlSecret().getName()).isEqualTo("pager-hook");
                assertThat(w.getUrlSecret().getKey()).isEqualTo("url");
            });
        }
        assertThat(rendered()).doesNotContain(stack.path("receivers").get(0).path("webhook_configs").get(0)
                .path("url").asText());
        assertThat(amc.getSpec().getInhibitRules()).hasSize(stack.path("inhibit_rules").size());
        var inhibit = amc.getSpec().getInhibitRules().get(0);
        assertThat(inhibit.getEqual()).containsExactly("instance");
        assertThat(inhibit.getSourceMatch()).extracting(m -> m.getName() + m.getMatchType() + m.getValue())
                .containsExactly("alertname=ServiceDown", "instance=~.+");
        assertThat(inhibit.getTargetMatch()).extracting(m -> m.getName() + m.getMatchType() + m.getValue())
                .containsExactly("alertname=~HighCPUUsage|HighMemoryUsage|DiskSpaceLow|HighErrorRate");
    }

    private static List<String> names(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }

    private static void assertSameRoute(JsonNode stack, JsonNode rendered, String where) {
        Map<String, String> keys = Map.of("receiver", "receiver", "group_by", "groupBy", "group_wait", "groupWait",
                "group_interval", "groupInterval", "repeat_interval", "repeatInterval");
        int fields = 0;
        for (Iterator<String> it = stack.fieldNames(); it.hasNext();) {
            String k = it.next();
            fields++;
            if (k.equals("routes")) {
                assertThat(rendered.path("routes").size()).as(where).isEqualTo(stack.path("routes").size());
                for (int i = 0; i < stack.path("routes").size(); i++) {
                    assertSameRoute(stack.path("routes").get(i), rendered.path("routes").get(i), where + "[" + i
                            + "]");
                }
            } else if (k.equals("matchers")) {
                List<String> m = new ArrayList<>();
                rendered.path("matchers").forEach(n -> m.add(n.path("name").asText() + " " + n.path("matchType")
                        .asText() + " " + n.path("value").asText()));
                List<String> s = new ArrayList<>();
                stack.path("matchers").forEach(n -> s.add(n.asText()));
                assertThat(m).as(where).isEqualTo(s);
            } else {
                assertThat(keys).as(where + " " + k).containsKey(k);
                assertThat(rendered.path(keys.get(k))).as(where + " " + k).isEqualTo(stack.path(k));
            }
        }
        assertThat(rendered.size()).as(where + ": no field more than the stack's").isEqualTo(fields);
    }

    /**
     * The check above says no: one misspelt field in each kind (a top-level one, one deep in a spec, one in a child
     * route the model leaves untyped), and a value of the wrong type, each fails it.
     */
    static List<org.junit.jupiter.params.provider.Arguments> misspellings() {
        return List.of(
                misspelling("PrometheusRule: a rule's field", "      for: 5m\n", "      fro: 5m\n"),
                misspelling("PrometheusRule: a group's field", "  - name: exlm-meta\n    rules:\n",
                        "  - name: exlm-meta\n    rulez:\n"),
                misspelling("PrometheusRule: metadata", "  name: exlm-mon-rules\n  namespace:",
                        "  name: exlm-mon-rules\n  namepsace:"),
                misspelling("ServiceMonitor: the endpoint's interval", "    interval: 15s\n",
                        "    intervall: 15s\n"),
                misspelling("ServiceMonitor: the selector", "    matchLabels:\n", "    matchLabel:\n"),
                misspelling("ServiceMonitor: the relabeling", "      targetLabel: job\n",
                        "      target_label: job\n"),
                misspelling("ConfigMap: data", "\ndata:\n", "\ndta:\n"),
                misspelling("ConfigMap: a label of the wrong type", "    grafana_dashboard: \"1\"\n",
                        "    grafana_dashboard: 1\n"),
                misspelling("AlertmanagerConfig: the route", "    groupWait: 30s\n", "    group_wait: 30s\n"),
                misspelling("AlertmanagerConfig: a child route (untyped in the model)",
                        "      receiver: exlm-watchdog\n", "      reciever: exlm-watchdog\n"),
                misspelling("AlertmanagerConfig: a webhook", "      sendResolved: false\n",
                        "      send_resolved: false\n"),
                misspelling("AlertmanagerConfig: a boolean of the wrong type", "      sendResolved: false\n",
                        "      sendResolved: \"false\"\n"),
                misspelling("AlertmanagerConfig: a matcher", "        matchType: \"=\"\n",
                        "        matchTyp: \"=\"\n"));
    }

    private static org.junit.jupiter.params.provider.Arguments misspelling(String what, String field,
            String misspelt) {
        return org.junit.jupiter.params.provider.Arguments.of(what, field, misspelt);
    }

    /**
     * The check above says no: one misspelt field in each kind (at the top, deep in a spec, in a child route that
     * the model leaves untyped), and values of the wrong type, each fails it. The misspelling is made in the text
     * that was written, the first place the field occurs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("misspellings")
    void aMisspeltFieldInEachKindFails(String what, String field, String misspelt) throws Exception {
        String good = rendered();
        assertThat(good).as(what + ": the field is in the output").contains(field);
        String bad = good.replaceFirst(java.util.regex.Pattern.quote(field), java.util.regex.Matcher
                .quoteReplacement(misspelt));
        OperatorModel.read(good);
        String why = misspelt.contains(": 1\n") || misspelt.contains("\"false\"") ? "Cannot coerce"
                : "Unrecognized field";
        assertThatThrownBy(() -> OperatorModel.read(bad)).as(what).hasMessageContaining(why);
    }

    /**
     * Why the model is read strictly: fabric8's classes keep an unknown field in additionalProperties, so an
     * ordinary reader, even with FAIL_ON_UNKNOWN_PROPERTIES, takes a misspelt field without a word.
     */
    @Test
    void anOrdinaryReaderTakesAMisspeltFieldWithoutAWord() throws Exception {
        // the ServiceMonitor's endpoint interval (the PrometheusRule before it has a group's interval too)
        String all = rendered();
        int at = all.indexOf("kind: ServiceMonitor");
        JsonNode sm = OperatorModel.documents(all.substring(0, at) + all.substring(at).replaceFirst(
                "    interval: 15s\n", "    intervall: 15s\n")).get(1);
        ServiceMonitor lax = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature
                .FAIL_ON_UNKNOWN_PROPERTIES).treeToValue(sm, ServiceMonitor.class);
        assertThat(lax.getSpec().getEndpoints().get(0).getInterval()).isNull();
        assertThat(lax.getSpec().getEndpoints().get(0).getAdditionalProperties()).containsKey("intervall");
        assertThatThrownBy(() -> OperatorModel.read(sm)).hasMessageContaining("Unrecognized field \"intervall\"");
    }

    /**
     * A YAML 1.1 reader (SnakeYAML's own resolver, as many a tool on the way to a cluster reads YAML: yes/no booleans,
     * 1:20 as a number, dates) reads the same documents as the typed check did; and the one plain scalar PyYAML
     * refuses, {@code =} (YAML 1.1's "value" type, an AlertmanagerConfig's matchType), is never written bare.
     */
    @Test
    void aYaml11ReaderReadsTheSameDocuments() throws Exception {
        String yaml = rendered();
        org.yaml.snakeyaml.Yaml y11 = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(
                new org.yaml.snakeyaml.LoaderOptions()));
        List<JsonNode> theirs = new ArrayList<>();
        for (Object doc : y11.loadAll(yaml)) {
            theirs.add(JSON.valueToTree(doc));
        }
        assertThat(theirs).isEqualTo(OperatorModel.documents(yaml));
        assertThat(yaml).doesNotContainPattern("(?m): =$").contains("matchType: \"=\"");
        // and the check can fail: a bare date is a date to it
        String dated = yaml.replaceFirst("repeatInterval: 4h", "repeatInterval: 2026-12-01");
        List<JsonNode> datedDocs = new ArrayList<>();
        for (Object doc : y11.loadAll(dated)) {
            datedDocs.add(JSON.valueToTree(doc));
        }
        assertThat(datedDocs).isNotEqualTo(OperatorModel.documents(dated));
    }

    /** kubectl apply (client side) keeps the whole object in an annotation, which may hold 256 KiB in all. */
    @Test
    void everyObjectFitsKubectlApplysAnnotation() throws Exception {
        for (JsonNode doc : OperatorModel.documents(rendered())) {
            assertThat(JSON.writeValueAsBytes(doc).length).as(doc.path("kind").asText()).isLessThan(200 * 1024);
        }
    }

    /** A kind the model does not know, or an apiVersion the operator does not serve it as, fails. */
    @Test
    void aWrongApiVersionFails() throws Exception {
        String bad = rendered().replaceFirst("apiVersion: monitoring.coreos.com/v1alpha1\nkind: AlertmanagerConfig",
                "apiVersion: monitoring.coreos.com/v1\nkind: AlertmanagerConfig");
        assertThat(bad).isNotEqualTo(rendered());
        assertThatThrownBy(() -> OperatorModel.read(bad)).hasMessageContaining("apiVersion");
    }

    /** Every object's file under --output-dir is its own. */
    @Test
    void theFileNamesAreDistinct() {
        List<String> names = KubernetesManifests.render(options("prometheus")).stream()
                .map(KubernetesManifests.Manifest::fileName).toList();
        assertThat(names).doesNotHaveDuplicates().containsExactly("prometheusrule-exlm-mon-rules.yaml",
                "servicemonitor-exlm-backend.yaml", "configmap-exlm-mon-dashboards.yaml",
                "alertmanagerconfig-exlm-mon-routing.yaml");
    }

    /** A route setting the translation does not know stops the render instead of vanishing from the cluster. */
    @Test
    void anUntranslatedRoutingKeyIsABuildBugNotASilentDrop() throws Exception {
        ObjectNode am = (ObjectNode) stackYaml(StackFiles.ALERTMANAGER);
        ((ObjectNode) am.path("route")).putArray("mute_time_intervals").add("weekends");
        assertThatThrownBy(() -> AlertmanagerRouting.spec(am, "s", "test")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("mute_time_intervals");
    }
}
