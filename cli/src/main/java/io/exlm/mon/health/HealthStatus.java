package io.exlm.mon.health;

import java.util.Locale;

/** The verdict on one health endpoint, from best to worst. */
public enum HealthStatus {
    /** Answered and says it is healthy. */
    HEALTHY,
    /** Answered healthy with a warning (health+json {@code warn}); does not fail a check. */
    WARN,
    /** Answered, and says it is not healthy or not ready. */
    UNHEALTHY,
    /** Could not be reached, or its answer could not be understood. */
    UNREACHABLE;

    /** Its word in tables and JSON: the constant's name in lower case ({@code unhealthy}). */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean passes() {
        return this == HEALTHY || this == WARN;
    }

    /**
     * A status word as services spell it, made comparable: case, spaces, hyphens and underscores do not matter
     * ({@code not ready}, {@code NOT_READY} and {@code Not-Ready} are one word).
     */
    public static String normalise(String word) {
        return word.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_-]+", "_");
    }

    /**
     * Reads a status word of any of the formats understood: exlm ({@code healthy}, {@code ready}, {@code alive}),
     * Spring Boot Actuator ({@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}), and health+json ({@code pass},
     * {@code warn}, {@code fail}). Returns null for a word none of them uses.
     */
    public static HealthStatus ofWord(String word) {
        if (word == null) {
            return null;
        }
        return switch (normalise(word)) {
            case "healthy", "ok", "up", "pass", "ready", "alive", "live", "green", "available", "serving" -> HEALTHY;
            case "warn", "warning", "degraded", "yellow", "unknown" -> WARN;
            case "unhealthy", "down", "fail", "failed", "failure", "error", "not_ready", "notready", "unready",
                 "out_of_service", "red", "dead", "critical", "unavailable", "not_serving" -> UNHEALTHY;
            default -> null;
        };
    }
}
