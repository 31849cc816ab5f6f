package io.exlm.mon.promql;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;

/**
 * What the clients of Prometheus, Alertmanager and Grafana share: the one HTTP layer, and the base URL (any path
 * prefix kept, a trailing slash dropped) that every API path is put after.
 */
public abstract sealed class ApiClient permits AlertmanagerClient, GrafanaClient, PrometheusClient {
    protected final HttpLayer http;
    protected final String baseUrl;

    ApiClient(HttpLayer http, String baseUrl) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public final String baseUrl() {
        return baseUrl;
    }

    /** GET a path such as {@code /-/healthy} or {@code /-/ready}, as answered: any status, transport failures thrown. */
    public final HttpResponse raw(String path) {
        return http.get(baseUrl + path, "text/plain, */*;q=0.5");
    }
}
