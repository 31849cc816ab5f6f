package io.exlm.mon.expo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.config.AnswerLimits;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What one body may cost: a line is read up to a cap and past it without keeping it; a scrape keeps what its limits let it. */
class BoundedInputTest {
    /** {@code n} bytes of {@code b}, made as they are read (a body far larger than the heap costs nothing here). */
    private static InputStream repeat(byte b, long n) {
        return new InputStream() {
            long left = n;

            @Override
            public int read() {
                return left-- > 0 ? b : -1;
            }

            @Override
            public int read(byte[] buf, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int k = (int) Math.min(len, left);
                java.util.Arrays.fill(buf, off, off + k, b);
                left -= k;
                return k;
            }
        };
    }

    private static InputStream text(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLineLongerThanTheCapIsReportedWithItsLineAndTheRestIsStillChecked() throws Exception {
        // 3 GB on one line (more than an array can hold), then a broken line and a good one
        InputStream body = new SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                text("# TYPE a counter\na_total 1\n"), repeat((byte) 'x', 3L << 30),
                text("\nb{ 1\nc 2\n"))));
        ExpositionParser strict = new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, ParseMode.STRICT, "big.txt");
        Scrape.Builder builder = new Scrape.Builder();
        strict.parse(body, builder);
        assertThat(strict.problems()).extracting(Problem::line).containsExactly(3, 4);
        assertThat(strict.problems().get(0).message()).contains("line longer than 1 MiB");
        Scrape s = builder.build("big.txt", ExpositionFormat.PROMETHEUS_TEXT, 0);
        assertThat(s.samples("a_total")).hasSize(1);
        assertThat(s.samples("c")).hasSize(1);
        assertThat(strict.bytesRead()).isGreaterThan(3L << 30);
    }

    @Test
    void aScrapeEndsAtTheLongLine() {
        InputStream body = new SequenceInputStream(text("up 1\n"), repeat((byte) 'x', 2L << 20));
        assertThatThrownBy(() -> Scrape.read(body, ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "u", 0))
                .isInstanceOf(ExpositionException.class).hasMessageContaining("u:2:1")
                .hasMessageContaining("longer than 1 MiB");
    }

    @Test
    void aLineJustUnderTheCapIsRead() throws Exception {
        String value = "v".repeat(ExpositionParser.MAX_LINE_BYTES - 100);
        Scrape s = Scrape.read(text("m{l=\"" + value + "\"} 1\n"), ExpositionFormat.PROMETHEUS_TEXT,
                ParseMode.LENIENT, "u", 0);
        assertThat(s.samples("m").get(0).labels().get("l")).hasSize(value.length());
    }

    @Test
    void aScrapeKeepsAtMostItsSeriesAndLabelBytes() throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 11; i++) {
            b.append("cpu_usage_percent{instance=\"h").append(i).append("\"} 1\n");
        }
        String body = b.toString();
        assertThatThrownBy(() -> Scrape.read(text(body), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "u", 0,
                n -> true, new AnswerLimits(10, 1 << 20))).isInstanceOf(AnswerLimits.Exceeded.class)
                .hasMessageContaining("more than 10 series (the --max-series cap)");
        assertThatThrownBy(() -> Scrape.read(text(body), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "u", 0,
                n -> true, new AnswerLimits(100, 100))).isInstanceOf(AnswerLimits.Exceeded.class)
                .hasMessageContaining("the --max-label-bytes cap");
        // what the filter drops costs nothing
        Scrape kept = Scrape.read(text(body + "up 1\n"), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "u", 0,
                n -> n.equals("up"), new AnswerLimits(1, 100));
        assertThat(kept.sampleCount()).isEqualTo(1);
        assertThat(Scrape.read(text(body), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "u", 0, n -> true,
                new AnswerLimits(11, 1 << 20)).sampleCount()).isEqualTo(11);
    }
}
