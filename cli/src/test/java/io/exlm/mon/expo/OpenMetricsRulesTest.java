package io.exlm.mon.expo;

import static io.exlm.mon.expo.ParserAssert.lenient;
import static io.exlm.mon.expo.ParserAssert.strict;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenMetrics 1.0 text, rule by rule, from the specification (its ABNF and the rules for each metric type): each row
 * is a body, what a strict check says ({@code valid}, or {@code LINE:COL} and the words of the first problem), and
 * whether Prometheus's OpenMetrics parser (lenient) takes it. Bodies get {@code # EOF} appended unless they say
 * {@code NOEOF}.
 */
class OpenMetricsRulesTest {
    private static final ExpositionFormat F = ExpositionFormat.OPENMETRICS;

    static Stream<Arguments> rules() {
        return Stream.of(
                // --- the exposition as a whole
                row("exposition ends with # EOF", "a 1\n", "valid", true),
                row("# EOF may end without a line feed", "a 1\n# EOF" + NOEOF, "valid", true),
                row("# EOF is required", "a 1\n" + NOEOF, "1:1: the exposition does not end with '# EOF'", false),
                row("nothing after # EOF", "a 1\n# EOF\nb 1\n" + NOEOF, "3:1: text after '# EOF'", false),
                row("not even an empty line after # EOF", "a 1\n# EOF\n\n" + NOEOF, "3:1: text after '# EOF'", false),
                row("no empty lines", "a 1\n\nb 1\n", "2:1: empty line", false),
                row("no comments but HELP, TYPE, UNIT, EOF", "# hello\na 1\n", "1:3: expected '# HELP', '# TYPE'",
                        false),
                row("# EOF alone on its line", "a 1\n# EOF x\n" + NOEOF, "2:6: '# EOF' must be alone", false),
                row("no leading whitespace", " a 1\n", "1:1: expected a metric name", false),
                row("exactly one space before the value", "a  1\n", "1:3: expected a value", false),
                row("no trailing whitespace", "a 1 \n", "1:5: expected a timestamp", false),
                row("no tabs", "a\t1\n", "1:2: invalid character byte 0x09 in metric name", false),
                // --- descriptors
                row("TYPE, HELP, UNIT then samples", "# TYPE a_seconds gauge\n# UNIT a_seconds seconds\n"
                        + "# HELP a_seconds Help \\\" \\\\ \\n.\na_seconds 1\n", "valid", true),
                row("every OpenMetrics type", "# TYPE a counter\n# TYPE b gauge\n# TYPE c histogram\n"
                        + "# TYPE d gaugehistogram\n# TYPE e stateset\n# TYPE f info\n# TYPE g summary\n"
                        + "# TYPE h unknown\n", "valid", true),
                row("untyped is not an OpenMetrics type", "# TYPE a untyped\n", "1:10: unknown type 'untyped'",
                        false),
                // escaped-char =/ BS normal-char: a backslash may stand before any character but a line feed
                row("HELP: a backslash before another character", "# HELP a x\\ty\n", "valid", true),
                row("HELP: a bare double quote must be escaped", "# HELP a say \"hi\"\n",
                        "1:14: a double quote in help text must be escaped", true),
                row("HELP needs the space even when empty", "# HELP a\n", "1:9: expected a space after the metric name",
                        true),
                row("one TYPE per family", "# TYPE a gauge\n# TYPE a gauge\n", "2:1: second # TYPE line for a", true),
                row("one HELP per family", "# HELP a x\n# HELP a y\n", "2:1: second # HELP line for a", true),
                row("one UNIT per family", "# UNIT a_s s\n# UNIT a_s s\n", "2:1: second # UNIT line for a_s", true),
                row("descriptors before samples", "# TYPE a gauge\na 1\n# HELP a late\n",
                        "3:1: # HELP line for a after its samples", true),
                row("UNIT is a suffix of the name", "# TYPE a_bytes gauge\n# UNIT a_bytes seconds\n",
                        "2:16: unit 'seconds' is not a suffix of the metric name", false),
                row("UNIT suffix follows an underscore", "# UNIT abytes bytes\n",
                        "1:15: unit 'bytes' is not a suffix", false),
                row("UNIT may be empty", "# UNIT a \n", "valid", true),
                row("info has no unit", "# TYPE a_x info\n# UNIT a_x x\na_x_info 1\n",
                        "1:1: an info family cannot have a unit", true),
                row("stateset has no unit", "# TYPE a_x stateset\n# UNIT a_x x\na_x{a_x=\"s\"} 1\n",
                        "1:1: an stateset family cannot have a unit", true),
                row("families are not interleaved", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n",
                        "5:1: metric family a appears again", true),
                row("names do not clash across families", "# TYPE a counter\na_total 1\n# TYPE a_total gauge\n"
                        + "a_total 2\n", "3:8: metric family a_total clashes with a sample name", true),
                // --- samples, labels, values
                row("labels: no trailing comma", "a{x=\"1\",} 1\n", "1:9: a comma before '}'", false),
                row("labels: no blanks inside", "a{x= \"1\"} 1\n", "1:5: expected '\"' to start the label value",
                        false),
                row("labels: a backslash before another character", "a{x=\"\\q\"} 1\n", "valid", true),
                row("labels: names starting with _ are reserved", "a{_x=\"1\"} 1\n", "1:3: label name _x is reserved",
                        true),
                row("labels: a name once", "a{x=\"1\",x=\"1\"} 1\n", "1:9: label x appears twice", false),
                row("numbers: decimal, exponent, Inf, NaN in any case",
                        "a 1\nb -1.5e3\nc +Inf\nd -inf\ne NaN\nf Infinity\ng .5\nh 5.\n", "valid", true),
                row("numbers: no hex floats", "a 0x1p3\n", "1:3: invalid value '0x1p3'", false),
                row("numbers: no underscores", "a 1_000\n", "1:3: invalid value '1_000'", false),
                row("timestamps: seconds, with a fraction", "a 1 1700000000.123\n", "valid", true),
                row("timestamps: not NaN", "a 1 NaN\n", "1:5: invalid timestamp 'NaN'", false),
                row("timestamps: not Inf", "a 1 +Inf\n", "1:5: invalid timestamp '+Inf'", false),
                row("each series once per timestamp", "a{x=\"1\"} 1\na{x=\"1\"} 2\n", "2:1: duplicate series", true),
                row("the same series at two timestamps", "a 1 1\na 2 2\n", "valid", true),
                row("the same series twice at one timestamp (the suite's duplicate_timestamps)", "a 1 0\na 2 0\n",
                        "valid", true),
                row("a typed family's sample names clash with an earlier family", "# TYPE a_created gauge\n"
                        + "# TYPE a counter\n", "2:1: a counter family a has samples named a_created, the name of an"
                        + " earlier family (line 1)", true),
                row("histogram: le=\"+Inf\" exactly", "# TYPE a histogram\na_bucket{le=\"+INF\"} 0\na_count 0\n",
                        "2:14: le=\"+INF\" is written +Inf in OpenMetrics", true),
                row("a group's timestamps do not go backwards", "a 1 2\na 2 1\n",
                        "2:1: timestamps go backwards within a group", true),
                row("all or none of a group's samples have timestamps", "a 1 1\na 2\n",
                        "2:1: some samples of a group have a timestamp", true),
                row("groups of a family are not interleaved", "# TYPE a gauge\na{x=\"1\"} 1 1\na{x=\"2\"} 1 1\n"
                        + "a{x=\"1\"} 1 2\n", "4:1: the samples of a{x=\"1\"} are not together", true),
                // --- counter
                row("counter: _total and _created", "# TYPE a counter\na_total 1\na_created 1700000000\n", "valid",
                        true),
                row("counter: samples end in _total", "# TYPE a counter\na 1\n",
                        "2:1: a counter family's samples are named a with _total, _created", true),
                row("counter: _total is not NaN", "# TYPE a counter\na_total NaN\n", "2:9: value a_total is NaN",
                        true),
                row("counter: _total is not negative", "# TYPE a counter\na_total -1\n",
                        "2:9: value of a_total is negative", true),
                row("counter: exemplar on _total", "# TYPE a counter\na_total 1 # {trace_id=\"abc\"} 0.5 1700000000\n",
                        "valid", true),
                row("counter: no exemplar on _created", "# TYPE a counter\na_total 1\na_created 1 # {t=\"1\"} 1\n",
                        "3:13: exemplars are allowed only on counter _total", true),
                row("exemplar labels at most 128 characters", "# TYPE a counter\na_total 1 # {t=\""
                        + "x".repeat(128) + "\"} 1\n", "2:11: the exemplar's labels are 129 characters long", true),
                row("exemplar syntax: '# {labels} value'", "# TYPE a counter\na_total 1 # t 1\n",
                        "2:11: expected an exemplar", false),
                row("gauge: no exemplars", "# TYPE a gauge\na 1 # {t=\"1\"} 1\n",
                        "2:5: exemplars are allowed only", true),
                // --- histogram
                row("histogram: buckets, count, sum, created", HIST, "valid", true),
                row("histogram: +Inf bucket required", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"
                        + "h_sum 1\n", "2:1: histogram h has no le=\"+Inf\" bucket", true),
                row("histogram: count equals +Inf", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_count 3\n"
                        + "h_sum 1\n", "2:1: histogram h: _count 3 differs from the +Inf bucket's 2", true),
                row("histogram: le increases", "# TYPE h histogram\nh_bucket{le=\"2\"} 1\nh_bucket{le=\"1\"} 1\n"
                        + "h_bucket{le=\"+Inf\"} 1\n", "3:14: buckets out of order", true),
                row("histogram: bucket counts do not decrease", "# TYPE h histogram\nh_bucket{le=\"1\"} 2\n"
                        + "h_bucket{le=\"+Inf\"} 1\n", "3:21: bucket counts go down", true),
                row("histogram: bucket values are integers", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1.5\n",
                        "2:21: value of h_bucket must be an integer", true),
                row("histogram: le is not NaN", "# TYPE h histogram\nh_bucket{le=\"NaN\"} 1\n",
                        "2:14: le=\"NaN\" is not a number", true),
                row("histogram: _sum needs _count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\n",
                        "2:1: histogram h has _sum but no _count", true),
                row("histogram: _count needs _sum", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n",
                        "2:1: histogram h has a count but no sum", true),
                row("histogram: no _sum with negative buckets", "# TYPE h histogram\nh_bucket{le=\"-1\"} 0\n"
                        + "h_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", "2:1: histogram h has negative buckets",
                        true),
                row("histogram: exemplars on buckets", "# TYPE h histogram\n"
                        + "h_bucket{le=\"+Inf\"} 1 # {t=\"x\"} 0.3\nh_count 1\nh_sum 0.3\n", "valid", true),
                row("histogram: no exemplar on _count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n"
                        + "h_count 1 # {t=\"x\"} 1\nh_sum 1\n", "3:11: exemplars are allowed only", true),
                // --- gauge histogram
                row("gaugehistogram: buckets, _gcount, _gsum", "# TYPE g gaugehistogram\ng_bucket{le=\"-1\"} 1\n"
                        + "g_bucket{le=\"+Inf\"} 2\ng_gcount 2\ng_gsum -1\n", "valid", true),
                row("gaugehistogram: negative _gsum needs negative buckets", "# TYPE g gaugehistogram\n"
                        + "g_bucket{le=\"+Inf\"} 1\ng_gcount 1\ng_gsum -1\n",
                        "2:1: gauge histogram g has a negative _gsum but no negative buckets", true),
                // --- summary
                row("summary: quantiles, count, sum, created", "# TYPE s summary\ns{quantile=\"0.5\"} 1\n"
                        + "s{quantile=\"0.9\"} 2\ns_count 5\ns_sum 7\ns_created 1\n", "valid", true),
                row("summary: quantile in [0, 1]", "# TYPE s summary\ns{quantile=\"2\"} 1\n",
                        "2:13: quantile=\"2\" is not a number between 0 and 1", true),
                row("summary: quantile values not negative", "# TYPE s summary\ns{quantile=\"0.5\"} -1\n",
                        "2:19: a quantile's value cannot be negative", true),
                row("summary: _count is an integer", "# TYPE s summary\ns_count 1.5\ns_sum 1\n",
                        "2:9: value of s_count must be an integer", true),
                // --- info and stateset
                row("info: _info sample of value 1", "# TYPE i info\ni_info{version=\"1.2\"} 1\n", "valid", true),
                row("info: value must be 1", "# TYPE i info\ni_info{version=\"1.2\"} 2\n",
                        "2:23: an info sample's value must be 1", true),
                row("stateset: a label named as the family", "# TYPE s stateset\ns{s=\"a\"} 1\ns{s=\"b\"} 0\n",
                        "valid", true),
                row("stateset: the label is required", "# TYPE s stateset\ns{x=\"a\"} 1\n",
                        "2:1: a stateset sample needs a label named s", true),
                row("stateset: values are 0 or 1", "# TYPE s stateset\ns{s=\"a\"} 2\n",
                        "2:10: a stateset sample's value must be 0 or 1", true),
                // --- unknown
                row("unknown: the name itself", "# TYPE u unknown\nu 1\n", "valid", true));
    }

    private static final String NOEOF = "\u0000NOEOF";
    static final String HIST = "# TYPE h histogram\n# HELP h Latency.\nh_bucket{le=\"0.1\"} 1\n"
            + "h_bucket{le=\"1.0\"} 3\nh_bucket{le=\"+Inf\"} 4\nh_count 4\nh_sum 2.5\nh_created 1700000000\n";

    private static Arguments row(String rule, String body, String strict, boolean prometheusAccepts) {
        String b = body.endsWith(NOEOF) ? body.substring(0, body.length() - NOEOF.length()) : body + "# EOF\n";
        return Arguments.of(rule, b, strict, prometheusAccepts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String rule, String body, String expected, boolean prometheusAccepts) {
        ParserAssert.Outcome s = strict(F, body);
        if (expected.equals("valid")) {
            assertThat(s.problems()).as(rule).isEmpty();
        } else {
            assertThat(s.problems()).as(rule).isNotEmpty();
            String where = expected.substring(0, expected.indexOf(' '));
            assertThat(s.problems().get(0)).as(rule).startsWith("t.txt:" + where + " ")
                    .contains(expected.substring(expected.indexOf(' ') + 1));
        }
        ParserAssert.Outcome l = lenient(F, body);
        assertThat(l.error() == null).as(rule + ": lenient " + l.error()).isEqualTo(prometheusAccepts);
    }

    @Test
    void valuesOfTheModel() {
        Scrape s = lenient(F, HIST + "# TYPE c counter\nc_total{a=\"x\\\"y\\\\z\\n\"} 5 1700000000.5 # {tr=\"t\"} 0.3 "
                + "1700000000.25\n# EOF\n").scrape();
        MetricFamily h = s.family("h");
        assertThat(h.type()).isEqualTo(MetricType.HISTOGRAM);
        assertThat(h.help()).isEqualTo("Latency.");
        assertThat(h.samples()).hasSize(6);
        assertThat(s.samples("h_bucket").get(2).labels().get("le")).isEqualTo("+Inf");
        Sample c = s.samples("c_total").get(0);
        assertThat(c.labels().get("a")).isEqualTo("x\"y\\z\n");
        assertThat(c.value()).isEqualTo(5);
        assertThat(c.timestampMillis()).isEqualTo(1700000000500L);
        assertThat(c.exemplar().labels().get("tr")).isEqualTo("t");
        assertThat(c.exemplar().value()).isEqualTo(0.3);
        assertThat(c.exemplar().timestampSeconds()).isEqualTo(1700000000.25);
        assertThat(s.family("c").type()).isEqualTo(MetricType.COUNTER);
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        ParserAssert.Outcome s = strict(F, "a 1\nb{x=1} 2\nc 1 2 3\n# TYPE d counter\nd 1\n");
        assertThat(s.problems()).containsExactly(
                "t.txt:2:5: expected '\"' to start the label value",
                "t.txt:3:7: expected an exemplar ('# {labels} value') after the timestamp",
                "t.txt:5:1: a counter family's samples are named d with _total, _created in OpenMetrics, not d",
                "t.txt:5:1: the exposition does not end with '# EOF' (OpenMetrics requires it; a truncated body?)");
    }
}
