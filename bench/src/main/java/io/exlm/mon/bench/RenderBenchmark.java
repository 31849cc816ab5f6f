package io.exlm.mon.bench;

import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.PanelState.Bar;
import io.exlm.mon.panel.PanelState.Figure;
import io.exlm.mon.panel.PanelState.Unit;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.FrameRenderer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jline.utils.AttributedString;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How long one frame of {@code exlm-mon top} takes to render (model to lines, with colour), with full histories
 * behind every sparkline. Target (issue 4): at most 2 ms at 200x60.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class RenderBenchmark {
    @Param({"200x60", "120x40"})
    public String size;

    private int width;
    private int height;
    private DashboardModel model;
    private FrameRenderer renderer;

    @Setup
    public void setup() {
        String[] wh = size.split("x");
        width = Integer.parseInt(wh[0]);
        height = Integer.parseInt(wh[1]);
        renderer = new FrameRenderer(true, true);
        DashboardState state = new DashboardState("scrape http://127.0.0.1:8000/metrics", 1000);
        java.util.Random r = new java.util.Random(42);
        // a full history: 240 updates, as after four minutes of watching
        for (int i = 0; i < 240; i++) {
            state.update(panels(r), i * 1000L);
        }
        model = state.model(240_500);
    }

    @Benchmark
    public List<AttributedString> frame() {
        return renderer.render(model, width, height);
    }

    /** The ANSI text that goes to the terminal, for the frame. */
    @Benchmark
    public int frameToAnsi() {
        int n = 0;
        for (AttributedString line : renderer.render(model, width, height)) {
            n += line.toAnsi().length();
        }
        return n;
    }

    private static Map<PanelId, PanelState> panels(java.util.Random r) {
        Map<PanelId, PanelState> m = new EnumMap<>(PanelId.class);
        m.put(PanelId.CPU, gauge(PanelId.CPU, 30 + r.nextDouble() * 60, Level.OK));
        m.put(PanelId.MEMORY, gauge(PanelId.MEMORY, 60 + r.nextDouble() * 35, Level.WARN));
        m.put(PanelId.DISK, gauge(PanelId.DISK, 91, Level.ALERT));
        m.put(PanelId.USERS, new PanelState(PanelId.USERS, List.of(new Figure("users", 40 + r.nextInt(20), Unit.COUNT),
                new Figure("websockets", 20 + r.nextInt(20), Unit.COUNT)), List.of(), new double[0], Level.NONE, null));
        m.put(PanelId.REQUEST_RATE, one(PanelId.REQUEST_RATE, 15 + r.nextDouble() * 10, Unit.PER_SECOND));
        m.put(PanelId.LATENCY, new PanelState(PanelId.LATENCY, List.of(new Figure("p50", 0.03 + r.nextDouble() / 100,
                Unit.SECONDS), new Figure("p95", 0.1 + r.nextDouble() / 10, Unit.SECONDS), new Figure("p99", 0.3,
                Unit.SECONDS)), List.of(), new double[0], Level.NONE, null));
        m.put(PanelId.IN_PROGRESS, one(PanelId.IN_PROGRESS, r.nextInt(8), Unit.COUNT));
        m.put(PanelId.TRAINING, bars(PanelId.TRAINING, "started", "completed", "failed"));
        m.put(PanelId.DATASETS, bars(PanelId.DATASETS, "started", "completed", "failed"));
        m.put(PanelId.CELERY, new PanelState(PanelId.CELERY, List.of(new Figure("pending", r.nextInt(30), Unit.COUNT),
                new Figure("active", 8, Unit.COUNT)), List.of(), new double[0], Level.NONE, null));
        m.put(PanelId.ERROR_RATE, one(PanelId.ERROR_RATE, r.nextDouble() / 10, Unit.RATIO));
        m.put(PanelId.ERRORS_BY_TYPE, bars(PanelId.ERRORS_BY_TYPE, "database", "timeout", "internal", "validation",
                "external_api"));
        m.put(PanelId.CACHE, one(PanelId.CACHE, 0.85, Unit.RATIO));
        return m;
    }

    private static PanelState gauge(PanelId id, double v, Level level) {
        return new PanelState(id, List.of(new Figure("", v, Unit.PERCENT)), List.of(), new double[0], level, null);
    }

    private static PanelState one(PanelId id, double v, Unit unit) {
        return new PanelState(id, List.of(new Figure("", v, unit)), List.of(), new double[0], Level.NONE, null);
    }

    private static PanelState bars(PanelId id, String... labels) {
        List<Bar> bars = new java.util.ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            bars.add(new Bar(labels[i], 100.0 / (i + 1), Unit.PER_SECOND));
        }
        return new PanelState(id, List.of(), bars, new double[0], Level.NONE, null);
    }
}
