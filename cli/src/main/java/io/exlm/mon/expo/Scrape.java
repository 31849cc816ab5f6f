package io.exlm.mon.expo;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One parsed body, immutable and safe to keep (the dashboard keeps the previous one to compute rates): its families
 * in body order, an index by sample name, where it came from, its format and when it was taken.
 */
public final class Scrape {
    private final String source;
    private final ExpositionFormat format;
    private final long timeMillis;
    private final List<MetricFamily> families;
    private final Map<String, MetricFamily> byFamily;
    private final Map<String, List<Sample>> bySample;
    private final Map<String, MetricFamily> familyOfSample;
    private final Set<String> skipped;
    private final int sampleCount;

    private Scrape(String source, ExpositionFormat format, long timeMillis, List<MetricFamily> families,
            Set<String> skipped) {
        this.source = source;
        this.skipped = skipped;
        this.format = format;
        this.timeMillis = timeMillis;
        this.families = List.copyOf(families);
        Map<String, MetricFamily> f = new HashMap<>();
        Map<String, List<Sample>> s = new HashMap<>();
        Map<String, MetricFamily> fs = new HashMap<>();
        int n = 0;
        for (MetricFamily mf : this.families) {
            f.putIfAbsent(mf.name(), mf);
            for (Sample sample : mf.samples()) {
                fs.putIfAbsent(sample.name(), mf);
                s.computeIfAbsent(sample.name(), k -> new ArrayList<>()).add(sample);
                n++;
            }
        }
        s.replaceAll((k, v) -> List.copyOf(v));
        this.byFamily = Collections.unmodifiableMap(f);
        this.bySample = Collections.unmodifiableMap(s);
        this.familyOfSample = Collections.unmodifiableMap(fs);
        this.sampleCount = n;
    }

    /** Parses a body (not closing the stream) into a scrape taken at the given time. */
    public static Scrape read(InputStream in, ExpositionFormat format, ParseMode mode, String source, long timeMillis)
            throws IOException, ExpositionException {
        return read(in, format, mode, source, timeMillis, name -> true);
    }

    /**
     * Parses a body keeping only the samples whose names pass the filter; the names of the others are remembered
     * (up to {@value Builder#MAX_SKIPPED_NAMES}), so that {@link #names()} can still suggest near names.
     */
    public static Scrape read(InputStream in, ExpositionFormat format, ParseMode mode, String source, long timeMillis,
            Predicate<String> keep) throws IOException, ExpositionException {
        return read(in, format, mode, source, timeMillis, keep, null);
    }

    /**
     * The same, keeping at most what the limits allow (null: no limit): past them the parse ends with
     * {@link io.exlm.mon.config.AnswerLimits.Exceeded}, before the samples fill the heap.
     */
    public static Scrape read(InputStream in, ExpositionFormat format, ParseMode mode, String source, long timeMillis,
            Predicate<String> keep, io.exlm.mon.config.AnswerLimits limits) throws IOException, ExpositionException {
        Builder builder = new Builder(keep, limits);
        new ExpositionParser(format, mode, source).parse(in, builder);
        return builder.build(source, format, timeMillis);
    }

    public static Scrape read(byte[] body, ExpositionFormat format, ParseMode mode, String source, long timeMillis)
            throws ExpositionException {
        Builder builder = new Builder();
        new ExpositionParser(format, mode, source).parse(body, builder);
        return builder.build(source, format, timeMillis);
    }

    /** The same samples, as taken at another time (for bodies read from files, whose time the caller knows). */
    public Scrape at(long millis) {
        return new Scrape(source, format, millis, families, skipped);
    }

    /** Where the body came from: a URL, a file name, or "-" for stdin. */
    public String source() {
        return source;
    }

    public ExpositionFormat format() {
        return format;
    }

    /** When it was taken, in milliseconds since the epoch (or relative, for files). */
    public long timeMillis() {
        return timeMillis;
    }

    public List<MetricFamily> families() {
        return families;
    }

    /** The family of that name, or null. */
    public MetricFamily family(String name) {
        return byFamily.get(name);
    }

    /** Every sample with that exact name (e.g. {@code http_requests_total}), in body order; empty when none. */
    public List<Sample> samples(String sampleName) {
        return bySample.getOrDefault(sampleName, List.of());
    }

    /** The family a sample name belongs to (e.g. the histogram of a _bucket), or null. */
    public MetricFamily familyOf(String sampleName) {
        return familyOfSample.get(sampleName);
    }

    public Set<String> sampleNames() {
        return bySample.keySet();
    }

    /** Every sample and family name the body had, kept or not (for near-name suggestions). */
    public Set<String> names() {
        Set<String> all = new java.util.LinkedHashSet<>(bySample.keySet());
        all.addAll(byFamily.keySet());
        all.addAll(skipped);
        return all;
    }

    public int sampleCount() {
        return sampleCount;
    }

    /** Collects what a parser reports into families. */
    public static final class Builder implements ExpositionHandler {
        private static final class FamilyBuilder {
            final String name;
            MetricType type = MetricType.UNKNOWN;
            String help = "";
            String unit = "";
            final List<Sample> samples = new ArrayList<>();

            FamilyBuilder(String name) {
                this.name = name;
            }
        }

        static final int MAX_SKIPPED_NAMES = 100_000;

        private final Map<String, FamilyBuilder> families = new LinkedHashMap<>();
        private final Predicate<String> keep;
        private final Set<String> skipped = new java.util.LinkedHashSet<>();
        private final io.exlm.mon.config.AnswerLimits.Budget budget;
        private FamilyBuilder current;

        public Builder() {
            this(name -> true);
        }

        public Builder(Predicate<String> keep) {
            this(keep, null);
        }

        /** Keeping what passes the filter, within the limits (null: none). */
        public Builder(Predicate<String> keep, io.exlm.mon.config.AnswerLimits limits) {
            this.keep = keep;
            this.budget = limits == null ? null : limits.budget();
        }

        private FamilyBuilder family(String name) {
            if (current == null || !current.name.equals(name)) {
                current = families.computeIfAbsent(name, FamilyBuilder::new);
            }
            return current;
        }

        @Override
        public void metadata(Metadata kind, String family, String text) {
            FamilyBuilder f = family(family);
            switch (kind) {
                case HELP -> f.help = text;
                case UNIT -> f.unit = text;
                default -> {
                    MetricType t = MetricType.fromWord(text, ExpositionFormat.OPENMETRICS);
                    f.type = t != null ? t : text.equals("untyped") ? MetricType.UNKNOWN : f.type;
                }
            }
        }

        @Override
        public void sample(SampleView s) {
            String name = s.name();
            if (!keep.test(name)) {
                if (skipped.size() < MAX_SKIPPED_NAMES) {
                    skipped.add(name);
                }
                return;
            }
            if (budget != null) {
                budget.series();
            }
            FamilyBuilder f = family(s.family());
            f.type = s.type();
            int n = s.labelCount();
            Labels labels;
            if (n == 0) {
                labels = Labels.EMPTY;
            } else {
                String[] names = new String[n];
                String[] values = new String[n];
                long bytes = 0;
                for (int i = 0; i < n; i++) {
                    names[i] = s.labelName(i);
                    values[i] = s.labelValue(i);
                    bytes += names[i].length() + values[i].length();
                }
                if (budget != null) {
                    budget.labelBytes(bytes);
                }
                labels = Labels.of(names, values);
            }
            f.samples.add(new Sample(name, labels, s.value(), s.hasTimestamp(), s.timestampMillis(),
                    s.exemplar()));
        }

        public Scrape build(String source, ExpositionFormat format, long timeMillis) {
            List<MetricFamily> out = new ArrayList<>(families.size());
            for (FamilyBuilder f : families.values()) {
                if (!f.samples.isEmpty() || keep.test(f.name)) {
                    out.add(new MetricFamily(f.name, f.type, f.help, f.unit, f.samples));
                }
            }
            return new Scrape(source, format, timeMillis, out, Set.copyOf(skipped));
        }
    }
}
