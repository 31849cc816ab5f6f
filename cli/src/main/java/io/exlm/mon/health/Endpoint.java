package io.exlm.mon.health;

import java.util.List;
import java.util.Locale;

/** The backend's health endpoints, as the guide names them. */
public enum Endpoint {
    BASIC("basic", "/api/v1/health"),
    LIVE("live", "/api/v1/health/live"),
    READY("ready", "/api/v1/health/ready"),
    METRICS("metrics", "/api/v1/health/metrics");

    private final String id;
    private final String path;

    Endpoint(String id, String path) {
        this.id = id;
        this.path = path;
    }

    public String id() {
        return id;
    }

    public String path() {
        return path;
    }

    public static List<Endpoint> parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.equals("all")) {
            return List.of(values());
        }
        for (Endpoint e : values()) {
            if (e.id.equals(n)) {
                return List.of(e);
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "'; expected basic, ready, live, metrics or all");
    }
}
