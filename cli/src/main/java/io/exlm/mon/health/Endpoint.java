package io.exlm.mon.health;

import java.util.List;
import java.util.Locale;

/** The backend's health endpoints, as the guide names them. */
public enum Endpoint {
    BASIC("/api/v1/health"),
    LIVE("/api/v1/health/live"),
    READY("/api/v1/health/ready"),
    METRICS("/api/v1/health/metrics");

    private final String path;

    Endpoint(String path) {
        this.path = path;
    }

    /** Its name on the command line and in JSON: the constant's name in lower case ({@code ready}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
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
            if (e.id().equals(n)) {
                return List.of(e);
            }
        }
        throw new IllegalArgumentException("unknown check '" + name + "'; expected basic, ready, live, metrics or all");
    }
}
