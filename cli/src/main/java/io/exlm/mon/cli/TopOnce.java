package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.Poller;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code top --once}: one frame, JSON document or JUnit report, and the exit code of the gate. */
record TopOnce(Context ctx, DashboardState state, Poller poller, boolean unicode) {
    /**
     * Polls once, and then every interval for as long as the source needs before its rates are judged (a scrape
     * source: until its window spans {@link io.exlm.mon.source.Snapshot.Coverage#judgedSpan}, 10 s or the window
     * when shorter; the frame says how much of the window that is) or, with {@code whole}, until its window is full,
     * writes the view in the run's format and returns the exit code: 3 (thrown) when the source could not be read, 1
     * when a gated panel is beyond its alert threshold.
     */
    int run(io.exlm.mon.source.Source source, Duration interval, Duration window, boolean whole, Set<PanelId> gated)
            throws InterruptedException {
        long start = System.nanoTime();
        boolean ok = poller.pollOnce();
        // a bound besides the source's word: the polls the span takes at this interval, and two more
        Duration span = whole ? window : io.exlm.mon.source.Snapshot.Coverage.judgedSpan(window);
        long most = 3 + span.toMillis() / interval.toMillis();
        for (long polls = 1; ok && !(whole ? source.untilFull() : source.untilJudged()).isZero() && polls < most;
                polls++) {
            Thread.sleep(interval.toMillis());
            ok = poller.pollOnce();
        }
        DashboardModel model = state.model(System.currentTimeMillis());
        // what fails the run, decided once for the exit code and the JUnit report alike
        List<String> failing = TopGate.alerts(model, gated);
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), TopJson.of(model));
        } else if (ctx.format() == OutputFormat.junit) {
            TopJUnit.write(ctx.out(), model, ok, failing, (System.nanoTime() - start) / 1e9);
        } else {
            new TopFrames(ctx, ctx.color(), unicode).print(model);
        }
        if (!ok) {
            throw new ExitException(poller.failureCode(), model.header().message());
        }
        if (!failing.isEmpty()) {
            ctx.err().println("exlm-mon: beyond the alert threshold: " + String.join(", ", failing));
            return ExitCode.UNHEALTHY;
        }
        return ExitCode.OK;
    }
}
