package io.exlm.mon.cli;

import io.exlm.mon.doctor.Status;
import io.exlm.mon.health.HealthStatus;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.panel.Level;
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
        List<Map.Entry<String, List<String>>> fields = List.of(
                Map.entry("health status", words(HealthStatus.values(), HealthStatus::label)),
                Map.entry("health dependency status", io.exlm.mon.health.HealthJson.DEPENDENCY_WORDS),
                Map.entry("doctor status", words(Status.values(), Status::label)),
                Map.entry("top status", words(DashboardModel.FeedStatus.values(), Vocabulary::lower)),
                Map.entry("top level", words(Level.values(), Vocabulary::lower)),
                Map.entry("alerts state", List.of("firing", "pending", UNKNOWN)),
                Map.entry("alerts silence state", List.of("active", "pending", "expired", UNKNOWN)),
                Map.entry("status state", List.of(PartReport.STARTED, PartReport.RUNNING, PartReport.STOPPED,
                        PartReport.SKIPPED, PartReport.EXTERNAL, PartReport.FAILED, PartReport.NOT_RUNNING)),
                Map.entry("failure status", List.of(FAILURE_UNREACHABLE, FAILURE_NOT_UNDERSTOOD, FAILURE_ERROR)));
        Map<String, List<String>> m = new LinkedHashMap<>();
        fields.forEach(e -> m.put(e.getKey(), e.getValue()));
        WORDS = Collections.unmodifiableMap(m);
    }

    private static <T> List<String> words(T[] values, java.util.function.Function<T, String> word) {
        return java.util.Arrays.stream(values).map(word).toList();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
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
}
