package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * VictoriaMetrics' -search.maxStalenessInterval follows the scrape interval whatever the interval (it was set only
 * with a shortened lookback, so a dead member's samples stood for minutes at the stack's own 15 s).
 */
class StoreStalenessTest {
    @Test
    void twoScrapeIntervalsAndFiveSecondsAtTheStacksOwnInterval() {
        assertThat(LocalRuntime.storeStaleness(ConfigWriterTest.config(null))).isEqualTo(Duration.ofSeconds(35));
    }

    @Test
    void twoScrapeIntervalsAndFiveSecondsAtAShorterInterval() {
        assertThat(LocalRuntime.storeStaleness(ConfigWriterTest.config(Duration.ofSeconds(2))))
                .isEqualTo(Duration.ofSeconds(9));
    }
}
