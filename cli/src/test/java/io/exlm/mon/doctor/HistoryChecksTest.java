package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PromMath;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The checks over time judged on Prometheus's answers given in advance and a fixed clock: the window follows the
 * history Prometheus has, each threshold of {@link OverTime} is the edge between ok and a finding, and missing
 * history is warming up or a skip, never a failure.
 */
class HistoryChecksTest {
    static final Instant STARTED = Instant.parse("2026-01-10T08:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /** Prometheus started {@code age} ago, scraping every second; nothing older in its head. */
    static Map<String, Object> prometheus(Duration age) throws Exception {
        Map<String, Object> f = new HashMap<>();
        f.put("prometheus.runtimeinfo", JSON.readTree("{\"startTime\":\"" + STARTED + "\",\"storageRetention\":"
                + "\"15d\"}"));
        f.put("prometheus.config", "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n");
        f.put("prometheus.tsdb", JSON.readTree("{\"headStats\":{\"minTime\":" + STARTED.plusSeconds(3).toEpochMilli()
                + "}}"));
        f.put("prometheus.flags", Map.of("storage.tsdb.path", "/var/lib/prometheus/metrics2"));
        return f;
    }

    static DoctorEnv env(Map<String, Object> facts, Duration age, HostProbe host, Path stateDir) {
        return new DoctorEnv(null, "http://127.0.0.1:9090", "http://127.0.0.1:8000", "http://127.0.0.1:9093",
                "http://127.0.0.1:3000", Duration.ofSeconds(1), "test", new DoctorEnv.GrafanaSetup("admin", () -> null,
                null, false), null, stateDir, stateDir == null ? null : "local", host, new Facts(facts),
                Clock.fixed(STARTED.plus(age), ZoneOffset.UTC));
    }

    static DoctorEnv env(Map<String, Object> facts, Duration age) {
        return env(facts, age, null, null);
    }

    /** A vector: each entry is job, instance, value. */
    static QueryResult vector(Object... jobInstanceValue) {
        List<QueryResult.Series> s = new ArrayList<>();
        for (int i = 0; i < jobInstanceValue.length; i += 3) {
            s.add(new QueryResult.Series(Labels.of("instance", (String) jobInstanceValue[i + 1], "job",
                    (String) jobInstanceValue[i]), List.of(new PromMath.Point(0, ((Number) jobInstanceValue[i + 2])
                    .doubleValue()))));
        }
        return new QueryResult("vector", s);
    }

    static QueryResult scalar(double v) {
        return new QueryResult("vector", List.of(new QueryResult.Series(Labels.EMPTY, List.of(new PromMath.Point(0,
                v)))));
    }

    static final QueryResult EMPTY = new QueryResult("vector", List.of());

    // ---------------------------------------------------------------------------------------------- flapping

    static Map<String, Object> upHistory(Duration age, String range, int flappyDowns) throws Exception {
        Map<String, Object> f = prometheus(age);
        f.put("query:resets(up" + range + ")", vector("flappy", "h:1", flappyDowns, "node", "h:2", 1, "prometheus",
                "h:3", 0));
        f.put("query:count_over_time(up" + range + ")", vector("flappy", "h:1", 200, "node", "h:2", 240,
                "prometheus", "h:3", 240));
        f.put("query:sum_over_time(up" + range + ")", vector("flappy", "h:1", 150, "node", "h:2", 239,
                "prometheus", "h:3", 240));
        return f;
    }

    @Test
    void aTargetDownThreeTimesFlapsWithItsCountOnTheHistoryAYoungPrometheusHas() throws Exception {
        Duration age = Duration.ofMinutes(4);
        Outcome o = HistoryChecks.flapping(env(upHistory(age, "[4m]", OverTime.FLAPPING_DOWNS), age));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).isEqualTo("1 of 3 targets flapping in the last 4m (all the history Prometheus has;"
                + " asked 1h): flappy h:1 (down 3 times)");
        assertThat(o.details()).containsExactly("flapping: flappy h:1 went down 3 times in 200 scrapes, UP 75 % of"
                + " them", "went down: node h:2 went down once in 240 scrapes, UP 100 % of them");
        assertThat(o.figures().get("flapping")).isEqualTo(List.of(new HistoryChecks.UpHistory("flappy", "h:1", 3,
                200, 0.75)));
        assertThat(o.figures().get("went_down")).isEqualTo(List.of(new HistoryChecks.UpHistory("node", "h:2", 1,
                240, 0.9958)));
        assertThat(o.figures()).containsEntry("since_seconds", 3600L).containsEntry("window_seconds", 240L)
                .containsEntry("history_seconds", 240L).containsEntry("threshold_downs", 3);
        assertThat(o.remediation()).contains("history.scrape-duration");
    }

    @Test
    void belowTheThresholdARestartIsNotFlapping() throws Exception {
        Duration age = Duration.ofMinutes(4);
        Outcome o = HistoryChecks.flapping(env(upHistory(age, "[4m]", OverTime.FLAPPING_DOWNS - 1), age));
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.summary()).isEqualTo("2 of 3 targets went down in the last 4m (all the history Prometheus has;"
                + " asked 1h), none 3 times (a restart is not flapping)");
    }

    /** Facts of a Prometheus restarted with its data, its head's oldest sample {@code before} its start. */
    private static Map<String, Object> headSince(Map<String, Object> f, Duration before) throws Exception {
        f.put("prometheus.tsdb", JSON.readTree("{\"headStats\":{\"minTime\":" + STARTED.minus(before)
                .toEpochMilli() + "}}"));
        return f;
    }

    @Test
    void historyFromBeforeARestartCountsAndSinceBoundsTheWindow() throws Exception {
        Duration age = Duration.ofMinutes(4);
        Map<String, Object> f = headSince(upHistory(age, "[1h]", 5), Duration.ofHours(2));
        Outcome o = HistoryChecks.flapping(env(f, age));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).contains("in the last 1h: flappy h:1 (down 5 times)");
        assertThat(o.figures()).containsEntry("window_seconds", 3600L).containsEntry("history_seconds", 7440L);
        // --since shorter than the history: the window is what was asked
        Map<String, Object> g = upHistory(age, "[2m]", 3);
        Outcome shorter = HistoryChecks.flapping(env(g, age).withSince(Duration.ofMinutes(2)));
        assertThat(shorter.summary()).contains("in the last 2m: flappy");
    }

    /**
     * The answer of OverTime.samplesFrom's query on Prometheus's grid (the window's whole steps back from now, at
     * {@code age}), as the fact it is cached under: its steps {@code k} (0 the earliest) hold samples.
     */
    private static Map.Entry<String, QueryResult> samples(Duration age, Duration since, Duration interval,
            int... held) {
        Duration step = OverTime.gridStep(since, interval);
        long n = (since.toSeconds() + step.toSeconds() - 1) / step.toSeconds();
        long end = STARTED.plus(age).getEpochSecond();
        long start = end - n * step.toSeconds();
        List<PromMath.Point> points = new ArrayList<>();
        for (int k : held) {
            points.add(new PromMath.Point((start + k * step.toSeconds()) * 1000, 4));
        }
        return Map.entry("overtime.samples:sum(count_over_time(up[" + io.exlm.mon.config.Durations.format(step)
                + "])) " + since, new QueryResult("matrix", List.of(new QueryResult.Series(Labels.EMPTY, points))));
    }

    private static void put(Map<String, Object> f, Map.Entry<String, QueryResult> fact) {
        f.put(fact.getKey(), fact.getValue());
    }

    private static int[] steps(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).toArray();
    }

    /**
     * The window's own up samples: a gap inside it (a down and up that kept the data) cuts nothing, and the flapping
     * before it still warns; samples that begin 3 minutes ago in a Prometheus whose head says 2 hours cut the window
     * to them, saying so; samples older than the head (its blocks) are history too.
     */
    @Test
    void theWindowFollowsItsUpSamplesAndAGapInsideItCutsNothing() throws Exception {
        Duration age = Duration.ofMinutes(4);
        Map<String, Object> f = headSince(upHistory(age, "[1h]", 5), Duration.ofHours(2));
        int[] gapped = java.util.stream.IntStream.concat(java.util.Arrays.stream(steps(0, 60)),
                java.util.Arrays.stream(steps(95, 100))).toArray();
        put(f, samples(age, Duration.ofHours(1), Duration.ofSeconds(1), gapped));
        Outcome o = HistoryChecks.flapping(env(f, age));
        assertThat(o.status()).as(o.summary()).isEqualTo(Status.WARN);
        assertThat(o.summary()).contains("in the last 1h: flappy h:1 (down 5 times)");

        Map<String, Object> g = new HashMap<>(f);
        put(g, samples(age, Duration.ofHours(1), Duration.ofSeconds(1), steps(95, 100)));
        OverTime.Window lately = OverTime.window(env(g, age));
        assertThat(lately.gap()).as(lately.toString()).isTrue();
        assertThat(lately.range()).isEqualTo(Duration.ofSeconds(6 * 36));
        assertThat(lately.words()).isEqualTo("the last 3m36s (Prometheus holds no up sample of the 56m24s before it;"
                + " asked 1h)");

        // restarted 4 minutes ago with an empty head, its blocks holding the hour: the whole hour
        Map<String, Object> h = prometheus(age);
        put(h, samples(age, Duration.ofHours(1), Duration.ofSeconds(1), steps(0, 100)));
        OverTime.Window blocks = OverTime.window(env(h, age));
        assertThat(blocks.shortened()).as(blocks.toString()).isFalse();
        // and without them, what the head says, as before
        OverTime.Window head = OverTime.window(env(prometheus(age), age));
        assertThat(head.shortened()).isTrue();
        assertThat(head.gap()).isFalse();

        // a window that is no whole number of steps (15m at a 1m scrape interval: 2m steps), samples throughout
        // a Prometheus of two days: the whole window, its first step reaching back before it
        Duration days = Duration.ofDays(2);
        Map<String, Object> old = headSince(prometheus(days), Duration.ofDays(2));
        old.put("prometheus.config", "global:\n  scrape_interval: 1m\n  evaluation_interval: 1m\n");
        put(old, samples(days, Duration.ofMinutes(15), Duration.ofMinutes(1), steps(0, 8)));
        OverTime.Window fifteen = OverTime.window(env(old, days).withSince(Duration.ofMinutes(15)));
        assertThat(fifteen.words()).as(fifteen.toString()).isEqualTo("the last 15m");
    }

    /**
     * A young Prometheus scraping every second, asked 1m (a 2 s step): its first sample comes after discovery, more
     * than a step after its start, and that is its youth, not a gap.
     */
    @Test
    void aYoungStacksFirstSampleAfterDiscoveryIsNoGap() throws Exception {
        Duration age = Duration.ofSeconds(50);
        Map<String, Object> f = prometheus(age);
        // 30 steps of 2 s back from 50 s of age: step k ends 2k - 10 s after the start; samples from 6 s on
        put(f, samples(age, Duration.ofMinutes(1), Duration.ofSeconds(1), steps(8, 30)));
        OverTime.Window w = OverTime.window(env(f, age).withSince(Duration.ofMinutes(1)));
        assertThat(w.gap()).as(w.toString()).isFalse();
        assertThat(w.words()).isEqualTo("the last 50s (all the history Prometheus has; asked 1m)");
        // its first sample 14 s after its start: discovery's 5 s, then the scrape manager's own 5 s tick
        put(f, samples(age, Duration.ofMinutes(1), Duration.ofSeconds(1), steps(12, 30)));
        OverTime.Window later = OverTime.window(env(f, age).withSince(Duration.ofMinutes(1)));
        assertThat(later.gap()).as(later.toString()).isFalse();
    }

    @Test
    void noUpHistoryIsWarmingUpOnAYoungPrometheusAndASkipLaterNeverAFailure() throws Exception {
        Duration age = Duration.ofSeconds(3);
        Map<String, Object> f = prometheus(age);
        f.put("query:resets(up[3s])", EMPTY);
        f.put("query:count_over_time(up[3s])", EMPTY);
        f.put("query:sum_over_time(up[3s])", EMPTY);
        Outcome young = HistoryChecks.flapping(env(f, age));
        assertThat(young.status()).isEqualTo(Status.WARMING);
        assertThat(young.expectedAt()).isEqualTo(STARTED.plusSeconds(9));
        assertThat(young.summary()).contains("expected by 08:00:09 UTC");
        Duration later = Duration.ofMinutes(10);
        Map<String, Object> g = prometheus(later);
        g.put("query:resets(up[10m])", EMPTY);
        g.put("query:count_over_time(up[10m])", EMPTY);
        g.put("query:sum_over_time(up[10m])", EMPTY);
        assertThat(HistoryChecks.flapping(env(g, later)).status()).isEqualTo(Status.SKIP);
    }

    // --------------------------------------------------------------------------------------- scrape duration

    static Target target(String job, String instance, String timeout, double last) {
        return new Target(job, instance, job, "http://" + instance + "/metrics", "up", "", STARTED.toString(), last,
                "2s", timeout, Map.of("job", job, "instance", instance));
    }

    @Test
    void aScrapeAtItsThresholdShareOfTheTimeoutIsReportedBelowItIsNot() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Map<String, Object> f = prometheus(age);
        f.put("prometheus.targets", List.of(target("slow", "h:1", "1s", 0.7), target("node", "h:2", "1s", 0.01)));
        f.put("query:max_over_time(scrape_duration_seconds[10m])", vector("slow", "h:1",
                OverTime.SCRAPE_DURATION_SHARE, "node", "h:2", 0.05));
        Outcome o = HistoryChecks.scrapeDuration(env(f, age));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).isEqualTo("1 of 2 targets took 80 % of their scrape timeout or more in the last 10m"
                + " (all the history Prometheus has; asked 1h): slow h:1 0.800s of 1.000s (80 %)");
        assertThat(o.figures().get("slow")).isEqualTo(List.of(new HistoryChecks.ScrapeTime("slow", "h:1", 0.8, 0.7,
                1.0, 0.8)));
        assertThat(o.remediation()).contains("scrape_timeout");

        f.put("query:max_over_time(scrape_duration_seconds[10m])", vector("slow", "h:1",
                OverTime.SCRAPE_DURATION_SHARE - 0.001, "node", "h:2", 0.05));
        Outcome fine = HistoryChecks.scrapeDuration(env(f, age));
        assertThat(fine.status()).isEqualTo(Status.OK);
        assertThat(fine.summary()).endsWith("slowest: slow h:1 0.799s of 1.000s (80 %)");
    }

    // -------------------------------------------------------------------------------------------- clock skew

    static HistoryChecks.Reading reading(Instant host, Duration rtt, Instant server, Duration resolution) {
        return new HistoryChecks.Reading(host, host.plus(rtt), server, server.plus(resolution));
    }

    @Test
    void aBackendDateNinetySecondsAheadIsTheBackendsClockTheTruncatedDateOfASyncedOneIsNot() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Instant now = STARTED.plus(age).plusMillis(999);
        Map<String, Object> f = prometheus(age);
        f.put("clock.prometheus", reading(now, Duration.ofMillis(4), now.plusMillis(2), Duration.ZERO));
        f.put("clock.backend", reading(now, Duration.ofMillis(10), now.plusSeconds(90).minusMillis(500),
                Duration.ofSeconds(1)));
        Outcome o = HistoryChecks.clockSkew(env(f, age));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).isEqualTo("the backend's clock is 1m30s ahead of this host's and 1m30s ahead of"
                + " Prometheus's (more than 1s beyond what the measurement cannot tell)");
        assertThat(o.figures()).containsEntry("off", "backend").containsEntry("threshold_seconds", 1.0)
                .containsEntry("backend_offset_seconds", 89.995).containsEntry("prometheus_offset_seconds", 0.0);
        assertThat(o.remediation()).startsWith("run NTP on the backend's host");

        // in sync, the Date header truncated to the second: up to a second behind as read, and no finding
        Map<String, Object> g = prometheus(age);
        g.put("clock.prometheus", reading(now, Duration.ofMillis(4), now.plusMillis(2), Duration.ZERO));
        g.put("clock.backend", reading(now, Duration.ofMillis(10), now.minusMillis(999), Duration.ofSeconds(1)));
        Outcome synced = HistoryChecks.clockSkew(env(g, age));
        assertThat(synced.status()).isEqualTo(Status.OK);
        assertThat(synced.summary()).startsWith("the clocks agree within 1s of this host's: Prometheus ");

        // this host off: Prometheus and the backend agree with each other
        Map<String, Object> h = prometheus(age);
        h.put("clock.prometheus", reading(now, Duration.ofMillis(4), now.plusSeconds(30), Duration.ZERO));
        h.put("clock.backend", reading(now, Duration.ofMillis(10), now.plusSeconds(30), Duration.ofSeconds(1)));
        Outcome host = HistoryChecks.clockSkew(env(h, age));
        assertThat(host.figures()).containsEntry("off", "host");
        assertThat(host.summary()).startsWith("this host's clock is 30s behind Prometheus's");
    }

    // ------------------------------------------------------------------------------------------- cardinality

    static List<Map<String, String>> handlers(int n) {
        List<Map<String, String>> s = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            s.add(Map.of("__name__", "http_requests_total", "job", "exlm-backend", "handler", "/users/" + i,
                    "method", "GET", "status", "2xx"));
        }
        s.add(Map.of("__name__", "cpu_usage_percent", "job", "exlm-backend"));
        s.add(Map.of("__name__", "up", "job", "exlm-backend")); // not the catalog's
        return s;
    }

    @Test
    void aLabelWithMoreValuesThanTheThresholdIsTheTopOffender() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Map<String, Object> f = prometheus(age);
        f.put("prometheus.catalog-series", handlers(OverTime.LABEL_VALUES + 1));
        Outcome o = HistoryChecks.cardinality(env(f, age));
        assertThat(o.status()).isEqualTo(Status.WARN);
        assertThat(o.summary()).isEqualTo("1 catalog label has more than 100 values in the last 10m (all the history"
                + " Prometheus has; asked 1h): http_requests_total{handler} 101; 102 series in all");
        HistoryChecks.LabelValues top = ((List<HistoryChecks.LabelValues>) o.figures().get("top")).get(0);
        assertThat(top).isEqualTo(new HistoryChecks.LabelValues("http_requests_total", "handler", 101,
                List.of("/users/0", "/users/1", "/users/2")));
        assertThat(o.figures().get("metrics")).isEqualTo(List.of(new HistoryChecks.MetricSeries("cpu_usage_percent",
                1, "job", 1), new HistoryChecks.MetricSeries("http_requests_total", 101, "handler", 101)));

        Map<String, Object> g = prometheus(age);
        g.put("prometheus.catalog-series", handlers(OverTime.LABEL_VALUES));
        Outcome fine = HistoryChecks.cardinality(env(g, age));
        assertThat(fine.status()).isEqualTo(Status.OK);
        assertThat(fine.summary()).isEqualTo("101 series of 2 catalog metrics in the last 10m (all the history"
                + " Prometheus has; asked 1h); labels with most values: http_requests_total{handler} 100,"
                + " cpu_usage_percent{job} 1, http_requests_total{job} 1");
    }

    // ----------------------------------------------------------------------------------------- disk capacity

    record FreeSpace(long usable) implements HostProbe {
        @Override
        public Memory memory() {
            return null;
        }

        @Override
        public List<Proc> topByMemory(int n) {
            return List.of();
        }

        @Override
        public double cpuPercent(Duration sample) {
            return 0;
        }

        @Override
        public double[] loadAverage() {
            return new double[0];
        }

        @Override
        public int cores() {
            return 1;
        }

        @Override
        public HostProbe.Disk disk(Path path) {
            return new HostProbe.Disk(path.toString(), "/var", usable * 4, usable, usable);
        }
    }

    static Map<String, Object> ingest(Duration age, double samplesPerSecond) throws Exception {
        Map<String, Object> f = prometheus(age);
        String job = "{job=\"prometheus\"}";
        f.put("query:max(rate(prometheus_tsdb_head_samples_appended_total" + job + "[10m]))",
                scalar(samplesPerSecond));
        f.put("query:sum(prometheus_tsdb_compaction_chunk_size_bytes_sum" + job
                + ") / sum(prometheus_tsdb_compaction_chunk_samples_sum" + job + ")", EMPTY);
        f.put("query:max(prometheus_tsdb_storage_blocks_bytes" + job + ")", scalar(0));
        return f;
    }

    @Test
    void aDiskThatCannotHoldTheRetentionWarnsOneFullWithinADayFails() throws Exception {
        Duration age = Duration.ofMinutes(10);
        // 1000 samples/s at the assumed 2 bytes: 172.8 MB a day, 2.59 GB over 15 days
        Outcome holds = HistoryChecks.diskCapacity(env(ingest(age, 1000), age, new FreeSpace(3_000_000_000L), null));
        assertThat(holds.status()).isEqualTo(Status.OK);
        assertThat(holds.summary()).startsWith("holds the retention: 165 MiB a day (1000 samples/s at 2.00 bytes"
                + " each, assumed: no block compacted yet); retention 15d needs 2.4 GiB, 0 B in blocks, 2.8 GiB free");
        assertThat(holds.figures()).containsEntry("needed_bytes", 2_592_000_000L)
                .containsEntry("bytes_per_sample_assumed", true).containsEntry("seconds_until_full", 1_500_000L);

        Outcome warn = HistoryChecks.diskCapacity(env(ingest(age, 1000), age, new FreeSpace(1_000_000_000L), null));
        assertThat(warn.status()).isEqualTo(Status.WARN);
        assertThat(warn.summary()).startsWith("full in 5d18h53m, before the retention of 15d is reached: ");
        assertThat(warn.figures()).containsEntry("seconds_until_full", 500_000L);

        // just under a day to full
        long dayMinus = (OverTime.DISK_FULL_SOON.toSeconds() - 60) * 2000;
        Outcome fail = HistoryChecks.diskCapacity(env(ingest(age, 1000), age, new FreeSpace(dayMinus), null));
        assertThat(fail.status()).isEqualTo(Status.FAIL);
        assertThat(fail.summary()).startsWith("full in 23h59m: ");
        assertThat(fail.remediation()).contains("stack.retention");
    }

    /**
     * Prometheus's default data directory, data/, is relative to its own working directory: resolved against
     * doctor's, it could name another disk, so its free space is not known here.
     */
    @Test
    void aRelativeDataDirectoryIsNotResolvedHere() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Map<String, Object> f = ingest(age, 1000);
        f.put("prometheus.flags", Map.of("storage.tsdb.path", "data/"));
        Outcome o = HistoryChecks.diskCapacity(env(f, age, new FreeSpace(1_000L), null));
        assertThat(o.status()).isEqualTo(Status.OK);
        assertThat(o.summary()).endsWith("free space not known here");
    }

    @Test
    void noIngestRateYetIsWarmingUp() throws Exception {
        Duration age = Duration.ofSeconds(2);
        Map<String, Object> f = prometheus(age);
        f.put("query:max(rate(prometheus_tsdb_head_samples_appended_total{job=\"prometheus\"}[4s]))", EMPTY);
        Outcome o = HistoryChecks.diskCapacity(env(f, age));
        assertThat(o.status()).isEqualTo(Status.WARMING);
    }

    // -------------------------------------------------------------------------------------- Grafana interval

    @Test
    void theProvisionedTimeIntervalIsHeldToTheBackendsScrapeInterval() throws Exception {
        Duration age = Duration.ofMinutes(10);
        Path file = tmp.resolve("local/config/grafana/provisioning/datasources/prometheus.yml");
        Files.createDirectories(file.getParent());
        Map<String, Object> f = prometheus(age);
        f.put("prometheus.targets", List.of(target("exlm-backend", "h:1", "1s", 0.01)));
        f.put("grafana.logins", new GrafanaChecks.Logins(null, null, null, null, 0, false, true));
        Files.writeString(file, io.exlm.mon.stack.ConfigWriter.grafanaDatasource("http://127.0.0.1:9090", null));
        Outcome off = HistoryChecks.grafanaInterval(env(f, age, null, tmp));
        assertThat(off.status()).isEqualTo(Status.WARN);
        assertThat(off.summary()).isEqualTo("timeInterval 'Prometheus' 15s, but the scrape interval is 2s"
                + " (the job exlm-backend of Prometheus); read from " + file);
        assertThat(off.remediation()).startsWith("set jsonData.timeInterval: 2s").contains("coarser");

        // what up writes for a stack scraped every 2 s
        Files.writeString(file, io.exlm.mon.stack.ConfigWriter.grafanaDatasource("http://127.0.0.1:9090",
                Duration.ofSeconds(2)));
        Map<String, Object> g = new HashMap<>(f);
        Outcome ok = HistoryChecks.grafanaInterval(env(g, age, null, tmp));
        assertThat(ok.status()).isEqualTo(Status.OK);
        assertThat(ok.figures()).containsEntry("scrape_interval", "2s").containsEntry("time_intervals",
                Map.of("Prometheus", "2s"));

        // nothing to compare with: a skip that says so
        Files.delete(file);
        Outcome none = HistoryChecks.grafanaInterval(env(new HashMap<>(f), age, null, tmp));
        assertThat(none.status()).isEqualTo(Status.SKIP);
    }
}
