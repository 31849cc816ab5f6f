package io.exlm.mon.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Numbers;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.source.AlertThresholds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads what a health endpoint answered, in any of the formats a CI smoke check meets: exlm's own JSON, Spring Boot
 * Actuator ({@code UP}/{@code DOWN} with {@code components}), {@code application/health+json} ({@code pass}/
 * {@code warn}/{@code fail} with {@code checks}), and plain text judged by its HTTP status.
 */
public final class HealthDocument {
    /** What the document says. */
    public record Reading(String format, HealthStatus status, String word, List<Dependency> dependencies,
            String summary, Map<String, Object> values) {
        public List<Dependency> failedDependencies() {
            return dependencies.stream().filter(Dependency::failed).toList();
        }
    }


    private HealthDocument() {
    }

    /**
     * Interprets a response. Throws {@link HttpFailure} (exit 3) when the answer is not a health document: an HTML
     * page, broken JSON, or an error status with no health verdict in it.
     */
    public static Reading read(HttpResponse r) {
        return read(r, AlertThresholds::bundled);
    }

    /**
     * Interprets a response, judging the system figures of {@code /api/v1/health/metrics} against the alert rules'
     * thresholds; {@code thresholds} is asked only when there is such a figure to judge, so that reading any other
     * document parses no YAML.
     */
    public static Reading read(HttpResponse r, Supplier<AlertThresholds> thresholds) {
        String media = r.mediaType();
        boolean jsonish = media.contains("json") || startsWith(r.body(), '{') || startsWith(r.body(), '[');
        if (!jsonish) {
            if (media.startsWith("text/plain") || media.isEmpty() && r.body().length < 256 && !startsWith(r.body(),
                    '<')) {
                return plain(r);
            }
            if (!r.ok()) {
                throw HttpLayer.statusFailure(r.url(), r.status(), media, r.body());
            }
            HttpLayer.json(r); // throws the right "HTML page" or "not JSON" failure
        }
        JsonNode doc;
        try {
            doc = HttpLayer.json(r);
        } catch (HttpFailure f) {
            if (!r.ok()) {
                throw HttpLayer.statusFailure(r.url(), r.status(), media, r.body());
            }
            throw f;
        }
        if (!doc.isObject()) {
            throw notHealth(r, "a JSON " + doc.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
        }
        if (!doc.has("status") && doc.path("detail").isObject()) {
            // FastAPI's HTTPException(503, detail={...}) wraps the document in "detail"
            doc = doc.get("detail");
        }
        JsonNode status = doc.get("status");
        if (status == null || status.isNull()) {
            // {"ready": false}, {"healthy": true}: a boolean verdict under another name
            for (String key : List.of("healthy", "ready", "ok", "alive", "up")) {
                if (doc.path(key).isBoolean()) {
                    status = doc.get(key);
                    break;
                }
            }
        }
        if (status != null && status.isBoolean()) {
            // {"status": false}: the verdict as a boolean; an error status still wins over true
            boolean up = status.asBoolean() && r.ok();
            List<Dependency> deps = exlmChecks(doc.get("checks"));
            boolean failed = !up || deps.stream().anyMatch(Dependency::failed);
            String word = status.asBoolean() ? "true" : "false";
            return new Reading("exlm", failed ? HealthStatus.UNHEALTHY : worst(HealthStatus.HEALTHY, deps), word,
                    deps, summary(word, deps), Map.of());
        }
        if ((status == null || !status.isTextual()) && hasExlmChecks(doc)) {
            // checks without an overall word: the HTTP status is the verdict, a failed check overrules a 200
            List<Dependency> deps = exlmChecks(doc.get("checks"));
            boolean failed = !r.ok() || deps.stream().anyMatch(Dependency::failed);
            String word = "HTTP " + r.status();
            return new Reading("exlm", failed ? HealthStatus.UNHEALTHY : HealthStatus.HEALTHY, word, deps,
                    summary(word, deps), Map.of());
        }
        if (status != null && !status.isTextual() && !status.isNull()) {
            throw notHealth(r, "its status is a " + status.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not a word");
        }
        if (status == null || !status.isTextual()) {
            return withoutStatus(r, doc, thresholds);
        }
        HealthStatus verdict = HealthStatus.ofWord(status.asText());
        if (verdict == null) {
            throw notHealth(r, "status '" + status.asText() + "' is none of the words a health endpoint uses");
        }
        if (!r.ok() && verdict.passes()) {
            // a body that says healthy under an error status is not to be believed
            verdict = HealthStatus.UNHEALTHY;
        }
        if (doc.has("components") && doc.get("components").isObject()) {
            List<Dependency> deps = new ArrayList<>();
            springComponents("", doc.get("components"), deps);
            return new Reading("spring-actuator", worst(verdict, deps), status.asText(), deps,
                    summary(status.asText(), deps), Map.of());
        }
        if (media.equals("application/health+json") || hasArrayChecks(doc)) {
            List<Dependency> deps = healthJsonChecks(doc.get("checks"));
            String out = doc.path("output").asText("");
            String summary = summary(status.asText(), deps) + (out.isEmpty() ? "" : ": " + out);
            return new Reading("health+json", worst(verdict, deps), status.asText(), deps, summary, Map.of());
        }
        List<Dependency> deps = exlmChecks(doc.get("checks"));
        if (verdict.passes()) {
            // a dependency that failed fails the check, whatever the overall word; one not understood is a warning
            verdict = deps.stream().anyMatch(Dependency::failed) ? HealthStatus.UNHEALTHY : worst(verdict, deps);
        }
        return new Reading("exlm", verdict, status.asText(), deps, exlmSummary(doc, status.asText(), deps),
                Map.of());
    }

    /** A passing verdict made a warning when a dependency's state is a warning (or could not be read). */
    private static HealthStatus worst(HealthStatus verdict, List<Dependency> deps) {
        return verdict == HealthStatus.HEALTHY && deps.stream().anyMatch(d -> d.status() == HealthStatus.WARN)
                ? HealthStatus.WARN : verdict;
    }

    private static boolean hasExlmChecks(JsonNode doc) {
        JsonNode c = doc.path("checks");
        return (c.isObject() || c.isArray()) && !c.isEmpty();
    }

    private static Reading plain(HttpResponse r) {
        String text = r.text().strip();
        String first = text.isEmpty() ? "" : text.lines().findFirst().orElse("");
        if (first.length() > 80) {
            first = first.substring(0, 77) + "...";
        }
        if (r.ok()) {
            return new Reading("plain", HealthStatus.HEALTHY, "HTTP " + r.status(), List.of(),
                    first.isEmpty() ? "HTTP " + r.status() : first, Map.of());
        }
        if (r.status() == 503) {
            return new Reading("plain", HealthStatus.UNHEALTHY, "HTTP 503", List.of(),
                    "HTTP 503" + (first.isEmpty() ? "" : ": " + first), Map.of());
        }
        throw HttpLayer.statusFailure(r.url(), r.status(), r.mediaType(), r.body());
    }

    /**
     * The flag of a system-metrics answer whose readings are made up (the demo's overload scenario), kept under the
     * same name among the reading's values, after the figures found.
     */
    private static final String SYNTHETIC = "synthetic";

    /** A JSON answer without a status word: the system-metrics endpoint, or a service judged by its HTTP status. */
    private static Reading withoutStatus(HttpResponse r, JsonNode doc, Supplier<AlertThresholds> thresholds) {
        if (!r.ok()) {
            throw HttpLayer.statusFailure(r.url(), r.status(), r.mediaType(), r.body());
        }
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        List<String> breaches = new ArrayList<>();
        for (String key : List.of("cpu_usage_percent", "memory_usage_percent", "disk_usage_percent")) {
            JsonNode v = systemFigure(doc, key);
            if (v != null && v.isNumber()) {
                double d = v.asDouble();
                values.put(key, d);
                String shortName = key.substring(0, key.indexOf('_'));
                parts.add(shortName + " " + Numbers.fixed(d, 1) + "%");
                double limit = thresholds.get().percent(key);
                if (d > limit) {
                    breaches.add(shortName + " above " + AlertThresholds.number(limit) + "%");
                }
            }
        }
        if (values.isEmpty()) {
            return new Reading("json", HealthStatus.HEALTHY, "HTTP " + r.status(), List.of(),
                    "HTTP " + r.status() + " (no status field)", Map.of());
        }
        boolean synthetic = doc.path(SYNTHETIC).asBoolean(false);
        values.put(SYNTHETIC, synthetic);
        String summary = String.join(" · ", parts) + (synthetic ? " (synthetic)" : "")
                + (breaches.isEmpty() ? "" : "; " + String.join(", ", breaches));
        return new Reading("exlm-metrics", breaches.isEmpty() ? HealthStatus.HEALTHY : HealthStatus.WARN,
                breaches.isEmpty() ? "ok" : "warn", List.of(), summary, values);
    }

    /**
     * A system figure in the shapes services write it: exlm's {@code cpu_usage_percent}, the shorter
     * {@code cpu_percent}, and psutil's objects ({@code {"cpu": {"percent": 12.5}}}, {@code "virtual_memory"},
     * {@code "disk_usage"}), with {@code percent} or {@code usage_percent} inside.
     */
    static JsonNode systemFigure(JsonNode doc, String key) {
        String part = key.substring(0, key.indexOf('_')); // cpu, memory, disk
        for (String flat : List.of(key, part + "_percent")) {
            if (doc.path(flat).isNumber()) {
                return doc.get(flat);
            }
        }
        List<String> objects = switch (part) {
            case "memory" -> List.of("memory", "virtual_memory", "mem");
            case "disk" -> List.of("disk", "disk_usage");
            default -> List.of(part);
        };
        for (String o : objects) {
            JsonNode n = doc.path(o);
            for (String inner : List.of("percent", "usage_percent", "used_percent")) {
                if (n.path(inner).isNumber()) {
                    return n.get(inner);
                }
            }
        }
        return null;
    }

    private static void springComponents(String prefix, JsonNode components, List<Dependency> out) {
        for (Map.Entry<String, JsonNode> e : components.properties()) {
            String name = prefix + e.getKey();
            JsonNode c = e.getValue();
            if (c.has("components") && c.get("components").isObject()) {
                springComponents(name + ".", c.get("components"), out);
                continue;
            }
            String word = c.path("status").asText("UNKNOWN");
            JsonNode details = c.path("details");
            String detail = details.has("error") ? details.get("error").asText() : "";
            out.add(dependency(name, word, detail));
        }
    }

    private static boolean hasArrayChecks(JsonNode doc) {
        JsonNode checks = doc.get("checks");
        if (checks == null || !checks.isObject() || checks.isEmpty()) {
            return false;
        }
        for (JsonNode v : checks) {
            if (!v.isArray()) {
                return false;
            }
        }
        return true;
    }

    private static List<Dependency> healthJsonChecks(JsonNode checks) {
        List<Dependency> out = new ArrayList<>();
        if (checks == null || !checks.isObject()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : checks.properties()) {
            String key = e.getKey();
            // "database:responseTime": the component is before the colon, the measurement after
            for (JsonNode item : e.getValue()) {
                String name = item.hasNonNull("componentId") ? key + " (" + item.get("componentId").asText() + ")"
                        : key;
                String word = item.path("status").asText("pass");
                String detail = item.path("output").asText("");
                if (detail.isEmpty() && item.has("observedValue")) {
                    detail = item.get("observedValue").asText() + " " + item.path("observedUnit").asText("");
                }
                out.add(dependency(name, word, detail.strip()));
            }
        }
        return out;
    }

    /** A dependency by its word; a word no vocabulary has is a warning that says so, never "not configured". */
    private static Dependency dependency(String name, String word, String detail) {
        HealthStatus st = HealthStatus.ofWord(word);
        if (st == null) {
            return new Dependency(name, HealthStatus.WARN, word, "state '" + word + "' not understood"
                    + (detail.isEmpty() ? "" : "; " + detail));
        }
        return new Dependency(name, st, word, detail);
    }

    private static List<Dependency> exlmChecks(JsonNode checks) {
        List<Dependency> out = new ArrayList<>();
        if (checks != null && checks.isArray()) {
            // [{"name": "database", "status": "down"}, ...]: the same, as a list
            com.fasterxml.jackson.databind.node.ObjectNode byName =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            int i = 0;
            for (JsonNode item : checks) {
                i++;
                String name = item.path("name").asText(item.path("component").asText("check " + i));
                byName.set(name, item);
            }
            checks = byName;
        }
        if (checks == null || !checks.isObject()) {
            return out;
        }
        for (Map.Entry<String, JsonNode> e : checks.properties()) {
            JsonNode c = e.getValue();
            String word;
            HealthStatus st;
            String detail = "";
            // the state itself ({"database": false}: the most common FastAPI readiness shape), or inside an object
            JsonNode s = c.isObject() ? c.has("status") ? c.get("status") : c.get("healthy") : c;
            if (s != null && s.isBoolean()) {
                word = s.asBoolean() ? "ok" : "failed";
                st = s.asBoolean() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
            } else if (s != null && s.isTextual()) {
                word = s.asText();
                if (List.of("not_configured", "skipped", "disabled").contains(HealthStatus.normalise(word))) {
                    st = null;
                } else {
                    // a word no health vocabulary has is a warning that says so, not a silent pass
                    Dependency d = dependency(e.getKey(), word, "");
                    st = d.status();
                    detail = d.detail();
                }
            } else {
                word = "unknown";
                st = HealthStatus.WARN;
                detail = "no state given (" + (s == null ? "no status field" : "a " + s.getNodeType().name()
                        .toLowerCase(Locale.ROOT) + ", not a word or a boolean") + ")";
            }
            if (c.isObject() && detail.isEmpty()) {
                if (c.hasNonNull("error")) {
                    detail = c.get("error").asText();
                } else if (c.hasNonNull("message")) {
                    detail = c.get("message").asText();
                } else if (c.hasNonNull("usage_percent")) {
                    detail = Numbers.fixed(c.get("usage_percent").asDouble(), 1) + "%";
                } else if (c.hasNonNull("address")) {
                    detail = c.get("address").asText();
                }
            }
            out.add(new Dependency(e.getKey(), st, word, detail));
        }
        return out;
    }

    private static String exlmSummary(JsonNode doc, String word, List<Dependency> deps) {
        if (doc.hasNonNull("service") || doc.hasNonNull("version")) {
            StringBuilder sb = new StringBuilder();
            sb.append(doc.path("service").asText("service")).append(' ').append(doc.path("version").asText(""));
            if (doc.hasNonNull("environment")) {
                sb.append(" (").append(doc.get("environment").asText()).append(')');
            }
            return sb.toString().strip();
        }
        if (doc.hasNonNull("uptime_seconds")) {
            return word + ", up " + io.exlm.mon.config.Durations.human(java.time.Duration.ofMillis(
                    (long) (doc.get("uptime_seconds").asDouble() * 1000 / 1000) * 1000));
        }
        return summary(word, deps);
    }

    private static String summary(String word, List<Dependency> deps) {
        if (deps.isEmpty()) {
            return word;
        }
        List<String> parts = new ArrayList<>();
        for (Dependency d : deps) {
            String w = d.word().toLowerCase(Locale.ROOT).replace('_', ' ');
            boolean tell = d.failed() || d.status() == HealthStatus.WARN;
            parts.add(d.name() + " " + w + (tell && !d.detail().isEmpty() ? " (" + d.detail() + ")" : ""));
        }
        return String.join(" · ", parts);
    }

    private static HttpFailure notHealth(HttpResponse r, String why) {
        return new HttpFailure(HttpFailure.Kind.NOT_JSON, r.url(), r.status(), "GET " + r.url()
                + ": not a health document (" + why + "); is this a health endpoint?", null);
    }

    private static boolean startsWith(byte[] body, char c) {
        for (byte b : body) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == c;
        }
        return false;
    }
}
