package io.exlm.mon.source;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Names that are present and close to one that is missing: another suffix, or a typo. */
public final class NearNames {
    private static final String[] SUFFIXES = {"_total", "_count", "_sum", "_bucket", "_created", "_info"};

    private NearNames() {
    }

    /** Up to three present names near the wanted one, nearest first. */
    public static List<String> of(String wanted, Collection<String> present) {
        String w = stem(wanted);
        record Candidate(String name, int distance) {
        }
        List<Candidate> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String p : present) {
            if (p.equals(wanted)) {
                continue;
            }
            String s = stem(p);
            int d;
            if (s.equals(w)) {
                d = 0;
            } else {
                int limit = Math.max(2, w.length() / 6);
                if (Math.abs(s.length() - w.length()) > limit) {
                    continue;
                }
                d = distance(s, w);
                if (d > limit) {
                    continue;
                }
            }
            if (seen.add(p)) {
                found.add(new Candidate(p, d));
            }
        }
        found.sort(Comparator.comparingInt(Candidate::distance).thenComparing(Candidate::name));
        return found.stream().limit(3).map(Candidate::name).toList();
    }

    private static String stem(String name) {
        for (String s : SUFFIXES) {
            if (name.endsWith(s) && name.length() > s.length()) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return name;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
