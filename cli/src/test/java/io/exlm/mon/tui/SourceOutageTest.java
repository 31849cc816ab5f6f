package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.testing.Ports;
import java.time.Duration;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** The real scrape path: a demo backend that goes away and comes back while the dashboard polls it. */
class SourceOutageTest {
    private static String frame(DashboardState state) {
        List<AttributedString> lines = new FrameRenderer(false, true).render(state.model(System.currentTimeMillis()),
                120, 40);
        return String.join("\n", lines.stream().map(AttributedString::toString).toList());
    }

    @Test
    void panelsSayUnreachableThenRecoverWithoutARestart() throws Exception {
        int port = Ports.free();
        DemoServer.Config config = DemoServer.Config.defaults().withPort(port);
        DemoServer demo = DemoServer.start(config);
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults().withTimeout(Duration.ofSeconds(2)))) {
            ScrapeFeed feed = new ScrapeFeed(new Scraper(http), "http://127.0.0.1:" + port + "/metrics");
            DashboardState state = new DashboardState(feed.describe(), 500);
            Poller poller = new Poller(feed, state);

            assertThat(poller.pollOnce()).isTrue();
            Thread.sleep(600);
            assertThat(poller.pollOnce()).isTrue();
            assertThat(state.model(System.currentTimeMillis()).header().status())
                    .isEqualTo(DashboardModel.FeedStatus.OK);
            assertThat(frame(state)).contains("/s").doesNotContain("unreachable");

            demo.close();
            assertThat(poller.pollOnce()).isFalse();
            DashboardModel down = state.model(System.currentTimeMillis());
            assertThat(down.header().status()).isEqualTo(DashboardModel.FeedStatus.UNREACHABLE);
            assertThat(down.header().message()).contains("connection refused");
            assertThat(down.panels().values()).allSatisfy(p -> assertThat(p.unavailable()).startsWith(
                    "unreachable: "));
            assertThat(frame(state)).contains("unreachable", "connection refused");

            demo = DemoServer.start(config);
            assertThat(poller.pollOnce()).isTrue();
            Thread.sleep(600);
            assertThat(poller.pollOnce()).isTrue();
            DashboardModel back = state.model(System.currentTimeMillis());
            assertThat(back.header().status()).isEqualTo(DashboardModel.FeedStatus.OK);
            assertThat(back.panel(PanelId.REQUEST_RATE).available()).isTrue();
            assertThat(back.panel(PanelId.CPU).available()).isTrue();
            assertThat(frame(state)).doesNotContain("unreachable");
        } finally {
            demo.close();
        }
    }

    @Test
    void aFailingSourceIsBackedOffNotPiledOn() throws Exception {
        int closed = Ports.closed();
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            ScrapeFeed feed = new ScrapeFeed(new Scraper(http), "http://127.0.0.1:" + closed + "/metrics");
            DashboardState state = new DashboardState(feed.describe(), 250);
            try (Poller poller = new Poller(feed, state)) {
                poller.start();
                Thread.sleep(3_000);
                // at a steady 250 ms there would be 12 attempts; backing off (250, 500, 1000, 2000 ms) gives about 4
                assertThat(poller.polls()).isBetween(2L, 6L);
            }
        }
    }
}
