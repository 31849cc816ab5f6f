package io.exlm.mon.explain;

import java.util.Map;

/**
 * What an alert's diagnosis is narrowed to: the job and instance of the alert's labels (either may be null: an SLO
 * alert is by job only, a pushed check has no instance), and the alert's other labels.
 */
public record Scope(String job, String instance, Map<String, String> labels) {
    public static Scope of(Map<String, String> labels) {
        return new Scope(blankToNull(labels.get("job")), blankToNull(labels.get("instance")), labels);
    }

    /** The PromQL matchers of the job and instance ({@code job="a",instance="b"}); empty for neither. */
    public String matchers() {
        String m = job == null ? "" : "job=" + quote(job);
        if (instance != null) {
            m = (m.isEmpty() ? "" : m + ",") + "instance=" + quote(instance);
        }
        return m;
    }

    /** The PromQL matcher of the job alone, empty for none. */
    public String jobMatcher() {
        return job == null ? "" : "job=" + quote(job);
    }

    /** A PromQL string literal: the value in double quotes, backslashes and quotes escaped. */
    public static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
