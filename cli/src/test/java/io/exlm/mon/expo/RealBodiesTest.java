package io.exlm.mon.expo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Bodies real exporters wrote: they pass the strict check and read the same in both modes. */
class RealBodiesTest {
    private static byte[] resource(String name) throws Exception {
        try (InputStream in = RealBodiesTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void nodeExporterOutputIsValidAndReadsWhole() throws Exception {
        byte[] body = resource("node-exporter.txt");
        ParserAssert.Outcome strict = ParserAssert.strict(ExpositionFormat.PROMETHEUS_TEXT, body);
        assertThat(strict.problems()).isEmpty();
        Scrape s = ParserAssert.lenient(ExpositionFormat.PROMETHEUS_TEXT, body).scrape();
        assertThat(s.sampleCount()).isEqualTo(strict.scrape().sampleCount()).isEqualTo(507);
        MetricFamily cpu = s.family("node_cpu_seconds_total");
        assertThat(cpu.type()).isEqualTo(MetricType.COUNTER);
        assertThat(cpu.help()).isEqualTo("Seconds the CPUs spent in each mode.");
        assertThat(cpu.samples()).allSatisfy(x -> assertThat(x.labels().get("mode")).isNotNull());
        assertThat(s.family("go_gc_duration_seconds").type()).isEqualTo(MetricType.SUMMARY);
        assertThat(s.samples("go_gc_duration_seconds").get(0).labels().get("quantile")).isEqualTo("0");
    }

    @Test
    void aReusedStrictParserForgetsThePreviousBody() throws Exception {
        byte[] body = resource("node-exporter.txt");
        ExpositionParser p = new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, ParseMode.STRICT, "n");
        for (int i = 0; i < 3; i++) {
            long[] n = {0};
            p.parse(new java.io.ByteArrayInputStream(body), s -> n[0]++);
            assertThat(p.problems()).as("parse %d", i).isEmpty();
            assertThat(n[0]).isEqualTo(507);
        }
        p.parse("a 1\na 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), s -> { });
        assertThat(p.problems()).extracting(Problem::toString).containsExactly(
                "n:2:1: duplicate series a (first at line 1)");
    }
}
