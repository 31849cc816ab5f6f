package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.exlm.mon.config.AnswerLimits;
import io.exlm.mon.http.JsonTree;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A query answer's data read as it streams, into series and points, within the answer's limits. */
class QueryResultsTest {
    private static QueryResult read(String json, AnswerLimits limits) throws Exception {
        try (JsonParser p = JsonTree.parser(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))) {
            p.nextToken();
            return QueryResults.read(p, limits.budget());
        }
    }

    private static QueryResult read(String json) throws Exception {
        return read(json, AnswerLimits.DEFAULT);
    }

    @Test
    void vectorsMatricesScalarsAndStrings() throws Exception {
        QueryResult v = read("{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\"},"
                + "\"value\":[1700000000.5,\"1\"]},{\"metric\":{},\"value\":[1700000000,\"NaN\"]}]}");
        assertThat(v.resultType()).isEqualTo("vector");
        assertThat(v.series()).hasSize(2);
        assertThat(v.series().get(0).metric().get("job")).isEqualTo("a");
        assertThat(v.series().get(0).points().get(0).millis()).isEqualTo(1_700_000_000_500L);
        assertThat(v.series().get(1).value()).isNaN();

        QueryResult m = read("{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"i\":\"x\"},\"values\":"
                + "[[1,\"+Inf\"],[2,\"-Inf\"],[3,\"2.5\"]]}]}");
        assertThat(m.series().get(0).points()).extracting(p -> p.value())
                .containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5);

        assertThat(read("{\"resultType\":\"scalar\",\"result\":[1,\"4\"]}").series().get(0).value()).isEqualTo(4);
        assertThat(read("{\"resultType\":\"string\",\"result\":[1,\"hello\"]}").series()).isEmpty();
    }

    @Test
    void theResultMayComeBeforeItsTypeAndUnknownFieldsAreSkipped() throws Exception {
        QueryResult r = read("{\"result\":[{\"histogram\":[1,{\"count\":\"3\"}],\"metric\":{\"a\":\"b\"},"
                + "\"value\":[5,\"7\"]}],\"stats\":{\"x\":[1,2,{}]},\"resultType\":\"vector\"}");
        assertThat(r.resultType()).isEqualTo("vector");
        assertThat(r.series()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(7));
        // a string result read before its type is known is still no numbers, and no error
        assertThat(read("{\"result\":[1,\"text\"],\"resultType\":\"string\"}").series()).isEmpty();
    }

    @Test
    void shapesThatAreNotTheApisSayWhat() {
        assertThatThrownBy(() -> read("{\"resultType\":\"vector\",\"result\":[{\"value\":[1,2]}]}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[unix time, \"value\"]");
        assertThatThrownBy(() -> read("{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"abc\"]}]}"))
                .hasMessageContaining("not a number: abc");
        assertThatThrownBy(() -> read("{\"resultType\":\"scalar\",\"result\":[1,\"abc\"]}"))
                .hasMessageContaining("not a number");
        assertThatThrownBy(() -> read("{\"resultType\":\"vector\",\"result\":[1,2,3]}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> read("[]")).hasMessageContaining("not an object");
    }

    @Test
    void anAnswerOverItsLimitsEndsAtTheCapNamingIt() {
        StringBuilder many = new StringBuilder("{\"resultType\":\"vector\",\"result\":[");
        for (int i = 0; i < 11; i++) {
            many.append(i == 0 ? "" : ",").append("{\"metric\":{\"i\":\"").append(i).append("\"},\"value\":[1,\"1\"]}");
        }
        many.append("]}");
        String body = many.toString();
        assertThatThrownBy(() -> read(body, new AnswerLimits(10, 1 << 20))).isInstanceOf(AnswerLimits.Exceeded.class)
                .hasMessageContaining("more than 10 series").hasMessageContaining("--max-series");
        assertThatThrownBy(() -> read(body, new AnswerLimits(100, 20))).isInstanceOf(AnswerLimits.Exceeded.class)
                .hasMessageContaining("--max-label-bytes");
        String points = "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + "[1,\"1\"],".repeat(20)
                + "[1,\"1\"]]}]}";
        assertThatThrownBy(() -> read(points, new AnswerLimits(2, 1 << 20))).isInstanceOf(AnswerLimits.Exceeded.class)
                .hasMessageContaining("more than 20 points");
    }
}
