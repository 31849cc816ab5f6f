package io.exlm.mon.expo;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Expositions;
import org.junit.jupiter.api.Test;

/** The generated benchmark body is what it claims: valid, about 75,000 samples, 7-8 MB. */
class GeneratedBodyTest {
    @Test
    void generatedBodyIsValidAndOfTheAdvertisedSize() throws Exception {
        byte[] body = Expositions.generate(75_000, 42);
        assertThat(body.length).isBetween(7_000_000, 8_000_000);
        ExpositionParser p = new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, ParseMode.STRICT, "gen");
        long[] n = {0};
        p.parse(body, s -> n[0]++);
        assertThat(p.problems()).isEmpty();
        assertThat(n[0]).isBetween(74_000L, 75_000L);
        Scrape s = Scrape.read(body, ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "gen", 0);
        assertThat(s.sampleCount()).isEqualTo((int) n[0]);
        assertThat(s.family("http_request_duration_seconds").type()).isEqualTo(MetricType.HISTOGRAM);
    }
}
