package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Scope;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.ScriptedPrometheus;
import io.exlm.mon.testing.ScriptedPrometheus.Series;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus that cannot be reached, or whose answer to a query is an error, is one short line: what was asked
 * (the query of which metrics), the server, the cause; never the hundreds of URL-encoded characters of the query,
 * which only -v prints.
 */
class PrometheusFailureLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anUnreachablePrometheusIsOneShortLine() {
        String url = "http://127.0.0.1:" + Ports.free();
        for (String[] args : List.of(new String[] {"metrics"}, new String[] {"top", "--once"},
                new String[] {"top", "--once", "-o", "json", "--fail-on-alert"})) {
            List<String> cmd = new java.util.ArrayList<>(List.of(args));
            cmd.addAll(List.of("--source", "prometheus", "--prometheus-url", url));
            Cli.Result r = Cli.exec(cmd.toArray(String[]::new));
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
            String line = r.errLines().get(r.errLines().size() - 1);
            assertThat(line).as(String.join(" ", cmd)).startsWith("exlm-mon: the frame's ")
                    .containsPattern("\\(the (query|recording) of cpu_usage_percent\\)")
                    .contains("GET " + url + "/api/v1/query: connection refused").doesNotContain("query=")
                    .hasSizeLessThan(300);
            assertThat(r.err()).doesNotContain("query=");
        }
        // -v: the whole of it, the URL with its query
        Cli.Result v = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", url, "-v");
        assertThat(v.exitCode()).isEqualTo(3);
        assertThat(v.err()).contains("query=");
        assertThat(v.errLines()).filteredOn(l -> l.startsWith("exlm-mon: the frame's")).singleElement()
                .satisfies(l -> assertThat(l).doesNotContain("query="));
    }

    @Test
    void aQueryThatFailsSaysSoInItsPanelShortly() throws Exception {
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        parts.put("disk_usage_percent:value", List.of(new Series(Map.of(), "50")));
        Map<String, List<Series>> script = ScriptedPrometheus.frame(Scope.BACKEND, Combination.defaults(),
                PanelId.WINDOW, parts);
        try (ScriptedPrometheus p = new ScriptedPrometheus(script, List.of("disk_usage_percent"),
                q -> q.contains("cpu_usage_percent"))) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.at("/reasons/cpu_usage_percent").asText()).startsWith("the query of cpu_usage_percent"
                    + " failed: GET " + p.url() + "/api/v1/query: Prometheus answered HTTP 503 with an error"
                    + " (timeout)").doesNotContain("query=");
            assertThat(doc.at("/derived/disk_percent").asDouble()).isEqualTo(50.0);
        }
    }

    @Test
    void theHistorysRangeQueriesAreShortToo() {
        // top --once --fail-on-alert cpu asks for the history when CPU is beyond its threshold; with Prometheus
        // down the frame fails first, and its line names the frame's queries: the history has its own words
        String url = "http://127.0.0.1:" + Ports.free();
        io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(io.exlm.mon.http.HttpOptions.defaults());
        try (http; io.exlm.mon.source.PrometheusSource s = new io.exlm.mon.source.PrometheusSource(
                new io.exlm.mon.promql.PrometheusClient(http, url), Combination.defaults(), PanelId.WINDOW,
                Scope.BACKEND, PanelId.queryGroups())) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.history(java.time.Instant.ofEpochSecond(
                    ScriptedPrometheus.ANSWERED_AT), java.time.Duration.ofSeconds(15), 10))
                    .isInstanceOf(io.exlm.mon.ExitException.class)
                    .hasMessageStartingWith("the history's ")
                    .hasMessageContaining("(the range query of cpu_usage_percent): GET " + url
                            + "/api/v1/query_range: connection refused")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("query="));
        }
    }
}
