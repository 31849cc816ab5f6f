package io.exlm.mon.expo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The label value scan that reads eight bytes at a time, and the duplicate-name check that compares hashes first:
 * both must find exactly what a byte-at-a-time reading finds, wherever the special byte falls in a word.
 */
class LabelScanTest {
    private static boolean special(byte c) {
        return c == '"' || c == '\\' || c < 0;
    }

    @Property(tries = 3000)
    void theScanStopsWhereAByteAtATimeReadingWould(@ForAll("bodies") byte[] b, @ForAll("cuts") int from) {
        int p = Math.min(from, b.length);
        int le = b.length;
        int r = SampleLine.toQuoteBackslashOrHigh(b, p, le);
        int words = p + (le - p) / 8 * 8;
        int first = p;
        while (first < le && !special(b[first])) {
            first++;
        }
        // the first special byte when it lies in the whole words read, else the start of the bytes left over
        assertThat(r).isEqualTo(first < words ? first : words);
    }

    @Provide
    Arbitrary<byte[]> bodies() {
        // mostly plain text, with the three bytes that stop the scan, and its near neighbours, now and then
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, Arbitraries.bytes().between((byte) 0x20, (byte) 0x7e)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.of((byte) '"', (byte) '\\', (byte) 0x80, (byte) 0xff,
                                (byte) 0x21, (byte) 0x23, (byte) 0x5b, (byte) 0x5d, (byte) 0x7f, (byte) 0)))
                .array(byte[].class).ofMaxSize(40);
    }

    @Provide
    Arbitrary<Integer> cuts() {
        return Arbitraries.integers().between(0, 40);
    }

    @Test
    void everyOffsetOfAnEscapeAQuoteOrAMultiByteCharacterIsReadAsByteAtATime() throws ExpositionException {
        String[] specials = {"\\\"", "\\\\", "\\n", "é", "€"};
        String[] decoded = {"\"", "\\", "\n", "é", "€"};
        for (int name = 1; name <= 8; name++) {          // shifts where the value starts within a word
            for (int len = 0; len <= 20; len++) {
                for (int at = 0; at <= len; at++) {
                    for (int k = 0; k < specials.length; k++) {
                        String plain = "abcdefghijklmnopqrstuvwxyz".substring(0, len);
                        String raw = plain.substring(0, at) + specials[k] + plain.substring(at);
                        String want = plain.substring(0, at) + decoded[k] + plain.substring(at);
                        String body = "m{" + "l".repeat(name) + "=\"" + raw + "\",z=\"x\"} 1\n";
                        Scrape s = Scrape.read(body.getBytes(StandardCharsets.UTF_8),
                                ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "t", 0);
                        assertThat(s.samples("m")).as(body).hasSize(1);
                        Labels labels = s.samples("m").get(0).labels();
                        assertThat(labels.get("l".repeat(name))).as(body).isEqualTo(want);
                        assertThat(labels.get("z")).as(body).isEqualTo("x");
                    }
                }
            }
        }
    }

    @Test
    void aValueThatIsNotClosedOrNotUtf8IsStillRefusedWhereverItEnds() {
        for (int len = 0; len <= 20; len++) {
            String open = "m{l=\"" + "v".repeat(len);
            assertThat(ParserAssert.lenient(ExpositionFormat.PROMETHEUS_TEXT, open + "\n").error())
                    .as(open).contains("the label value is not closed");
            byte[] bad = (open + "X\"} 1\n").getBytes(StandardCharsets.UTF_8);
            bad[5 + len] = (byte) 0xff;
            assertThat(ParserAssert.lenient(ExpositionFormat.PROMETHEUS_TEXT, bad).error())
                    .as(open).contains("label value is not valid UTF-8");
        }
    }

    @Test
    void namesWithOneHashAreDifferentNamesAndOneNameTwiceIsRefused() {
        // "Aa" and "BB" hash alike (31 * 'A' + 'a' == 31 * 'B' + 'B'): the bytes decide, not the hash
        assertThat(ParserAssert.lenient(ExpositionFormat.PROMETHEUS_TEXT, "m{Aa=\"1\",BB=\"2\"} 1\n").error())
                .isNull();
        assertThat(ParserAssert.lenient(ExpositionFormat.PROMETHEUS_TEXT, "m{Aa=\"1\",BB=\"2\",Aa=\"3\"} 1\n")
                .error()).contains("label Aa appears twice");
        assertThat(ParserAssert.strict(ExpositionFormat.PROMETHEUS_TEXT, "m{Aa=\"1\",BB=\"2\"} 1\n").problems())
                .isEmpty();
    }
}
