package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.RecordedPrometheus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code alerts} says of a pending alert what is true of it: its state against its rule's for: ("pending for 3m0s
 * of 5m") and its summary without the "for 5 minutes" it has not held for; a firing alert's summary is the rule's,
 * whole. The recordings are {@link ExplainTest}'s: HighCPUUsage pending for 3 of its 5 minutes, HighErrorRate
 * firing (active 7m, for: 5m). The JSON keeps the annotations as Prometheus templated them, beside the state and
 * the ages to judge them by.
 */
class AlertsPendingTextTest {
    private static Cli.Result alerts(String recording, String... more) throws Exception {
        // a log wide enough for each alert's row on one line: the rows' cells are what this test reads
        return alerts(new Cli().env("COLUMNS", "200"), recording, more);
    }

    private static Cli.Result alerts(Cli cli, String recording, String... more) throws Exception {
        String rec = new String(AlertsPendingTextTest.class.getResourceAsStream("/io/exlm/mon/explain/" + recording
                + ".json").readAllBytes(), StandardCharsets.UTF_8);
        try (RecordedPrometheus prom = new RecordedPrometheus(rec)) {
            String[] args = new String[5 + more.length];
            args[0] = "alerts";
            args[1] = "--prometheus-url";
            args[2] = prom.url();
            args[3] = "--alertmanager-url";
            args[4] = "http://127.0.0.1:" + Ports.closed();
            System.arraycopy(more, 0, args, 5, more.length);
            Cli.Result r = cli.run(args);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            return r;
        }
    }

    @Test
    void aPendingAlertsSummaryDoesNotClaimItsForHasPassed() throws Exception {
        String text = alerts("HighCPUUsage").out();
        assertThat(text).containsPattern("pending +HighCPUUsage +warning +127\\.0\\.0\\.1:8000 +3m0s +- +pending for"
                + " 3m0s of 5m: CPU usage above 80 % on 127\\.0\\.0\\.1:8000 \\(91\\.0 %\\)\n")
                .doesNotContain("for 5 minutes");
        assertThat(alerts("HighCPUUsage", "-o", "json").out()).contains("\"state\" : \"pending\"",
                "\"summary\" : \"CPU usage above 80 % on 127.0.0.1:8000 for 5 minutes (91.0 %)\"",
                "\"active_seconds\" : 180", "\"for_seconds\" : 300");
    }

    @Test
    void everyLineFitsTheTerminalOrTheLogsHundredColumns() throws Exception {
        // off a terminal without COLUMNS: 100 columns, as doctor's; the pending row is 124 wide on one line
        String log = alerts(new Cli(), "HighCPUUsage").out();
        assertThat(log.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(Context.LOG_WIDTH));
        // at 80 the columns before the summary leave it too little room: it goes under its row
        String narrow = alerts(new Cli().env("COLUMNS", "80"), "HighCPUUsage").out();
        assertThat(narrow.lines()).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        assertThat(narrow).contains("SILENCED\n    SUMMARY\n").containsPattern("3m0s +-\n    pending for 3m0s");
        for (String text : new String[] {log, narrow}) {
            // the summary is whole, its further lines under its column (or under its row when there is no room)
            assertThat(text.replaceAll("\\s+", " ")).contains("pending for 3m0s of 5m: CPU usage above 80 % on"
                    + " 127.0.0.1:8000 (91.0 %)").contains("SINCE: since activeAt, when the condition began to hold,"
                    + " by Prometheus's clock");
        }
        int column = log.lines().findFirst().orElseThrow().indexOf("SUMMARY");
        assertThat(log.lines().filter(l -> l.startsWith(" ") && !l.startsWith("  SINCE")).findFirst())
                .hasValueSatisfying(l -> assertThat(l).startsWith(" ".repeat(column)).doesNotStartWith(" "
                        .repeat(column + 1)));
    }

    @Test
    void aFiringAlertsSummaryIsTheRulesWhole() throws Exception {
        assertThat(alerts("HighErrorRate").out()).containsPattern("firing +HighErrorRate +critical +127\\.0\\.0\\.1:8000"
                + " +7m0s +- +16% of requests to 127\\.0\\.0\\.1:8000 fail \\(above 5 % for 5 minutes\\)\n")
                .doesNotContain("pending for");
    }
}
