package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exlm.mon.promql.PromMath.Bucket;
import io.exlm.mon.promql.PromMath.Point;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus's functions, on cases whose answers follow from Prometheus's code and are worked out by hand. */
class PromMathTest {
    private static final double INF = Double.POSITIVE_INFINITY;

    private static List<Bucket> b(double... pairs) {
        Bucket[] out = new Bucket[pairs.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Bucket(pairs[2 * i], pairs[2 * i + 1]);
        }
        return List.of(out);
    }

    @Test
    void interpolatesLinearlyWithinTheBucket() {
        // 100 observations: 10 <= 0.1, 60 <= 0.5, 90 <= 1, 100 <= +Inf
        List<Bucket> h = b(0.1, 10, 0.5, 60, 1, 90, INF, 100);
        // rank 50 falls in (0.1, 0.5]: 0.1 + 0.4 * (50 - 10) / 50
        assertThat(PromMath.histogramQuantile(0.5, h)).isCloseTo(0.1 + 0.4 * 40 / 50, within(1e-15));
        // rank 95 falls in the +Inf bucket: the highest finite bound
        assertThat(PromMath.histogramQuantile(0.95, h)).isEqualTo(1.0);
        // the first bucket starts at 0
        assertThat(PromMath.histogramQuantile(0.05, h)).isCloseTo(0.1 * 5 / 10, within(1e-15));
    }

    @Test
    void orderOfBucketsDoesNotMatterAndEqualBoundsAreMerged() {
        assertThat(PromMath.histogramQuantile(0.5, b(INF, 100, 1, 90, 0.1, 10, 0.5, 30, 0.5, 30)))
                .isEqualTo(PromMath.histogramQuantile(0.5, b(0.1, 10, 0.5, 60, 1, 90, INF, 100)));
    }

    @Test
    void nanCasesAsPrometheus() {
        assertThat(PromMath.histogramQuantile(0.5, b(0.1, 1, 1, 2))).as("no +Inf bucket").isNaN();
        assertThat(PromMath.histogramQuantile(0.5, b(INF, 5))).as("fewer than two buckets").isNaN();
        assertThat(PromMath.histogramQuantile(0.5, b(1, 0, INF, 0))).as("no observations").isNaN();
        assertThat(PromMath.histogramQuantile(Double.NaN, b(1, 1, INF, 1))).isNaN();
        assertThat(PromMath.histogramQuantile(0.5, List.of())).isNaN();
    }

    @Test
    void quantilesOutsideZeroToOne() {
        assertThat(PromMath.histogramQuantile(-0.1, b(1, 1, INF, 1))).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(PromMath.histogramQuantile(1.1, b(1, 1, INF, 1))).isEqualTo(INF);
    }

    @Test
    void nonMonotonicCountsAreForcedUp() {
        // 0.5 has 5 < 10 of 0.1: treated as 10
        List<Bucket> h = b(0.1, 10, 0.5, 5, 1, 20, INF, 20);
        // rank 10 is reached at the first bucket
        assertThat(PromMath.histogramQuantile(0.5, h)).isCloseTo(0.1, within(1e-15));
        // rank 15 in (0.5, 1]: counts 10 -> 20
        assertThat(PromMath.histogramQuantile(0.75, h)).isCloseTo(0.5 + 0.5 * 5 / 10, within(1e-15));
    }

    @Test
    void aFirstBucketWithANonPositiveBoundAnswersItsBound() {
        assertThat(PromMath.histogramQuantile(0.1, b(-1, 5, 1, 10, INF, 10))).isEqualTo(-1.0);
        assertThat(PromMath.histogramQuantile(0.1, b(0, 5, 1, 10, INF, 10))).isEqualTo(0.0);
    }

    @Test
    void irateWithAndWithoutAReset() {
        assertThat(PromMath.irate(List.of(new Point(0, 10), new Point(2000, 16)))).isEqualTo(3.0);
        assertThat(PromMath.irate(List.of(new Point(0, 10), new Point(2000, 4)))).as("reset").isEqualTo(2.0);
        assertThat(PromMath.irate(List.of(new Point(0, 10)))).isNaN();
        assertThat(PromMath.increase(10, 4)).isEqualTo(4);
        assertThat(PromMath.increase(10, 14)).isEqualTo(4);
    }

    @Test
    void extrapolatedRateAsPrometheus() {
        // samples every 10 s from t=5 s to t=55 s in a 60 s range [0, 60]; +1 per 10 s, starting from 100
        List<Point> p = List.of(new Point(5000, 100), new Point(15000, 101), new Point(25000, 102),
                new Point(35000, 103), new Point(45000, 104), new Point(55000, 105));
        // increase 5 over 50 s sampled; 5 s gaps at both ends are under 1.1 * 10 s, so extrapolate to 60 s
        assertThat(PromMath.extrapolatedIncrease(p, 0, 60000)).isCloseTo(5 * 60.0 / 50, within(1e-12));
        assertThat(PromMath.rate(p, 0, 60000)).isCloseTo(6.0 / 60, within(1e-12));
        // a reset adds the value before it back
        List<Point> r = List.of(new Point(0, 10), new Point(10000, 20), new Point(20000, 5));
        assertThat(PromMath.extrapolatedIncrease(r, 0, 20000)).isCloseTo(15, within(1e-12));
        // far from the edges: half an interval each side
        List<Point> far = List.of(new Point(30000, 0), new Point(40000, 10));
        // counter starting at 0: extrapolation to the start is capped at the zero point (0 s)
        assertThat(PromMath.extrapolatedIncrease(far, 0, 60000)).isCloseTo(10 * 15.0 / 10, within(1e-12));
    }
}
