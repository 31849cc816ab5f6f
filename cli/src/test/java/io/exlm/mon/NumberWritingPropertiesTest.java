package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.tui.Format;
import io.exlm.mon.tui.LineChart;
import io.exlm.mon.panel.PanelState.Unit;
import java.util.function.DoubleFunction;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every writer of a number for people, given any double at all: a short string that reads back as the number, within
 * the rounding its own last digit shows. The seed is fixed: the same doubles every run.
 */
class NumberWritingPropertiesTest {
    /** Any double, every exponent equally likely (random bits), and the special ones. */
    @Provide
    Arbitrary<Double> anyDouble() {
        return Arbitraries.oneOf(Arbitraries.longs().map(Double::longBitsToDouble),
                Arbitraries.doubles().between(-1e6, 1e6),
                Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
                        -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e15,
                        999_999_999_999_999.9, 9_223_372_036_854_775_807.0, 999.96e3, 0.0005, 4.99e-4, 1e-300));
    }

    @Property(tries = 3000, seed = "20240612")
    void human(@ForAll("anyDouble") double v) {
        check(v, Numbers::human, 18, "");
    }

    @Property(tries = 3000, seed = "20240612")
    void topsCounts(@ForAll("anyDouble") double v) {
        check(v, x -> Format.value(x, Unit.COUNT), 10, "");
    }

    @Property(tries = 3000, seed = "20240612")
    void topsRates(@ForAll("anyDouble") double v) {
        check(v, x -> Format.value(x, Unit.PER_SECOND), 12, "/s");
    }

    @Property(tries = 3000, seed = "20240612")
    void topsPercentages(@ForAll("anyDouble") double v) {
        // a percentage beyond 1e15 % is a broken gauge: short matters more than its digits
        check(v, x -> Format.value(x, Unit.PERCENT), 20, "%");
    }

    @Property(tries = 3000, seed = "20240612")
    void topsSeconds(@ForAll("anyDouble") double v) {
        check(v, x -> Format.value(x, Unit.SECONDS), 13, "s");
    }

    @Property(tries = 3000, seed = "20240612")
    void chartAxes(@ForAll("anyDouble") double v) {
        check(v, LineChart::axis, 10, "");
    }

    /** The string's value and half of its last digit's unit: what it may be off by. */
    private record Read(double value, double halfUnit) {
    }

    private static void check(double v, DoubleFunction<String> writer, int maxLength, String unit) {
        String s = writer.apply(v);
        assertThat(s.length()).as("%s written %s", v, s).isLessThanOrEqualTo(maxLength);
        if (Double.isNaN(v)) {
            assertThat(s).isIn("NaN", "n/a");
            return;
        }
        if (Double.isInfinite(v)) {
            assertThat(s).isEqualTo((v > 0 ? "+Inf" : "-Inf") + (unit.equals("%") ? "" : ""));
            return;
        }
        assertThat(s).as("%s written %s", v, s).endsWith(unit);
        Read r = read(s.substring(0, s.length() - unit.length()), unit);
        double tolerance = r.halfUnit() * (1 + 1e-9) + 4 * Math.ulp(v) + Double.MIN_VALUE;
        assertThat(Math.abs(r.value() - v)).as("%s written %s reads %s", v, s, r.value())
                .isLessThanOrEqualTo(tolerance);
        if (v != 0) {
            assertThat(r.value()).as("%s is not 0, written %s", v, s).isNotZero();
        }
    }

    private static Read read(String s, String unit) {
        double mult = 1;
        if (unit.equals("s")) { // µs, ms, s; and SI for seconds beyond a day
            if (s.endsWith("µ")) {
                mult = 1e-6;
                s = s.substring(0, s.length() - 1);
            } else if (s.endsWith("m")) {
                mult = 1e-3;
                s = s.substring(0, s.length() - 1);
            }
        }
        if (unit.equals("%")) {
            mult = 1; // the percentage itself; Format.value writes v as a percentage for PERCENT
        }
        char last = s.charAt(s.length() - 1);
        int prefix = "kMGT".indexOf(last);
        if (prefix >= 0) {
            mult *= Math.pow(1000, prefix + 1);
            s = s.substring(0, s.length() - 1);
        }
        String mantissa = s;
        int exp = 0;
        int e = s.indexOf('e');
        if (e >= 0) {
            mantissa = s.substring(0, e);
            exp = Integer.parseInt(s.substring(e + 1));
        }
        int dot = mantissa.indexOf('.');
        int decimals = dot < 0 ? 0 : mantissa.length() - dot - 1;
        double value = Double.parseDouble(s) * mult;
        // 0.5 * 10^(exp - decimals), written so that it neither underflows nor overflows on the way
        double half = 0.5 * Math.pow(10, -decimals) * mult;
        half = exp >= 0 ? half * Math.pow(10, Math.min(exp, 308)) : half / Math.pow(10, Math.min(-exp, 308));
        if (e >= 0) {
            half = Math.max(half, Math.abs(value) * 0.005); // subnormal exponents: relative
        }
        return new Read(value, half);
    }
}
