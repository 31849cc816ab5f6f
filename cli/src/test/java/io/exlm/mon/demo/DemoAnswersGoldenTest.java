package io.exlm.mon.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Golden;
import io.exlm.mon.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The demo's health answers byte for byte, from fixed readings at a fixed time: what {@code health}, the doctor and
 * a user's own probes read from {@code exlm-mon demo}.
 */
class DemoAnswersGoldenTest {
    private static final String AT = "2026-03-01T12:00:00.000Z";

    private static String text(Object answer) throws Exception {
        return new String(DemoServer.body(answer), StandardCharsets.UTF_8) + "\n";
    }

    @Test
    void readyWithEveryDependencyPassing() throws Exception {
        var reading = new SystemReadings.Reading(12.34, 41.06, 55.55, false, "/");
        Golden.assertMatches("demo-answer-ready.json", text(DemoServer.readyAnswer(AT,
                new Readiness(null, "", 90, 85).run(reading))), "/api/v1/health/ready, all passing");
    }

    @Test
    void readyWithSyntheticReadingsAboveTheThresholds() throws Exception {
        var reading = new SystemReadings.Reading(97.0, 93.25, 91.04, true, "/data");
        Golden.assertMatches("demo-answer-ready-failing.json", text(DemoServer.readyAnswer(AT,
                new Readiness(null, null, 90, 85).run(reading))), "/api/v1/health/ready, disk and memory failing");
    }

    @Test
    void systemMetricsOfTheHostAndOfTheOverloadScenario() throws Exception {
        Golden.assertMatches("demo-answer-metrics.json", text(DemoServer.metricsAnswer(AT,
                new SystemReadings.Reading(12.34, 41.06, 55.55, false, "/"), Scenario.NORMAL.name())),
                "/api/v1/health/metrics, host readings");
        Golden.assertMatches("demo-answer-metrics-synthetic.json", text(DemoServer.metricsAnswer(AT,
                new SystemReadings.Reading(97.0, 93.25, 91.04, true, "/data"), Scenario.OVERLOAD.name())),
                "/api/v1/health/metrics, overload scenario");
    }

    @Test
    void healthAndLive() throws Exception {
        Golden.assertMatches("demo-answer-health.json", text(DemoServer.healthAnswer(AT)), "/api/v1/health");
        Golden.assertMatches("demo-answer-live.json", text(DemoServer.liveAnswer(AT, 12.3, 4242)),
                "/api/v1/health/live");
    }

    @Test
    void aReachedDependencyIsItsAddressAndLatencyAndARefusedOneItsAddressAndError() throws Exception {
        try (ServerSocket db = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            String up = "127.0.0.1:" + db.getLocalPort();
            String down = "127.0.0.1:" + Ports.closed();
            String body = text(DemoServer.readyAnswer(AT, new Readiness(up, down, 90, 85).run(
                    new SystemReadings.Reading(1, 2, 3, false, "/"))));
            assertThat(body).matches("\\{\"status\":\"not_ready\",\"timestamp\":\"" + AT + "\",\"checks\":\\{"
                    + "\"database\":\\{\"status\":\"ok\",\"address\":\"" + up + "\",\"latency_ms\":[0-9.E-]+},"
                    + "\"redis\":\\{\"status\":\"fail\",\"address\":\"" + down + "\",\"error\":\"connection refused: "
                    + "[^\"]+\"},\"disk\":.*,\"failed\":\\[\"redis\"]}\n");
        }
    }
}
