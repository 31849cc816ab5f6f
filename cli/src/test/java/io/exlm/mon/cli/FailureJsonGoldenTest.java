package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With {@code -o json}, {@code metrics}, {@code query} and {@code alerts} write one document on stdout also when they
 * fail (exit 3, or an internal error), and their one-line error on stderr as ever. The golden files hold the whole
 * document; only the test server's port is blanked (PORT). Rewrite them with {@code -Dexlm.golden.update=true}, check
 * the diff, and say so in the commit and the README ("JSON on failure").
 */
class FailureJsonGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void metricsWhenNothingListens() throws Exception {
        String closed = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = Cli.exec("metrics", "--backend-url", closed, "-o", "json");
        assertFailure(r, 3, "failure-metrics-refused.json", closed);
    }

    @Test
    void metricsOfABodyThatIsNoExposition() throws Exception {
        Cli.Result r = new Cli().stdin("cache_hits{a=\"b} 1\n".getBytes(StandardCharsets.UTF_8))
                .run("metrics", "--file", "-", "-o", "json");
        assertFailure(r, 3, "failure-metrics-unparsable.json", null);
    }

    @Test
    void metricsCheckOfAFileThatIsNotThere() throws Exception {
        Cli.Result r = Cli.exec("metrics", "check", "no-such-file.prom", "-o", "json");
        assertFailure(r, 3, "failure-metrics-check-missing.json", null);
    }

    @Test
    void metricsCheckOfNothingAtAllFails() {
        // the command before the pipe failed: a check of no bytes must not pass
        Cli.Result r = new Cli().stdin(new byte[0]).run("metrics", "check", "-");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("-:1:1: empty: not a single byte to check");
    }

    @Test
    void queryThatPrometheusAnswersWithAnError() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 503, "application/json",
                "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"TSDB not ready\"}"))) {
            Cli.Result r = Cli.exec("query", "up", "--prometheus-url", s.url(), "-o", "json");
            assertFailure(r, 3, "failure-query-api-error.json", s.url());
        }
    }

    @Test
    void alertsFromAnAnswerThatIsNotJson() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "text/html",
                "<html>\u001b[31mlogin</html>"))) {
            Cli.Result r = Cli.exec("alerts", "--prometheus-url", s.url(), "-o", "json");
            assertFailure(r, 3, "failure-alerts-not-json.json", s.url());
        }
    }

    @Test
    void alertsFromAnAlertmanagerThatAnswers500() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 500, "text/plain",
                "boom"))) {
            Cli.Result r = Cli.exec("alerts", "--source", "alertmanager", "--alertmanager-url", s.url(), "-o",
                    "json");
            assertFailure(r, 3, "failure-alerts-http-status.json", s.url());
        }
    }

    @Test
    void aUsageErrorWritesNoDocument() {
        Cli.Result r = Cli.exec("metrics", "--source", "bogus", "-o", "json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        Cli.Result q = Cli.exec("query", "up", "--step", "1m", "-o", "json");
        assertThat(q.exitCode()).isEqualTo(2);
        assertThat(q.out()).isEmpty();
    }

    @Test
    void withoutJsonStdoutStaysEmpty() {
        String closed = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = Cli.exec("metrics", "--backend-url", closed);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
    }

    @Test
    void anInternalErrorIsStatusErrorAndExit4() {
        assertThat(FailureDocument.of("query", new IllegalStateException("a bug"))).isEqualTo(
                new FailureDocument.Document("query", "error", 4, "internal error: java.lang.IllegalStateException:"
                        + " a bug", null, null, null));
    }

    private static void assertFailure(Cli.Result r, int code, String golden, String serverUrl) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(code);
        // the error line on stderr stays, and says what the document's error says
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        JsonNode doc = JSON.readTree(r.out());
        assertThat(r.errLines().get(0)).isEqualTo("exlm-mon: " + io.exlm.mon.Text.printable(doc.get("error")
                .asText()));
        String actual = JSON.writeValueAsString(normalise(doc, serverUrl)) + "\n";
        io.exlm.mon.testing.Golden.assertMatches(golden, actual, "failure JSON");
    }

    /** The test server's address to http://127.0.0.1:PORT, what no two runs share. */
    private static JsonNode normalise(JsonNode node, String serverUrl) {
        if (serverUrl == null) {
            return node;
        }
        if (node instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(normalise(e.getValue(), serverUrl));
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                a.set(i, normalise(a.get(i), serverUrl));
            }
        } else if (node.isTextual()) {
            String port = serverUrl.substring(serverUrl.lastIndexOf(':') + 1);
            return TextNode.valueOf(node.asText().replace(serverUrl, "http://127.0.0.1:PORT")
                    .replace("127.0.0.1:" + port, "127.0.0.1:PORT"));
        }
        return node;
    }
}
