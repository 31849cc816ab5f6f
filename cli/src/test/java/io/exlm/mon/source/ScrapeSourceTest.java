package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exlm.mon.expo.Scrape;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A scrape source owns its window of scrapes: the first snapshot has no rates, each later one rates from the oldest
 * scrape of the window to the newest, with the window's coverage while the scrapes span less than it. The scrapes are
 * fed with their times (no clock, no sleeping).
 */
class ScrapeSourceTest {
    private static final String BODY = "# TYPE http_requests_total counter\nhttp_requests_total{status=\"200\"} %s\n";
    private static final String TWO = "# TYPE http_requests_total counter\nhttp_requests_total{status=\"200\"} %s\n"
            + "http_requests_total{status=\"500\"} %s\n";

    private static Scrape body(double requests, long at) throws Exception {
        return SnapshotsTest.scrape(BODY.formatted(requests), at);
    }

    private static ScrapeSource source(Deque<Scrape> scrapes, Duration window) {
        return new ScrapeSource(scrapes::removeFirst, "test", Combination.defaults(), "not yet", window);
    }

    @Test
    void withoutAWindowEachSnapshotPairsTheScrapeWithTheOneBeforeIt() throws Exception {
        Deque<Scrape> scrapes = new ArrayDeque<>(List.of(body(100, 0), body(130, 10_000), body(150, 15_000),
                body(160, 15_000)));
        ScrapeSource source = source(scrapes, null);
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
        assertThat(third.coverage()).isNull();

        // a scrape stamped no later than the previous one has no time to divide by: values only
        Snapshot same = source.snapshot();
        assertThat(same.window()).isNull();
        assertThat(same.derived().requestsPerSecond().reason()).isEqualTo("not yet");
    }

    @Test
    void ratesAreFromTheOldestScrapeOfTheWindowToTheNewest() throws Exception {
        // 10 requests a second for 20 s, then 40 a second: over a 10 s window the rate follows the last 10 s only
        Deque<Scrape> scrapes = new ArrayDeque<>();
        double total = 0;
        for (int t = 0; t <= 30; t++) {
            scrapes.add(body(total, t * 1000L));
            total += t < 20 ? 10 : 40;
        }
        ScrapeSource source = source(scrapes, Duration.ofSeconds(10));
        Snapshot s = null;
        for (int t = 0; t <= 20; t++) {
            s = source.snapshot();
        }
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(10, within(1e-9));
        assertThat(source.span()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.coverage()).as("a full window").isNull();
        assertThat(s.window()).isEqualTo(Duration.ofSeconds(10));
        for (int t = 21; t <= 25; t++) {
            s = source.snapshot();
        }
        // 5 s at 10/s and 5 s at 40/s: the irate of the last interval would say 40
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(25, within(1e-9));
        for (int t = 26; t <= 30; t++) {
            s = source.snapshot();
        }
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(40, within(1e-9));
        assertThat(source.size()).isEqualTo(11);
    }

    @Test
    void aWindowNotYetFullSaysSoAndIsJudgedFromTenSeconds() throws Exception {
        Deque<Scrape> scrapes = new ArrayDeque<>();
        for (int t = 0; t <= 12; t++) {
            scrapes.add(body(t * 20.0, t * 1000L));
        }
        ScrapeSource source = source(scrapes, Duration.ofMinutes(1));
        assertThat(source.untilJudged()).isPositive();
        source.snapshot();
        assertThat(source.untilJudged()).isEqualTo(Duration.ofSeconds(10));
        Snapshot s = source.snapshot();
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(20, within(1e-9));
        assertThat(s.window()).as("the window asked for").isEqualTo(Duration.ofMinutes(1));
        assertThat(s.coverage().covered()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.coverage().judged()).isFalse();
        assertThat(s.coverage().brief()).isEqualTo("1s/1m");
        assertThat(s.coverage().words()).isEqualTo("the 1m window holds only 1s of scrapes: rates and percentiles are"
                + " over those 1s and not yet judged against their thresholds, the whole window in 59s");
        for (int t = 2; t <= 10; t++) {
            s = source.snapshot();
        }
        assertThat(source.untilJudged()).isZero();
        // full from 90 % of the minute: 54 s, 44 s from here
        assertThat(source.untilFull()).isEqualTo(Duration.ofSeconds(44));
        assertThat(s.coverage().judged()).isTrue();
        assertThat(s.coverage().covered()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.document().windowCoveredSeconds()).isEqualTo(10.0);
        assertThat(s.document().windowSeconds()).isEqualTo(60.0);
        assertThat(s.document().reasons().get("window")).startsWith("the 1m window holds only 10s of scrapes");
        // a window shorter than 10 s is judged once it is full
        Deque<Scrape> short3 = new ArrayDeque<>(List.of(body(0, 0), body(10, 3000)));
        ScrapeSource three = source(short3, Duration.ofSeconds(3));
        three.snapshot();
        assertThat(three.untilJudged()).isEqualTo(Duration.ofSeconds(3));
        assertThat(three.snapshot().coverage()).isNull();
        assertThat(three.untilJudged()).isZero();
    }

    @Test
    void aResetInsideTheWindowCountsAsIncreaseCountsIt() throws Exception {
        // 100, 130, restart (5), 45: increases 30, 5, 40 = 75 over 3 s; two scrapes alone would see 45 - 100 < 0
        Deque<Scrape> scrapes = new ArrayDeque<>(List.of(body(100, 0), body(130, 1000), body(5, 2000),
                body(45, 3000)));
        ScrapeSource source = source(scrapes, Duration.ofSeconds(60));
        Snapshot s = null;
        for (int i = 0; i < 4; i++) {
            s = source.snapshot();
        }
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(25, within(1e-9));
        // the error ratio of series that restart together stays a share, never above 100 %
        Deque<Scrape> two = new ArrayDeque<>(List.of(SnapshotsTest.scrape(TWO.formatted(1000, 10), 0),
                SnapshotsTest.scrape(TWO.formatted(1090, 20), 1000), SnapshotsTest.scrape(TWO.formatted(9, 1), 2000),
                SnapshotsTest.scrape(TWO.formatted(99, 11), 3000)));
        ScrapeSource errors = source(two, Duration.ofSeconds(60));
        for (int i = 0; i < 4; i++) {
            s = errors.snapshot();
        }
        // 2xx: 90 + 9 + 90 = 189; 5xx: 10 + 1 + 10 = 21; the share 21 / 210
        assertThat(s.derived().errorRatio().value()).isCloseTo(0.1, within(1e-12));
    }

    @Test
    void aMissedScrapeIsSpannedAndANewSeriesCountsFromItsFirstScrape() throws Exception {
        // the scrape at 2 s failed: the window spans it, the rate is over the 4 s from the oldest to the newest
        Deque<Scrape> scrapes = new ArrayDeque<>(List.of(SnapshotsTest.scrape(BODY.formatted(0), 0),
                SnapshotsTest.scrape(BODY.formatted(10), 1000), SnapshotsTest.scrape(TWO.formatted(30, 1), 3000),
                SnapshotsTest.scrape(TWO.formatted(40, 3), 4000)));
        ScrapeSource source = source(scrapes, Duration.ofSeconds(60));
        source.snapshot();
        source.snapshot();
        Snapshot third = source.snapshot();
        Snapshot.Reading r = third.reading("http_requests_total");
        assertThat(r.series()).hasSize(2);
        // the 5xx series is new in this scrape: no rate yet, as with two scrapes
        assertThat(r.series().get(1).rate().available()).isFalse();
        Snapshot fourth = source.snapshot();
        assertThat(fourth.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(fourth.coverage().covered()).isEqualTo(Duration.ofSeconds(4));
        assertThat(fourth.reading("http_requests_total").series().get(0).rate().value()).isCloseTo(10,
                within(1e-12));
        // from its first scrape (1 at 3 s) to the newest (3 at 4 s), over the window's 4 s
        assertThat(fourth.reading("http_requests_total").series().get(1).rate().value()).isCloseTo(0.5,
                within(1e-12));
    }

    @Test
    void afterAnOutageLongerThanTheWindowTheWindowStartsAgain() throws Exception {
        // scrapes at 0-5 s, the backend down until 100 s: the scrape at 5 s is no start for a 10 s window at 100 s
        Deque<Scrape> scrapes = new ArrayDeque<>();
        for (int t = 0; t <= 5; t++) {
            scrapes.add(body(t * 10.0, t * 1000L));
        }
        scrapes.add(body(5000, 100_000));
        scrapes.add(body(5030, 101_000));
        ScrapeSource source = source(scrapes, Duration.ofSeconds(10));
        for (int t = 0; t <= 5; t++) {
            source.snapshot();
        }
        Snapshot back = source.snapshot();
        assertThat(back.derived().requestsPerSecond().available()).as("a rate over the outage").isFalse();
        assertThat(back.derived().requestsPerSecond().reason()).isEqualTo("not yet");
        Snapshot next = source.snapshot();
        assertThat(next.derived().requestsPerSecond().value()).isCloseTo(30, within(1e-9));
        assertThat(next.coverage().covered()).isEqualTo(Duration.ofSeconds(1));
        // two scrapes asked a window apart and stamped a little more apart are still the window's
        ScrapeSource pair = source(new ArrayDeque<>(List.of(body(0, 0), body(300, 30_400))), Duration.ofSeconds(30));
        pair.snapshot();
        Snapshot s = pair.snapshot();
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(300 / 30.4, within(1e-9));
        assertThat(s.coverage()).isNull();
    }

    @Test
    void theWindowIsARingOfAtMostMaxScrapesWhateverTheInterval() throws Exception {
        // a 10 minute window at 250 ms: 2,400 scrapes in it, of which the ring holds 120, spaced about 5 s apart
        long[] at = {0};
        double[] total = {0};
        Duration window = Duration.ofMinutes(10);
        ScrapeSource source = new ScrapeSource(() -> {
            try {
                Scrape s = body(total[0], at[0]);
                at[0] += 250;
                total[0] += 5;
                return s;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "test", Combination.defaults(), "not yet", window);
        int most = 0;
        Snapshot s = null;
        for (int i = 0; i < 2 * 2400; i++) {
            s = source.snapshot();
            most = Math.max(most, source.size());
        }
        assertThat(most).isLessThanOrEqualTo(ScrapeSource.MAX_SCRAPES + 1).isGreaterThan(ScrapeSource.MAX_SCRAPES - 5);
        assertThat(source.span()).isBetween(window, window.plus(window.dividedBy(ScrapeSource.MAX_SCRAPES - 2)));
        assertThat(s.coverage()).isNull();
        assertThat(s.derived().requestsPerSecond().value()).isCloseTo(20, within(1e-9));
    }
}
