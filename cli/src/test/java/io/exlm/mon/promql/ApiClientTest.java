package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.testing.FaultServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the three API clients share: a base URL keeps its path prefix and loses one trailing slash, and a raw GET
 * is answered as it came, whatever its status, to the path under that prefix.
 */
class ApiClientTest {
    @Test
    void theBaseUrlKeepsItsPrefixAndLosesATrailingSlash() throws Exception {
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            assertThat(new PrometheusClient(http, "http://prom:9090/prefix/").baseUrl())
                    .isEqualTo("http://prom:9090/prefix");
            assertThat(new AlertmanagerClient(http, "http://am:9093/").baseUrl()).isEqualTo("http://am:9093");
            assertThat(new GrafanaClient(http, "http://grafana:3000").baseUrl()).isEqualTo("http://grafana:3000");
        }
    }

    @Test
    void aRawGetIsAnsweredAsItCameUnderThePrefix() throws Exception {
        try (FaultServer server = new FaultServer((req, out, sock) -> FaultServer.respond(out,
                req.path().equals("/am/-/ready") ? 503 : 404, "text/plain", "not ready yet"));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            List<ApiClient> clients = List.of(new AlertmanagerClient(http, server.url() + "/am/"),
                    new PrometheusClient(http, server.url() + "/am"));
            for (ApiClient c : clients) {
                HttpResponse r = c.raw("/-/ready");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.text()).isEqualTo("not ready yet");
            }
            assertThat(server.requests()).extracting(FaultServer.Request::path)
                    .containsExactly("/am/-/ready", "/am/-/ready");
            assertThat(server.requests().get(0).header("Accept")).isEqualTo("text/plain, */*;q=0.5");
        }
    }
}
