package io.exlm.mon.bench;

import io.exlm.mon.expo.ExpositionException;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ExpositionHandler;
import io.exlm.mon.expo.ExpositionParser;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.SampleView;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.testing.Expositions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse throughput and allocation of the exposition parser. Each operation parses one whole body through the
 * streaming path (an InputStream read in blocks). {@code parse} hands every sample to a handler that reads its name
 * and value (what a scrape that keeps a few metrics does); {@code parseLabels} also reads every label name and value;
 * {@code parseReused} does that with one parser kept across operations; {@code scrape} builds the whole kept model ({@link Scrape}). scripts/bench turns the results into MB/s and bytes
 * allocated per sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class ParseBenchmark {
    /** {@code generated}: 75,000 samples with histograms, 7.2 MB; {@code node_exporter}: a real capture. */
    @Param({"generated", "node_exporter"})
    public String body;

    @Param({"LENIENT", "STRICT"})
    public ParseMode mode;

    byte[] bytes;
    ExpositionParser reused;

    @Setup(Level.Trial)
    public void load() throws IOException {
        if (body.equals("generated")) {
            bytes = Expositions.generate(75_000, 42);
        } else {
            try (InputStream in = Expositions.class.getResourceAsStream("/io/exlm/mon/expo/node-exporter.txt")) {
                bytes = in.readAllBytes();
            }
        }
        reused = new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, mode, body);
    }

    /** The same parser for every body, as a dashboard scraping every second uses it. */
    @Benchmark
    public long parseReused(Blackhole bh) throws IOException, ExpositionException {
        Sink sink = new Sink(bh, true);
        reused.parse(new ByteArrayInputStream(bytes), sink);
        return sink.samples;
    }

    @Benchmark
    public long parse(Blackhole bh) throws IOException, ExpositionException {
        Sink sink = new Sink(bh, false);
        new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, mode, body).parse(new ByteArrayInputStream(bytes), sink);
        return sink.samples;
    }

    @Benchmark
    public long parseLabels(Blackhole bh) throws IOException, ExpositionException {
        Sink sink = new Sink(bh, true);
        new ExpositionParser(ExpositionFormat.PROMETHEUS_TEXT, mode, body).parse(new ByteArrayInputStream(bytes), sink);
        return sink.samples;
    }

    @Benchmark
    public Scrape scrape() throws IOException, ExpositionException {
        return Scrape.read(new ByteArrayInputStream(bytes), ExpositionFormat.PROMETHEUS_TEXT, mode, body, 0);
    }

    static final class Sink implements ExpositionHandler {
        final Blackhole bh;
        final boolean labels;
        long samples;

        Sink(Blackhole bh, boolean labels) {
            this.bh = bh;
            this.labels = labels;
        }

        @Override
        public void sample(SampleView s) {
            samples++;
            bh.consume(s.name());
            bh.consume(s.value());
            if (labels) {
                for (int i = 0; i < s.labelCount(); i++) {
                    bh.consume(s.labelName(i));
                    bh.consume(s.labelValue(i));
                }
            }
        }
    }
}
