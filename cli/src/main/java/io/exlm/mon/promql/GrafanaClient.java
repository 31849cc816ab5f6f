package io.exlm.mon.promql;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A client of Grafana's HTTP API over the one HTTP layer: {@code /api/health} (no login needed), and with basic
 * auth {@code /api/user}, {@code /api/datasources}, {@code /api/datasources/uid/UID/health}, {@code /api/search}
 * and {@code /api/dashboards/uid/UID}. The credentials are sent only to Grafana's origin, and never appear in a
 * message.
 */
public final class GrafanaClient extends ApiClient {
    /** A Grafana login. {@link #toString()} never shows the password. */
    public record Login(String user, String password) {
        String header() {
            return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return user + ":***";
        }
    }

    /**
     * A datasource as {@code /api/datasources} lists it; {@code timeInterval} is its {@code jsonData.timeInterval}
     * (the "scrape interval" Grafana assumes), null when not set.
     */
    public record Datasource(String uid, String name, String type, String url, boolean isDefault,
            String timeInterval) {
    }

    /** A dashboard as {@code /api/search} lists it. */
    public record DashboardRef(String uid, String title, String folderTitle) {
    }

    public GrafanaClient(HttpLayer http, String baseUrl) {
        super(http, baseUrl);
    }

    /** {@code GET /api/health}: 200 with {@code database: ok}, or 503 when its database fails; no login. */
    public HttpResponse health() {
        return http.get(baseUrl + "/api/health", "application/json");
    }

    /** {@code GET /api/user} with this login: 200 when Grafana accepts it, 401 when not. */
    public HttpResponse user(Login login) {
        return get("/api/user", login);
    }

    public List<Datasource> datasources(Login login) {
        List<Datasource> out = new ArrayList<>();
        for (JsonNode d : json(get("/api/datasources", login))) {
            out.add(new Datasource(d.path("uid").asText(""), d.path("name").asText(""), d.path("type").asText(""),
                    d.path("url").asText(""), d.path("isDefault").asBoolean(false),
                    d.path("jsonData").path("timeInterval").isTextual() ? d.path("jsonData").path("timeInterval")
                            .asText() : null));
        }
        return out;
    }

    /**
     * {@code GET /api/datasources/uid/UID/health}: Grafana runs the datasource's own check (for Prometheus, a query
     * through its URL). 200 with {@code status: OK}, 400 with {@code status: ERROR} and a message, 404 when no
     * datasource has that uid. Returned as answered.
     */
    public HttpResponse datasourceHealth(String uid, Login login) {
        return get("/api/datasources/uid/" + encode(uid) + "/health", login);
    }

    /** The dashboards ({@code /api/search?type=dash-db}). */
    public List<DashboardRef> dashboards(Login login) {
        List<DashboardRef> out = new ArrayList<>();
        for (JsonNode d : json(get("/api/search?type=dash-db&limit=5000", login))) {
            out.add(new DashboardRef(d.path("uid").asText(""), d.path("title").asText(""),
                    d.path("folderTitle").asText("")));
        }
        return out;
    }

    /** {@code GET /api/dashboards/uid/UID}: {@code {"meta": {..., "provisioned": true}, "dashboard": {...}}}. */
    public JsonNode dashboard(String uid, Login login) {
        return json(get("/api/dashboards/uid/" + encode(uid), login));
    }

    private HttpResponse get(String path, Login login) {
        return http.get(baseUrl + path, "application/json", Map.of("Authorization", login.header()));
    }

    private static JsonNode json(HttpResponse r) {
        HttpLayer.requireOk(r);
        return HttpLayer.json(r);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
