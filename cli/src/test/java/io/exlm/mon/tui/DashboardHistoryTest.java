package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Source;
import io.exlm.mon.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

/**
 * top's history and time: filled from a source that remembers on start and for each time shown, kept (greyed, under
 * one banner) while the source is down with a gap when it comes back, and the keys that move the time shown. The
 * clock is a {@link ManualClock}: no test waits for time.
 */
class DashboardHistoryTest {
    private static final Instant T0 = Instant.parse("2026-03-01T00:12:34Z");

    /** A snapshot in which the users panel (one with a history) reads {@code users}; NaN for one without data. */
    static Snapshot users(double users) {
        String body = Double.isNaN(users) ? "" : "# TYPE active_users gauge\nactive_users " + users + "\n";
        try {
            return io.exlm.mon.source.Snapshots.of(io.exlm.mon.expo.Scrape.read(body.getBytes(StandardCharsets.UTF_8),
                    io.exlm.mon.expo.ExpositionFormat.PROMETHEUS_TEXT, io.exlm.mon.expo.ParseMode.LENIENT, "test", 0));
        } catch (io.exlm.mon.expo.ExpositionException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * A source that remembers: users = the minute of the time asked for (so that "a minute back" reads one less),
     * its history up to the time asked for with no data before {@code born} (a Prometheus younger than the history).
     */
    private static final class Remembering implements Source {
        final ManualClock clock;
        final Instant born;
        final List<String> calls = new ArrayList<>();
        boolean down;
        boolean historyBug;

        Remembering(ManualClock clock, Instant born) {
            this.clock = clock;
            this.born = born;
        }

        static double figure(Instant t) {
            return t.getEpochSecond() / 60 % 60;
        }

        @Override
        public String describe() {
            return "PromQL http://127.0.0.1:9090 [1m]";
        }

        @Override
        public boolean hasWindow() {
            return true;
        }

        @Override
        public boolean remembers() {
            return true;
        }

        @Override
        public Snapshot snapshot() {
            calls.add("now");
            return at(clock.instant());
        }

        @Override
        public Snapshot snapshot(Instant at) {
            calls.add("at " + at);
            return at(at);
        }

        private Snapshot at(Instant t) {
            if (down) {
                throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "connection refused");
            }
            return users(figure(t));
        }

        @Override
        public List<Snapshot> history(Instant end, Duration step, int points) {
            calls.add("history " + end + " " + step + " " + points);
            if (historyBug) {
                throw new IllegalStateException("a bug in the history");
            }
            if (down) {
                throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "connection refused");
            }
            List<Snapshot> out = new ArrayList<>();
            for (int i = points - 1; i >= 0; i--) {
                Instant t = end.minus(step.multipliedBy(i));
                out.add(t.isBefore(born) ? users(Double.NaN) : users(figure(t)));
            }
            return out;
        }
    }

    private static double[] usersHistory(DashboardState state, long now) {
        return state.model(now).panel(PanelId.USERS).history();
    }

    private static double[] last(double[] h, int n) {
        return Arrays.copyOfRange(h, h.length - n, h.length);
    }

    @Test
    void theHistoryIsFilledOnStartWithNoPointsBeforeTheSourceBegan() {
        ManualClock clock = new ManualClock(T0);
        // the source is 90 s old: of a 240-step history at 1 s, the first 150 steps have no data
        Remembering src = new Remembering(clock, T0.minusSeconds(89));
        DashboardState state = new DashboardState(src.describe(), 1000, true, -1);
        Poller poller = new Poller(src, state, clock, null);

        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls).containsExactly("history " + T0 + " PT1S " + DashboardState.HISTORY, "now");
        double[] h = usersHistory(state, clock.millis());
        assertThat(h).hasSize(DashboardState.HISTORY);
        long known = Arrays.stream(h).filter(v -> !Double.isNaN(v)).count();
        // 90 backfilled steps (T0-89s .. T0) and the live point, which pushed the oldest gap out of the ring
        assertThat(known).isEqualTo(91);
        assertThat(Arrays.stream(Arrays.copyOfRange(h, 0, 149)).allMatch(Double::isNaN)).isTrue();
        // T0 is 00:12:34: from 00:11:05 the minutes 11 and 12, then the live point
        assertThat(h[149]).isEqualTo(11);
        assertThat(last(h, 36)).containsOnly(12);
        assertThat(h[h.length - 37]).isEqualTo(11);

        // the next poll adds a point and does not ask for the history again
        clock.advance(Duration.ofSeconds(1));
        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls).hasSize(3).last().isEqualTo("now");
    }

    @Test
    void aSourceDownKeepsThePanelsGreyedUnderOneBannerAndComingBackLeavesAGap() {
        ManualClock clock = new ManualClock(T0);
        Remembering src = new Remembering(clock, T0.minus(Duration.ofHours(1)));
        DashboardState state = new DashboardState(src.describe(), 1000, true, -1);
        Poller poller = new Poller(src, state, clock, null).backfill(false);
        for (int i = 0; i < 3; i++) {
            assertThat(poller.pollOnce()).isTrue();
            clock.advance(Duration.ofSeconds(1));
        }
        // down at 00:12:37 for three polls (of a backing-off poller: 1 s, then 2 s)
        src.down = true;
        assertThat(poller.pollOnce()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(poller.pollOnce()).isFalse();
        clock.advance(Duration.ofSeconds(2));

        DashboardModel down = state.model(clock.millis());
        assertThat(down.header().down()).isTrue();
        assertThat(down.header().downSinceMillis()).isEqualTo(T0.plusSeconds(3).toEpochMilli());
        // what a document and the gate read: no figures while down
        assertThat(down.panel(PanelId.USERS).available()).isFalse();
        // what the terminal draws: the panels as they were
        assertThat(down.kept().get(PanelId.USERS).figures().get(0).value()).isEqualTo(12);

        List<AttributedString> frame = new FrameRenderer(true, true, ZoneOffset.UTC).render(down, 120, 40);
        String text = String.join("\n", frame.stream().map(AttributedString::toString).toList());
        assertThat(text).contains("source down since 00:12:37: connection refused");
        assertThat(text.split("connection refused", -1)).as(text).hasSize(2);
        assertThat(text).doesNotContain("waiting for");
        AttributedString users = frame.stream().filter(l -> l.toString().contains("users 12")).findFirst()
                .orElseThrow(() -> new AssertionError(text));
        int at = users.toString().indexOf("users 12");
        long faint = AttributedStyle.DEFAULT.faint().getStyle();
        assertThat(users.styleAt(at).getStyle() & faint).as("greyed").isEqualTo(faint);

        // back at 00:12:40: the banner goes, and 00:12:37, :38, :39 are a gap
        src.down = false;
        assertThat(poller.pollOnce()).isTrue();
        DashboardModel back = state.model(clock.millis());
        assertThat(back.header().down()).isFalse();
        assertThat(back.kept()).isEmpty();
        String again = String.join("\n", new FrameRenderer(false, true, ZoneOffset.UTC).render(back, 120, 40).stream()
                .map(AttributedString::toString).toList());
        assertThat(again).doesNotContain("source down");
        double[] h = usersHistory(state, clock.millis());
        assertThat(h).hasSize(7);
        assertThat(Arrays.copyOfRange(h, 0, 3)).containsExactly(12, 12, 12);
        assertThat(Arrays.stream(Arrays.copyOfRange(h, 3, 6)).allMatch(Double::isNaN)).isTrue();
        assertThat(h[6]).isEqualTo(12);
    }

    @Test
    void aPastTimeIsReadOnceWithItsHistoryAndTheHeaderSaysWhen() {
        ManualClock clock = new ManualClock(T0);
        Remembering src = new Remembering(clock, T0.minus(Duration.ofHours(1)));
        Instant at = T0.minusSeconds(60);
        DashboardState state = new DashboardState(src.describe(), 1000, true, at.toEpochMilli());
        Poller poller = new Poller(src, state, clock, null);

        assertThat(poller.due()).isTrue();
        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls).containsExactly("history " + at + " PT1S " + DashboardState.HISTORY, "at " + at);
        // read once: nothing new to read until the time shown moves
        assertThat(poller.due()).isFalse();
        DashboardModel m = state.model(clock.millis());
        // 00:11:34: a minute back reads the minute before
        assertThat(m.panel(PanelId.USERS).figures().get(0).value()).isEqualTo(11);
        assertThat(m.header().past()).isTrue();
        assertThat(m.header().agoMillis()).isEqualTo(60_000);
        // the history ends at that time: no point of now on it
        double[] h = usersHistory(state, clock.millis());
        assertThat(h).hasSize(DashboardState.HISTORY);
        assertThat(last(h, 35)).containsOnly(11);
        assertThat(h[h.length - 36]).isEqualTo(10);

        // its figures do not age into "stale"
        clock.advance(Duration.ofMinutes(5));
        DashboardModel later = state.model(clock.millis());
        assertThat(later.header().status()).isEqualTo(DashboardModel.FeedStatus.OK);
        String header = new FrameRenderer(false, true, ZoneOffset.UTC).render(later, 80, 24).get(0).toString();
        assertThat(header).startsWith("exlm-mon top │  AT 00:11:34, 6m ago  │ PromQL");
        String footer = new FrameRenderer(false, true, ZoneOffset.UTC).render(later, 80, 24).get(23).toString();
        assertThat(footer).contains("n now", "[ ] step");
    }

    @Test
    void theKeysStepBackAndForthAndBackToNow() {
        ManualClock clock = new ManualClock(T0);
        Remembering src = new Remembering(clock, T0.minus(Duration.ofHours(1)));
        DashboardState state = new DashboardState(src.describe(), 1000, true, -1);
        Poller poller = new Poller(src, state, clock, null);
        assertThat(poller.pollOnce()).isTrue();

        // [ twice: two minutes back, each with its own history and figures
        DashboardState.Travel live = state.travel();
        state.stepBack(clock.millis());
        state.stepBack(clock.millis());
        assertThat(state.travel().atMillis()).isEqualTo(T0.minusSeconds(120).toEpochMilli());
        // until it is read, nothing of another time is shown for it
        assertThat(state.model(clock.millis()).panel(PanelId.USERS).available()).isFalse();
        // an answer for the time shown before is dropped
        state.update(live.generation(), java.util.Map.of(PanelId.USERS, state.model(0).panel(PanelId.USERS)),
                clock.millis());
        assertThat(state.model(clock.millis()).header().status()).isEqualTo(DashboardModel.FeedStatus.WAITING);
        assertThat(poller.due()).isTrue();
        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls.subList(2, 4)).containsExactly("history " + T0.minusSeconds(120) + " PT1S "
                + DashboardState.HISTORY, "at " + T0.minusSeconds(120));
        assertThat(state.model(clock.millis()).panel(PanelId.USERS).figures().get(0).value()).isEqualTo(10);

        // ] once: a minute back; ] again reaches now, which is now again (live)
        state.stepForward(clock.millis());
        assertThat(state.travel().atMillis()).isEqualTo(T0.minusSeconds(60).toEpochMilli());
        state.stepForward(clock.millis());
        assertThat(state.travel().past()).isFalse();
        state.stepBack(clock.millis());
        state.backToNow();
        assertThat(state.travel().past()).isFalse();
        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls.subList(4, 6)).containsExactly("history " + T0 + " PT1S " + DashboardState.HISTORY,
                "now");
        assertThat(state.model(clock.millis()).header().past()).isFalse();
    }

    @Test
    void aBugInTheHistoryIsSaidOnceAndThenTheFiguresComeWithoutIt() {
        ManualClock clock = new ManualClock(T0);
        Remembering src = new Remembering(clock, T0.minus(Duration.ofHours(1)));
        src.historyBug = true;
        DashboardState state = new DashboardState(src.describe(), 1000, true, -1);
        Poller poller = new Poller(src, state, clock, null);
        assertThat(poller.pollOnce()).isFalse();
        assertThat(state.model(clock.millis()).header().message()).contains("a bug in the history");
        clock.advance(Duration.ofSeconds(1));
        assertThat(poller.pollOnce()).isTrue();
        assertThat(src.calls).hasSize(2).last().isEqualTo("now");
        assertThat(usersHistory(state, clock.millis())).containsExactly(12);
    }

    @Test
    void theBannerLeavesOutTheQueryOfAUrlSoThatTheReasonFits() {
        String why = "GET http://127.0.0.1:9090/api/v1/query?query=label_replace%28max%28cpu%29%29&time=1.5: connection"
                + " refused (is it running?)";
        assertThat(FrameRenderer.withoutQueries(why)).isEqualTo("GET http://127.0.0.1:9090/api/v1/query: connection"
                + " refused (is it running?)");
        DashboardState state = new DashboardState("PromQL http://127.0.0.1:9090 [1m]", 1000);
        state.failed(why, true, T0.toEpochMilli());
        List<AttributedString> frame = new FrameRenderer(false, true, ZoneOffset.UTC).render(state.model(
                T0.toEpochMilli()), 80, 24);
        // on two lines at 80 columns: the reason is not cut
        assertThat(frame.get(1).toString()).isEqualTo("source down since 00:12:34: GET"
                + " http://127.0.0.1:9090/api/v1/query: connection");
        assertThat(frame.get(2).toString()).isEqualTo("refused (is it running?)");
        assertThat(frame).hasSize(24);
        assertThat(frame.get(3).toString()).startsWith("┌");
    }

    @Test
    void aSourceThatSeesOnlyThePresentDoesNotMoveInTime() {
        DashboardState state = new DashboardState("scrape http://127.0.0.1:8000/metrics", 1000, false,
                T0.toEpochMilli());
        assertThat(state.travel().past()).isFalse();
        state.stepBack(T0.toEpochMilli());
        assertThat(state.travel().past()).isFalse();
        assertThat(state.travel().generation()).isZero();
    }
}
