package io.exlm.mon.doctor;

import java.util.List;

/**
 * One diagnostic: a stable id ({@code prometheus.targets}), its group (the id's first part), a title that says what
 * it verifies, the ids of the checks it needs (it is skipped, saying which, when one of them failed or was skipped)
 * and its body.
 */
public record Check(String id, String title, List<String> requires, Body body) {
    /** The work of a check; may throw, and what it throws becomes a failed result. */
    @FunctionalInterface
    public interface Body {
        Outcome run(DoctorEnv env) throws Exception;
    }

    public String group() {
        int dot = id.indexOf('.');
        return dot < 0 ? id : id.substring(0, dot);
    }
}
