package io.exlm.mon.kubernetes;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.AlertmanagerConfig;
import io.fabric8.openshift.api.model.monitoring.v1alpha1.Route;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's API as fabric8 generated it from the operator's CRDs, read strictly: a field the model
 * does not define fails, and so does a value of the wrong type. fabric8's classes keep unknown fields in
 * {@code additionalProperties} through a {@code @JsonAnySetter}, which would accept any misspelling: that annotation
 * is ignored here, so that FAIL_ON_UNKNOWN_PROPERTIES applies; scalars are not coerced (a label {@code 1} is not
 * the string "1", {@code "true"} is not a boolean). A route's child routes are untyped in the model (the CRD leaves
 * them open, x-kubernetes-preserve-unknown-fields): each is read as a {@link Route} itself, all the way down.
 * Finally each object, written back from the model, must be the document it was read from: nothing was dropped.
 */
final class OperatorModel {
    static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of("PrometheusRule", PrometheusRule.class,
            "ServiceMonitor", ServiceMonitor.class, "ConfigMap", ConfigMap.class, "AlertmanagerConfig",
            AlertmanagerConfig.class);

    static final ObjectMapper STRICT = strict();

    private OperatorModel() {
    }

    private static ObjectMapper strict() {
        ObjectMapper m = JsonMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    private static final long serialVersionUID = 1L;

                    @Override
                    public Boolean hasAnySetter(Annotated a) {
                        return Boolean.FALSE;
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType t : new LogicalType[] {LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer,
            LogicalType.Float}) {
            for (CoercionInputShape s : new CoercionInputShape[] {CoercionInputShape.Integer,
                CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String}) {
                m.coercionConfigFor(t).setCoercion(s, CoercionAction.Fail);
            }
        }
        // the same shape may stay (a string for a string): only the conversions between shapes fail
        m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
        m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.Integer, CoercionAction.TryConvert);
        m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.Float, CoercionAction.TryConvert);
        m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Boolean, CoercionAction.TryConvert);
        return m;
    }

    /** The documents of a multi-document YAML stream, as the text says them (no document is skipped). */
    static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (var it = new YAMLMapper().readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    /** Every document of the stream read into its kind's typed model; the first that does not read fails. */
    static List<HasMetadata> read(String yaml) throws IOException {
        List<HasMetadata> out = new ArrayList<>();
        for (JsonNode doc : documents(yaml)) {
            out.add(read(doc));
        }
        return out;
    }

    static HasMetadata read(JsonNode doc) throws IOException {
        String kind = doc.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new IllegalArgumentException("kind '" + kind + "' is none of " + KINDS.keySet());
        }
        if (!HasMetadata.getApiVersion(type).equals(doc.path("apiVersion").asText())) {
            throw new IllegalArgumentException(kind + ": apiVersion " + doc.path("apiVersion") + ", but the operator"
                    + " serves it as " + HasMetadata.getApiVersion(type));
        }
        HasMetadata typed = STRICT.treeToValue(doc, type);
        if (typed instanceof AlertmanagerConfig amc && amc.getSpec() != null && amc.getSpec().getRoute() != null) {
            childRoutes(amc.getSpec().getRoute(), "spec.route");
        }
        JsonNode back = STRICT.valueToTree(typed);
        if (!back.equals(doc)) {
            throw new IllegalArgumentException(kind + " does not survive the typed model unchanged:\n  read "
                    + doc + "\n  back " + back);
        }
        return typed;
    }

    private static void childRoutes(Route route, String where) throws IOException {
        int i = 0;
        for (JsonNode child : route.getRoutes()) {
            if (!(child instanceof ObjectNode)) {
                throw new IllegalArgumentException(where + ".routes[" + i + "] is not an object");
            }
            childRoutes(STRICT.treeToValue(child, Route.class), where + ".routes[" + i + "]");
            i++;
        }
    }
}
