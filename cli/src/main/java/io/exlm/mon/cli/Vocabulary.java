package io.exlm.mon.cli;

import io.exlm.mon.doctor.Status;
import io.exlm.mon.health.Dependency;
import io.exlm.mon.health.HealthStatus;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.panel.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every status word the commands' JSON documents can hold, by command and field: the contract that the README's
 * "Status words" table states and that {@code VocabularyTest} holds both to. A word a server sent (an alert's state)
 * goes through {@link #known}, so that nothing outside the list reaches a document.
 */
public final class Vocabulary {
    /** Written for a server's word that is none of a field's. */
    public static final String UNKNOWN = "unknown";

    /** The status of a failure's document ({@link FailureDocument}): exit 3, and any other failure. */
    static final String FAILURE_UNREACHABLE = "unreachable";
    static final String FAILURE_NOT_UNDERSTOOD = "not_understood";
    static final String FAILURE_ERROR = "error";

    /** Field (command and key) to its words, in the order the README lists them. */
    public static final Map<String, List<String>> WORDS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> health = new ArrayList<>();
        for (HealthStatus s : HealthStatus.values()) {
            health.add(s.label());
        }
        m.put("health status", List.copyOf(health));
        m.put("health dependency status", List.of("ok", "warn", "failed", "not_configured"));
        List<String> doctor = new ArrayList<>();
        for (Status s : Status.values()) {
            doctor.add(s.label());
        }
        m.put("doctor status", List.copyOf(doctor));
        List<String> feed = new ArrayList<>();
        for (DashboardModel.FeedStatus s : DashboardModel.FeedStatus.values()) {
            feed.add(s.name().toLowerCase(Locale.ROOT));
        }
        m.put("top status", List.copyOf(feed));
        List<String> levels = new ArrayList<>();
        for (Level l : Level.values()) {
            levels.add(l.name().toLowerCase(Locale.ROOT));
        }
        m.put("top level", List.copyOf(levels));
        m.put("alerts state", List.of("firing", "pending", UNKNOWN));
        m.put("alerts silence state", List.of("active", "pending", "expired", UNKNOWN));
        m.put("status state", List.of(PartReport.STARTED, PartReport.RUNNING, PartReport.STOPPED,
                PartReport.SKIPPED, PartReport.EXTERNAL, PartReport.FAILED, PartReport.NOT_RUNNING));
        m.put("failure status", List.of(FAILURE_UNREACHABLE, FAILURE_NOT_UNDERSTOOD, FAILURE_ERROR));
        WORDS = Collections.unmodifiableMap(m);
    }

    private Vocabulary() {
    }

    /** A server's word if the field lists it, else {@link #UNKNOWN}. */
    public static String known(String field, String word) {
        List<String> words = WORDS.get(field);
        if (words == null) {
            throw new IllegalArgumentException("no such field: " + field);
        }
        String w = word == null ? "" : word.strip().toLowerCase(Locale.ROOT);
        return words.contains(w) ? w : UNKNOWN;
    }

    /** A dependency's state in the health document's words. */
    public static String dependency(Dependency d) {
        if (d.status() == null) {
            return "not_configured";
        }
        return switch (d.status()) {
            case HEALTHY -> "ok";
            case WARN -> "warn";
            default -> "failed";
        };
    }
}
