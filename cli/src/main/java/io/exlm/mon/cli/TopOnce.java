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
        boolean ok = poller.pollOnce();
        read(readings);
        // a bound besides the source's word: the polls the span takes at this interval, and two more
        Duration span = whole ? window : Snapshot.Coverage.judgedSpan(window);
        long most = 3 + span.toMillis() / interval.toMillis();
        for (long polls = 1; ok && !(whole ? source.untilFull() : source.untilJudged()).isZero() && polls < most;
                polls++) {
            Thread.sleep(interval.toMillis());
            ok = poller.pollOnce();
            read(readings);
        }
        DashboardModel model = state.model(System.currentTimeMillis());
        // what fails the run, decided once for the exit code and the JUnit report alike
        Set<PanelId> need = ok ? TopGate.needReadings(model, gated) : Set.of();
        String whyNone = null;
        if (!need.isEmpty() && source.remembers()) {
            whyNone = remembered(source, need, readings, interval);
        }
        TopGate.Verdict verdict = TopGate.verdict(model, gated, readings, whyNone);
        List<String> failing = verdict.failing();
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), TopJson.of(model, failing));
        } else if (ctx.format() == OutputFormat.junit) {
            TopJUnit.write(ctx.out(), model, ok, failing, verdict.notes(), (System.nanoTime() - start) / 1e9);
        } else {
            new TopFrames(ctx, ctx.color(), unicode).print(model);
        }
        if (!ok) {
            throw new ExitException(poller.failureCode(), model.header().message());
        }
        verdict.notes().forEach(n -> ctx.err().println("exlm-mon: note: " + n));
        if (!failing.isEmpty()) {
            ctx.err().println("exlm-mon: beyond the alert threshold: " + String.join(", ", failing));
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
    private void read(Map<PanelId, List<TopGate.Reading>> readings) {
        long now = poller.snapshotMillis();
        if (now < 0) {
            return;
        }
        DashboardModel m = state.model(System.currentTimeMillis());
        for (PanelId id : TopGate.held()) {
            PanelState p = m.panel(id);
            readings.computeIfAbsent(id, k -> new ArrayList<>()).add(new TopGate.Reading(now, p.available()
                    ? p.level() : Level.NONE));
        }
    }

    /**
     * A source that remembers (Prometheus): the readings of {@code need} over the longest of their holds, from its
     * history up to the time shown, at the alert rules' pace or the interval when longer; null, or why they could
     * not be had (readings then stay empty).
     */
    private String remembered(Source source, Set<PanelId> need,
            Map<PanelId, List<TopGate.Reading>> readings, Duration interval) {
        Duration hold = need.stream().map(Thresholds::hold).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        Duration step = interval.compareTo(HISTORY_STEP) > 0 ? interval : HISTORY_STEP;
        int points = (int) Math.min(MAX_POINTS, hold.toMillis() / step.toMillis() + 1);
        DashboardModel.Header h = state.model(System.currentTimeMillis()).header();
        Instant end = h.past() ? Instant.ofEpochMilli(h.atMillis()) : Instant.now();
        List<Snapshot> steps;
        try {
            steps = source.history(end, step, points);
        } catch (RuntimeException e) {
            // the polls' one reading would say "beyond for 0s": no verdict from it
            readings.keySet().removeAll(need);
            return "its history: " + Text.printable(String.valueOf(e.getMessage()));
        }
        for (PanelId id : need) {
            List<TopGate.Reading> r = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                PanelState p = SnapshotPanels.of(steps.get(i)).get(id);
                r.add(new TopGate.Reading(end.toEpochMilli() - (steps.size() - 1L - i) * step.toMillis(),
                        p != null && p.available() ? p.level() : Level.NONE));
            }
            readings.put(id, r);
        }
        return null;
    }

    /** The step of a remembered history: the stack's rule evaluation interval, at which the alerts see the figures. */
    static final Duration HISTORY_STEP = Duration.ofSeconds(15);
    /** At most this many steps are asked for. */
    static final int MAX_POINTS = 200;
}
