package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.ExitException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one parser of a time on the command line ({@code query --time}, {@code top --at}). */
class QueryTimesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T00:12:34Z");

    @Test
    void rfc3339UnixSecondsOrADurationAgo() {
        assertThat(QueryTimes.parseTime("2026-01-07T10:00:00Z", "--at", NOW)).isEqualTo("2026-01-07T10:00:00Z");
        assertThat(QueryTimes.parseTime("2026-01-07T11:00:00+01:00", "--at", NOW)).isEqualTo("2026-01-07T10:00:00Z");
        assertThat(QueryTimes.parseTime("1767780000.5", "--at", NOW)).isEqualTo("2026-01-07T10:00:00.500Z");
        assertThat(QueryTimes.parseTime("5m", "--at", NOW)).isEqualTo("2026-03-01T00:07:34Z");
        assertThat(QueryTimes.parseTime("1h30s", "--at", NOW)).isEqualTo("2026-02-28T23:12:04Z");
    }

    @Test
    void anythingElseIsAUsageErrorNamingTheOption() {
        assertThatThrownBy(() -> QueryTimes.parseTime("5 minutes", "--at", NOW)).isInstanceOf(ExitException.class)
                .hasMessageContaining("--at '5 minutes' is neither RFC 3339");
        assertThatThrownBy(() -> QueryTimes.parseTime("-5m", "--time", NOW)).isInstanceOf(ExitException.class)
                .hasMessageStartingWith("--time '-5m'");
        assertThatThrownBy(() -> QueryTimes.parseTime("100000d", "--at", NOW)).isInstanceOf(ExitException.class)
                .hasMessageContaining("outside 1970 to 9999");
    }
}
