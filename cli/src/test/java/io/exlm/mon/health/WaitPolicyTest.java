package io.exlm.mon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WaitPolicyTest {
    private static final WaitPolicy POLICY = new WaitPolicy(Duration.ofSeconds(15), Duration.ofSeconds(1),
            Duration.ofSeconds(10), 1);

    @ParameterizedTest
    @CsvSource({"0,1000", "1,1000", "2,2000", "3,4000", "4,4000", "20,4000"})
    void pauseBacksOffWhileAttemptsFailUpToFourIntervals(int failures, long millis) {
        assertThat(POLICY.pause(failures, Duration.ofMinutes(1))).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"1000,900", "500,400", "101,1"})
    void pauseNeverReachesPastTheDeadlineAndLeavesTheLastAttemptItsMinimum(long leftMillis, long pauseMillis) {
        assertThat(POLICY.pause(3, Duration.ofMillis(leftMillis))).isEqualTo(Duration.ofMillis(pauseMillis));
    }

    @ParameterizedTest
    @CsvSource({"100", "99", "0", "-5"})
    void noFurtherAttemptWhenLessThanItsMinimumIsLeft(long leftMillis) {
        assertThat(POLICY.pause(1, Duration.ofMillis(leftMillis))).isNull();
    }

    @ParameterizedTest
    @CsvSource({"60000,10000", "10000,10000", "4200,4200", "1,1", "0,0", "-3,0"})
    void anAttemptGetsTheTimeoutOrWhatIsLeftWhicheverIsLess(long leftMillis, long limitMillis) {
        assertThat(POLICY.attemptLimit(Duration.ofMillis(leftMillis))).isEqualTo(Duration.ofMillis(limitMillis));
    }

    @Test
    void aThresholdBelowOneIsRefused() {
        assertThatThrownBy(() -> new WaitPolicy(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1),
                0)).isInstanceOf(IllegalArgumentException.class);
    }
}
