package io.exlm.mon.source;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which series of a Prometheus the Prometheus source reads: the backend's job ({@code --backend-job}, by default
 * {@link Catalog#BACKEND_JOB}), optionally one instance ({@code --backend-instance}) and further label matchers
 * ({@code --match}), as PromQL label matchers added to every selector of every query. Without it any series of a
 * catalog name anywhere in Prometheus would count (another job's {@code cpu_usage_percent} too).
 *
 * @param job      the job label's value; empty for any job
 * @param instance the instance label's value; null for every instance
 * @param matchers further matchers, each {@code name op "value"}
 */
public record Scope(String job, String instance, List<String> matchers) {
    /** One PromQL label matcher: a label name, an operator, a double-quoted string. */
    private static final Pattern MATCHER = Pattern.compile(
            "[a-zA-Z_][a-zA-Z0-9_]*\\s*(=|!=|=~|!~)\\s*\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    /** The backend's job, every instance. */
    public static final Scope BACKEND = new Scope(Catalog.BACKEND_JOB, null, List.of());

    /** Every series: no matcher at all. */
    public static final Scope ANY = new Scope("", null, List.of());

    public Scope {
        job = job == null ? "" : job;
        matchers = List.copyOf(matchers);
        for (String m : matchers) {
            if (!MATCHER.matcher(m.strip()).matches()) {
                throw new IllegalArgumentException("--match '" + io.exlm.mon.Text.printable(m) + "' is not a label"
                        + " matcher; write NAME=\"VALUE\" (or !=, =~, !~), e.g. --match 'region=\"eu\"'");
            }
        }
    }

    /** The same scope with {@code instance} (null: every instance). */
    public Scope withInstance(String instance) {
        return new Scope(job, instance, matchers);
    }

    /** The matchers of the scope, comma-separated (empty for none): {@code job="exlm-backend"}. */
    public String promql() {
        List<String> all = new ArrayList<>();
        if (!job.isEmpty()) {
            all.add("job=\"" + quote(job) + "\"");
        }
        if (instance != null) {
            all.add("instance=\"" + quote(instance) + "\"");
        }
        for (String m : matchers) {
            all.add(m.strip());
        }
        return String.join(",", all);
    }

    /** In words, for a reason: {@code {job="exlm-backend"}}, or "any job" without a matcher. */
    public String words() {
        String m = promql();
        return m.isEmpty() ? "any series" : "{" + m + "}";
    }

    /** A string as the inside of a PromQL double-quoted string. */
    static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
