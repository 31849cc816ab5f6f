package io.exlm.mon.tui;

import io.exlm.mon.source.Combination;
import io.exlm.mon.source.ScrapeSource;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import io.exlm.mon.source.Source;
import io.exlm.mon.panel.PanelId;
import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.testing.ManualClock;
import io.exlm.mon.testing.Ports;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/**
 * The real scrape path: a demo backend that goes away and comes back while the dashboard polls it; and how a failing
 * source is backed off. Time is a manual clock and the wait between polls is the test's, so no verdict depends on
 * how fast this machine is.
 */
class SourceOutageTest {
    private static String frame(DashboardState state, ManualClock clock) {
        List<AttributedString> lines = new FrameRenderer(false, true).render(state.model(clock.millis()), 120, 40);
        return String.join("\n", lines.stream().map(AttributedString::toString).toList());
    }

    @Test
    void panelsSayUnreachableThenRecoverWithoutARestart() throws Exception {
        int port = Ports.free();
        DemoServer.Config config = DemoServer.Config.defaults().withPort(port);
        DemoServer demo = DemoServer.start(config);
        ManualClock clock = new ManualClock(Instant.parse("2026-03-01T12:00:00Z"));
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults().withTimeout(Duration.ofSeconds(10)))) {
            Source feed = ScrapeSource.of(new Scraper(http, clock), "http://127.0.0.1:" + port + "/metrics",
                    Combination.defaults(), ScrapeSource.NEXT_SCRAPE);
            DashboardState state = new DashboardState(feed.describe(), 500);
            Poller poller = new Poller(feed, state, clock, null);

            assertThat(poller.pollOnce()).isTrue();
            assertThat(frame(state, clock)).contains("needs a second scrape for a rate");
            clock.advance(Duration.ofSeconds(1));
            assertThat(poller.pollOnce()).isTrue();
            assertThat(state.model(clock.millis()).header().status()).isEqualTo(DashboardModel.FeedStatus.OK);
            assertThat(frame(state, clock)).contains("/s").doesNotContain("unreachable");
            // no update for longer than three intervals and a second: stale
            assertThat(state.model(clock.millis() + 2_500).header().status())
                    .isEqualTo(DashboardModel.FeedStatus.OK);
            assertThat(state.model(clock.millis() + 2_501).header().status())
                    .isEqualTo(DashboardModel.FeedStatus.STALE);

            demo.close();
            clock.advance(Duration.ofSeconds(1));
            assertThat(poller.pollOnce()).isFalse();
            DashboardModel down = state.model(clock.millis());
            assertThat(down.header().status()).isEqualTo(DashboardModel.FeedStatus.UNREACHABLE);
            assertThat(down.header().message()).contains("connection refused");
            assertThat(down.panels().values()).allSatisfy(p -> assertThat(p.unavailable()).startsWith(
                    "unreachable: "));
            assertThat(frame(state, clock)).contains("unreachable", "connection refused");

            demo = DemoServer.start(config);
            clock.advance(Duration.ofSeconds(1));
            assertThat(poller.pollOnce()).isTrue();
            clock.advance(Duration.ofSeconds(1));
            assertThat(poller.pollOnce()).isTrue();
            DashboardModel back = state.model(clock.millis());
            assertThat(back.header().status()).isEqualTo(DashboardModel.FeedStatus.OK);
            assertThat(back.panel(PanelId.REQUEST_RATE).available()).isTrue();
            assertThat(back.panel(PanelId.CPU).available()).isTrue();
            assertThat(frame(state, clock)).doesNotContain("unreachable");
        } finally {
            demo.close();
        }
    }

    @Test
    void theBackOffDoublesPerFailureInARowUpToThirtySeconds() {
        List<Long> schedule = new ArrayList<>();
        for (int failures = 0; failures <= 8; failures++) {
            schedule.add(Poller.delayMillis(250, failures));
        }
        assertThat(schedule).containsExactly(250L, 250L, 500L, 1_000L, 2_000L, 4_000L, 8_000L, 8_000L, 8_000L);
        assertThat(Poller.delayMillis(2_000, 0)).isEqualTo(2_000);
        assertThat(Poller.delayMillis(2_000, 4)).isEqualTo(16_000);
        assertThat(Poller.delayMillis(2_000, 5)).isEqualTo(Poller.MAX_BACKOFF_MILLIS);
        assertThat(Poller.delayMillis(2_000, 1_000)).isEqualTo(Poller.MAX_BACKOFF_MILLIS);
        assertThat(Poller.delayMillis(60_000, 0)).as("an interval longer than the cap is kept").isEqualTo(60_000);
    }

    @Test
    void aFailingSourceIsBackedOffNotPiledOnAndASuccessEndsIt() throws Exception {
        int closed = Ports.closed();
        AtomicInteger polls = new AtomicInteger();
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            // four real scrapes of a closed port, then a source that answers, then the closed port again
            Source refused = ScrapeSource.of(new Scraper(http), "http://127.0.0.1:" + closed + "/metrics",
                    Combination.defaults(), ScrapeSource.NEXT_SCRAPE);
            Source feed = new Source() {
                @Override
                public String describe() {
                    return refused.describe();
                }

                @Override
                public boolean hasWindow() {
                    return false;
                }

                @Override
                public Snapshot snapshot() {
                    if (polls.incrementAndGet() == 5) {
                        try {
                            return Snapshots.of(io.exlm.mon.expo.Scrape.read(new byte[0],
                                    io.exlm.mon.expo.ExpositionFormat.PROMETHEUS_TEXT,
                                    io.exlm.mon.expo.ParseMode.LENIENT, "test", 0));
                        } catch (io.exlm.mon.expo.ExpositionException e) {
                            throw new AssertionError(e);
                        }
                    }
                    return refused.snapshot();
                }
            };
            DashboardState state = new DashboardState(feed.describe(), 250);
            BlockingQueue<Long> waits = new LinkedBlockingQueue<>();
            CountDownLatch never = new CountDownLatch(1);
            AtomicInteger pauses = new AtomicInteger();
            Poller.Pause recorded = millis -> {
                waits.add(millis);
                if (pauses.incrementAndGet() >= 7) {
                    never.await(); // until close() interrupts the poller
                }
            };
            try (Poller poller = new Poller(feed, state, new ManualClock(Instant.EPOCH), recorded)) {
                poller.start();
                List<Long> seen = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    Long w = waits.poll(1, TimeUnit.MINUTES);
                    assertThat(w).as("wait " + (i + 1) + " after " + seen).isNotNull();
                    seen.add(w);
                }
                assertThat(seen).containsExactly(250L, 500L, 1_000L, 2_000L, 250L, 250L, 500L);
                assertThat(poller.polls()).isEqualTo(7);
            }
            assertThat(state.model(0).header().message()).contains("connection refused");
        }
    }
}
