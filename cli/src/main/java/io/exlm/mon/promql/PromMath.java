package io.exlm.mon.promql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Prometheus's arithmetic, ported line by line from Prometheus 2.42 ({@code promql/quantile.go} and
 * {@code promql/functions.go}) so that a figure computed here from two scrapes equals what Prometheus computes from
 * the same samples: histogram_quantile with its interpolation, +Inf handling, monotonicity fix and NaN cases;
 * counter increase and rate with resets, both the two-point kind ({@code irate}) and the extrapolated kind
 * ({@code rate}, {@code increase}).
 */
public final class PromMath {
    private PromMath() {
    }

    /** A cumulative histogram bucket: its upper bound (the le label) and its count. */
    public record Bucket(double upperBound, double count) {
    }

    /** A sample of a series: time in milliseconds, value. */
    public record Point(long millis, double value) {
    }

    /**
     * {@code histogram_quantile(q, buckets)} as Prometheus 2.42 computes it ({@code bucketQuantile}): buckets sorted
     * by bound, equal bounds merged, counts forced monotonic; NaN without a +Inf bucket, with fewer than two buckets
     * or with no observations; the lowest bound when the quantile falls into a first bucket whose bound is not
     * positive; the highest finite bound when it falls into the +Inf bucket; linear interpolation otherwise.
     */
    public static double histogramQuantile(double q, List<Bucket> input) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (input.isEmpty()) {
            return Double.NaN;
        }
        List<Bucket> sorted = new ArrayList<>(input);
        sorted.sort(Comparator.comparingDouble(Bucket::upperBound));
        if (sorted.get(sorted.size() - 1).upperBound() != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        // coalesceBuckets: one bucket per bound, counts summed
        List<double[]> buckets = new ArrayList<>();
        double[] last = null;
        for (Bucket b : sorted) {
            if (last != null && b.upperBound() == last[0]) {
                last[1] += b.count();
            } else {
                last = new double[] {b.upperBound(), b.count()};
                buckets.add(last);
            }
        }
        // ensureMonotonic
        double max = Double.NEGATIVE_INFINITY;
        for (double[] b : buckets) {
            if (b[1] > max) {
                max = b[1];
            } else if (b[1] < max) {
                b[1] = max;
            }
        }
        if (buckets.size() < 2) {
            return Double.NaN;
        }
        double observations = buckets.get(buckets.size() - 1)[1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int n = buckets.size() - 1;
        // sort.Search(n, func(i) bool { return buckets[i].count >= rank }), the same binary search
        int i = 0;
        int j = n;
        while (i < j) {
            int h = (i + j) >>> 1;
            if (!(buckets.get(h)[1] >= rank)) {
                i = h + 1;
            } else {
                j = h;
            }
        }
        int b = i;
        if (b == buckets.size() - 1) {
            return buckets.get(buckets.size() - 2)[0];
        }
        if (b == 0 && buckets.get(0)[0] <= 0) {
            return buckets.get(0)[0];
        }
        double bucketStart = 0;
        double bucketEnd = buckets.get(b)[0];
        double count = buckets.get(b)[1];
        if (b > 0) {
            bucketStart = buckets.get(b - 1)[0];
            count -= buckets.get(b - 1)[1];
            rank -= buckets.get(b - 1)[1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /**
     * The increase of a counter between two samples, as {@code irate}/{@code idelta} see it: when the value went
     * down the counter was reset, and the increase is the new value.
     */
    public static double increase(double previous, double current) {
        return current < previous ? current : current - previous;
    }

    /**
     * The per-second rate between the last two points, as {@code irate} computes it; NaN when there are fewer than
     * two points or no time between them (Prometheus then returns no sample).
     */
    public static double irate(List<Point> points) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        Point last = points.get(points.size() - 1);
        Point previous = points.get(points.size() - 2);
        double result = last.value() < previous.value() ? last.value() : last.value() - previous.value();
        long interval = last.millis() - previous.millis();
        if (interval == 0) {
            return Double.NaN;
        }
        return result / (interval / 1000.0);
    }

    /** {@code rate(x[range])} evaluated at rangeEnd, given the points the range selected. */
    public static double rate(List<Point> points, long rangeStartMillis, long rangeEndMillis) {
        return extrapolatedRate(points, rangeStartMillis, rangeEndMillis, true, true);
    }

    /** {@code increase(x[range])} evaluated at rangeEnd, given the points the range selected. */
    public static double extrapolatedIncrease(List<Point> points, long rangeStartMillis, long rangeEndMillis) {
        return extrapolatedRate(points, rangeStartMillis, rangeEndMillis, true, false);
    }

    /**
     * Prometheus's {@code extrapolatedRate}: the increase between the first and last point (resets added back),
     * extrapolated towards the range's edges (all the way when the gap is under 1.1 average intervals, else half an
     * interval; never below zero for a counter), and divided by the range for a rate. NaN for fewer than two points.
     */
    public static double extrapolatedRate(List<Point> points, long rangeStartMillis, long rangeEndMillis,
            boolean isCounter, boolean isRate) {
        if (points.size() < 2) {
            return Double.NaN;
        }
        Point first = points.get(0);
        Point last = points.get(points.size() - 1);
        double resultValue = last.value() - first.value();
        double prevValue = first.value();
        for (int k = 1; k < points.size(); k++) {
            double v = points.get(k).value();
            if (isCounter && v < prevValue) {
                resultValue += prevValue;
            }
            prevValue = v;
        }
        double durationToStart = (first.millis() - rangeStartMillis) / 1000.0;
        double durationToEnd = (rangeEndMillis - last.millis()) / 1000.0;
        double sampledInterval = (last.millis() - first.millis()) / 1000.0;
        double averageDurationBetweenSamples = sampledInterval / (points.size() - 1);
        if (isCounter && resultValue > 0 && first.value() >= 0) {
            double durationToZero = sampledInterval * (first.value() / resultValue);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        double extrapolationThreshold = averageDurationBetweenSamples * 1.1;
        double extrapolateToInterval = sampledInterval;
        if (durationToStart < extrapolationThreshold) {
            extrapolateToInterval += durationToStart;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        if (durationToEnd < extrapolationThreshold) {
            extrapolateToInterval += durationToEnd;
        } else {
            extrapolateToInterval += averageDurationBetweenSamples / 2;
        }
        resultValue = resultValue * (extrapolateToInterval / sampledInterval);
        if (isRate) {
            resultValue = resultValue / ((rangeEndMillis - rangeStartMillis) / 1000.0);
        }
        return resultValue;
    }

    /** A ratio, or NaN when the denominator is 0 (as Prometheus divides: 0/0 is NaN, x/0 is ±Inf). */
    public static double ratio(double numerator, double denominator) {
        return numerator / denominator;
    }
}
