package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exlm.mon.expo.Scrape;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A scrape source owns the previous scrape: the first snapshot has no rates, each later one rates since the last. */
class ScrapeSourceTest {
    private static final String BODY = "# TYPE http_requests_total counter\nhttp_requests_total{status=\"200\"} %d\n";

    @Test
    void eachSnapshotPairsTheScrapeWithTheOneBeforeIt() throws Exception {
        Deque<Scrape> scrapes = new ArrayDeque<>(List.of(SnapshotsTest.scrape(BODY.formatted(100), 0),
                SnapshotsTest.scrape(BODY.formatted(130), 10_000), SnapshotsTest.scrape(BODY.formatted(150), 15_000),
                SnapshotsTest.scrape(BODY.formatted(160), 15_000)));
        ScrapeSource source = new ScrapeSource(scrapes::removeFirst, "test", Combination.defaults(), "not yet");
        assertThat(source.hasWindow()).isFalse();

        Snapshot first = source.snapshot();
        assertThat(first.window()).isNull();
        assertThat(first.derived().requestsPerSecond().reason()).isEqualTo("not yet");
        assertThat(source.hasWindow()).isTrue();

        Snapshot second = source.snapshot();
        assertThat(second.window()).isEqualTo(Duration.ofSeconds(10));
        assertThat(second.derived().requestsPerSecond().value()).isCloseTo(3.0, within(1e-12));

        Snapshot third = source.snapshot();
        assertThat(third.window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(third.derived().requestsPerSecond().value()).isCloseTo(4.0, within(1e-12));

        // a scrape stamped no later than the previous one has no time to divide by: values only
        Snapshot same = source.snapshot();
        assertThat(same.window()).isNull();
        assertThat(same.derived().requestsPerSecond().reason()).isEqualTo("not yet");
    }
}
