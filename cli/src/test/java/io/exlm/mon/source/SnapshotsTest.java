package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotsTest {
    static Scrape scrape(String body, long at) throws Exception {
        return Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                ParseMode.LENIENT, "t.txt", at);
    }

    static final String HIST = """
            # TYPE http_request_duration_seconds histogram
            http_request_duration_seconds_bucket{handler="/a",le="0.1"} %d
            http_request_duration_seconds_bucket{handler="/a",le="1"} %d
            http_request_duration_seconds_bucket{handler="/a",le="+Inf"} %d
            http_request_duration_seconds_sum{handler="/a"} 10
            http_request_duration_seconds_count{handler="/a"} %d
            http_request_duration_seconds_bucket{handler="/b",le="0.1"} %d
            http_request_duration_seconds_bucket{handler="/b",le="1"} %d
            http_request_duration_seconds_bucket{handler="/b",le="+Inf"} %d
            http_request_duration_seconds_sum{handler="/b"} 10
            http_request_duration_seconds_count{handler="/b"} %d
            """;

    @Test
    void lifetimePercentilesSumAllLabels() throws Exception {
        Snapshot s = Snapshots.of(scrape(HIST.formatted(10, 20, 30, 30, 0, 50, 70, 70), 0));
        // sum by le: 0.1 -> 10, 1 -> 70, +Inf -> 100
        assertThat(s.latency().p50().value()).isCloseTo(0.1 + 0.9 * (50 - 10) / 60.0, within(1e-15));
        assertThat(s.latency().p99().value()).isEqualTo(1.0);
        assertThat(s.latency().basis()).isEqualTo("lifetime");
        assertThat(s.derived().requestsPerSecond().available()).isFalse();
        assertThat(s.derived().requestsPerSecond().reason()).isEqualTo(
                "http_requests_total is not exposed by t.txt");
    }

    @Test
    void windowedPercentilesUseTheIncreaseOfEachSeriesWithResets() throws Exception {
        Scrape a = scrape(HIST.formatted(10, 20, 30, 30, 0, 50, 70, 70), 0);
        // /b was reset and counted 4, 4, 4 since; /a went up by 0, 10, 10
        Scrape b = scrape(HIST.formatted(10, 30, 40, 40, 4, 4, 4, 4), 10_000);
        Snapshot s = Snapshots.between(a, b);
        // rates by le: 0.1 -> 0.4, 1 -> 1.4, +Inf -> 1.4; p50 rank 0.7 in (0.1, 1]
        assertThat(s.latency().p50().value()).isCloseTo(0.1 + 0.9 * (0.7 - 0.4) / 1.0, within(1e-12));
        assertThat(s.window().toMillis()).isEqualTo(10_000);
    }

    @Test
    void countersWithEitherSpellingRatesAndRatios() throws Exception {
        String body = """
                # TYPE http_requests_total counter
                http_requests_total{method="GET",handler="/a",status="200"} %s
                http_requests_total{method="GET",handler="/a",status="500"} %s
                # TYPE cache_hits counter
                cache_hits %s
                # TYPE cache_misses_total counter
                cache_misses_total %s
                # TYPE error_count_total counter
                error_count_total{type="db"} 3
                # TYPE cpu_usage_percent gauge
                cpu_usage_percent 42.5
                """;
        Scrape a = scrape(body.formatted("100", "10", "30", "10"), 0);
        Scrape b = scrape(body.formatted("190", "20", "36", "12"), 5_000);
        Snapshot one = Snapshots.of(a);
        assertThat(one.reading("cache_hits").exposedAs()).isEqualTo("cache_hits");
        assertThat(one.reading("cache_misses").exposedAs()).isEqualTo("cache_misses_total");
        assertThat(one.reading("error_count").exposedAs()).isEqualTo("error_count_total");
        assertThat(one.derived().errorRatio().value()).isCloseTo(10 / 110.0, within(1e-15));
        assertThat(one.derived().cacheHitRatio().value()).isCloseTo(30 / 40.0, within(1e-15));
        assertThat(one.derived().cpuPercent().value()).isEqualTo(42.5);
        assertThat(one.derived().errorsByType().values()).isEqualTo(Map.of("db", 3.0));

        Snapshot w = Snapshots.between(a, b);
        assertThat(w.derived().requestsPerSecond().value()).isCloseTo(100 / 5.0, within(1e-12));
        assertThat(w.derived().errorRatio().value()).isCloseTo(0.1, within(1e-15));
        assertThat(w.derived().cacheHitRatio().value()).isCloseTo(6 / 8.0, within(1e-15));
        assertThat(w.reading("http_requests_total").missingLabels()).isEmpty();
    }

    @Test
    void missingMetricsSayWhyAndWhatIsNear() throws Exception {
        Snapshot s = Snapshots.of(scrape("http_request_total 5\nactive_user 3\ncelery_tasks_pendng 1\n"
                + "cache_hits 4\n", 0));
        Snapshot.Reading r = s.reading("http_requests_total");
        assertThat(r.present()).isFalse();
        assertThat(r.near()).containsExactly("http_request_total");
        assertThat(r.reason()).isEqualTo("http_requests_total is not exposed by t.txt (near: http_request_total)");
        // without _total is the other spelling of a counter, not a near miss
        assertThat(s.reading("cache_hits").present()).isTrue();
        assertThat(s.reading("active_users").near()).containsExactly("active_user");
        assertThat(s.reading("celery_tasks_pending").near()).containsExactly("celery_tasks_pendng");
        assertThat(s.missing()).contains("http_requests_total", "active_users", "cache_misses")
                .doesNotContain("cache_hits");
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(s.document());
        assertThat(json.fieldNames()).toIterable().startsWith("source", "metrics", "latency_seconds", "missing");
        assertThat(json.get("missing").toString()).contains("http_requests_total");
    }

    @Test
    void aNewSeriesHasNoRateYetAndSaysSo() throws Exception {
        Scrape a = scrape("error_count_total{type=\"db\"} 1\n", 0);
        Scrape b = scrape("error_count_total{type=\"db\"} 3\nerror_count_total{type=\"io\"} 1\n", 2000);
        Snapshot s = Snapshots.between(a, b);
        List<Snapshot.Series> series = s.reading("error_count").series();
        assertThat(series.get(0).rate().value()).isEqualTo(1.0);
        assertThat(series.get(1).rate().reason()).isEqualTo("the series is new since the previous scrape");
        assertThat(s.derived().errorRatesByType().values()).isEqualTo(Map.of("db", 1.0));
    }

    @Test
    void aDeclaredFamilyWithoutSeriesSaysSo() throws Exception {
        Snapshot s = Snapshots.of(scrape("# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n", 0));
        assertThat(s.reading("http_requests_total").reason()).isEqualTo(
                "http_requests_total is declared by t.txt but has no series yet (nothing counted or observed)");
        assertThat(s.missing()).contains("http_requests_total");
    }

    @org.junit.jupiter.api.Test
    void aWindowNotYetFullSaysSoAndByHowMuch() {
        Snapshot.Coverage c = new Snapshot.Coverage(java.time.Duration.ofSeconds(75), java.time.Duration.ofMinutes(5));
        org.assertj.core.api.Assertions.assertThat(c.share()).isEqualTo(0.25);
        org.assertj.core.api.Assertions.assertThat(c.words()).isEqualTo("the 5m window holds only 1m15s of data"
                + " (Prometheus has scraped the backend for that long): rates over it read about 25 % of the true"
                + " figure, until 3m45s from now");
    }

    /** A server error is what Prometheus's status=~"5.." selects (an anchored match), in the scrape source too. */
    @Test
    void aServerErrorIsTheRulesMatcher() throws Exception {
        Snapshot s = Snapshots.of(scrape("""
                # TYPE http_requests_total counter
                http_requests_total{status="200"} 70
                http_requests_total{status="503"} 10
                http_requests_total{status="5xx"} 10
                http_requests_total{status="5"} 5
                http_requests_total{status="5000"} 5
                """, 0));
        assertThat(s.derived().errorRatio().value()).isCloseTo(20 / 100.0, within(1e-15));
    }

    /**
     * What the goldens of metrics -o json do not reach: a window not yet full (window_covered_seconds before the
     * reasons, its note the last reason), a figure without a value, and a number that is not finite.
     */
    @Test
    void theDocumentWritesAPartialWindowAMissingFigureAndANonFiniteNumber() throws Exception {
        Snapshot one = Snapshots.of(scrape("cpu_usage_percent NaN\ncache_hits_total 4\n", 0));
        Snapshot s = new Snapshot(one.source(), one.kind(), one.timeMillis(), java.time.Duration.ofMinutes(5),
                one.metrics(), one.latency(), one.derived(), new Snapshot.Coverage(java.time.Duration.ofSeconds(75),
                        java.time.Duration.ofMinutes(5)));
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .valueToTree(s.document());
        assertThat(json.fieldNames()).toIterable().containsExactly("source", "metrics", "latency_seconds", "missing",
                "kind", "window_seconds", "time_ms", "latency_basis", "rates", "derived", "gauges",
                "window_covered_seconds", "reasons");
        assertThat(json.get("window_seconds").asDouble()).isEqualTo(300.0);
        assertThat(json.get("window_covered_seconds").asDouble()).isEqualTo(75.0);
        assertThat(json.at("/metrics/cpu_usage_percent").asText()).isEqualTo("NaN");
        assertThat(json.at("/gauges/cpu_usage_percent/value").asText()).isEqualTo("NaN");
        assertThat(json.at("/rates/cache_hits").isNull()).isTrue();
        assertThat(json.at("/latency_seconds/p50").toString()).isEqualTo("{\"value\":null,\"reason\":\""
                + one.latency().p50().reason() + "\"}");
        assertThat(json.at("/derived/requests_per_second").toString()).isEqualTo("{\"value\":null,\"reason\":\""
                + one.derived().requestsPerSecond().reason() + "\"}");
        List<String> reasons = new java.util.ArrayList<>();
        json.get("reasons").fieldNames().forEachRemaining(reasons::add);
        assertThat(reasons).contains("latency_seconds", "derived.requests_per_second", "derived.error_rates_by_type")
                .endsWith("window");
        assertThat(json.at("/reasons/derived.requests_per_second").asText())
                .isEqualTo(one.derived().requestsPerSecond().reason());
        assertThat(json.at("/reasons/window").asText()).isEqualTo(s.coverage().words());
        assertThat(reasons.indexOf("latency_seconds")).isLessThan(reasons.indexOf("derived.requests_per_second"));
    }
}
