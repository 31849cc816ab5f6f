package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Wrapping at spaces: within the width, words whole, a word wider than the room alone on its line. */
class WrapTest {
    @Test
    void wrapsAtSpacesWithinTheWidthAndIndentsWhatFollows() {
        List<String> lines = Wrap.lines("  [FAIL] backend.live  ", "the backend does not answer at"
                + " http://127.0.0.1:8000/api/v1/health/live (connection refused)", 9, 40);
        assertThat(lines).containsExactly(
                "  [FAIL] backend.live  the backend does",
                "         not answer at",
                "         http://127.0.0.1:8000/api/v1/health/live",
                "         (connection refused)");
    }

    @Test
    void aWordWiderThanTheRoomStaysWholeOnALineOfItsOwn() {
        String selector = "http_request_duration_seconds_bucket{job=\"exlm-backend\",le=\"0.5\"}";
        List<String> lines = Wrap.lines("query: ", "rate(" + selector + "[5m]) is empty", 2, 30);
        assertThat(lines).containsExactly("query:", "  rate(" + selector + "[5m])", "  is empty");
        // the lead alone when even the first word does not fit after it
        assertThat(Wrap.lines("  [FAIL] nodata.system-state  ", "dashboard", 9, 35))
                .containsExactly("  [FAIL] nodata.system-state", "         dashboard");
    }

    @Test
    void lineBreaksStartALineAtTheIndentAndSpacesCollapse() {
        assertThat(Wrap.lines("fix: ", "start it\nthen  reload it", 5, 80))
                .containsExactly("fix: start it", "     then reload it");
        assertThat(Wrap.lines("  ", "", 2, 80)).containsExactly("");
    }

    @Test
    void coloursTakeNoColumns() {
        Ansi on = new Ansi(true);
        List<String> lines = Wrap.lines("  " + on.red("[FAIL]") + " id  ", "aaaa bbbb cccc", 9, 20);
        assertThat(lines).containsExactly("  " + on.red("[FAIL]") + " id  aaaa", "         bbbb cccc");
        assertThat(Wrap.columns(on.bold("fix:"))).isEqualTo(4);
    }
}
