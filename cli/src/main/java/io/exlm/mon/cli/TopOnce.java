package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.Text;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Source;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.Poller;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code top --once}: one frame, JSON document or JUnit report, and the exit code of the gate. */
record TopOnce(Context ctx, DashboardState state, Poller poller, boolean unicode) {
    /**
     * Polls once, and then every interval for as long as the source needs before its rates are judged (a scrape
     * source: until its window spans {@link Snapshot.Coverage#judgedSpan}, 10 s or the window
     * when shorter; the frame says how much of the window that is) or, with {@code whole}, until its window is full,
     * writes the view in the run's format and returns the exit code: 3 (thrown) when the source could not be read, 1
     * when a gated panel is beyond its alert threshold.
     */
    int run(Source source, Duration interval, Duration window, boolean whole, Set<PanelId> gated)
            throws InterruptedException {
        long start = System.nanoTime();
        // the host panels' readings over the run: how long one has been beyond its threshold (TopGate.verdict)
        Map<PanelId, List<TopGate.Reading>> readings = new EnumMap<>(PanelId.class);
        Set<PanelId> kept = EnumSet.copyOf(TopGate.held());
        kept.retainAll(gated);
        boolean ok = poller.pollOnce();
        read(readings, kept);
        // a bound besides the source's word: the polls the span takes at this interval, and two more
        Duration span = whole ? window : Snapshot.Coverage.judgedSpan(window);
        long most = 3 + span.toMillis() / interval.toMillis();
        for (long polls = 1; ok && !(whole ? source.untilFull() : source.untilJudged()).isZero() && polls < most;
                polls++) {
            Thread.sleep(interval.toMillis());
            ok = poller.pollOnce();
            read(readings, kept);
        }
        DashboardModel model = state.model(System.currentTimeMillis());
        // what fails the run, decided once for the exit code and the JUnit report alike
        Set<PanelId> need = ok ? TopGate.needReadings(model, gated) : Set.of();
        String whyNone = null;
        Map<PanelId, TopGate.Ruled> ruled = new EnumMap<>(PanelId.class);
        if (!need.isEmpty() && source.remembers()) {
            Instant end = model.header().past() ? Instant.ofEpochMilli(model.header().atMillis()) : Instant.now();
            if (source instanceof io.exlm.mon.source.PrometheusSource p) {
                ruled.putAll(ruled(p, need, end));
            }
            Set<PanelId> rest = EnumSet.copyOf(need);
            rest.removeAll(ruled.keySet());
            if (!rest.isEmpty()) {
                whyNone = remembered(source, rest, readings, end);
            }
        }
        // a source that could not be read (exit 3) judged no panel: none fails, the reason is the status and error
        TopGate.Verdict verdict = !ok ? new TopGate.Verdict(List.of(), List.of()) : TopGate.verdict(model, gated,
                ruled, readings, whyNone, source.remembers() ? null : TopGate.SCRAPE_HINT);
        List<String> failing = verdict.failing();
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), TopJson.of(model, failing));
        } else if (ctx.format() == OutputFormat.junit) {
            TopJUnit.write(ctx.out(), model, ok, verdict, (System.nanoTime() - start) / 1e9);
        } else {
            new TopFrames(ctx, ctx.color(), unicode).print(model);
        }
        if (!ok) {
            throw new ExitException(poller.failureCode(), model.header().message());
        }
        verdict.notes().forEach(n -> ctx.err().println("exlm-mon: note: " + n));
        if (!failing.isEmpty()) {
            failing.forEach(k -> ctx.err().println("exlm-mon: " + TopGate.failingLine(model, verdict, k)));
            ctx.err().flush();
            return ExitCode.UNHEALTHY;
        }
        ctx.err().flush();
        return ExitCode.OK;
    }

    /**
     * The host panels' levels of the poll just made, each appended to its readings (a source that remembers has them
     * replaced by its history, {@link #remembered}).
     */
    private void read(Map<PanelId, List<TopGate.Reading>> readings, Set<PanelId> kept) {
        long now = poller.snapshotMillis();
        if (now < 0 || kept.isEmpty()) {
            return;
        }
        DashboardModel m = state.model(System.currentTimeMillis());
        for (PanelId id : kept) {
            PanelState p = m.panel(id);
            readings.computeIfAbsent(id, k -> new ArrayList<>()).add(new TopGate.Reading(now, p.available()
                    ? p.level() : Level.NONE));
        }
    }

    /**
     * The verdicts of the host panels' alert rules themselves, where Prometheus has the rule loaded and evaluating:
     * whether {@code ALERTS} of the source's scope has it firing at {@code end}. A panel left out (the rule not
     * loaded, failing, not yet evaluated, or the question unanswered) is judged by its history instead.
     */
    static Map<PanelId, TopGate.Ruled> ruled(io.exlm.mon.source.PrometheusSource source, Set<PanelId> need,
            Instant end) {
        Map<PanelId, TopGate.Ruled> out = new EnumMap<>(PanelId.class);
        List<io.exlm.mon.promql.RuleGroup> rules;
        try {
            rules = source.client().rules();
        } catch (RuntimeException e) {
            return out; // judged by the history instead
        }
        for (PanelId id : need) {
            String alert = Thresholds.alert(id);
            try {
                io.exlm.mon.promql.RuleHealth h = io.exlm.mon.promql.RuleHealth.of(rules, List.of(alert));
                if (!h.missing().isEmpty() || !h.exlmFailing().isEmpty() || h.notEvaluated() > 0) {
                    continue;
                }
                String scope = source.scope().promql();
                io.exlm.mon.promql.QueryResult r = source.client().query("ALERTS{alertname=\"" + alert + "\""
                        + (scope.isEmpty() ? "" : "," + scope) + "}", end);
                boolean firing = r.series().stream().anyMatch(x -> "firing".equals(x.metric().get("alertstate")));
                boolean pending = r.series().stream().anyMatch(x -> "pending".equals(x.metric().get("alertstate")));
                String hold = io.exlm.mon.config.Durations.format(Thresholds.hold(id));
                out.put(id, new TopGate.Ruled(firing, firing ? null : id.key() + " is beyond its alert threshold, and "
                        + alert + (pending ? " is pending in Prometheus (it fires after " + hold + ")"
                        : " is neither pending nor firing in Prometheus at its last evaluation") + ": not failed"));
            } catch (RuntimeException e) {
                // judged by the history instead
            }
        }
        return out;
    }

    /**
     * A source that remembers (Prometheus): the readings of {@code need} over the longest of their holds, from its
     * history up to {@code end}, at the alert rules' pace ({@link #HISTORY_STEP}, coarser only when the hold needs
     * more than {@link #MAX_POINTS} steps); null, or why they could not be had (readings then stay empty): the
     * history did not answer, or has no value at its last step, when the panel has one now.
     */
    private String remembered(Source source, Set<PanelId> need, Map<PanelId, List<TopGate.Reading>> readings,
            Instant end) {
        Duration hold = need.stream().map(Thresholds::hold).max(Duration::compareTo).orElse(Duration.ZERO);
        long stepMillis = Math.max(HISTORY_STEP.toMillis(), (hold.toMillis() + MAX_POINTS - 2) / (MAX_POINTS - 1));
        Duration step = Duration.ofMillis(stepMillis);
        int points = (int) ((hold.toMillis() + stepMillis - 1) / stepMillis) + 1;
        List<Snapshot> steps;
        try {
            steps = source.history(end, step, points);
        } catch (RuntimeException e) {
            // the polls' one reading would say "beyond for 0s": no verdict from it
            readings.keySet().removeAll(need);
            return "its history: " + Text.printable(String.valueOf(e.getMessage()));
        }
        String why = null;
        for (PanelId id : need) {
            List<TopGate.Reading> r = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                PanelState p = SnapshotPanels.of(steps.get(i)).get(id);
                r.add(new TopGate.Reading(end.toEpochMilli() - (steps.size() - 1L - i) * step.toMillis(),
                        p != null && p.available() ? p.level() : Level.NONE));
            }
            if (r.isEmpty() || r.get(r.size() - 1).level() == Level.NONE) {
                // beyond now, and no value in the history's last step: its query failed, not its data
                readings.remove(id);
                why = "its history has no value of it at the time shown";
                continue;
            }
            readings.put(id, r);
        }
        return why;
    }

    /** The step of a remembered history: the stack's rule evaluation interval, at which the alerts see the figures. */
    static final Duration HISTORY_STEP = Duration.ofSeconds(15);
    /** At most this many steps are asked for. */
    static final int MAX_POINTS = 200;
}
