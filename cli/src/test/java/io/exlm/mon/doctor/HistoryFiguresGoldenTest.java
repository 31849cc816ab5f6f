package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.exlm.mon.testing.Golden;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the checks over time put in {@code doctor -o json} (status, summary, details, fix and figures, each field
 * name and order) on HistoryChecksTest's fixtures, held to a golden file: {@code doctor-history.json}.
 */
class HistoryFiguresGoldenTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Map<String, Object> entry(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", o.status().label());
        m.put("summary", o.summary());
        m.put("details", o.details());
        m.put("remediation", o.remediation());
        m.put("expected_at", o.expectedAt() == null ? null : o.expectedAt().toString());
        m.put("figures", o.figures());
        return m;
    }

    @Test
    void theFiguresOfEachCheckOverTime() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put(HistoryChecks.FLAPPING, entry(HistoryChecks.flapping(HistoryChecksTest.env(HistoryChecksTest
                .upHistory(age, "[10m]", 3), age))));

        Map<String, Object> slow = HistoryChecksTest.prometheus(age);
        slow.put("prometheus.targets", List.of(HistoryChecksTest.target("slow", "h:1", "1s", 0.7),
                HistoryChecksTest.target("node", "h:2", "1s", 0.01)));
        slow.put("query:max_over_time(scrape_duration_seconds[10m])", HistoryChecksTest.vector("slow", "h:1", 0.93,
                "node", "h:2", 0.05));
        doc.put(HistoryChecks.SCRAPE_DURATION, entry(HistoryChecks.scrapeDuration(HistoryChecksTest.env(slow, age))));

        Map<String, Object> clock = HistoryChecksTest.prometheus(age);
        java.time.Instant now = HistoryChecksTest.STARTED.plus(age);
        clock.put("clock.prometheus", HistoryChecksTest.reading(now, Duration.ofMillis(4), now.plusMillis(2),
                Duration.ZERO));
        clock.put("clock.backend", HistoryChecksTest.reading(now, Duration.ofMillis(10), now.plusSeconds(90),
                Duration.ofSeconds(1)));
        doc.put(HistoryChecks.CLOCK_SKEW, entry(HistoryChecks.clockSkew(HistoryChecksTest.env(clock, age))));

        Map<String, Object> series = HistoryChecksTest.prometheus(age);
        series.put("prometheus.catalog-series", HistoryChecksTest.handlers(120));
        doc.put(HistoryChecks.CARDINALITY, entry(HistoryChecks.cardinality(HistoryChecksTest.env(series, age))));

        doc.put(HistoryChecks.DISK, entry(HistoryChecks.diskCapacity(HistoryChecksTest.env(HistoryChecksTest
                .ingest(age, 1000), age, new HistoryChecksTest.FreeSpace(1_000_000_000L), null))));
        Golden.assertMatches("doctor-history.json", JSON.writeValueAsString(doc) + "\n",
                "the checks over time's part of doctor -o json");
    }
}
