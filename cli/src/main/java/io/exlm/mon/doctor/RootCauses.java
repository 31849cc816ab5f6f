package io.exlm.mon.doctor;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which checks' verdicts follow from one cause, so that a report shows them under it instead of side by side. A
 * check's direct cause is the prerequisite it was skipped for ({@code skipped_because}), or the check it says its
 * failure follows from ({@link CheckResult#followsFrom()}: the backend's target DOWN because the backend does not
 * answer, a dashboard row without data because /metrics cannot be read), kept only when that check did fail in this
 * run (and, when it asks, failed unreachable). The root cause is the end of that chain: the one to fix first.
 */
public final class RootCauses {
    private RootCauses() {
    }

    /** Each check that has a root cause other than itself, by id, with that cause's id; in report order. */
    public static Map<String, String> of(List<CheckResult> results) {
        Map<String, CheckResult> byId = new LinkedHashMap<>();
        results.forEach(r -> byId.put(r.id(), r));
        Map<String, String> roots = new LinkedHashMap<>();
        for (CheckResult r : results) {
            Set<String> seen = new HashSet<>();
            seen.add(r.id());
            String root = null;
            String c = direct(r, byId);
            for (; c != null && seen.add(c); c = direct(byId.get(c), byId)) {
                root = c;
            }
            // checks that name each other in a circle have no root: each stands on its own
            if (root != null && c == null) {
                roots.put(r.id(), root);
            }
        }
        return roots;
    }

    /** The check {@code r}'s verdict directly follows from in this run, or null. */
    static String direct(CheckResult r, Map<String, CheckResult> byId) {
        if (r.status() == Status.OK) {
            return null;
        }
        if (r.status() == Status.SKIP) {
            return byId.containsKey(r.skippedBecause()) ? r.skippedBecause() : null;
        }
        CheckResult.FollowsFrom f = r.followsFrom();
        CheckResult cause = f == null ? null : byId.get(f.check());
        if (cause == null || cause.status() != Status.FAIL
                || f.onlyIfUnreachable() && cause.reach() != Reach.UNREACHABLE) {
            return null;
        }
        return cause.id();
    }
}
