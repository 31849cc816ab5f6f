package io.exlm.mon.expo;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Expositions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Malformed input never escapes as an exception: random bytes, random token soup and mutations of valid bodies,
 * in both formats and both modes. Every outcome is "parsed" or a located problem (a line within the body and a
 * column from 1), never anything else.
 */
class ParserFuzzTest {
    private static final byte[] INTERESTING = "{}\"\\\n#= ,\t\r.eE+-0123456789_:aZ".getBytes(StandardCharsets.UTF_8);
    private static final List<byte[]> SEEDS = List.of(
            OpenMetricsRulesTest.HIST.concat("# EOF\n").getBytes(StandardCharsets.UTF_8),
            ("# TYPE c counter\n# HELP c Help \\\" x\nc_total{a=\"x\\\"y\\\\z\\n\"} 5 1700000000.5 # {tr=\"t\"} 0.3 "
                    + "1700000000.25\n# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 2\ns_sum 3\n"
                    + "# TYPE i info\ni_info{v=\"1\"} 1\n# TYPE st stateset\nst{st=\"a\"} 1\n# UNIT u_s s\n"
                    + "# TYPE u_s gauge\nu_s 1.5e-3\n# EOF\n").getBytes(StandardCharsets.UTF_8),
            Expositions.generate(400, 3),
            ("# HELP a x\n# TYPE a counter\na{x=\"1\",} 1 1700000000000\n\n  b +Inf\n# comment\n"
                    + "# TYPE s summary\ns{quantile=\"0.9\"} NaN\ns_sum 1\ns_count 1\n").getBytes(StandardCharsets.UTF_8));

    /** Parses in all four ways and checks each outcome; returns how many of the four parsed cleanly. */
    static int parseEveryWay(byte[] body) {
        int clean = 0;
        int lines = 1;
        for (byte b : body) {
            if (b == '\n') {
                lines++;
            }
        }
        for (ExpositionFormat f : ExpositionFormat.values()) {
            ExpositionParser strict = new ExpositionParser(f, ParseMode.STRICT, "fuzz");
            Scrape.Builder builder = new Scrape.Builder();
            try {
                strict.parse(body, builder);
            } catch (ExpositionException e) {
                throw new AssertionError("strict mode threw", e);
            }
            builder.build("fuzz", f, 0);
            for (Problem p : strict.problems()) {
                assertThat(p.line()).isBetween(1, lines);
                assertThat(p.column()).isPositive();
                assertThat(p.message()).isNotBlank();
            }
            if (strict.problems().isEmpty()) {
                clean++;
            }
            try {
                Scrape.read(new java.io.ByteArrayInputStream(body), f, ParseMode.LENIENT, "fuzz", 0);
                clean++;
            } catch (ExpositionException e) {
                assertThat(e.problem().line()).isBetween(1, lines);
                assertThat(e.problem().column()).isPositive();
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
        return clean;
    }

    @Property(tries = 2000)
    void randomBytes(@ForAll("bytes") byte[] body) {
        parseEveryWay(body);
    }

    @Property(tries = 3000)
    void tokenSoup(@ForAll("soup") String body) {
        parseEveryWay(body.getBytes(StandardCharsets.UTF_8));
    }

    @Property(tries = 3000)
    void mutatedValidBodies(@ForAll("mutated") byte[] body) {
        parseEveryWay(body);
    }

    /**
     * A mutation loop on top of the properties: a fixed number of random edits of valid bodies from a fixed seed, so
     * that every run, on any machine at any load, tries the same bodies (a time-boxed loop tried fewer when slow).
     */
    @Example
    void thousandsOfMutations() {
        SplittableRandom random = new SplittableRandom(20261126);
        for (int run = 0; run < 3_000; run++) {
            long seed = random.nextLong();
            byte[] body = mutate(SEEDS.get(random.nextInt(SEEDS.size() - 1) == 1 ? 1 : random.nextInt(
                    SEEDS.size())), new SplittableRandom(seed));
            try {
                parseEveryWay(body);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("mutation seed " + seed + " (run " + run + ")", e);
            }
        }
    }

    @Example
    void theSeedsThemselvesAreValid() {
        assertThat(parseEveryWay(SEEDS.get(0))).isEqualTo(4); // valid OpenMetrics, and as text too (# EOF is a comment)
        assertThat(parseEveryWay(SEEDS.get(2))).isEqualTo(2); // text: both text modes
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Provide
    Arbitrary<String> soup() {
        Arbitrary<String> token = Arbitraries.of("a", "a_total", "h_bucket", "{", "}", "le", "=", "\"", "\"+Inf\"",
                "\"0.5\"", ",", " ", "\t", "\n", "# ", "# TYPE ", "# HELP ", "# UNIT ", "# EOF", "counter", "gauge",
                "histogram", "summary", "info", "stateset", "unknown", "untyped", "1", "-1", "1.5e3", "NaN", "+Inf",
                "\\", "\\n", "#", "\r", "ä", "\u0000", "1700000000", "quantile");
        return token.list().ofMaxSize(60).map(l -> String.join("", l));
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        return Arbitraries.longs().map(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            return mutate(SEEDS.get(r.nextInt(SEEDS.size())), r);
        });
    }

    static byte[] mutate(byte[] seed, SplittableRandom r) {
        List<Byte> b = new ArrayList<>(seed.length);
        for (byte x : seed) {
            b.add(x);
        }
        int edits = 1 + r.nextInt(8);
        for (int e = 0; e < edits && !b.isEmpty(); e++) {
            int pos = r.nextInt(b.size());
            switch (r.nextInt(6)) {
                case 0 -> b.add(pos, INTERESTING[r.nextInt(INTERESTING.length)]);
                case 1 -> b.remove(pos);
                case 2 -> b.set(pos, (byte) r.nextInt(256));
                case 3 -> b.set(pos, INTERESTING[r.nextInt(INTERESTING.length)]);
                case 4 -> {
                    int end = Math.min(b.size(), pos + r.nextInt(40));
                    b.addAll(r.nextInt(b.size()), new ArrayList<>(b.subList(pos, end)));
                }
                default -> {
                    int end = Math.min(b.size(), pos + r.nextInt(40));
                    b.subList(pos, end).clear();
                }
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
