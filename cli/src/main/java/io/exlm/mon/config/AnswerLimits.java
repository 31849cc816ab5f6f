package io.exlm.mon.config;

/**
 * What one answer may hold once parsed, on top of its size in bytes ({@code --max-body}): a body well within the byte
 * cap can still be a million series, and a million parsed series do not fit a small heap. Scrapes, files and
 * Prometheus API answers are all held to these; a larger one ends with one line naming the cap and its option.
 *
 * @param maxSeries     series (sample lines of a scrape, series of a query answer) kept from one answer
 * @param maxLabelBytes bytes of label names and values kept from one answer (and of strings in a JSON answer)
 */
public record AnswerLimits(long maxSeries, long maxLabelBytes) {
    public static final long DEFAULT_MAX_SERIES = 100_000;
    public static final long DEFAULT_MAX_LABEL_BYTES = 16L << 20;
    /** Points of a range answer, all series together: a series of a day at 15 s steps is 5,760 of them. */
    public static final long POINTS_PER_SERIES = 10;
    public static final AnswerLimits DEFAULT = new AnswerLimits(DEFAULT_MAX_SERIES, DEFAULT_MAX_LABEL_BYTES);

    public AnswerLimits {
        if (maxSeries < 1 || maxLabelBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The points a range answer may hold in all. */
    public long maxPoints() {
        return maxSeries > Long.MAX_VALUE / POINTS_PER_SERIES ? Long.MAX_VALUE : maxSeries * POINTS_PER_SERIES;
    }

    /** An answer over one of the limits: unchecked, so that a parser's handler can end the parse with it. */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded(String message) {
            super(message, null, false, false);
        }
    }

    /** Over the series cap. */
    public Exceeded tooManySeries() {
        return new Exceeded("more than " + grouped(maxSeries) + " series (the --max-series cap); is it the right"
                + " endpoint or file? raise --max-series if it is");
    }

    /** Over the points cap of a range answer. */
    public Exceeded tooManyPoints() {
        return new Exceeded("more than " + grouped(maxPoints()) + " points (" + POINTS_PER_SERIES + " per series of"
                + " the --max-series cap); narrow the range, or raise --max-series");
    }

    /** Over the label-bytes cap. */
    public Exceeded tooManyLabelBytes() {
        return new Exceeded("more than " + ByteSizes.format(maxLabelBytes) + " of label names and"
                + " values (the --max-label-bytes cap); is it the right endpoint or file? raise --max-label-bytes if"
                + " it is");
    }

    /** Over the values cap of a JSON answer (its objects, arrays, strings and numbers). */
    public Exceeded tooManyValues() {
        return new Exceeded("more than " + grouped(maxPoints()) + " JSON values (" + POINTS_PER_SERIES + " per series"
                + " of the --max-series cap); is it the right endpoint? raise --max-series if it is");
    }

    /** 100000 as 100,000: a cap is read at a glance. */
    private static String grouped(long n) {
        return String.format(java.util.Locale.ROOT, "%,d", n);
    }

    /** Counts what one answer keeps, throwing {@link Exceeded} at the first cap it passes. */
    public Budget budget() {
        return new Budget(this);
    }

    /**
     * The running count of one answer, or of several read at once that share it (the Prometheus source's frame): its
     * counts are thread-safe.
     */
    public static final class Budget {
        private final AnswerLimits limits;
        private long series;
        private long points;
        private long labelBytes;
        private long values;

        Budget(AnswerLimits limits) {
            this.limits = limits;
        }

        public synchronized void series() {
            if (++series > limits.maxSeries) {
                throw limits.tooManySeries();
            }
        }

        public synchronized void points(long n) {
            points += n;
            if (points > limits.maxPoints()) {
                throw limits.tooManyPoints();
            }
        }

        public synchronized void value() {
            if (++values > limits.maxPoints()) {
                throw limits.tooManyValues();
            }
        }

        public synchronized void labelBytes(long n) {
            labelBytes += n;
            if (labelBytes > limits.maxLabelBytes) {
                throw limits.tooManyLabelBytes();
            }
        }
    }
}
