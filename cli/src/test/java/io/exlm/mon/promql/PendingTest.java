package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What is said of a pending alert: its state against its rule's for:, and its texts without unmet durations. */
class PendingTest {
    private static final String SUMMARY = "10.84% of requests to 127.0.0.1:8000 fail (above 5 % for 5 minutes)";

    @Test
    void aPendingAlertIsSaidAgainstItsRulesFor() {
        assertThat(Pending.state(12L, 300L)).isEqualTo("pending for 12s of 5m");
        assertThat(Pending.state(97L, 0L)).isEqualTo("pending for 1m37s");
        assertThat(Pending.state(97L, null)).isEqualTo("pending for 1m37s");
        assertThat(Pending.state(null, 300L)).startsWith("pending (since when unknown");
    }

    @Test
    void aDurationNotYetMetIsCutAndOneMetStays() {
        assertThat(Pending.unclaimed(SUMMARY, 12L)).isEqualTo("10.84% of requests to 127.0.0.1:8000 fail (above"
                + " 5 %)");
        // active as long as it claims: true, kept
        assertThat(Pending.unclaimed(SUMMARY, 300L)).isEqualTo(SUMMARY);
        assertThat(Pending.unclaimed(SUMMARY, null)).doesNotContain("for 5 minutes");
        assertThat(Pending.unclaimed("CPU usage above 80 % on a:1 for 5 minutes (91.0 %)", 180L))
                .isEqualTo("CPU usage above 80 % on a:1 (91.0 %)");
        assertThat(Pending.unclaimed("has used more than 90 % of its memory for 5 minutes. Check", 0L))
                .isEqualTo("has used more than 90 % of its memory. Check");
        assertThat(Pending.unclaimed("down for more than 1m30s; up for an hour; ran for 2 h; waited for 10m", 60L))
                .isEqualTo("down; up; ran; waited");
        assertThat(Pending.unclaimed("up for 1m and for 30s", 60L)).isEqualTo("up for 1m and for 30s");
    }

    @Test
    void windowsAndOtherWordsAfterForStay() {
        for (String kept : new String[] {"failed in the last 5 minutes", "over the last 1h and over the last 5m",
            "check for 5xx answers", "for a database", "for a Slack receiver", "for 5 % of requests",
            "for 250ms"}) {
            assertThat(Pending.unclaimed(kept, 0L)).as(kept).isEqualTo(kept);
        }
    }
}
