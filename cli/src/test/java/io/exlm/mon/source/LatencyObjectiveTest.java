package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.slo.Slo;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.FrameRenderer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/**
 * The latency panel's threshold is the SLO file's latency objective (stack/slo/exlm-backend.yml, the one place): the
 * generated file the jar reads is the SLO file's, every view (the panel's level, the frame, the band) follows a
 * changed objective, and the percentile judged is the objective's share.
 */
class LatencyObjectiveTest {
    private static final Path SLO = Path.of("..", "stack", StackFiles.SLO).toAbsolutePath().normalize();

    static Slo checkout() throws Exception {
        return Slo.parse(Files.readString(SLO), "stack/" + StackFiles.SLO);
    }

    @Test
    void theBundledObjectiveIsTheSloFiles() throws Exception {
        LatencyObjective o = checkout().latencyObjective();
        assertThat(LatencyObjective.bundled()).isEqualTo(o);
        // SPEC.md, "Service levels": 95 % of requests answered within 500 ms
        assertThat(o).isEqualTo(new LatencyObjective(0.95, 0.5));
        assertThat(o.label()).isEqualTo("p95");
        assertThat(o.warning()).isEqualTo(0.4);
        assertThat(Thresholds.objective(PanelId.LATENCY)).isEqualTo(new Thresholds.Band(0.4, 0.5));
        assertThat(Thresholds.objective(PanelId.ERROR_RATE)).isNull();
        // an objective, not an alert rule: the latency panel has no alert threshold to gate on
        assertThat(Thresholds.of(PanelId.LATENCY)).isNull();
    }

    @Test
    void theGeneratedObjectiveIsTheSloFiles() throws Exception {
        // the jar reads a file generated from the SLO (no YAML at run time): stale, it fails here
        AlertThresholdsTest.assertCommitted(io.exlm.mon.docs.Regenerate.latencyObjective(),
                checkout().latencyObjective().properties());
    }

    @Test
    void aChangedObjectiveChangesTheBandAndThePercentileJudged() throws Exception {
        String changed = Files.readString(SLO).replace("le: 0.5", "le: 0.25").replace(
                "objective: 95            # percent of requests\n    le:", "objective: 99\n    le:");
        LatencyObjective o = Slo.parse(changed, "a copy").latencyObjective();
        assertThat(o).isEqualTo(new LatencyObjective(0.99, 0.25));
        assertThat(o.label()).isEqualTo("p99");
        assertThat(Thresholds.objective(PanelId.LATENCY, o)).isEqualTo(new Thresholds.Band(0.2, 0.25));
        Snapshot.Latency l = new Snapshot.Latency(Figure.of(1), Figure.of(2), Figure.of(3), "window");
        assertThat(o.of(l).value()).isEqualTo(3);
        assertThatThrownBy(() -> new LatencyObjective(0.9, 0.5)).hasMessageContaining("none of the latency panel's");
    }

    private static final String BUCKETS = """
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{le="0.1"} %d
            http_request_duration_seconds_bucket{le="0.25"} %d
            http_request_duration_seconds_bucket{le="0.5"} %d
            http_request_duration_seconds_bucket{le="1"} 100
            http_request_duration_seconds_bucket{le="+Inf"} 100
            http_request_duration_seconds_count 100
            http_request_duration_seconds_sum 20
            """;

    /** The latency panel over 10 s in which 100 requests were observed, so many of them within each bucket. */
    private static PanelState latency(int within01, int within025, int within05) throws Exception {
        Scrape before = Scrape.read(BUCKETS.formatted(0, 0, 0).replace("} 100", "} 0").replace("_sum 20", "_sum 0")
                .getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "t", 0);
        Scrape after = Scrape.read(BUCKETS.formatted(within01, within025, within05).getBytes(StandardCharsets.UTF_8),
                ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "t", 10_000);
        return SnapshotPanels.of(Snapshots.between(before, after)).get(PanelId.LATENCY);
    }

    @Test
    void thePanelIsJudgedByTheObjectivesPercentileAgainstItsBound() throws Exception {
        // the bound is a bucket's: p95 is above 0.5 s exactly when fewer than 95 of the 100 fell within 0.5 s
        assertThat(LatencyObjective.bundled().seconds()).isEqualTo(0.5);
        PanelState over = latency(50, 80, 94);
        assertThat(over.figures().get(1).value()).isGreaterThan(0.5);
        assertThat(over.level()).isEqualTo(Level.ALERT);
        PanelState within = latency(50, 80, 95);
        assertThat(within.figures().get(1).value()).isEqualTo(0.5);
        assertThat(within.level()).isEqualTo(Level.WARN);
        PanelState near = latency(50, 80, 96);
        assertThat(near.figures().get(1).value()).isBetween(0.4, 0.5);
        assertThat(near.level()).isEqualTo(Level.WARN);
        PanelState fast = latency(50, 96, 99);
        assertThat(fast.figures().get(1).value()).isLessThan(0.4);
        assertThat(fast.level()).isEqualTo(Level.OK);
        // p99 is far beyond the bound in every case above: it is not the percentile judged
        assertThat(over.figures().get(2).value()).isGreaterThan(0.5);
    }

    @Test
    void theFrameColoursTheJudgedPercentileAndSaysItIsOverTheSlo() throws Exception {
        PanelState over = latency(50, 80, 94);
        DashboardModel model = new DashboardModel(new DashboardModel.Header("t", DashboardModel.FeedStatus.OK, 0,
                1000, null), Map.of(PanelId.LATENCY, over), PanelId.LATENCY, PanelId.LATENCY, false, false);
        String frame = String.join("\n", new FrameRenderer(true, true).render(model, 100, 30).stream()
                .map(AttributedString::toAnsi).toList());
        assertThat(frame).containsPattern("p95 [^\\n]*over SLO").doesNotContainPattern("p99 [^\\n]*SLO");
        // red, as an alert is
        assertThat(frame).containsPattern("\u001b\\[[0-9;]*31[0-9;]*m[^\\n]*p95|p95 [^\\n]*\u001b\\[[0-9;]*31");
    }
}
