package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.config.Durations;
import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.DoctorJson;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.Status;
import io.exlm.mon.doctor.Warmup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * doctor's text report, a pure function of the report and how it is to be shown: by group, in lines wrapped to the
 * width. What is ok is one count per group unless verbose; what is not is in full, its detail and fix indented under
 * it. A check whose verdict follows from another's ({@link DoctorReport#causes()}) is listed under that root cause
 * and not where its group is, without a fix of its own (the root's is its fix); the checks skipped for a cause are
 * one line of ids. With {@code problemsOnly} ({@code --problems}) only what is not ok and what was skipped because
 * something failed, and the summary.
 */
final class DoctorText {
    /** Where the checks of a run are shown. */
    record Options(int width, boolean verbose, boolean problemsOnly, Ansi ansi) {
    }

    /** Where a check's detail, fix and dependents start, under its id: past "  [FAIL] ". */
    private static final int UNDER = 7;

    private final DoctorReport report;
    private final Options o;
    private final Ansi a;
    private final Map<String, String> causes;
    private final Map<String, CheckResult> byId = new LinkedHashMap<>();
    private final Set<String> shown = new HashSet<>();
    private final List<String> out = new ArrayList<>();

    private DoctorText(DoctorReport report, Options o) {
        this.report = report;
        this.o = o;
        this.a = o.ansi();
        this.causes = report.causes();
        report.results().forEach(r -> byId.put(r.id(), r));
        (o.problemsOnly() ? report.problems() : report.results()).forEach(r -> shown.add(r.id()));
    }

    static List<String> lines(DoctorJson.Endpoints urls, DoctorReport report, Options options) {
        return new DoctorText(report, options).render(urls);
    }

    private List<String> render(DoctorJson.Endpoints urls) {
        if (!o.problemsOnly()) {
            out.addAll(Wrap.lines(a.bold("exlm-mon doctor") + "  ", "Prometheus " + urls.prometheus() + ", backend "
                    + urls.backend() + ", Alertmanager " + urls.alertmanager() + ", Grafana " + urls.grafana(), 2,
                    o.width()));
            out.add("");
        }
        Map<String, List<CheckResult>> groups = new LinkedHashMap<>();
        report.results().forEach(r -> groups.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        boolean any = false;
        for (Map.Entry<String, List<CheckResult>> g : groups.entrySet()) {
            any |= group(g.getKey(), g.getValue());
        }
        if (any || !o.problemsOnly()) {
            out.add("");
        }
        out.addAll(Wrap.lines("summary: ", summary(), 2, o.width()));
        return out;
    }

    /** A group: its heading with its counts, then each of its checks to show that is not under a root cause. */
    private boolean group(String group, List<CheckResult> members) {
        List<CheckResult> own = new ArrayList<>();
        Map<String, Integer> elsewhere = new LinkedHashMap<>();
        for (CheckResult r : members) {
            String root = causes.get(r.id());
            if (root != null && !byId.get(root).group().equals(group)) {
                elsewhere.merge(root, 1, Integer::sum);
            } else if (root == null && shown.contains(r.id()) && (o.verbose() || r.status() != Status.OK)) {
                own.add(r);
            }
        }
        // word by word in bold, so that a long title wraps too
        List<String> title = new ArrayList<>();
        for (String w : DoctorOutput.GROUP_TITLES.getOrDefault(group, group).split(" ")) {
            title.add(a.bold(w));
        }
        if (o.problemsOnly()) {
            if (own.isEmpty()) {
                return false;
            }
            out.addAll(Wrap.lines("", String.join(" ", title), 2, o.width()));
        } else {
            StringBuilder counts = new StringBuilder(counts(members));
            String sep = "; ";
            for (Map.Entry<String, Integer> e : elsewhere.entrySet()) {
                counts.append(sep).append(e.getValue()).append(" listed under ").append(e.getKey());
                sep = ", ";
            }
            title.set(title.size() - 1, title.get(title.size() - 1) + a.bold(":"));
            out.addAll(Wrap.lines("", String.join(" ", title) + " " + counts, 2, o.width()));
        }
        for (CheckResult r : own) {
            check(r, 2, true);
            dependents(r, 2 + UNDER);
        }
        return true;
    }

    /** "8 ok, 1 fail, 2 skip": how many of each status, those there are. */
    private static String counts(List<CheckResult> members) {
        List<String> parts = new ArrayList<>();
        for (Status s : Status.values()) {
            long n = members.stream().filter(r -> r.status() == s).count();
            if (n > 0) {
                parts.add(n + " " + s.words());
            }
        }
        return String.join(", ", parts);
    }

    /** One check: its mark, id, title and summary, then its details and (unless it has a root cause) its fix. */
    private void check(CheckResult r, int indent, boolean fix) {
        int under = indent + UNDER;
        String pad = " ".repeat(under);
        out.addAll(Wrap.lines(" ".repeat(indent) + mark(r.status()) + " " + r.id() + "  ", r.title() + ": "
                + (r.status() == Status.SKIP ? "skipped, " : r.status() == Status.WARMING ? "warming up, " : "")
                + r.summary(), under, o.width()));
        for (String d : r.details()) {
            out.addAll(Wrap.lines(pad, d, under, o.width()));
        }
        if (fix && r.remediation() != null && r.status() != Status.OK && r.status() != Status.WARMING) {
            String lead = a.bold("fix:") + " ";
            for (String line : r.remediation().split("\n")) {
                out.addAll(Wrap.lines(pad + lead, line, under + 5, o.width()));
                lead = "     ";
            }
        }
        if (o.verbose() && !r.figures().isEmpty()) {
            for (String line : Wrap.lines(pad, "figures: " + Json.line(r.figures()) + " (" + r.millis() + " ms)",
                    under, o.width())) {
                out.add(pad + a.dim(line.substring(under)));
            }
        }
    }

    /**
     * What follows from {@code root}: the checks whose verdicts it explains, in full but without a fix of their
     * own, then those skipped for it as one line of ids (each in full when verbose).
     */
    private void dependents(CheckResult root, int indent) {
        List<CheckResult> found = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (CheckResult r : report.results()) {
            if (root.id().equals(causes.get(r.id())) && shown.contains(r.id())) {
                if (r.status() == Status.SKIP && !o.verbose()) {
                    skipped.add(r.id());
                } else {
                    found.add(r);
                }
            }
        }
        if (!found.isEmpty()) {
            out.addAll(Wrap.lines(" ".repeat(indent), "because of it:", indent, o.width()));
            for (CheckResult r : found) {
                check(r, indent, false);
            }
        }
        if (!skipped.isEmpty()) {
            out.addAll(Wrap.lines(" ".repeat(indent) + mark(Status.SKIP) + " ", "not run because of it: "
                    + String.join(", ", skipped), indent + UNDER, o.width()));
        }
    }

    private String summary() {
        Map<Status, Integer> n = report.counts();
        String verdict = report.exitCode() == ExitCode.OK && report.warmingUp()
                ? a.green("passed") + ", warming up: the missing data is expected by "
                        + Warmup.clock(report.settledBy()) + " (doctor --wait waits for it)"
                : report.exitCode() == ExitCode.OK ? a.green("passed")
                : report.exitCode() == ExitCode.UNREACHABLE ? a.red("nothing could be reached") : a.red("failed");
        return n.get(Status.OK) + " ok, " + (n.get(Status.WARMING) == 0 ? "" : n.get(Status.WARMING)
                + " warming up, ") + n.get(Status.WARN) + " warn, " + n.get(Status.FAIL) + " fail, "
                + n.get(Status.SKIP) + " skip (" + report.results().size() + " checks in "
                + Durations.human(Duration.ofMillis(report.elapsedMillis())) + (report.strict() ? ", strict" : "")
                + "): " + verdict;
    }

    private String mark(Status s) {
        return switch (s) {
            case OK -> a.green("[ ok ]");
            case WARN -> report.strict() ? a.red("[WARN]") : a.yellow("[WARN]");
            case FAIL -> a.red("[FAIL]");
            case SKIP -> a.dim("[skip]");
            case WARMING -> a.yellow("[warm]");
        };
    }
}
