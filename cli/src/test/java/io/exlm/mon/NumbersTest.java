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
}
