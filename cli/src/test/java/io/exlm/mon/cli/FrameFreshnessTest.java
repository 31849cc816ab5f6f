package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scope;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.ScriptedPrometheus;
import io.exlm.mon.testing.ScriptedPrometheus.Series;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A frame read from the exlm-frame recordings is of their time of evaluation, up to 30 s before the frame: the
 * documents and views say so, and a run whose frame is a verdict (top --fail-on-alert, metrics --push-gateway) never
 * reads them. The recordings here say the disk is 95 % full (beyond the alert's 90 %), the queries themselves that it
 * is 50 %: which one a run read shows in its figure.
 */
class FrameFreshnessTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Map<String, List<Series>> parts(String disk) {
        Map<String, List<Series>> parts = new LinkedHashMap<>();
        parts.put("disk_usage_percent:value", List.of(new Series(Map.of(), disk)));
        parts.put("disk_usage_percent:instances", List.of(new Series(Map.of(), "1")));
        parts.put("disk_usage_percent:instance", List.of(new Series(Map.of("instance", "a:8000"), disk)));
        return parts;
    }

    /** The queries answer 50 %, their recordings, evaluated {@code secondsAgo} before now, 95 %. */
    private static ScriptedPrometheus prometheus(long evaluatedAt) throws Exception {
        Map<String, List<Series>> script = new LinkedHashMap<>(ScriptedPrometheus.frame(Scope.BACKEND,
                Combination.defaults(), PanelId.WINDOW, parts("50")));
        script.putAll(ScriptedPrometheus.recordedFrame(PanelId.WINDOW, parts("95"), evaluatedAt));
        return new ScriptedPrometheus(script, List.of("disk_usage_percent"));
    }

    @Test
    void aGateAsksForItsFiguresAtItsOwnTime() throws Exception {
        long evaluatedAt = Instant.now().getEpochSecond() - 10;
        try (ScriptedPrometheus p = prometheus(evaluatedAt)) {
            Cli.Result gate = Cli.exec("top", "--once", "--source", "prometheus", "--prometheus-url", p.url(), "-o",
                    "json", "--fail-on-alert=disk");
            assertThat(gate.exitCode()).as(gate.toString()).isZero();
            JsonNode doc = JSON.readTree(gate.out());
            assertThat(doc.at("/panels/disk/figures/0/value").asDouble()).isEqualTo(50.0);
            assertThat(doc.has("recordings")).isFalse();
            assertThat(p.unknown()).as("no recording asked for").noneMatch(q -> q.contains(
                    PrometheusSource.FINGERPRINT));

            // the same view without the gate: the recordings' figure, their time, and no verdict from it
            Cli.Result view = Cli.exec("top", "--once", "--source", "prometheus", "--prometheus-url", p.url(), "-o",
                    "json");
            assertThat(view.exitCode()).as(view.toString()).isZero();
            JsonNode v = JSON.readTree(view.out());
            assertThat(v.at("/panels/disk/figures/0/value").asDouble()).isEqualTo(95.0);
            assertThat(v.at("/recordings/group").asText()).isEqualTo(PrometheusSource.FRAME_GROUP);
            assertThat(v.at("/recordings/time").asText()).isEqualTo(Instant.ofEpochSecond(evaluatedAt).toString());
            assertThat(v.at("/recordings/age_seconds").asDouble()).isGreaterThanOrEqualTo(10.0);
            // the other panels' recordings are empty, of the evaluation that found the disk's: read as empty answers
            assertThat(v.at("/recordings/queries").asInt()).isEqualTo(v.at("/recordings/of").asInt()).isPositive();
        }
    }

    @Test
    void metricsSaysTheTimeItsFiguresAreFor() throws Exception {
        long evaluatedAt = Instant.now().getEpochSecond() - 10;
        try (ScriptedPrometheus p = prometheus(evaluatedAt)) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.at("/derived/disk_percent").asDouble()).isEqualTo(95.0);
            assertThat(doc.get("time_ms").asLong()).isEqualTo(evaluatedAt * 1000);
            assertThat(doc.at("/recordings/frame_ms").asLong() - doc.get("time_ms").asLong()).isEqualTo(Math.round(
                    doc.at("/recordings/age_seconds").asDouble() * 1000)).isGreaterThanOrEqualTo(10_000);

            Cli.Result text = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url());
            assertThat(text.out().lines().findFirst().orElse("")).containsPattern("; exlm-frame recordings, \\d+\\.\\ds"
                    + " old\\)$");
        }
    }

    @Test
    void metricsPushingItsChecksAsksAtItsOwnTime() throws Exception {
        long evaluatedAt = Instant.now().getEpochSecond() - 10;
        try (ScriptedPrometheus p = prometheus(evaluatedAt);
                io.exlm.mon.testing.FaultServer gateway = new io.exlm.mon.testing.FaultServer((req, out, sock) ->
                        io.exlm.mon.testing.FaultServer.respond(out, 200, "text/plain", ""))) {
            Cli.Result r = Cli.exec("metrics", "--source", "prometheus", "--prometheus-url", p.url(), "-o", "json",
                    "--push-gateway", gateway.url());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            JsonNode doc = JSON.readTree(r.out());
            assertThat(doc.at("/derived/disk_percent").asDouble()).isEqualTo(50.0);
            assertThat(doc.has("recordings")).isFalse();
        }
    }
}
