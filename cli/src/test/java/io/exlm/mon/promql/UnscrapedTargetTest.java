package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.stack.Readiness;
import io.exlm.mon.testing.FaultServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * vmagent 1.79 lists a target it has not scraped yet as down, with no error and the Unix epoch as its last scrape
 * (captured from a running vmagent whose first scrape was an hour off): that target is not scraped yet, not down,
 * and data is still awaited.
 */
class UnscrapedTargetTest {
    private static String captured() throws Exception {
        return new String(UnscrapedTargetTest.class
                .getResourceAsStream("/io/exlm/mon/promql/vmagent-1.79-targets-unscraped.json").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    @Test
    void theUnixEpochIsZeroTimeLikeGos() {
        assertThat(PrometheusClient.isZeroTime("1970-01-01T00:00:00Z")).isTrue();
        assertThat(PrometheusClient.isZeroTime("0001-01-01T00:00:00Z")).isTrue();
        assertThat(PrometheusClient.isZeroTime("1970-01-01T00:00:01Z")).isFalse();
        assertThat(PrometheusClient.isZeroTime("2026-12-03T15:50:57.123Z")).isFalse();
    }

    @Test
    void aTargetVmagentHasNotScrapedYetIsUnknownAndAwaited() throws Exception {
        String targets = captured();
        try (FaultServer server = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", req.path().startsWith("/api/v1/targets") ? targets
                        : "{\"status\":\"success\",\"data\":{\"groups\":[]}}"));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient member = new PrometheusClient(http, server.url());
            List<Target> listed = member.targets();
            assertThat(listed).extracting(Target::health).containsExactly("unknown");
            assertThat(Readiness.dataAwaited(member, List.of(member)))
                    .containsExactly("1 of 1 targets not scraped yet (backend)");
        }
    }
}
