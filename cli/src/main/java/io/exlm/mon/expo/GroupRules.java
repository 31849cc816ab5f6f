package io.exlm.mon.expo;

import static io.exlm.mon.expo.NumberSyntax.fmt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Strict rules of groups, the samples of a family that share labels save le or quantile: kept together, with
 * timestamps in order (OpenMetrics), and a histogram whole (buckets in order and cumulative, a +Inf bucket equal to
 * _count, _sum and _count together) and a summary's quantiles between 0 and 1.
 *
 * <p>In the text format a histogram or summary group may come in pieces (Prometheus accepts it, and
 * prometheus_client's multiprocess mode writes every _sum of a histogram first): each piece is kept until the
 * family ends and judged whole then. At most {@link #MAX_SAVED_GROUPS} are kept: beyond that the oldest is let go
 * of unjudged, so that memory stays bounded.
 */
final class GroupRules {
    static final int MAX_SAVED_GROUPS = 65_536;

    private final StrictRules rules;
    private final Line line;
    private final Problems problems;
    private final Families fam;
    private final SampleLine sample;

    private final Group group = new Group();
    private final LongIntMap famGroups = new LongIntMap(16);
    private final LinkedHashMap<Long, Group> famSaved = new LinkedHashMap<>();
    /** The interleaving of the current family's groups was warned about. */
    private boolean famInterleaveWarned;
    /** Groups let go of beyond {@link #MAX_SAVED_GROUPS}: not judged whole (which would report false problems). */
    private final LongIntMap famEvicted = new LongIntMap(16);
    private int famUnjudged;

    GroupRules(StrictRules rules) {
        this.rules = rules;
        this.line = rules.line;
        this.problems = rules.problems;
        this.fam = rules.fam;
        this.sample = rules.sample;
    }

    void begin() {
        famSaved.clear();
        famGroups.clear();
        group.active = false;
    }

    private boolean histogram() {
        return fam.type == MetricType.HISTOGRAM || fam.type == MetricType.GAUGEHISTOGRAM;
    }

    /**
     * The sample just read belongs to the group {@code groupKey}: a new group, one resumed, or the current one;
     * {@code skip} is the label left out of the group's description (le, quantile, the state), or -1.
     */
    void sample(long groupKey, int skip) throws ExpositionException {
        // most samples are of the group of the sample before: that test stays small enough for the JIT to inline
        // into every sample's rules, and the rest is in methods of their own
        Group g = group;
        if (!g.active || g.key != groupKey) {
            enter(groupKey, skip);
        } else if (line.om) {
            nextPoint(g);
        }
    }

    /** A sample of a group other than the last one's: a new group, or one resumed. */
    private void enter(long groupKey, int skip) throws ExpositionException {
        MetricType type = fam.type;
        // grouping: OpenMetrics wants every group together; the text format wants it of histograms and summaries
        boolean grouped = line.om || type == MetricType.HISTOGRAM || type == MetricType.SUMMARY;
        // a histogram or summary group is judged whole at its family's end, however it is cut: in the text
        // format pieces are allowed (a warning), in OpenMetrics they are a problem, but only that one
        boolean pieces = type == MetricType.HISTOGRAM || type == MetricType.SUMMARY
                || type == MetricType.GAUGEHISTOGRAM;
        if (pieces) {
            saveGroup();
        } else {
            finishGroup();
        }
        Group resumed = pieces ? famSaved.remove(groupKey) : null;
        if (grouped && famGroups.putIfAbsent(groupKey, line.no) != 0) {
            String what = "the samples of " + fam.name + sample.labelText(skip) + " are not together";
            if (line.om || !pieces) {
                problems.problem(sample.nameS, what + " (a group must not be interleaved with another)");
            } else if (!famInterleaveWarned) {
                famInterleaveWarned = true;
                problems.warning(sample.nameS, what + " (Prometheus accepts a group in pieces in the text format,"
                        + " as prometheus_client's multiprocess mode writes it; OpenMetrics does not)");
            }
        }
        if (resumed != null) {
            group.copyFrom(resumed);
        } else {
            group.active = true;
            group.key = groupKey;
            group.line = line.no;
            group.desc = null;
            group.hasTs = sample.hasTs;
            group.ts = sample.tsMillis;
            group.resetHistogram();
            group.hasQuantile = false;
            group.unjudged = pieces && famEvicted.contains(groupKey);
        }
    }

    /** Another sample of the current group, in OpenMetrics: its timestamp against the group's. */
    private void nextPoint(Group g) throws ExpositionException {
        if (sample.hasTs != g.hasTs) {
            problems.problem(sample.nameS, "some samples of a group have a timestamp and others not");
        } else if (sample.hasTs && sample.tsMillis < g.ts && fam.type != MetricType.INFO) {
            problems.problem(sample.nameS, "timestamps go backwards within a group");
        }
        g.ts = sample.tsMillis;
    }

    void histogramSample(String suffix, int leIndex, double v) throws ExpositionException {
        Group g = group;
        if (line.om && g.histStarted && sample.hasTs && sample.tsMillis != g.histTs) {
            finishHistogram(g); // another MetricPoint of the same series, at another time
            g.resetHistogram();
        }
        g.histStarted = true;
        g.histTs = sample.tsMillis;
        switch (suffix) {
            case "_bucket" -> {
                if (leIndex < 0) {
                    problems.problem(sample.nameS, "a histogram bucket needs an le label");
                    return;
                }
                int at = sample.labels.valS[leIndex];
                double bound = sample.labelNumber(leIndex);
                if (Double.isNaN(bound)) {
                    problems.problem(at, "le=\"" + sample.labelValueText(leIndex) + "\" is not a number (an upper"
                            + " bound like 0.5 or +Inf)");
                    return;
                }
                if (line.om && bound == Double.POSITIVE_INFINITY && !sample.labelValueText(leIndex).equals("+Inf")) {
                    problems.problem(at, "le=\"" + sample.labelValueText(leIndex) + "\" is written +Inf in"
                            + " OpenMetrics (the +Inf bucket is missing otherwise)");
                }
                boolean inOrder = !g.hasBucket || bound > g.lastLe;
                if (!inOrder) {
                    String m = "buckets out of order: le=\"" + sample.labelValueText(leIndex) + "\" after le=\""
                            + fmt(g.lastLe) + "\"";
                    if (line.om) {
                        problems.problem(at, m + " (buckets go up in le)");
                    } else {
                        // Prometheus sorts them when it reads them, and promtool accepts them
                        problems.warning(at, m + " (Prometheus does not mind; they usually go up in le)");
                    }
                }
                if (inOrder && v < g.lastBucket) {
                    String m = "bucket counts go down: le=\"" + sample.labelValueText(leIndex) + "\" has " + fmt(v)
                            + ", less than the " + fmt(g.lastBucket) + " of the bucket before";
                    if (line.om) {
                        problems.problem(sample.valuePos(), m + " (buckets are cumulative)");
                    } else {
                        problems.warning(sample.valuePos(), m + " (buckets are cumulative; Prometheus stores them,"
                                + " and histogram_quantile evens them out)");
                    }
                }
                rules.counterLike(v, line.om);
                if (bound < 0) {
                    g.negativeBucket = true;
                }
                g.hasBucket = true;
                g.lastLe = bound;
                g.lastBucket = v;
                if (bound == Double.POSITIVE_INFINITY) {
                    g.hasInf = true;
                    g.infValue = v;
                }
                if (g.desc == null) {
                    g.desc = fam.name + sample.labelText(leIndex);
                }
            }
            case "_count", "_gcount" -> {
                rules.counterLike(v, line.om);
                g.hasCount = true;
                g.count = v;
            }
            case "_sum" -> {
                g.hasSum = true;
                if (line.om) {
                    rules.counterLike(v, false);
                }
            }
            case "_gsum" -> {
                g.hasGsum = true;
                if (Double.isNaN(v)) {
                    problems.problem(sample.valuePos(), "_gsum cannot be NaN");
                }
                if (v < 0) {
                    g.negativeGsum = true;
                }
            }
            default -> {
                return;
            }
        }
        if (g.desc == null) {
            g.desc = fam.name + sample.labelText(-1);
        }
    }

    void summaryQuantile(int quantileIndex, double v) throws ExpositionException {
        if (quantileIndex < 0) {
            problems.problem(sample.nameS, "a summary quantile sample needs a quantile label");
            return;
        }
        int at = sample.labels.valS[quantileIndex];
        double q = sample.labelNumber(quantileIndex);
        if (Double.isNaN(q) || q < 0 || q > 1) {
            String message = "quantile=\"" + sample.labelValueText(quantileIndex) + "\" is not a number between 0"
                    + " and 1";
            if (line.om) {
                problems.problem(at, message); // the OpenMetrics specification forbids it
            } else {
                // Prometheus ingests it and promtool accepts it (redis_exporter writes percentiles as 50 and 99.9)
                problems.warning(at, message + " (Prometheus stores it as it is, but tools that read quantiles as"
                        + " fractions will not understand it)");
            }
            return;
        }
        if (!line.om && group.hasQuantile && q <= group.lastQuantile) {
            problems.warning(at, "quantiles out of order: " + sample.labelValueText(quantileIndex) + " after "
                    + fmt(group.lastQuantile) + " (Prometheus does not mind; they usually go up)");
        }
        if (line.om && v < 0) {
            problems.problem(sample.valuePos(), "a quantile's value cannot be negative (" + fmt(v) + ")");
        }
        group.hasQuantile = true;
        group.lastQuantile = q;
    }

    private void finishGroup() throws ExpositionException {
        if (group.active && histogram()) {
            finishHistogram(group);
        }
        group.active = false;
    }

    /** The text line.format: the current group is kept, to be judged when its family ends (it may go on later). */
    private void saveGroup() throws ExpositionException {
        if (!group.active) {
            return;
        }
        if (group.unjudged) {
            group.active = false; // never judged: nothing to keep
            return;
        }
        if (famSaved.size() >= MAX_SAVED_GROUPS) {
            boolean histogram = histogram();
            if (!histogram || group.hasInf && !group.unjudged) {
                // nothing to judge at the family's end (a summary), or a histogram that looks whole: judged now,
                // and a later piece of it, if any, is not judged again on its own
                if (histogram) {
                    finishHistogram(group);
                }
                famEvicted.putIfAbsent(group.key, group.line);
                group.active = false;
                return;
            }
            Iterator<Group> oldest = famSaved.values().iterator();
            Group g = oldest.next();
            oldest.remove();
            if (!g.unjudged) {
                famEvicted.putIfAbsent(g.key, g.line);
                famUnjudged++;
            }
        }
        famSaved.put(group.key, group.copy());
        group.active = false;
    }

    /** The end of a family: its current group and those kept are judged, in body order. */
    void finishFamily() throws ExpositionException {
        finishSavedGroups();
        if (famUnjudged > 0) {
            problems.warning(fam.firstLine, 1, famUnjudged + " groups of " + fam.name + " were not checked as a"
                    + " whole: more than " + MAX_SAVED_GROUPS + " groups came between the pieces of each");
        }
        famUnjudged = 0;
        famEvicted.clear();
        famInterleaveWarned = false;
        famGroups.clear();
    }

    private void finishSavedGroups() throws ExpositionException {
        if (famSaved.isEmpty()) {
            finishGroup();
            return;
        }
        if (group.active) {
            famSaved.put(group.key, group.copy());
            group.active = false;
        }
        List<Group> all = new ArrayList<>(famSaved.values());
        famSaved.clear();
        all.sort(Comparator.comparingInt(g -> g.line));
        if (histogram()) {
            for (Group g : all) {
                finishHistogram(g);
            }
        }
    }

    private void finishHistogram(Group g) throws ExpositionException {
        if (!g.histStarted || g.unjudged) {
            return;
        }
        String what = g.desc == null ? fam.name : g.desc;
        if (!g.hasInf) {
            problems.report(g.line, 1, "histogram " + what + " has no le=\"+Inf\" bucket (every histogram needs"
                    + " one)");
        } else if (g.hasCount && g.count != g.infValue) {
            problems.report(g.line, 1, "histogram " + what + ": _count " + fmt(g.count) + " differs from the +Inf"
                    + " bucket's " + fmt(g.infValue) + " (they must be equal)");
        }
        if (line.om) {
            if (g.hasSum && !g.hasCount) {
                problems.report(g.line, 1, "histogram " + what + " has _sum but no _count (both or neither)");
            }
            if (g.hasGsum && !g.hasCount) {
                problems.report(g.line, 1, "gauge histogram " + what + " has _gsum but no _gcount (both or"
                        + " neither)");
            }
            if (g.hasCount && !g.hasSum && !g.hasGsum) {
                problems.report(g.line, 1, "histogram " + what + " has a count but no sum (both or neither)");
            }
            if (g.negativeBucket && g.hasSum) {
                problems.report(g.line, 1, "histogram " + what + " has negative buckets, so it cannot have _sum");
            }
            if (!g.negativeBucket && g.negativeGsum) {
                problems.report(g.line, 1, "gauge histogram " + what + " has a negative _gsum but no negative"
                        + " buckets");
            }
        }
        g.histStarted = false;
    }

    /** The state of a group, the current one or a piece kept. */
    private static final class Group {
        boolean active;
        long key;
        int line;
        String desc;
        boolean hasTs;
        long ts;
        // histogram
        boolean histStarted;
        long histTs;
        boolean hasBucket;
        double lastLe;
        double lastBucket;
        boolean hasInf;
        double infValue;
        boolean hasCount;
        double count;
        boolean hasSum;
        boolean hasGsum;
        boolean negativeBucket;
        boolean negativeGsum;
        // summary
        boolean hasQuantile;
        double lastQuantile;
        /** Seen in pieces too far apart to keep: its histogram rules are not checked. */
        boolean unjudged;

        Group copy() {
            Group g = new Group();
            g.copyFrom(this);
            return g;
        }

        void copyFrom(Group o) {
            active = o.active;
            key = o.key;
            line = o.line;
            desc = o.desc;
            hasTs = o.hasTs;
            ts = o.ts;
            histStarted = o.histStarted;
            histTs = o.histTs;
            hasBucket = o.hasBucket;
            lastLe = o.lastLe;
            lastBucket = o.lastBucket;
            hasInf = o.hasInf;
            infValue = o.infValue;
            hasCount = o.hasCount;
            count = o.count;
            hasSum = o.hasSum;
            hasGsum = o.hasGsum;
            negativeBucket = o.negativeBucket;
            negativeGsum = o.negativeGsum;
            hasQuantile = o.hasQuantile;
            lastQuantile = o.lastQuantile;
            unjudged = o.unjudged;
        }

        void resetHistogram() {
            histStarted = false;
            hasBucket = false;
            lastLe = Double.NEGATIVE_INFINITY;
            lastBucket = Double.NEGATIVE_INFINITY;
            hasInf = false;
            hasCount = false;
            hasSum = false;
            hasGsum = false;
            negativeBucket = false;
            negativeGsum = false;
        }
    }
}
