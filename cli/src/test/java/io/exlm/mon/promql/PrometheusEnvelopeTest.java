package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.testing.FaultServer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The API's envelope read as it streams, its fields in any order: an error answer is the API's error whatever comes
 * first, a data that is not a query result is named with its URL and status, and a field of the wrong shape is read
 * past without losing the rest of the envelope.
 */
class PrometheusEnvelopeTest {
    private record Answer(int status, String type, String body) {
    }

    private static <T> T against(Map<String, Answer> answers, java.util.function.Function<PrometheusClient, T> call)
            throws Exception {
        Map<String, Answer> byPath = new ConcurrentHashMap<>(answers);
        try (FaultServer server = new FaultServer((req, out, sock) -> {
            Answer a = byPath.getOrDefault(req.path().replaceAll("\\?.*", ""), new Answer(404, "text/plain", "no"));
            FaultServer.respond(out, a.status(), a.type(), a.body());
        }); HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            return call.apply(new PrometheusClient(http, server.url()));
        }
    }

    private static QueryResult query(Answer a) throws Exception {
        return against(Map.of("/api/v1/query", a), c -> c.query("up", Instant.ofEpochSecond(1_700_000_000)));
    }

    @Test
    void anErrorAnswerIsTheApisErrorAlsoWhenDataComesFirst() {
        assertThatThrownBy(() -> query(new Answer(422, "application/json",
                "{\"data\":\"oops\",\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 5\"}")))
                .isInstanceOfSatisfying(PrometheusApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.exitCode()).isEqualTo(io.exlm.mon.ExitCode.UNREACHABLE);
                    assertThat(e.error()).isEqualTo("parse error at char 5");
                    assertThat(e.url()).contains("/api/v1/query?query=up");
                });
        assertThatThrownBy(() -> query(new Answer(503, "application/json", "{\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1,\"x\"]}]},\"status\":\"error\",\"error\":\"TSDB not ready\"}")))
                .isInstanceOfSatisfying(PrometheusApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.error()).isEqualTo("TSDB not ready");
                });
    }

    @Test
    void aDataThatIsNotAQueryResultNamesTheUrlAndStatus() {
        assertThatThrownBy(() -> query(new Answer(200, "application/json", "{\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"value\":[1,\"x\"]},{\"value\":[2,\"3\"]}]},\"status\":\"success\"}")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> {
                    assertThat(e.kind()).isEqualTo(HttpFailure.Kind.PROTOCOL);
                    assertThat(e.status()).isEqualTo(200);
                    assertThat(e.getMessage()).contains("/api/v1/query?query=up")
                            .contains("not a Prometheus query result (a sample value is not a number: x)");
                });
        // the status after data that was not understood is still read: a non-2xx is the status's failure
        assertThatThrownBy(() -> query(new Answer(502, "application/json", "{\"data\":[1,2],\"status\":\"success\"}")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> assertThat(e.kind())
                        .isEqualTo(HttpFailure.Kind.HTTP_STATUS));
    }

    @Test
    void fieldsOfTheWrongShapeAreReadPast() throws Exception {
        QueryResult r = query(new Answer(200, "application/json", "{\"data\":{\"resultType\":{\"x\":[1,{}]},"
                + "\"result\":[]},\"warnings\":[\"w\"],\"status\":\"success\"}"));
        assertThat(r.series()).isEmpty();
        QueryResult after = query(new Answer(200, "application/json", "{\"status\":\"success\",\"infos\":{\"a\":[]},"
                + "\"data\":{\"result\":[{\"metric\":{\"job\":\"a\"},\"value\":[1,\"2\"]}],\"resultType\":\"vector\"}}"));
        assertThat(after.series()).singleElement().satisfies(s -> assertThat(s.value()).isEqualTo(2));
    }

    @Test
    void notJsonIsSaidSo() {
        assertThatThrownBy(() -> query(new Answer(200, "text/html", "<html>login</html>")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> assertThat(e.kind()).isEqualTo(HttpFailure.Kind.NOT_JSON));
        assertThatThrownBy(() -> query(new Answer(200, "application/json", "{\"status\":\"success\",\"data\":{")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> assertThat(e.getMessage()).contains("not valid JSON"));
        assertThatThrownBy(() -> query(new Answer(500, "text/plain", "boom")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> assertThat(e.kind())
                        .isEqualTo(HttpFailure.Kind.HTTP_STATUS));
        assertThatThrownBy(() -> query(new Answer(200, "application/json", "")))
                .isInstanceOfSatisfying(HttpFailure.class, e -> assertThat(e.getMessage()).contains("empty body"));
    }
}
