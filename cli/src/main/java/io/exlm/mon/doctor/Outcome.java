package io.exlm.mon.doctor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one check found: a status, a one-line summary of what it saw, the figures behind it, detail lines (one per
 * finding, such as each DOWN target) and, unless all is well, a remediation a person can act on. Built fluently by
 * the check's body.
 */
public final class Outcome {
    private final Status status;
    private final String summary;
    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> details = new ArrayList<>();
    private String remediation;
    private Reach reach = Reach.REACHED;
    private java.time.Instant expectedAt;
    private CheckResult.FollowsFrom followsFrom;

    private Outcome(Status status, String summary) {
        this.status = status;
        this.summary = summary;
    }

    public static Outcome ok(String summary) {
        return new Outcome(Status.OK, summary);
    }

    public static Outcome warn(String summary) {
        return new Outcome(Status.WARN, summary);
    }

    public static Outcome fail(String summary) {
        return new Outcome(Status.FAIL, summary);
    }

    /** No data yet that could exist yet: it is expected at {@code expectedAt}. */
    public static Outcome warming(String summary, java.time.Instant expectedAt) {
        Outcome o = new Outcome(Status.WARMING, summary);
        // to the second, as every time Prometheus writes in the summaries
        o.expectedAt = expectedAt == null ? null : expectedAt.plusNanos(999_999_999).truncatedTo(
                java.time.temporal.ChronoUnit.SECONDS);
        return o;
    }

    /** Not applicable here; the reason says why, so that a skip is never silent. */
    public static Outcome skip(String reason) {
        return new Outcome(Status.SKIP, reason);
    }

    /** The worse of OK and WARN: warn when {@code warn} holds. */
    public static Outcome okOrWarn(boolean warn, String summary) {
        return new Outcome(warn ? Status.WARN : Status.OK, summary);
    }

    public Outcome figure(String name, Object value) {
        figures.put(name, value);
        return this;
    }

    public Outcome detail(String line) {
        details.add(line);
        return this;
    }

    public Outcome details(List<String> lines) {
        details.addAll(lines);
        return this;
    }

    public Outcome fix(String remediation) {
        this.remediation = remediation;
        return this;
    }

    /**
     * This verdict follows from {@code check}'s failure, when that check fails in the same run: the report then
     * lists it under that check's root cause, whose fix is its fix too ({@link RootCauses}). Null names none.
     */
    public Outcome followsFrom(String check) {
        this.followsFrom = check == null ? null : new CheckResult.FollowsFrom(check, false);
        return this;
    }

    /** As {@link #followsFrom}, but only when {@code check} failed because its endpoint could not be reached. */
    public Outcome followsFromUnreachable(String check) {
        this.followsFrom = check == null ? null : new CheckResult.FollowsFrom(check, true);
        return this;
    }

    public Outcome reach(Reach reach) {
        this.reach = reach;
        return this;
    }

    public Status status() {
        return status;
    }

    public String summary() {
        return summary;
    }

    public Map<String, Object> figures() {
        return figures;
    }

    public List<String> details() {
        return details;
    }

    public String remediation() {
        return remediation;
    }

    public Reach reach() {
        return reach;
    }

    /** The check this verdict follows from, as the check saw it; null when it names none. */
    public CheckResult.FollowsFrom followsFrom() {
        return followsFrom;
    }

    /** When the data a warming-up check waits for will exist; null unless warming up. */
    public java.time.Instant expectedAt() {
        return expectedAt;
    }
}
