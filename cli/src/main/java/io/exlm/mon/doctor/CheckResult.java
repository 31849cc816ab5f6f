package io.exlm.mon.doctor;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A check as run: its verdict and what it saw.
 *
 * @param skippedBecause the prerequisite that failed or was skipped, when that is why this one was skipped
 * @param millis         how long the check ran (0 when skipped before it started)
 * @param expectedAt     when the data a warming-up check waits for will exist; null unless warming up
 * @param followsFrom    the check whose failure this one's would follow from, as the check itself saw it; null when
 *                       it named none. {@link RootCauses} keeps it only when that check did fail in the same run
 */
public record CheckResult(String id, String group, String title, Status status, String summary,
        Map<String, Object> figures, List<String> details, String remediation, List<String> requires,
        String skippedBecause, Reach reach, long millis, boolean crashed, Instant expectedAt,
        FollowsFrom followsFrom) {

    /**
     * What a check says its verdict follows from: another check's failure ({@code check}), when that one fails in the
     * same run, and with {@code onlyIfUnreachable} only when it failed because its endpoint could not be reached.
     */
    public record FollowsFrom(String check, boolean onlyIfUnreachable) {
    }

    /** A result that names nothing it follows from. */
    public CheckResult(String id, String group, String title, Status status, String summary,
            Map<String, Object> figures, List<String> details, String remediation, List<String> requires,
            String skippedBecause, Reach reach, long millis, boolean crashed, Instant expectedAt) {
        this(id, group, title, status, summary, figures, details, remediation, requires, skippedBecause, reach,
                millis, crashed, expectedAt, null);
    }

    static CheckResult of(Check c, Outcome o, long millis) {
        return new CheckResult(c.id(), c.group(), c.title(), o.status(), o.summary(), Collections.unmodifiableMap(new LinkedHashMap<>(o.figures())),
                List.copyOf(o.details()), o.remediation(), c.requires(), null, o.reach(), millis, false,
                o.expectedAt(), o.followsFrom());
    }
}
