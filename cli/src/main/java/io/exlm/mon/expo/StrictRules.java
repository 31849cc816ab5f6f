package io.exlm.mon.expo;

import static io.exlm.mon.expo.NumberSyntax.fmt;

import java.util.Arrays;

/**
 * The rules of the specifications beyond the grammar, checked in strict mode only: a family declared once and kept
 * together, sample names that clash with other families', series once, reserved label names, the values each type
 * allows, exemplars where they belong. What is remembered of earlier families and series is hashes and line numbers
 * only. The rules of groups (a histogram's buckets, a summary's quantiles) are {@link GroupRules}.
 */
final class StrictRules {
    final Line line;
    final Problems problems;
    final Families fam;
    final SampleLine sample;
    private final GroupRules groups;

    private final LongIntMap closedFamilies = new LongIntMap(64);
    private final LongIntMap closedSampleNames = new LongIntMap(64);
    private final LongIntMap famSampleNames = new LongIntMap(16);
    private final LongIntMap seriesLines = new LongIntMap(1024);
    private long famHash64;
    /** The current family was declared again after its samples; said once. */
    private boolean famRedeclared;

    StrictRules(Line line, Problems problems, Families fam, SampleLine sample) {
        this.line = line;
        this.problems = problems;
        this.fam = fam;
        this.sample = sample;
        this.groups = new GroupRules(this);
    }

    void begin() {
        closedFamilies.clear();
        closedSampleNames.clear();
        famSampleNames.clear();
        seriesLines.clear();
        groups.begin();
    }

    /** A metadata line of the current family, which was declared before. */
    void declaredAgain(ExpositionHandler.Metadata kind) throws ExpositionException {
        String what = "# " + kind + " line for " + fam.name;
        boolean again = kind == ExpositionHandler.Metadata.HELP && fam.help
                || kind == ExpositionHandler.Metadata.TYPE && fam.typeSeen;
        if (fam.hasSamples && !again) {
            problems.problem(line.ls, what + " after its samples (metadata comes before a family's samples)");
        } else if (fam.hasSamples) {
            if (!famRedeclared) {
                famRedeclared = true;
                problems.problem(line.ls, fam.name + " is declared a second time, after its samples: two metric"
                        + " families share this name" + (line.om ? " (in OpenMetrics a counter's family name drops"
                        + " _total, so a counter " + fam.name + "_total clashes with a gauge " + fam.name + ")" : "")
                        + "; each family is declared once, before its samples");
            }
        } else if (again || kind == ExpositionHandler.Metadata.UNIT && fam.unit) {
            problems.problem(line.ls, "second " + what + " (only one is allowed)");
        }
    }

    /** A family begins, named b[ns, ne): has it been seen before, or a sample name like it? */
    void familyStarted(int ns, int ne) throws ExpositionException {
        famRedeclared = false;
        famHash64 = Strings.hash64(line.b, ns, ne);
        int first = closedFamilies.get(famHash64);
        if (first != 0) {
            problems.problem(ns, "metric family " + fam.name + " appears again (first at line " + first + "); all"
                    + " lines of a family must be together");
        } else if (closedSampleNames.contains(famHash64)) {
            problems.problem(ns, "metric family " + fam.name + " clashes with a sample name of an earlier family");
        }
    }

    /** A typed family whose samples would be named like an earlier family (a counter a after a gauge a_created). */
    void typedClash(int at) throws ExpositionException {
        for (String suffix : fam.suffixNames) {
            if (!suffix.isEmpty()) {
                int first = closedFamilies.get(suffixedHash(suffix));
                if (first != 0) {
                    problems.problem(at, "a " + fam.type.word(line.format) + " family " + fam.name + " has samples"
                            + " named " + fam.name + suffix + ", the name of an earlier family (line " + first + ")");
                    return;
                }
            }
        }
    }

    /** The hash of the current family's name with a suffix, as a sample name's hash is made. */
    private long suffixedHash(String suffix) {
        byte[] name = Arrays.copyOf(fam.nameBytes, fam.len + suffix.length());
        for (int i = 0; i < suffix.length(); i++) {
            name[fam.len + i] = (byte) suffix.charAt(i);
        }
        return Strings.hash64(name, 0, name.length);
    }

    /** The current family ends (another begins, or the body): its groups are judged, its names remembered. */
    void finishFamily() throws ExpositionException {
        if (fam.len < 0) {
            return;
        }
        groups.finishFamily();
        if (line.om && fam.unit && (fam.type == MetricType.INFO || fam.type == MetricType.STATESET)) {
            problems.report(fam.firstLine, 1, "an " + fam.type.word(line.format) + " family cannot have a unit ("
                    + fam.name + ")");
        }
        closedFamilies.putIfAbsent(famHash64, fam.firstLine);
        closedSampleNames.putAll(famSampleNames);
        // the names its samples would have are taken too, samples or not: a later family a_created clashes with a
        // counter a that has none
        for (String suffix : fam.suffixNames) {
            if (!suffix.isEmpty()) {
                closedSampleNames.putIfAbsent(suffixedHash(suffix), fam.firstLine);
            }
        }
        famSampleNames.clear();
        fam.len = -1;
    }

    /** The sample just read, of the current family, with the suffix at {@code suffixIndex} of its type's. */
    void sample(int suffixIndex) throws ExpositionException {
        byte[] b = line.b;
        SampleLine.Spans labels = sample.labels;
        MetricType type = fam.type;
        String suffix = suffixIndex >= 0 ? fam.suffixNames.get(suffixIndex) : "";
        if (suffixIndex < 0) {
            problems.problem(sample.nameS, "a " + type.word(line.format) + " family's samples are named " + fam.name
                    + " with " + String.join(", ", fam.suffixNames.stream().map(s -> s.isEmpty() ? "no suffix" : s)
                    .toList()) + (line.om ? " in OpenMetrics" : "") + ", not " + fam.name);
        }
        long nameKey = Strings.hash64(b, sample.nameS, sample.nameE);
        if (closedSampleNames.contains(nameKey)) {
            problems.problem(sample.nameS, "sample name " + sample.name() + " clashes with a sample or family of an"
                    + " earlier family");
        }
        famSampleNames.putIfAbsent(nameKey, line.no);

        // labels: reserved names, and a key for the series and one for its group
        long seriesKey = nameKey * 0x9E3779B97F4A7C15L;
        long groupKey = famHash64;
        int leIndex = -1;
        int quantileIndex = -1;
        int stateIndex = -1;
        // what the loop reads, in locals: the calls below would make the JIT load each field again on every label
        boolean om = line.om;
        int n = labels.n;
        int[] nameS = labels.nameS;
        int[] nameE = labels.nameE;
        int[] valS = labels.valS;
        int[] valE = labels.valE;
        boolean leGroups = (type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM)
                && suffix.equals("_bucket");
        boolean quantileGroups = type == MetricType.SUMMARY && suffix.isEmpty();
        for (int i = 0; i < n; i++) {
            int s = nameS[i];
            int e = nameE[i];
            if (om ? b[s] == '_' : e - s >= 2 && b[s] == '_' && b[s + 1] == '_') {
                problems.problem(s, "label name " + line.ascii(s, e) + " is reserved"
                        + (om ? " (names starting with '_' are reserved in OpenMetrics)"
                        : " (names starting with '__' are reserved for internal use)"));
            }
            long pair = Strings.mix(Strings.hash64(b, s, e) * 31 + Strings.hash64(b, valS[i], valE[i]));
            seriesKey += pair;
            boolean grouping = true;
            if (leGroups && line.equalsAscii(s, e, "le")) {
                leIndex = i;
                grouping = false;
            } else if (quantileGroups && line.equalsAscii(s, e, "quantile")) {
                quantileIndex = i;
                grouping = false;
            } else if (type == MetricType.STATESET && e - s == fam.len
                    && Arrays.equals(b, s, e, fam.nameBytes, 0, fam.len)) {
                stateIndex = i;
                grouping = false;
            }
            if (grouping) {
                groupKey += pair;
            }
        }
        // in OpenMetrics a series may have several MetricPoints, each with a timestamp (in order, checked with its
        // group below); without timestamps it is once per exposition
        int first = line.om && sample.hasTs ? 0 : seriesLines.putIfAbsent(seriesKey, line.no);
        if (first != 0) {
            problems.problem(sample.nameS, "duplicate series " + sample.name() + sample.labelText(-1) + " (first at"
                    + " line " + first + ")");
        }
        groups.sample(groupKey, leIndex >= 0 ? leIndex : quantileIndex >= 0 ? quantileIndex : stateIndex);

        double v = sample.value;
        switch (type) {
            case COUNTER -> {
                if (!line.om || suffix.equals("_total")) {
                    counterLike(v, false);
                }
            }
            case HISTOGRAM, GAUGEHISTOGRAM -> groups.histogramSample(suffix, leIndex, v);
            case SUMMARY -> {
                if (suffix.isEmpty() && suffixIndex >= 0) {
                    groups.summaryQuantile(quantileIndex, v);
                } else if (suffix.equals("_count")) {
                    counterLike(v, line.om);
                } else if (suffix.equals("_sum") && line.om) {
                    counterLike(v, false);
                }
            }
            case INFO -> {
                if (v != 1) {
                    problems.problem(sample.valuePos(), "an info sample's value must be 1, not " + fmt(v));
                }
            }
            case STATESET -> {
                if (stateIndex < 0) {
                    problems.problem(sample.nameS, "a stateset sample needs a label named " + fam.name);
                }
                if (v != 0 && v != 1) {
                    problems.problem(sample.valuePos(), "a stateset sample's value must be 0 or 1, not " + fmt(v));
                }
            }
            default -> {
            }
        }
        if (sample.hasExemplar) {
            exemplar(type, suffix);
        }
    }

    private void exemplar(MetricType type, String suffix) throws ExpositionException {
        boolean allowed = type == MetricType.COUNTER && suffix.equals("_total")
                || (type == MetricType.HISTOGRAM || type == MetricType.GAUGEHISTOGRAM) && suffix.equals("_bucket");
        if (!allowed) {
            problems.problem(sample.exPos, "exemplars are allowed only on counter _total samples and histogram"
                    + " buckets");
        }
        SampleLine.Spans ex = sample.exLabels;
        int chars = 0;
        for (int i = 0; i < ex.n; i++) {
            chars += Utf8.codePoints(line.b, ex.nameS[i], ex.nameE[i]);
            chars += Utf8.codePoints(line.b, ex.valS[i], ex.valE[i]);
        }
        if (chars > 128) {
            problems.problem(sample.exPos, "the exemplar's labels are " + chars + " characters long; at most 128 are"
                    + " allowed");
        }
    }

    /** A counter's value, or a value counted like one (a bucket, a _count): not NaN, not negative, maybe whole. */
    void counterLike(double v, boolean integer) throws ExpositionException {
        // a count that is fine, the common case, decided here; the messages are built in a method of their own, so
        // that this one stays small enough for the JIT to inline into every sample's rules
        if (v >= 0 && !(integer && v != Math.rint(v) && !Double.isInfinite(v))) {
            return;
        }
        counterProblem(v, integer);
    }

    private void counterProblem(double v, boolean integer) throws ExpositionException {
        if (Double.isNaN(v)) {
            if (line.om) {
                problems.problem(sample.valuePos(), "value " + sample.name() + " is NaN; counter-like values cannot"
                        + " be NaN");
            } else {
                // Prometheus ingests it (postgres_exporter writes pg_stat_database_stats_reset NaN before a reset)
                problems.warning(sample.valuePos(), "a counter's value " + sample.name() + " is NaN (Prometheus"
                        + " stores it; rate() of it is NaN, and OpenMetrics forbids it)");
            }
        } else if (v < 0) {
            if (line.om) {
                problems.problem(sample.valuePos(), "value of " + sample.name() + " is negative (" + fmt(v) + ");"
                        + " counter-like values cannot be negative");
            } else {
                problems.warning(sample.valuePos(), "a counter's value " + sample.name() + " is negative (" + fmt(v)
                        + "; Prometheus stores it, but a counter only goes up from zero, and OpenMetrics forbids it)");
            }
        } else if (integer && v != Math.rint(v) && !Double.isInfinite(v)) {
            problems.problem(sample.valuePos(), "value of " + sample.name() + " must be an integer, not " + fmt(v));
        }
    }
}
