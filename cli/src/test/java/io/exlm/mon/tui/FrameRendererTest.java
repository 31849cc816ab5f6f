package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameRendererTest {
    private static List<String> text(List<AttributedString> lines) {
        return lines.stream().map(AttributedString::toString).toList();
    }

    private static String joined(List<AttributedString> lines) {
        return String.join("\n", text(lines));
    }

    @ParameterizedTest
    @CsvSource({"120,40", "200,60", "80,24", "100,30", "60,20", "40,10"})
    void everyFrameHasExactlyTheTerminalsSize(int width, int height) {
        List<AttributedString> lines = new FrameRenderer(true, true).render(Frames.model(Frames.panels()), width,
                height);
        assertThat(lines).hasSize(height);
        assertThat(lines).allSatisfy(l -> assertThat(l.columnLength()).isLessThanOrEqualTo(width));
    }

    @Test
    void fullSizeShowsEveryGroupWithItsNumbers() {
        String frame = joined(new FrameRenderer(false, true).render(Frames.model(Frames.panels()), 120, 40));
        assertThat(frame).contains("exlm-mon top", "scrape http://127.0.0.1:8000/metrics", "OK", "updated 0.4s ago",
                "every 1s");
        assertThat(frame).contains("CPU", "42.5%", "Memory", "85.0%", "Disk", "93.2%");
        assertThat(frame).containsPattern("users +52").containsPattern("websockets +31");
        assertThat(frame).contains("Requests/s", "21.4/s", "Latency", "p50 35ms", "p95 120ms", "p99 310ms",
                "In progress");
        assertThat(frame).contains("Model training", "completed", "Dataset processing", "Celery", "pending 4");
        assertThat(frame).contains("Error rate", "7.1%", "ALERT", "Errors by type", "database", "Cache hit ratio",
                "87.5%");
        assertThat(frame).doesNotContain("hidden");
    }

    @Test
    void figuresReadFromRecordingsSayTheirAge() {
        // evaluated 12 s before the poll, which was 2.4 s ago: the figures are 14 s old
        DashboardState state = new DashboardState("PromQL http://127.0.0.1:9090 1m", 1000, true, -1);
        state.update(0, Frames.panels(), 1_000_000, new io.exlm.mon.source.Snapshot.Recorded("exlm-frame", 13, 13,
                988_000, 1_000_000));
        String frame = joined(new FrameRenderer(false, true).render(state.model(1_002_400), 120, 40));
        assertThat(frame).contains("recorded 14s ago").doesNotContain("updated");
        // asked for at the poll's time: the poll's age, as ever
        state.update(0, Frames.panels(), 1_000_000, null);
        assertThat(joined(new FrameRenderer(false, true).render(state.model(1_002_400), 120, 40)))
                .contains("updated 2.4s ago").doesNotContain("recorded");
    }

    @Test
    void aChartSaysItsScale() {
        // the chart is scaled to what it shows: a wobble of 19.9-20.6/s is drawn as tall as a doubling, so the
        // headline line says the chart's bottom and top
        java.util.Map<io.exlm.mon.panel.PanelId, io.exlm.mon.panel.PanelState> panels = new java.util.EnumMap<>(
                Frames.panels());
        panels.put(io.exlm.mon.panel.PanelId.REQUEST_RATE, new io.exlm.mon.panel.PanelState(
                io.exlm.mon.panel.PanelId.REQUEST_RATE, List.of(new io.exlm.mon.panel.PanelState.Figure("", 20.6,
                io.exlm.mon.panel.PanelState.Unit.PER_SECOND)), List.of(), Frames.ramp(30, 19.9, 20.6),
                io.exlm.mon.panel.Level.NONE, null));
        List<String> lines = text(new FrameRenderer(false, true).render(Frames.model(panels), 120, 40));
        assertThat(lines).anySatisfy(l -> assertThat(l).containsPattern("\\u2502 20\\.6/s +19\\.9/s\\.\\.20\\.6/s \\u2502"));
        // a flat history has no scale to say
        panels.put(io.exlm.mon.panel.PanelId.REQUEST_RATE, new io.exlm.mon.panel.PanelState(
                io.exlm.mon.panel.PanelId.REQUEST_RATE, List.of(new io.exlm.mon.panel.PanelState.Figure("", 20,
                io.exlm.mon.panel.PanelState.Unit.PER_SECOND)), List.of(), Frames.ramp(60, 20, 20),
                io.exlm.mon.panel.Level.NONE, null));
        assertThat(joined(new FrameRenderer(false, true).render(Frames.model(panels), 120, 40))).doesNotContain(
                "20.0/s..");
    }

    @Test
    void aPanelWhoseWindowIsNotFullSaysSoInItsTitleEvenWhenNarrow() {
        Map<PanelId, PanelState> panels = new java.util.EnumMap<>(Frames.panels());
        io.exlm.mon.source.Snapshot.Coverage c = new io.exlm.mon.source.Snapshot.Coverage(
                java.time.Duration.ofMillis(10_300), java.time.Duration.ofMinutes(1), true);
        for (PanelId id : new PanelId[] {PanelId.ERROR_RATE, PanelId.ERRORS_BY_TYPE, PanelId.CACHE}) {
            panels.put(id, panels.get(id).withCoverage(c));
        }
        String wide = joined(new FrameRenderer(false, true).render(Frames.model(panels), 120, 40));
        assertThat(wide).contains("Error rate 10s/1m", "Errors by type 10s/1m", "Cache hit ratio 10s/1m");
        assertThat(wide).doesNotContain("Requests/s 10s/1m", "CPU 10s");
        // at 80 columns the last panel of the row is 25 wide: its title is cut, the window's note is kept
        String narrow = joined(new FrameRenderer(false, true).render(Frames.model(panels), 80, 24));
        assertThat(narrow).contains("Error rate 10s/1m", "Errors by type 10s/1m", "Cache hit ra\u2026 10s/1m");
        String ascii = joined(new FrameRenderer(false, false).render(Frames.model(panels), 80, 24));
        assertThat(ascii).contains("Cache hit ra~ 10s/1m");
    }

    @Test
    void textRenderingOfOneBox() {
        List<String> lines = text(new FrameRenderer(false, false).render(Frames.model(Frames.panels()), 88, 30));
        // the system row: four boxes of 22 columns, ASCII borders, the focused panel marked
        assertThat(lines.get(1)).isEqualTo("+-> CPU -------------++- Memory -----------++- Disk -------------+"
                + "+- Users ------------+");
        assertThat(lines.get(2)).startsWith("| 42.5%              || 85.0%  warn        || 93.2%  ALERT       |");
        assertThat(lines.get(3)).startsWith("| ########..........  |".substring(0, 20));
        assertThat(lines.get(4)).startsWith("| alert > 80.0%      |");
    }

    @Test
    void thresholdsColourTheGauges() {
        List<AttributedString> lines = new FrameRenderer(true, true).render(Frames.model(Frames.panels()), 120, 40);
        AttributedString system = lines.get(2);
        int cpu = system.toString().indexOf("42.5%");
        int memory = system.toString().indexOf("85.0%");
        int disk = system.toString().indexOf("93.2%");
        assertThat(system.styleAt(cpu)).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN).bold());
        assertThat(system.styleAt(memory)).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)
                .bold());
        assertThat(system.styleAt(disk)).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold());
    }

    @Test
    void withoutColourThereIsNoColourButTheTextIsTheSame() {
        DashboardModel m = Frames.model(Frames.panels());
        List<AttributedString> mono = new FrameRenderer(false, true).render(m, 120, 40);
        List<AttributedString> colour = new FrameRenderer(true, true).render(m, 120, 40);
        assertThat(text(mono)).isEqualTo(text(colour));
        for (AttributedString line : mono) {
            assertThat(line.toAnsi()).doesNotContainPattern("\u001b\\[(3|9)[0-7]m").doesNotContain(";3");
        }
    }

    @Test
    void missingDataSaysWhyInWords() {
        Map<PanelId, PanelState> panels = Frames.panels();
        panels.put(PanelId.REQUEST_RATE, PanelState.unavailable(PanelId.REQUEST_RATE, "needs a second scrape for a"
                + " rate"));
        panels.put(PanelId.CACHE, PanelState.unavailable(PanelId.CACHE, "cache_hits is not exposed by"
                + " http://127.0.0.1:8000/metrics (near: cache_hit_total)"));
        String frame = joined(new FrameRenderer(false, true).render(Frames.model(panels), 120, 40));
        assertThat(frame).contains("needs a second scrape for a").contains("rate");
        assertThat(frame).contains("cache_hits is not exposed").contains("cache_hit_total");
    }

    @Test
    void unreachableSourceIsOneBannerOverThePanelsAsTheyWere() {
        DashboardState state = new DashboardState("scrape http://127.0.0.1:1/metrics", 1000);
        state.update(Frames.panels(), 0);
        state.failed("connection refused", true, 1000);
        String frame = joined(new FrameRenderer(false, true, java.time.ZoneOffset.UTC).render(state.model(1500), 120,
                40));
        assertThat(frame).contains("unreachable", "source down since 00:00:01: connection refused");
        // once, in the banner: not on every panel
        assertThat(frame.split("connection refused", -1)).hasSize(2);
        // the figures as they were, kept (greyed: DashboardHistoryTest)
        assertThat(frame).contains("42.5%");
    }

    @Test
    void smallTerminalsDropPanelsInTheStatedOrderAndSaySo() {
        DashboardModel m = Frames.model(Frames.panels());
        String small = joined(new FrameRenderer(false, true).render(m, 80, 24));
        // after the key hints, by the panels' titles, as many as fit
        assertThat(small).contains("q quit  Enter breakdown  i instance  ? help  hidden: Users, Celery +2");
        assertThat(small).contains("Error rate", "Latency", "CPU");
        String tiny = joined(new FrameRenderer(false, true).render(m, 50, 14));
        assertThat(tiny).contains("hidden: ");
        assertThat(tiny).contains("Error rate");
        assertThat(tiny).doesNotContain("─ Celery ").contains("hidden: Celery");
        String tooSmall = joined(new FrameRenderer(false, true).render(m, 30, 8));
        assertThat(tooSmall).contains("too small 30x8 (need 40x10)");
    }

    @Test
    void expandedPanelTakesTheBody() {
        DashboardModel m = Frames.model(Frames.panels());
        DashboardModel expanded = new DashboardModel(m.header(), m.panels(), PanelId.ERROR_RATE, PanelId.ERROR_RATE,
                false, false);
        List<String> lines = text(new FrameRenderer(false, true).render(expanded, 100, 30));
        assertThat(lines.get(1)).contains("Error rate");
        assertThat(String.join("\n", lines)).doesNotContain("Latency").contains("Esc/Enter back");
    }

    @Test
    void helpListsTheKeys() {
        DashboardModel m = Frames.model(Frames.panels());
        DashboardModel help = new DashboardModel(m.header(), m.panels(), PanelId.CPU, null, true, false);
        assertThat(joined(new FrameRenderer(false, true).render(help, 100, 30))).contains("q, Ctrl-C", "refresh now",
                "Enter", "CPU 80 %");
    }

    @Test
    void asciiFramesHaveNoUnicode() {
        String frame = joined(new FrameRenderer(false, false).render(Frames.model(Frames.panels()), 120, 40));
        assertThat(frame.chars()).allMatch(c -> c < 128);
    }
}
