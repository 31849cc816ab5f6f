package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Numbers written for people stay short at any magnitude a float can have. */
class NumbersTest {
    @Test
    void hugeValuesGetAnExponentInsteadOfThreeHundredDigitsOrLongMaxValue() {
        assertThat(Numbers.fixed(1e308, 1)).isEqualTo("1.00e308");
        assertThat(Numbers.fixed(-2.5e20, 0)).isEqualTo("-2.50e20");
        assertThat(Numbers.fixed(9.999e17, 2)).isEqualTo("1.00e18");
        assertThat(Numbers.fixed(123456789012.345, 2)).isEqualTo("123456789012.35");
        assertThat(Numbers.human(1e308)).isEqualTo("1.00e308");
        assertThat(Numbers.human(42)).isEqualTo("42");
        assertThat(Numbers.human(3.14159)).isEqualTo("3.142");
        assertThat(Numbers.human(Double.NaN)).isEqualTo("NaN");
    }

    @Test
    void metricsWithCountersNearTheLargestDoubleStayReadableAndTheirRatioTrue(@TempDir Path dir) throws Exception {
        Path body = Files.writeString(dir.resolve("body.txt"), "# TYPE cache_hits counter\ncache_hits_total 1e308\n"
                + "# TYPE cache_misses counter\ncache_misses_total 1e308\n"
                + "# TYPE active_users gauge\nactive_users 1e308\n");
        Cli.Result json = Cli.exec("metrics", "--file", body.toString(), "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("derived")
                .path("cache_hit_ratio").asDouble()).isEqualTo(0.5);
        Cli.Result text = Cli.exec("metrics", "--file", body.toString());
        assertThat(text.out()).contains("1.00e308").doesNotContain("0000000000").contains("50.00 %");
    }

    @Test
    void tinyValuesThatAreNotZeroAreNotWrittenZero() {
        assertThat(Numbers.human(1e-300)).isEqualTo("1.00e-300");
        assertThat(Numbers.human(-4.2e-7)).isEqualTo("-4.20e-7");
        assertThat(Numbers.human(Double.MIN_VALUE)).isEqualTo("4.94e-324");
        assertThat(Numbers.human(0.0004)).isEqualTo("4.00e-4");
        assertThat(Numbers.human(0.0005)).isEqualTo("0.001");
        assertThat(Numbers.human(0.0)).isEqualTo("0");
        assertThat(Numbers.significant(0.004, 2)).isEqualTo("4.00e-3");
        assertThat(Numbers.significant(0.005, 2)).isEqualTo("0.01");
    }

    @Test
    void siPrefixesUpToTeraThenAnExponent() {
        assertThat(Numbers.si(12_345, 1)).isEqualTo("12.3k");
        assertThat(Numbers.si(999_960, 1)).isEqualTo("1.0M");
        assertThat(Numbers.si(-2.5e9, 1)).isEqualTo("-2.5G");
        assertThat(Numbers.si(7.1e12, 2)).isEqualTo("7.10T");
        assertThat(Numbers.si(999.99e12, 1)).isEqualTo("1.00e15");
        assertThat(Numbers.si(1e308, 1)).isEqualTo("1.00e308");
        assertThat(Numbers.si(9.223372036854776e18, 1)).isEqualTo("9.22e18");
        assertThat(io.exlm.mon.tui.Format.value(1e308, io.exlm.mon.panel.PanelState.Unit.COUNT)).isEqualTo("1.00e308");
        assertThat(io.exlm.mon.tui.Format.value(Long.MAX_VALUE, io.exlm.mon.panel.PanelState.Unit.PER_SECOND))
                .isEqualTo("9.22e18/s");
        assertThat(io.exlm.mon.tui.Format.value(1e-9, io.exlm.mon.panel.PanelState.Unit.RATIO)).isEqualTo("1.00e-7%");
    }

    @Test
    void ratiosOfCountsNearTheLargestDoubleAcrossSeriesAreTrue(@TempDir Path dir) throws Exception {
        // two series of each: every sum of them overflows, the shares do not
        Path body = Files.writeString(dir.resolve("body.txt"), "# TYPE cache_hits counter\n"
                + "cache_hits_total{pid=\"1\"} 1.5e308\ncache_hits_total{pid=\"2\"} 1.5e308\n"
                + "# TYPE cache_misses counter\ncache_misses_total{pid=\"1\"} 1e308\n"
                + "# TYPE http_requests_total counter\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"2xx\"} 1.5e308\n"
                + "http_requests_total{method=\"GET\",handler=\"/\",status=\"5xx\"} 1.5e308\n"
                + "# TYPE cpu_usage_percent gauge\ncpu_usage_percent 1e-300\n");
        Cli.Result json = Cli.exec("metrics", "--file", body.toString(), "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode derived = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out()).path("derived");
        assertThat(derived.path("cache_hit_ratio").asDouble()).isEqualTo(0.75);
        assertThat(derived.path("error_ratio").asDouble()).isEqualTo(0.5);
        Cli.Result text = Cli.exec("metrics", "--file", body.toString());
        assertThat(text.out()).contains("cache hit ratio 75.00 %", "error ratio 50.00 %", "cpu 1.00e-300 %");
    }
}
