package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The range-query chart of exlm-mon query, as text. */
class LineChartTest {
    static final Instant T0 = Instant.parse("2025-01-07T10:00:00Z");

    static List<String> render(List<LineChart.Series> s, int width, int height) {
        return LineChart.render(s, T0, 60_000, width, height, Glyphs.ASCII, ZoneOffset.UTC, (i, t) -> t);
    }

    @Test
    void aRisingLineWithAxesTimesAndLegend() {
        List<String> lines = render(List.of(new LineChart.Series("up{job=\"a\"}", new double[] {0, 1, 2, 3, 4})),
                20, 5);
        assertThat(lines).containsExactly(
                "4 |              ***",
                "  |          ****",
                "2 |      ****",
                "  |  ****",
                "0 |**",
                "  +-----------------",
                "   10:00:00 10:04:00",
                "* up{job=\"a\"}  last 4, min 0, max 4");
    }

    @Test
    void gapsStayEmptyAndJumpsAreDrawnAsStrokes() {
        List<String> lines = render(List.of(new LineChart.Series("s", new double[] {0, Double.NaN, 10, 0})), 14, 4);
        // ten columns over four points: 0 0 | gap gap gap | 10 10 10 | 0 0, the drop from 10 drawn as a stroke
        assertThat(lines.subList(0, 4)).containsExactly(
                "10 |     ***",
                "   |        *",
                " 5 |        *",
                " 0 |**      **");
    }

    @Test
    void severalSeriesEachWithItsMarkAndTheRestCounted() {
        List<LineChart.Series> many = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            many.add(new LineChart.Series("s" + i, new double[] {i, i}));
        }
        List<String> lines = render(many, 30, 10);
        assertThat(lines).contains("* s0  last 0, min 0, max 0", "o s1  last 1, min 1, max 1");
        assertThat(lines.get(lines.size() - 1)).startsWith("... and 2 more series");
        assertThat(lines.get(0)).contains("&"); // the eighth series, at the top
    }

    @Test
    void flatAndEmptySeries() {
        assertThat(render(List.of(new LineChart.Series("flat", new double[] {5, 5, 5})), 20, 3).get(1))
                .contains("5 |***");
        assertThat(render(List.of(new LineChart.Series("none", new double[] {Double.NaN})), 20, 3))
                .containsExactly("(no data in the range)");
    }

    @Test
    void axisNumbersAreShort() {
        assertThat(LineChart.axis(0.000123456)).isEqualTo("0.000123");
        assertThat(LineChart.axis(0.05)).isEqualTo("0.05");
        assertThat(LineChart.axis(12.345)).isEqualTo("12.3");
        assertThat(LineChart.axis(999)).isEqualTo("999");
        assertThat(LineChart.axis(12_345)).isEqualTo("12.3k");
        assertThat(LineChart.axis(2_500_000)).isEqualTo("2.50M");
        assertThat(LineChart.axis(Double.NaN)).isEqualTo("NaN");
    }
}
