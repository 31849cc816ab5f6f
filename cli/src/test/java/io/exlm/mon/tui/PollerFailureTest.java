package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.ExitCode;
import io.exlm.mon.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * One poll that fails in exlm-mon itself (a full heap, a bug, an error thrown deep in a library) ends that poll and
 * nothing else: the header says the poll failed and why, the next poll runs and the figures come back.
 */
class PollerFailureTest {
    /** A source that plays a script of answers and failures, one per poll. */
    private static final class ScriptedFeed implements io.exlm.mon.source.Source {
        private final Deque<Supplier<io.exlm.mon.source.Snapshot>> script = new ArrayDeque<>();

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public boolean hasWindow() {
            return false;
        }

        @Override
        public io.exlm.mon.source.Snapshot snapshot() {
            return script.removeFirst().get();
        }
    }

    /** A snapshot of an empty body: every panel says why it has no figures. */
    private static io.exlm.mon.source.Snapshot figures() {
        return Frames.emptySnapshot();
    }

    @Test
    void aPollThatRunsOutOfMemoryIsReportedAndTheNextOneRuns() {
        ScriptedFeed feed = new ScriptedFeed();
        feed.script.add(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        feed.script.add(PollerFailureTest::figures);
        feed.script.add(() -> {
            throw new StackOverflowError();
        });
        feed.script.add(() -> {
            throw new IllegalStateException("a bug");
        });
        feed.script.add(PollerFailureTest::figures);
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
        DashboardState state = new DashboardState(feed.describe(), 1000);
        Poller poller = new Poller(feed, state, clock, null);

        assertThat(poller.pollOnce()).isFalse();
        DashboardModel.Header h = state.model(clock.millis()).header();
        assertThat(h.status()).isEqualTo(DashboardModel.FeedStatus.FAILED);
        assertThat(h.message()).contains("ran out of memory (Java heap").contains("--max-series")
                .contains("EXLM_MON_JAVA_OPTS=-Xmx");
        assertThat(poller.failureCode()).isEqualTo(ExitCode.INTERNAL);

        assertThat(poller.pollOnce()).isTrue();
        assertThat(state.model(clock.millis()).header().status()).isEqualTo(DashboardModel.FeedStatus.OK);

        assertThat(poller.pollOnce()).isFalse();
        assertThat(state.model(clock.millis()).header().message()).contains("StackOverflowError", "a bug");
        assertThat(poller.pollOnce()).isFalse();
        assertThat(state.model(clock.millis()).header().message()).contains("IllegalStateException: a bug");
        assertThat(poller.pollOnce()).isTrue();
        assertThat(state.model(clock.millis()).header().status()).isEqualTo(DashboardModel.FeedStatus.OK);
        assertThat(poller.polls()).isEqualTo(5);
    }

    @Test
    void anEndpointsFailureIsUnreachableWithItsOwnExitCode() {
        ScriptedFeed feed = new ScriptedFeed();
        feed.script.add(() -> {
            throw new io.exlm.mon.ExitException(ExitCode.UNREACHABLE, "GET x: connection refused");
        });
        DashboardState state = new DashboardState(feed.describe(), 1000);
        Poller poller = new Poller(feed, state, new ManualClock(Instant.parse("2026-03-01T12:00:00Z")), null);
        assertThat(poller.pollOnce()).isFalse();
        assertThat(state.model(0).header().status()).isEqualTo(DashboardModel.FeedStatus.UNREACHABLE);
        assertThat(poller.failureCode()).isEqualTo(ExitCode.UNREACHABLE);
    }
}
