package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.promql.AlertClock;
import io.exlm.mon.promql.Pending;
import io.exlm.mon.explain.Explainer;
import io.exlm.mon.explain.Runbooks;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What {@code alerts --explain} and {@code explain ALERT} write: for each alert a screenful of text (its state and
 * age on one clock, what it means, the findings, the runbook's steps), or {@link Document}.
 */
final class ExplainOutput {
    /** The width every text line is cut to, so that one alert fits an 80x24 terminal. */
    static final int WIDTH = 80;
    /** Lines of the alert's description shown at most. */
    static final int DESCRIPTION_LINES = 2;
    /**
     * The height one alert's explanation fits: the description (which the summary line above it restates in short)
     * gives way first, line by line, to a longer diagnosis, such as a target that is down ahead of the breakdowns;
     * then the last rows of the longest breakdowns ({@link #giveWay}).
     */
    static final int HEIGHT = 24;

    private ExplainOutput() {
    }

    /**
     * The document of {@code -o json}, the contract the README states. {@code asked} is the alert {@code explain}
     * was asked about (null for {@code alerts --explain}); {@code runbook} that alert's runbook when it is neither
     * firing nor pending (else null: each alert carries its own).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Document(String source, String url, String clock, String now, String asked, int explained,
            List<AlertDoc> alerts, RunbookDoc runbook) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AlertDoc(String name, String state, String severity, Map<String, String> labels, String activeAt,
            Long activeSeconds, Long forSeconds, String value, String summary, String description, boolean known,
            List<FindingDoc> findings, List<CheckDoc> checks, RunbookDoc runbook) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record FindingDoc(String probe, String title, List<String> queries, List<String> lines, String error) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CheckDoc(String id, String status, String summary, String note) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RunbookDoc(String path, String url, List<String> steps) {
        static RunbookDoc of(Runbooks.Runbook r) {
            return r == null ? null : new RunbookDoc(r.path(), r.url(), r.steps());
        }
    }

    static Document json(String url, Explainer.Report report, String asked, Runbooks.Runbook askedRunbook) {
        List<AlertDoc> alerts = new ArrayList<>();
        for (Explainer.Explained e : report.alerts()) {
            alerts.add(new AlertDoc(e.name(), Vocabulary.known("alerts state", e.state()),
                    e.severity().isEmpty() ? null : e.severity(), e.labels(), e.activeAt(), e.activeSeconds(),
                    e.forSeconds(), e.value(), e.summary(), e.description(), e.known(),
                    e.findings().stream().map(f -> new FindingDoc(f.probe().toLowerCase(java.util.Locale.ROOT),
                            f.title(), f.queries(), f.lines(), f.error())).toList(),
                    e.checks().stream().map(c -> new CheckDoc(c.id(), c.status(), c.summary(), c.note())).toList(),
                    RunbookDoc.of(e.runbook())));
        }
        return new Document("prometheus", url, report.clock(), report.now().toString(), asked, alerts.size(), alerts,
                report.alerts().isEmpty() ? RunbookDoc.of(askedRunbook) : null);
    }

    /** Every alert's explanation, a blank line between two. */
    static void text(Context ctx, Explainer.Report report) {
        PrintWriter out = ctx.out();
        Ansi a = ctx.ansi();
        boolean first = true;
        Map<String, String> seen = new java.util.HashMap<>();
        for (Explainer.Explained e : report.alerts()) {
            if (!first) {
                out.println();
            }
            first = false;
            lines(e, report.clock(), a, seen).forEach(out::println);
        }
        out.flush();
    }

    /** One alert's explanation, each line at most {@link #WIDTH} columns (colours aside). */
    static List<String> lines(Explainer.Explained e, String clock, Ansi a) {
        return lines(e, clock, a, new java.util.HashMap<>());
    }

    /**
     * One alert's explanation; a finding or check already shown for an earlier alert of the same run (the same
     * queries, job and instance: the SLO alerts of one job share them) is one line that says so.
     */
    static List<String> lines(Explainer.Explained e, String clock, Ansi a, Map<String, String> seen) {
        List<String> out = new ArrayList<>();
        String sev = e.severity().isEmpty() ? "" : " (" + p(e.severity()) + ")";
        String stateWord = p(e.state());
        String colour = e.state().equals("firing") ? a.red(stateWord) : a.yellow(stateWord);
        out.add(fit(p(e.name()) + sev + ": " + age(e), WIDTH)
                .replaceFirst(java.util.regex.Pattern.quote(": " + stateWord), ": " + colour));
        List<String> where = new ArrayList<>();
        e.labels().forEach((k, v) -> {
            if (k.equals("job") || k.equals("instance") || k.equals("check") || k.equals("long")) {
                where.add(k + " " + p(v));
            }
        });
        where.add(AlertClock.words(clock));
        out.add(fit("  " + String.join(", ", where), WIDTH));
        String summary = said(e, e.summary());
        if (summary != null && !summary.isBlank()) {
            out.add(fit("  " + p(summary.strip()), WIDTH));
        }
        int descriptionAt = out.size();
        String said = said(e, e.description());
        List<String> description = said == null || said.isBlank() ? List.of() : wrap(p(said.strip()), WIDTH - 2);
        if (!e.known()) {
            out.add("  exlm-mon has no diagnosis for this alert (not one of the stack's rules)");
        }
        String scope = e.labels().getOrDefault("job", "") + "\u0000" + e.labels().getOrDefault("instance", "")
                + "\u0000" + e.labels().getOrDefault("check", "");
        // each finding a block of rows (its title first), each row its lines: rows give way when the screen is full
        int findingsAt = out.size();
        List<List<List<String>>> blocks = new ArrayList<>();
        for (Explainer.Finding f : e.findings()) {
            List<List<String>> block = new ArrayList<>();
            blocks.add(block);
            String earlier = seen.putIfAbsent(f.title() + "\u0000" + f.queries() + "\u0000" + scope, p(e.name()));
            if (earlier != null) {
                block.add(List.of(fit("  " + f.title() + ": as for " + earlier + " above", WIDTH)));
            } else if (f.error() != null) {
                block.add(List.of(fit("  " + f.title() + ": unknown: " + f.error(), WIDTH)));
            } else if (f.lines().size() == 1 && 4 + f.title().length() + f.lines().get(0).length() <= WIDTH) {
                block.add(List.of("  " + f.title() + ": " + f.lines().get(0)));
            } else {
                block.add(List.of("  " + f.title() + ":"));
                for (String l : f.lines()) {
                    block.add(row(l));
                }
            }
        }
        for (Explainer.CheckLine c : e.checks()) {
            String earlier = seen.putIfAbsent("check\u0000" + c.id(), p(e.name()));
            if (earlier != null) {
                out.add(fit("  doctor " + c.id() + ": as for " + earlier + " above", WIDTH));
                continue;
            }
            String status = switch (c.status()) {
                case "ok" -> a.green("ok");
                case "fail" -> a.red("fail");
                default -> a.yellow(c.status());
            };
            if (c.note() != null) {
                // a host alert's own check, read on this machine: where, and against the alert's threshold, in
                // place of an "ok" that would contradict the alert; wrapped, as it is the point
                boolean ok = c.status().equals("ok");
                String head = "doctor " + c.id() + ": " + (ok ? "" : c.status() + ", ");
                List<String> w = wrap(head + c.note() + ": " + c.summary(), WIDTH - 4);
                for (int i = 0; i < w.size(); i++) {
                    String l = i == 0 ? "  " + w.get(0) : "    " + w.get(i);
                    out.add(i == 0 && !ok ? l.replaceFirst(java.util.regex.Pattern.quote(c.id() + ": " + c.status()),
                            c.id() + ": " + status) : l);
                }
                continue;
            }
            out.add(fit("  doctor " + c.id() + ": " + c.status() + ": " + c.summary(), WIDTH)
                    .replaceFirst(java.util.regex.Pattern.quote(c.id() + ": " + c.status()), c.id() + ": " + status));
        }
        if (e.runbook() != null) {
            out.add(fit("  runbook: " + e.runbook().path(), WIDTH));
            e.runbook().steps().forEach(s -> out.add(fit("    " + s, WIDTH)));
        }
        int room = HEIGHT - out.size();
        for (List<List<String>> block : blocks) {
            room -= block.stream().mapToInt(List::size).sum();
        }
        if (room < 0) {
            giveWay(blocks, -room);
        }
        List<String> found = new ArrayList<>();
        blocks.forEach(block -> block.forEach(found::addAll));
        out.addAll(findingsAt, found);
        int shown = Math.min(description.size(), Math.max(0, Math.min(DESCRIPTION_LINES, HEIGHT - out.size())));
        List<String> d = new ArrayList<>();
        for (int i = 0; i < shown; i++) {
            String line = description.get(i);
            if (i == shown - 1 && description.size() > shown) {
                line = fit(line + " ...", WIDTH - 2);
            }
            d.add("  " + line);
        }
        out.addAll(descriptionAt, d);
        return out;
    }

    /** One line of a finding as it is shown: indented by four, a longer one wrapped by six. */
    private static List<String> row(String l) {
        if (l.length() <= WIDTH - 4) {
            return List.of("    " + l);
        }
        List<String> w = wrap(l, WIDTH - 6);
        List<String> out = new ArrayList<>(List.of("    " + w.get(0)));
        w.subList(1, w.size()).forEach(x -> out.add("      " + x));
        return out;
    }

    /** The line that counts the rows a breakdown does not show, as {@code Probe} writes it. */
    private static final java.util.regex.Pattern MORE = java.util.regex.Pattern.compile(
            " {4}\\.\\.\\. and (\\d+) more");

    /**
     * Makes {@code lines} lines of room, once the description is gone: the last rows of the longest breakdowns go,
     * counted on their "... and N more" line; never those of the first finding (what leads: a target that is down),
     * nor a breakdown's last row.
     */
    private static void giveWay(List<List<List<String>>> blocks, int lines) {
        while (lines > 0) {
            List<List<String>> longest = null;
            for (List<List<String>> b : blocks.subList(Math.min(1, blocks.size()), blocks.size())) {
                // without a "more" row yet, one row goes to make it: two must go, and one stay
                boolean counted = more(b) >= 0;
                int rows = b.size() - 1 - (counted ? 1 : 0);
                if (rows > (counted ? 1 : 2) && (longest == null || size(b) > size(longest))) {
                    longest = b;
                }
            }
            if (longest == null) {
                return;
            }
            int before = size(longest);
            int more = more(longest);
            if (more >= 0) {
                longest.remove(longest.size() - 1);
            }
            longest.remove(longest.size() - 1);
            longest.add(List.of("    ... and " + (Math.max(0, more) + 1) + " more"));
            lines -= before - size(longest);
        }
    }

    private static int size(List<List<String>> block) {
        return block.stream().mapToInt(List::size).sum();
    }

    /** The count of a block's "... and N more" row, its last; -1 when it has none. */
    private static int more(List<List<String>> block) {
        List<String> last = block.get(block.size() - 1);
        java.util.regex.Matcher m = MORE.matcher(last.get(0));
        return block.size() > 1 && last.size() == 1 && m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The runbook of an alert that is neither firing nor pending. */
    static void quiet(Context ctx, String alert, String url, Runbooks.Runbook runbook) {
        PrintWriter out = ctx.out();
        out.println(fit(alert + " is neither firing nor pending on " + url, WIDTH));
        if (runbook != null) {
            out.println(fit("  runbook: " + runbook.path() + " (" + runbook.url() + ")", WIDTH));
            runbook.steps().forEach(s -> out.println(fit("    " + s, WIDTH)));
        }
        out.flush();
    }

    /**
     * An annotation as the text says it: the rule's for a firing alert; for a pending one without the durations it
     * has not been active for ({@link Pending#unclaimed}: "above 5 % for 5 minutes" is not true of 12 seconds).
     */
    private static String said(Explainer.Explained e, String annotation) {
        return e.state().equals("pending") ? Pending.unclaimed(annotation, e.activeSeconds()) : annotation;
    }

    private static String p(String s) {
        return io.exlm.mon.Text.printable(s);
    }

    /**
     * The state and how long, on the report's clock, led by the age every view shows (SINCE in {@code alerts}, top's
     * alerts panel: the time since activeAt, {@link AlertClock#age}): pending for X of its for: ({@link
     * Pending#state}, as {@code alerts} says it), or firing, active
     * X (its for: pending first, the rest firing).
     */
    static String age(Explainer.Explained e) {
        String state = p(e.state());
        if (e.activeSeconds() == null) {
            return state + " (since when unknown: Prometheus gave no activeAt)";
        }
        long active = e.activeSeconds();
        Long forS = e.forSeconds();
        if (e.state().equals("pending")) {
            if (forS == null || forS == 0) {
                return Pending.state(active, forS);
            }
            long left = Math.max(0, forS - active);
            return Pending.state(active, forS) + ", firing in " + AlertClock.age(left) + " if it holds";
        }
        if (forS != null && forS > 0) {
            return state + ", active " + AlertClock.age(active) + " (pending " + AlertClock.forText(forS)
                    + " first, firing " + AlertClock.age(Math.max(0, active - forS)) + ")";
        }
        return state + " for " + AlertClock.age(active);
    }

    /** A line cut to {@code width} characters, "..." marking the cut. */
    static String fit(String s, int width) {
        return s.length() <= width ? s : s.substring(0, Math.max(0, width - 3)) + "...";
    }

    /** Words wrapped into lines of at most {@code width} characters (a longer word cut). */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        // a number and its unit stay on one line: "41.0 %", never "41.0" and "%" on the next
        for (String w : text.split("\\s+(?!%)")) {
            if (line.length() > 0 && line.length() + 1 + w.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(fit(w, width));
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }
}
