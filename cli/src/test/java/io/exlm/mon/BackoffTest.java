package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackoffTest {
    @ParameterizedTest
    @CsvSource({"0,1000", "1,1000", "2,2000", "3,4000", "4,8000", "5,16000", "6,30000", "40,30000"})
    void doublesAfterEachFurtherFailureUpToTheCap(int failures, long millis) {
        assertThat(Backoff.delayMillis(1000, failures, 30_000)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource({"0,60000", "1,30000", "3,30000"})
    void anIntervalAboveTheCapIsKeptOnlyWhileNothingFails(int failures, long millis) {
        assertThat(Backoff.delayMillis(60_000, failures, 30_000)).isEqualTo(millis);
    }
}
