package io.exlm.mon.expo;

import static io.exlm.mon.expo.ParserAssert.lenient;
import static io.exlm.mon.expo.ParserAssert.strict;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Prometheus text format 0.0.4, rule by rule, from its specification ("Exposition formats", text-based format):
 * each row is a body and what a strict check must say about it ({@code valid}, or the {@code LINE:COL} and words
 * of the problem), and whether Prometheus's own scrape parser (lenient) takes it.
 */
class TextFormatRulesTest {
    private static final ExpositionFormat F = ExpositionFormat.PROMETHEUS_TEXT;

    static Stream<Arguments> rules() {
        return Stream.of(
                // --- lines, whitespace, comments
                row("line feed separates lines; a sample per line", "a 1\nb 2\n", "valid", true),
                row("empty lines are ignored", "a 1\n\n\nb 2\n", "valid", true),
                row("blank-only lines are ignored", "a 1\n \t \nb 2\n", "valid", true),
                row("leading and trailing whitespace is ignored", "  a 1  \n\tb 2\t\n", "valid", true),
                row("tokens may be separated by any blanks and tabs", "a{x=\"1\"} \t 1 \t 1000\n", "valid", true),
                row("the last line must end with a line feed", "a 1", "1:4: the last line does not end with a line feed",
                        true),
                row("an empty body is a valid exposition", "", "valid", true),
                row("# starts a comment", "# just words\n#\n# HELPER text\na 1\n", "valid", true),
                row("CRLF is not a line ending", "a 1\r\n", "1:3: invalid value '1\\x0d' (a carriage return", false),
                // --- HELP
                row("HELP: name and docstring", "# HELP a Some help.\na 1\n", "valid", true),
                row("HELP: docstring may be empty", "# HELP a\na 1\n", "valid", true),
                row("HELP: escapes \\\\ and \\n", "# HELP a x \\\\ y \\n z\na 1\n", "valid", true),
                row("HELP: no other escape", "# HELP a x \\\" y\na 1\n", "1:12: invalid escape '\\\"' in help text", true),
                row("HELP: only one per metric", "# HELP a one\n# HELP a two\na 1\n", "2:1: second # HELP line for a",
                        true),
                row("HELP: needs a valid metric name", "# HELP 1a x\n", "1:8: expected a metric name after # HELP",
                        false),
                row("HELP and TYPE come before the samples", "a 1\n# HELP a late\n",
                        "2:1: # HELP line for a after its samples", true),
                // --- TYPE
                row("TYPE: counter, gauge, histogram, summary, untyped",
                        "# TYPE a counter\na 1\n# TYPE b gauge\nb 1\n# TYPE c summary\nc_sum 1\nc_count 1\n"
                                + "# TYPE d untyped\nd 1\n", "valid", true),
                row("TYPE: unknown type word", "# TYPE a thing\na 1\n", "1:10: unknown type 'thing'", false),
                row("TYPE: OpenMetrics-only types are not text types", "# TYPE a info\n", "1:10: unknown type 'info'",
                        false),
                row("TYPE: type words are lower case", "# TYPE a Counter\n", "1:10: unknown type 'Counter'", false),
                row("TYPE: only one per metric", "# TYPE a counter\n# TYPE a counter\na 1\n",
                        "2:1: second # TYPE line for a", true),
                row("TYPE: must come before the first sample", "a 1\n# TYPE a counter\n",
                        "2:1: # TYPE line for a after its samples", true),
                row("TYPE: nothing after the type", "# TYPE a counter extra\n", "1:18: unexpected text after the type",
                        false),
                row("TYPE: needs a type", "# TYPE a\n", "1:9: expected a type", false),
                // --- families together
                row("all lines of a metric are one group", "a 1\nb 1\na{x=\"1\"} 2\n",
                        "3:1: metric family a appears again (first at line 1)", true),
                row("metadata of another metric closes the group", "# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n"
                        + "# HELP a again\n", "5:8: metric family a appears again", true),
                // --- names
                row("metric names: [a-zA-Z_:][a-zA-Z0-9_:]*", "_a:b_1 1\n:x 2\n", "valid", true),
                row("metric name cannot start with a digit", "1a 1\n", "1:1: expected a metric name", false),
                row("metric name with an invalid character", "a-b 1\n", "1:2: invalid character '-' in metric name",
                        false),
                row("UTF-8 metric names are not in 0.0.4", "ä 1\n", "1:1: expected a metric name", false),
                // --- labels
                row("labels: {name=\"value\",...}", "a{x=\"1\",y=\"2\"} 1\n", "valid", true),
                row("labels: a trailing comma is allowed", "a{x=\"1\",} 1\n", "valid", true),
                row("labels: empty braces", "a{} 1\n", "valid", true),
                row("labels: blanks between tokens", "a { x = \"1\" , y=\"2\" } 1\n", "valid", true),
                row("label names: [a-zA-Z_][a-zA-Z0-9_]*", "a{_x1=\"1\"} 1\n", "valid", true),
                row("label name cannot have a colon", "a{x:y=\"1\"} 1\n", "1:4: invalid character ':' in label name",
                        false),
                row("label name cannot start with a digit", "a{1x=\"1\"} 1\n", "1:3: expected a label name, found '1'",
                        false),
                row("labels beginning with __ are reserved", "a{__x=\"1\"} 1\n", "1:3: label name __x is reserved",
                        true),
                row("a label name appears once", "a{x=\"1\",x=\"2\"} 1\n", "1:9: label x appears twice", false),
                row("label value escapes \\\\ \\\" \\n", "a{x=\"q\\\"b\\\\s\\nn\"} 1\n", "valid", true),
                row("label value: no other escape", "a{x=\"\\t\"} 1\n", "1:6: invalid escape '\\t' in label value",
                        true),
                row("label value: any UTF-8", "a{x=\"ünï ☃\"} 1\n", "valid", true),
                row("label value: any code point, UTF-8 encoded", "a{x=\"\u00ff\"} 1\n", "valid", true),
                row("label value must be quoted", "a{x=1} 1\n", "1:5: expected '\"' to start the label value", false),
                row("label value must be closed", "a{x=\"1} 1\n", "1:5: the label value is not closed", false),
                row("labels must be closed", "a{x=\"1\" 1\n", "1:9: expected ',' or '}' after the label value", false),
                row("a comma between labels", "a{x=\"1\" y=\"2\"} 1\n", "1:9: expected ',' or '}'", false),
                // --- values
                row("values: Go ParseFloat, NaN, +Inf, -Inf",
                        "a 1\nb -2.5\nc 1e3\nd 1.5E-3\ne NaN\nf +Inf\ng -Inf\nh .5\ni 5.\nj +3\n", "valid", true),
                row("values: Inf and NaN in any case, Infinity", "a nan\nb inf\nc -infinity\nd +INF\n", "valid", true),
                row("values: ParseFloat's hex and underscores (strict only; Prometheus refuses them)",
                        "a 0x1p-2\nb 1_000\n", "valid", false),
                row("values: not a number", "a one\n", "1:3: invalid value 'one'", false),
                row("values: a value is required", "a\n", "1:2: expected a value", false),
                row("values: signed NaN is not ParseFloat's", "a -NaN\n", "1:3: invalid value '-NaN'", false),
                row("values: a lone point is not a number", "a .\n", "1:3: invalid value '.'", false),
                row("values: an exponent needs digits", "a 1e\n", "1:3: invalid value '1e'", false),
                // --- timestamps
                row("timestamp: int64 milliseconds", "a 1 1700000000000\nb 1 -5\n", "valid", true),
                row("timestamp: not a float", "a 1 1.5\n", "1:5: invalid timestamp '1.5'", false),
                row("timestamp: nothing after it", "a 1 2 3\n", "1:7: unexpected text after the timestamp", false),
                row("exemplars are OpenMetrics only", "a 1 # {t=\"1\"} 1\n", "1:5: invalid timestamp '#'", false),
                // --- uniqueness
                row("each name and label set once", "a{x=\"1\"} 1\na{x=\"1\"} 2\n",
                        "2:1: duplicate series a{x=\"1\"} (first at line 1)", true),
                row("label order does not make a new series", "a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n",
                        "2:1: duplicate series", true),
                // --- counters
                // Prometheus ingests both (postgres_exporter writes a NaN counter): warnings (counterWarnings)
                row("a negative counter", "# TYPE a counter\na -1\n", "valid", true),
                row("a NaN counter", "# TYPE a counter\na NaN\n", "valid", true),
                // --- histograms
                row("histogram: _bucket with le, _sum, _count", hist("0.5", "1", "+Inf", "3", "3"), "valid", true),
                row("histogram: a +Inf bucket is required", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\n"
                        + "h_count 1\n", "2:1: histogram h has no le=\"+Inf\" bucket", true),
                row("histogram: +Inf equals _count", hist("0.5", "1", "+Inf", "3", "4"),
                        "2:1: histogram h: _count 4 differs from the +Inf bucket's 3", true),
                row("histogram: buckets in increasing le", "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
                        + "h_bucket{le=\"0.5\"} 1\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n",
                        "valid", true), // a warning: Prometheus sorts the buckets, promtool accepts them
                row("histogram: cumulative counts that go down", hist("0.5", "5", "+Inf", "3", "3"),
                        "valid", true), // a warning: Prometheus stores them, histogram_quantile evens them out
                row("histogram: le must be a number", "# TYPE h histogram\nh_bucket{le=\"x\"} 1\n"
                        + "h_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n", "2:14: le=\"x\" is not a number", true),
                row("histogram: a bucket needs le", "# TYPE h histogram\nh_bucket 1\nh_bucket{le=\"+Inf\"} 1\n",
                        "2:1: a histogram bucket needs an le label", true),
                // Prometheus accepts a histogram in pieces (prometheus_client's multiprocess mode writes it so):
                // a warning (groupsInPieces), judged as a whole at the family's end
                row("histogram: series of one histogram in pieces", "# TYPE h histogram\n"
                        + "h_bucket{a=\"1\",le=\"+Inf\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 1\nh_count{a=\"1\"} 1\n",
                        "valid", true),
                row("histogram: in pieces, still judged whole", "# TYPE h histogram\nh_sum{a=\"1\"} 1\n"
                        + "h_sum{a=\"2\"} 1\nh_bucket{a=\"1\",le=\"+Inf\"} 1\nh_count{a=\"1\"} 2\n",
                        "2:1: histogram h{a=\"1\"}: _count 2 differs from the +Inf bucket's 1", true),
                row("histogram: only _bucket, _sum and _count", "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 1\n"
                        + "h_created 1\n", "valid", true), // h_created is then its own untyped family
                // --- summaries
                row("summary: quantiles, _sum, _count", "# TYPE s summary\ns{quantile=\"0.5\"} 1\n"
                        + "s{quantile=\"0.99\"} 2\ns_sum 3\ns_count 2\n", "valid", true),
                // Prometheus ingests these and promtool accepts them: warnings (quantileWarnings), not problems
                row("summary: quantiles in any order", "# TYPE s summary\ns{quantile=\"0.9\"} 1\n"
                        + "s{quantile=\"0.5\"} 2\n", "valid", true),
                row("summary: a quantile outside [0, 1] (redis_exporter's percentiles)",
                        "# TYPE s summary\ns{quantile=\"50\"} 1\ns{quantile=\"99.9\"} 3\n", "valid", true),
                row("summary: a quantile sample needs quantile", "# TYPE s summary\ns 1\n",
                        "2:1: a summary quantile sample needs a quantile label", true));
    }

    private static String hist(String le1, String v1, String le2, String v2, String count) {
        return "# TYPE h histogram\nh_bucket{le=\"" + le1 + "\"} " + v1 + "\nh_bucket{le=\"" + "0.9" + "\"} " + v1
                + "\nh_bucket{le=\"" + le2 + "\"} " + v2 + "\nh_sum 2.5\nh_count " + count + "\n";
    }

    private static Arguments row(String rule, String body, String strict, boolean prometheusAccepts) {
        return Arguments.of(rule, body, strict, prometheusAccepts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void rule(String rule, String body, String expected, boolean prometheusAccepts) {
        ParserAssert.Outcome s = strict(F, body);
        if (expected.equals("valid")) {
            assertThat(s.problems()).as(rule).isEmpty();
        } else {
            assertThat(s.problems()).as(rule).isNotEmpty();
            assertThat(s.problems().get(0)).as(rule).startsWith("t.txt:" + expected.substring(0,
                    expected.indexOf(' ') + 1).strip() + " ").contains(expected.substring(expected.indexOf(' ') + 1));
        }
        ParserAssert.Outcome l = lenient(F, body);
        assertThat(l.error() == null).as(rule + ": lenient " + l.error()).isEqualTo(prometheusAccepts);
    }

    /** A strict parse of a body, for its problems and warnings. */
    private static ExpositionParser strictParse(String body) throws Exception {
        ExpositionParser p = new ExpositionParser(F, ParseMode.STRICT, "t.txt");
        p.parse(new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)), s -> { });
        return p;
    }

    @org.junit.jupiter.api.Test
    void bucketWarnings() throws Exception {
        ExpositionParser p = strictParse(("# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_bucket{le=\"1\"}"
                + " 1\nh_count 2\n# TYPE g histogram\ng_bucket{le=\"1\"} 5\ng_bucket{le=\"+Inf\"} 3\ng_count 3\n"));
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).extracting(Problem::toString).containsExactly(
                "t.txt:3:14: buckets out of order: le=\"1\" after le=\"+Inf\" (Prometheus does not mind; they usually"
                        + " go up in le)",
                "t.txt:7:21: bucket counts go down: le=\"+Inf\" has 3, less than the 5 of the bucket before (buckets"
                        + " are cumulative; Prometheus stores them, and histogram_quantile evens them out)");
    }

    @org.junit.jupiter.api.Test
    void counterWarnings() throws Exception {
        ExpositionParser p = strictParse("# TYPE a counter\na{x=\"1\"} -1\na{x=\"2\"} NaN\n");
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).extracting(Problem::toString).containsExactly(
                "t.txt:2:10: a counter's value a is negative (-1; Prometheus stores it, but a counter only goes up from"
                        + " zero, and OpenMetrics forbids it)",
                "t.txt:3:10: a counter's value a is NaN (Prometheus stores it; rate() of it is NaN, and OpenMetrics"
                        + " forbids it)");
    }

    @org.junit.jupiter.api.Test
    void groupsInPieces() throws Exception {
        ExpositionParser p = strictParse(("# TYPE h histogram\nh_sum{a=\"1\"} 1\nh_sum{a=\"2\"} 1\n"
                + "h_bucket{a=\"1\",le=\"+Inf\"} 1\nh_count{a=\"1\"} 1\nh_bucket{a=\"2\",le=\"+Inf\"} 1\n"
                + "h_count{a=\"2\"} 1\n"));
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).extracting(Problem::toString).containsExactly("t.txt:4:1: the samples of h{a=\"1\"}"
                + " are not together (Prometheus accepts a group in pieces in the text format, as prometheus_client's"
                + " multiprocess mode writes it; OpenMetrics does not)");
    }

    @org.junit.jupiter.api.Test
    void quantileWarnings() throws Exception {
        ExpositionParser p = strictParse("# TYPE s summary\ns{quantile=\"50\"} 1\ns{quantile=\"99.9\"} 3\n"
                + "# TYPE t summary\nt{quantile=\"0.9\"} 1\nt{quantile=\"0.5\"} 2\n");
        assertThat(p.problems()).isEmpty();
        assertThat(p.warnings()).extracting(Problem::toString).containsExactly(
                "t.txt:2:13: quantile=\"50\" is not a number between 0 and 1 (Prometheus stores it as it is, but"
                        + " tools that read quantiles as fractions will not understand it)",
                "t.txt:3:13: quantile=\"99.9\" is not a number between 0 and 1 (Prometheus stores it as it is, but"
                        + " tools that read quantiles as fractions will not understand it)",
                "t.txt:6:13: quantiles out of order: 0.5 after 0.9 (Prometheus does not mind; they usually go up)");
    }

    @org.junit.jupiter.api.Test
    void invalidUtf8InALabelValueIsRefusedByBoth() {
        byte[] body = {'a', '{', 'x', '=', '"', (byte) 0xff, '"', '}', ' ', '1', '\n'};
        assertThat(ParserAssert.strict(F, body).problems()).singleElement().asString()
                .isEqualTo("t.txt:1:6: label value is not valid UTF-8");
        assertThat(ParserAssert.lenient(F, body).error()).contains("1:6: label value is not valid UTF-8");
    }
}
