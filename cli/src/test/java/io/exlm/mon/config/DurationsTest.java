package io.exlm.mon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "30s,30000", "5m,300000", "1h30m,5400000", "2d,172800000", "10,10000", "1.5s,1500",
        "1w,604800000", "1m30s,90000", "1y,31536000000", "2y3w,64886400000", "1h1d,90000000", "0,0"})
    void parsesPrometheusStyleDurations(String text, long millis) {
        assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "s", "5x", "-5s", "1.2.3s", "5 m", "m5", "..", "abc"})
    void rejectsWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"1y,31536000000", "1y2w3d4h5m6s7ms,33019506007", "90d,7776000000", "0,0", "1500ms,1500"})
    void readsWhatPrometheusReads(String text, long millis) {
        assertThat(Durations.parsePrometheus(text)).isEqualTo(Duration.ofMillis(millis));
        assertThat(Durations.parse(text)).as("the lenient reader agrees").isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10", "1.5s", "1h1d", "5m5m", " 15d", "15d ", "-1d", "1x", "d"})
    void refusesWhatPrometheusRefuses(String text) {
        assertThatThrownBy(() -> Durations.parsePrometheus(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"90000", "1500", "31536000000", "33019506007", "604800000", "1"})
    void whatIsWrittenReadsBackTheSame(long millis) {
        String text = Durations.format(Duration.ofMillis(millis));
        assertThat(Durations.parsePrometheus(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @org.junit.jupiter.api.Test
    void aMissingOrWrongDurationIsTheFallback() {
        assertThat(Durations.parseOr(null, Duration.ofMinutes(1))).isEqualTo(Duration.ofMinutes(1));
        assertThat(Durations.parseOr("soon", Duration.ZERO)).isEqualTo(Duration.ZERO);
        assertThat(Durations.parseOr("1y", Duration.ZERO)).as("a year, not a day").isEqualTo(Duration.ofDays(365));
    }

    @ParameterizedTest
    @CsvSource({"90000,1m30s", "250,250ms", "7200000,2h", "0,0s", "1500,1s500ms", "1209600000,14d", "31536000000,365d"})
    void formatsShortest(long millis, String text) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    /** Go's time.Duration.String, as Prometheus prints durations; the cases of Go's own test, and the issue's. */
    @ParameterizedTest
    @CsvSource({"0,0s", "1,1ns", "1100,1.1\u00b5s", "2200000,2.2ms", "3300000000,3.3s", "245000000000,4m5s",
        "245001000000,4m5.001s", "18367001000000,5h6m7.001s", "480000000001,8m0.000000001s", "-1,-1ns",
        "1042000000,1.042s", "120011000000,2m0.011s", "150000000,150ms", "3600000000000,1h0m0s",
        "93784000000000,26h3m4s", "1000000000,1s", "60000000000,1m0s"})
    void printsMeasuredDurationsAsGoDoes(long nanos, String text) {
        assertThat(Durations.human(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 150, 1042, 120011, 3600000, 93784000, 59999})
    void aMeasuredDurationReadsBackTheSame(long millis) {
        assertThat(Durations.parse(Durations.human(Duration.ofMillis(millis)))).isEqualTo(Duration.ofMillis(millis));
    }
}
