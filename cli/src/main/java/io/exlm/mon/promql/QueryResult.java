package io.exlm.mon.promql;

import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PromMath;
import java.util.List;

/**
 * The data of a Prometheus API query answer: its type ({@code vector}, {@code matrix}, {@code scalar},
 * {@code string}) and its series, each with its labels and points (one point for a vector or a scalar).
 */
public record QueryResult(String resultType, List<Series> series) {
    /** One series: the metric's labels (with {@code __name__} when the query kept it) and its points. */
    public record Series(Labels metric, List<PromMath.Point> points) {
        /** The value of a vector's sample (the last point). */
        public double value() {
            return points.get(points.size() - 1).value();
        }
    }

    public boolean isEmpty() {
        return series.isEmpty();
    }
}
