package io.exlm.mon.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stack's Alertmanager routing (stack/alertmanager/alertmanager.yml) in the shape of the Prometheus Operator's
 * AlertmanagerConfig (monitoring.coreos.com/v1alpha1): the same route tree, receivers and inhibitions, in its
 * camel-case field names and with matchers as objects. Every key of the file is either translated or named here as
 * dropped; a key this does not know is a build bug (the file gained a setting that would otherwise vanish from the
 * cluster's routing without a word), not something to skip.
 */
final class AlertmanagerRouting {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Route keys of alertmanager.yml and their AlertmanagerConfig names; matchers and routes are translated apart. */
    private static final Map<String, String> ROUTE_KEYS = Map.of("receiver", "receiver", "group_by", "groupBy",
            "group_wait", "groupWait", "group_interval", "groupInterval", "repeat_interval", "repeatInterval",
            "continue", "continue");

    /**
     * The top-level keys that belong to the Alertmanager itself, not to an AlertmanagerConfig, which has no place
     * for them: kube-prometheus-stack's own configuration sets them (its resolve_timeout is the stack's 5m).
     */
    static final Set<String> ALERTMANAGER_GLOBALS = Set.of("global");

    /** alertmanager's matcher syntax: a label name, an operator, a value in double quotes or bare. */
    private static final Pattern MATCHER = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*");

    private AlertmanagerRouting() {
    }

    /**
     * The spec of an AlertmanagerConfig from the tree of alertmanager.yml. Every webhook's URL is replaced by a
     * reference to the key {@code url} of the Secret {@code webhookSecret}: a webhook URL often carries a token, and
     * a manifest is committed and shown where a Secret is not.
     */
    static ObjectNode spec(JsonNode alertmanager, String webhookSecret, String where) {
        ObjectNode spec = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = alertmanager.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "route" -> spec.set("route", route(e.getValue(), where + " route"));
                case "receivers" -> {
                    ArrayNode receivers = spec.putArray("receivers");
                    for (JsonNode r : e.getValue()) {
                        receivers.add(receiver(r, webhookSecret, where));
                    }
                }
                case "inhibit_rules" -> {
                    ArrayNode rules = spec.putArray("inhibitRules");
                    for (JsonNode r : e.getValue()) {
                        rules.add(inhibitRule(r, where));
                    }
                }
                default -> {
                    if (!ALERTMANAGER_GLOBALS.contains(e.getKey())) {
                        throw unknown(where, e.getKey());
                    }
                }
            }
        }
        return spec;
    }

    private static ObjectNode route(JsonNode route, String where) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = route.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.equals("matchers")) {
                out.set("matchers", matchers(e.getValue(), where));
            } else if (key.equals("routes")) {
                ArrayNode routes = out.putArray("routes");
                int i = 0;
                for (JsonNode child : e.getValue()) {
                    routes.add(route(child, where + ".routes[" + i++ + "]"));
                }
            } else if (ROUTE_KEYS.containsKey(key)) {
                out.set(ROUTE_KEYS.get(key), e.getValue().deepCopy());
            } else {
                throw unknown(where, key);
            }
        }
        return out;
    }

    private static ObjectNode receiver(JsonNode receiver, String webhookSecret, String where) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = receiver.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "name" -> out.set("name", e.getValue().deepCopy());
                case "webhook_configs" -> {
                    ArrayNode hooks = out.putArray("webhookConfigs");
                    for (JsonNode w : e.getValue()) {
                        hooks.add(webhook(w, webhookSecret, where + " receiver " + receiver.path("name").asText()));
                    }
                }
                default -> throw unknown(where + " receiver " + receiver.path("name").asText(), e.getKey());
            }
        }
        return out;
    }

    private static ObjectNode webhook(JsonNode webhook, String webhookSecret, String where) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = webhook.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                // the stack's URL is its own local default: the cluster's comes from the Secret
                case "url" -> out.putObject("urlSecret").put("name", webhookSecret).put("key",
                        KubernetesManifests.WEBHOOK_SECRET_KEY);
                case "send_resolved" -> out.set("sendResolved", e.getValue().deepCopy());
                case "max_alerts" -> out.set("maxAlerts", e.getValue().deepCopy());
                case "timeout" -> out.set("timeout", e.getValue().deepCopy());
                default -> throw unknown(where + " webhook", e.getKey());
            }
        }
        return out;
    }

    private static ObjectNode inhibitRule(JsonNode rule, String where) {
        ObjectNode out = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = rule.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "source_matchers" -> out.set("sourceMatch", matchers(e.getValue(), where + " inhibit_rules"));
                case "target_matchers" -> out.set("targetMatch", matchers(e.getValue(), where + " inhibit_rules"));
                case "equal" -> out.set("equal", e.getValue().deepCopy());
                default -> throw unknown(where + " inhibit_rules", e.getKey());
            }
        }
        return out;
    }

    private static ArrayNode matchers(JsonNode list, String where) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode m : list) {
            out.add(matcher(m.asText(), where));
        }
        return out;
    }

    /** One matcher of alertmanager's syntax ({@code severity = warning}, {@code instance =~ ".+"}) as an object. */
    static ObjectNode matcher(String text, String where) {
        Matcher m = MATCHER.matcher(text);
        if (!m.matches()) {
            throw new IllegalStateException(where + ": matcher '" + text + "' is not name, operator, value (a build"
                    + " bug: the bundled file is checked by amtool in the tests)");
        }
        return NODES.objectNode().put("name", m.group(1)).put("value", unquote(m.group(3), text, where))
                .put("matchType", m.group(2));
    }

    private static String unquote(String value, String text, String where) {
        if (!value.startsWith("\"")) {
            return value;
        }
        if (value.length() < 2 || !value.endsWith("\"")) {
            throw new IllegalStateException(where + ": matcher '" + text + "' has an unterminated quote");
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                char next = value.charAt(++i);
                sb.append(next == 'n' ? '\n' : next);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static IllegalStateException unknown(String where, String key) {
        return new IllegalStateException(where + ": '" + key + "' has no translation into an AlertmanagerConfig (a"
                + " build bug: teach io.exlm.mon.kubernetes.AlertmanagerRouting the key, or say why it is dropped)");
    }
}
