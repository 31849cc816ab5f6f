package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * prometheus.targets in the sharded topology: a member that does not answer (killed, its pid file left) fails the
 * check by name, with the cause and the command that restarts it; a member that was never started too.
 */
class ShardingMembersTest {
    private static final String TARGETS = "/io/exlm/mon/promql/vmagent-1.79-targets-unscraped.json";

    private static DoctorEnv env(HttpLayer http, Sharding sh) {
        Map<String, Object> facts = new HashMap<>();
        facts.put("sharding", sh);
        return new DoctorEnv(http, "http://127.0.0.1:" + Ports.closed(), "http://127.0.0.1:8000",
                "http://127.0.0.1:9093", "http://127.0.0.1:3000", Duration.ofSeconds(1), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, "local", null,
                new Facts(facts), Clock.systemUTC());
    }

    @Test
    void aMemberThatDoesNotAnswerFailsByName() throws Exception {
        String targets = new String(getClass().getResourceAsStream(TARGETS).readAllBytes(), StandardCharsets.UTF_8);
        try (FaultServer member0 = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", targets));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            String dead = "http://127.0.0.1:" + Ports.closed();
            Sharding sh = new Sharding(List.of(new Sharding.Member("vmagent-0", member0.url()),
                    new Sharding.Member("vmagent-1", dead)), null);
            Outcome o = PrometheusChecks.targets(env(http, sh));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("vmagent-1").contains(dead).contains("connection refused");
            assertThat(o.remediation()).contains("exlm-mon up --runtime local --topology sharded");
        }
    }

    @Test
    void aMemberNeverStartedFailsByName() throws Exception {
        try (HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            Sharding sh = new Sharding(List.of(new Sharding.Member("vmagent-0", null)), null);
            Outcome o = PrometheusChecks.targets(env(http, sh));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("vmagent-0").contains("not running");
            assertThat(o.remediation()).contains("exlm-mon up --runtime local --topology sharded");
        }
    }
}
