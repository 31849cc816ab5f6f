package io.exlm.mon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A stand-in for Grafana's HTTP API, because Grafana cannot be installed here. It answers the endpoints doctor uses
 * as Grafana 10 does: {@code /api/health} without a login; {@code /api/user}, {@code /api/datasources},
 * {@code /api/datasources/uid/UID/health}, {@code /api/search} and {@code /api/dashboards/uid/UID} only with basic
 * auth of the admin user, else 401 with Grafana's error body; the datasource health answer is 200 {@code OK} or 400
 * {@code ERROR} with a message, 404 for an unknown uid. Tests set its state; it records every login attempt.
 */
public final class FakeGrafana implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A datasource with the answer of its health check. */
    public record Datasource(String uid, String name, String type, String url, boolean isDefault, int healthStatus,
            String healthMessage) {
        public static Datasource prometheus(String uid, String url) {
            return new Datasource(uid, "Prometheus", "prometheus", url, true, 200,
                    "Successfully queried the Prometheus API.");
        }

        public Datasource failing(String message) {
            return new Datasource(uid, name, type, url, isDefault, 400, message);
        }
    }

    /** A login attempt: the user and whether it was accepted (never the password). */
    public record Attempt(String path, String user, boolean accepted) {
    }

    private final HttpServer server;
    public volatile String adminUser = "admin";
    public volatile String adminPassword = "admin";
    public volatile String version = "10.4.2";
    public volatile boolean databaseFailing;
    public final List<Datasource> datasources = new CopyOnWriteArrayList<>();
    /** uid to dashboard JSON (the "dashboard" part of /api/dashboards/uid/UID). */
    public final Map<String, JsonNode> dashboards = new ConcurrentHashMap<>();
    public final Map<String, Boolean> provisioned = new ConcurrentHashMap<>();
    public final List<Attempt> attempts = new CopyOnWriteArrayList<>();

    public FakeGrafana() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fake-grafana");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Provisions a dashboard from its JSON file's content. */
    public void provision(String dashboardJson) throws IOException {
        JsonNode d = JSON.readTree(dashboardJson);
        dashboards.put(d.path("uid").asText(), d);
        provisioned.put(d.path("uid").asText(), true);
    }

    public List<Attempt> failedLogins() {
        return attempts.stream().filter(a -> !a.accepted()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (path.equals("/api/health")) {
                ObjectNode h = JSON.createObjectNode();
                h.put("commit", "5c3ba8b7a9");
                h.put("database", databaseFailing ? "failing" : "ok");
                h.put("version", version);
                send(ex, databaseFailing ? 503 : 200, h);
                return;
            }
            if (!path.startsWith("/api/")) {
                ex.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
                byte[] b = "<!DOCTYPE html><html><body>Grafana</body></html>".getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                return;
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Basic ")) {
                send(ex, 401, error("Unauthorized", "auth.unauthorized", 401));
                return;
            }
            String pair = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            int colon = pair.indexOf(':');
            String user = pair.substring(0, colon);
            boolean ok = user.equals(adminUser) && pair.substring(colon + 1).equals(adminPassword);
            attempts.add(new Attempt(path, user, ok));
            if (!ok) {
                send(ex, 401, error("Invalid username or password", "password-auth.failed", 401));
                return;
            }
            route(ex, path);
        }
    }

    private void route(HttpExchange ex, String path) throws IOException {
        if (path.equals("/api/user")) {
            ObjectNode u = JSON.createObjectNode();
            u.put("id", 1);
            u.put("email", "admin@localhost");
            u.put("name", "");
            u.put("login", adminUser);
            u.put("theme", "");
            u.put("orgId", 1);
            u.put("isGrafanaAdmin", true);
            u.put("isDisabled", false);
            u.put("isExternal", false);
            u.putArray("authLabels");
            u.put("avatarUrl", "/avatar/46d229b033af06a191ff2267bca9ae56");
            send(ex, 200, u);
        } else if (path.equals("/api/datasources")) {
            ArrayNode a = JSON.createArrayNode();
            int id = 1;
            for (Datasource d : datasources) {
                ObjectNode n = a.addObject();
                n.put("id", id++);
                n.put("uid", d.uid());
                n.put("orgId", 1);
                n.put("name", d.name());
                n.put("type", d.type());
                n.put("typeName", d.type().substring(0, 1).toUpperCase(java.util.Locale.ROOT) + d.type().substring(1));
                n.put("typeLogoUrl", "public/app/plugins/datasource/" + d.type() + "/img/logo.svg");
                n.put("access", "proxy");
                n.put("url", d.url());
                n.put("user", "");
                n.put("database", "");
                n.put("basicAuth", false);
                n.put("isDefault", d.isDefault());
                n.putObject("jsonData").put("timeInterval", "15s");
                n.put("readOnly", true);
            }
            send(ex, 200, a);
        } else if (path.startsWith("/api/datasources/uid/") && path.endsWith("/health")) {
            String uid = URLDecoder.decode(path.substring("/api/datasources/uid/".length(), path.length() - 7),
                    StandardCharsets.UTF_8);
            Datasource d = datasources.stream().filter(x -> x.uid().equals(uid)).findFirst().orElse(null);
            if (d == null) {
                send(ex, 404, error("Data source not found", null, 404));
                return;
            }
            ObjectNode h = JSON.createObjectNode();
            h.put("message", d.healthMessage());
            h.put("status", d.healthStatus() == 200 ? "OK" : "ERROR");
            send(ex, d.healthStatus(), h);
        } else if (path.equals("/api/search")) {
            ArrayNode a = JSON.createArrayNode();
            int id = 10;
            for (Map.Entry<String, JsonNode> e : dashboards.entrySet()) {
                ObjectNode n = a.addObject();
                n.put("id", id++);
                n.put("uid", e.getKey());
                n.put("title", e.getValue().path("title").asText());
                n.put("uri", "db/" + e.getKey());
                n.put("url", "/d/" + e.getKey() + "/" + e.getKey());
                n.put("slug", "");
                n.put("type", "dash-db");
                n.set("tags", e.getValue().path("tags"));
                n.put("isStarred", false);
                n.put("folderId", 1);
                n.put("folderUid", "ae1b2c3d");
                n.put("folderTitle", "exlm");
                n.put("folderUrl", "/dashboards/f/ae1b2c3d/exlm");
                n.put("sortMeta", 0);
            }
            send(ex, 200, a);
        } else if (path.startsWith("/api/dashboards/uid/")) {
            String uid = URLDecoder.decode(path.substring("/api/dashboards/uid/".length()), StandardCharsets.UTF_8);
            JsonNode d = dashboards.get(uid);
            if (d == null) {
                send(ex, 404, error("Dashboard not found", null, 404));
                return;
            }
            ObjectNode doc = JSON.createObjectNode();
            ObjectNode meta = doc.putObject("meta");
            meta.put("type", "db");
            meta.put("canSave", false);
            meta.put("slug", uid);
            meta.put("url", "/d/" + uid + "/" + uid);
            meta.put("folderTitle", "exlm");
            boolean prov = provisioned.getOrDefault(uid, false);
            meta.put("provisioned", prov);
            meta.put("provisionedExternalId", prov ? uid + ".json" : "");
            doc.set("dashboard", d);
            send(ex, 200, doc);
        } else {
            send(ex, 404, error("Not found", null, 404));
        }
    }

    private static ObjectNode error(String message, String messageId, int status) {
        ObjectNode e = JSON.createObjectNode();
        e.putNull("extra");
        e.put("message", message);
        if (messageId != null) {
            e.put("messageId", messageId);
        }
        e.put("statusCode", status);
        e.put("traceID", "");
        return e;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
