package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.config.Durations;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The README's rows of the checks over time state {@link OverTime}'s thresholds, and --since's default: a threshold
 * changed in one place and not the other fails here.
 */
class OverTimeDocsTest {
    /** The README's row of a check: the table line that starts with its id. */
    static String row(List<String> readme, String id) {
        for (String l : readme) {
            if (l.startsWith("| `" + id + "` |")) {
                return l;
            }
        }
        throw new AssertionError("no README row for " + id);
    }

    @Test
    void theReadmeStatesEachThresholdAsOverTimeDoes() throws Exception {
        List<String> readme = Files.readAllLines(io.exlm.mon.testing.Launcher.root().resolve("README.md"));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put(HistoryChecks.FLAPPING, List.of("went down " + OverTime.FLAPPING_DOWNS + " times or more"));
        expected.put(HistoryChecks.SCRAPE_DURATION, List.of("took " + OverTime.percent(OverTime.SCRAPE_DURATION_SHARE)
                + " of its `scrapeTimeout`"));
        expected.put(HistoryChecks.CLOCK_SKEW, List.of("agree within " + Durations.format(OverTime.CLOCK_SKEW),
                "beyond " + Durations.format(OverTime.CLOCK_SKEW)));
        expected.put(HistoryChecks.CARDINALITY, List.of("more than " + OverTime.LABEL_VALUES + " values"));
        expected.put(HistoryChecks.DISK, List.of("an assumed " + io.exlm.mon.Numbers.fixed(OverTime.BYTES_PER_SAMPLE,
                0) + " bytes", "fills within " + Durations.format(OverTime.DISK_FULL_SOON)));
        expected.put(HistoryChecks.GRAFANA_INTERVAL, List.of("unset is Grafana's "
                + Durations.format(HistoryChecks.GRAFANA_DEFAULT_INTERVAL)));
        expected.forEach((id, texts) -> assertThat(row(readme, id)).as(id).contains(texts));
        assertThat(String.join("\n", readme)).contains("look back `--since` (default " + OverTime.DEFAULT_SINCE_TEXT
                + ")");
    }

    @Test
    void theTitlesStateTheThresholds() {
        Map<String, String> titles = new LinkedHashMap<>();
        Checks.all().forEach(c -> titles.put(c.id(), c.title()));
        assertThat(titles.get(HistoryChecks.FLAPPING)).contains(OverTime.FLAPPING_DOWNS + " times");
        assertThat(titles.get(HistoryChecks.SCRAPE_DURATION)).contains(OverTime.percent(OverTime
                .SCRAPE_DURATION_SHARE));
        assertThat(titles.get(HistoryChecks.CLOCK_SKEW)).contains(Durations.format(OverTime.CLOCK_SKEW));
        assertThat(titles.get(HistoryChecks.CARDINALITY)).contains(String.valueOf(OverTime.LABEL_VALUES));
    }
}
