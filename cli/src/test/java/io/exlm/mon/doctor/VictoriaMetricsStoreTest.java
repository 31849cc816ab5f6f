package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.testing.FakeVictoriaMetrics;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * doctor against a VictoriaMetrics that this stack did not start (no state directory): the server is told from its
 * own /-/healthy, with no request more against a Prometheus; what VictoriaMetrics has an equivalent of is judged from
 * it (its own scrape's targets, the rules through -vmalert.proxyURL), what it cannot tell is skipped with a reason that
 * names VictoriaMetrics and what would make it checkable, and a real fault (a DOWN target, a 5xx, nothing listening)
 * still fails.
 */
class VictoriaMetricsStoreTest {
    /** The time of the fakes' process_start_time_seconds, and an hour after it: a store not young. */
    private static final Instant STARTED = Instant.ofEpochSecond(1780000000L);
    private static final Instant NOW = STARTED.plus(Duration.ofHours(1));
    private static final String SCRAPE_CONFIG = "{\"status\":\"success\",\"data\":{\"yaml\":\"global:\\n"
            + "  scrape_interval: 15s\\nscrape_configs:\\n- job_name: vm\\n\"}}";
    private static final String NO_RULES = "{\"status\":\"success\",\"data\":{\"groups\":[]}}";
    private static final String NO_TARGETS = "{\"status\":\"success\",\"data\":{\"activeTargets\":[],"
            + "\"droppedTargets\":[]}}";

    private final HttpLayer http = new HttpLayer(HttpOptions.defaults());

    @AfterEach
    void close() {
        http.close();
    }

    private DoctorEnv env(String prometheusUrl) {
        return new DoctorEnv(http, prometheusUrl, "http://127.0.0.1:" + Ports.closed(), "http://127.0.0.1:9093",
                "http://127.0.0.1:3000", Duration.ofSeconds(15), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, null, null, new Facts(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static String resource(String name) throws Exception {
        return new String(VictoriaMetricsStoreTest.class.getResourceAsStream(name).readAllBytes(),
                StandardCharsets.UTF_8);
    }

    /** A VictoriaMetrics that scrapes nothing and has no vmalert: Debian's defaults. */
    private static FakeVictoriaMetrics bare(FakeVictoriaMetrics vm) {
        return vm.flags(Map.of("promscrape.config", "", "vmalert.proxyURL", "", "search.latencyOffset", "30s"))
                .answer("/api/v1/targets", 200, NO_TARGETS).answer("/api/v1/rules", 200, NO_RULES)
                .answer("/api/v1/status/config", 200, "{\"status\":\"success\",\"data\":{\"yaml\":\"\"}}");
    }

    @Test
    void theServerSaysItIsVictoriaMetricsAndItsVersion() throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            DoctorEnv env = env(vm.url());
            Outcome o = PrometheusChecks.healthy(env);
            assertThat(o.status()).isEqualTo(Status.OK);
            assertThat(o.summary()).startsWith("VictoriaMetrics v1.79.5 answers " + vm.url() + "/-/healthy");
            assertThat(o.figures()).containsEntry("version", "v1.79.5").containsEntry("server", "victoriametrics");
            assertThat(PrometheusChecks.ready(env).status()).isEqualTo(Status.OK);
        }
    }

    @Test
    void aPrometheusIsToldByTheAnswerTheHealthyCheckAsksAnywayWithNoRequestMore() throws Exception {
        try (FaultServer prom = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "text/plain; charset=utf-8", "Prometheus Server is Healthy.\n"))) {
            DoctorEnv env = env(prom.url());
            Outcome o = PrometheusChecks.healthy(env);
            assertThat(Shared.store(env).kind()).isEqualTo(Store.Kind.PROMETHEUS);
            assertThat(Shared.foreignVictoriaMetrics(env)).isNull();
            assertThat(o.summary()).startsWith("Prometheus ");
            // /-/healthy once, and the version from buildinfo as before: nothing asked to tell the server
            assertThat(prom.requests().stream().map(FaultServer.Request::path).collect(Collectors.toList()))
                    .containsExactly("/-/healthy", "/api/v1/status/buildinfo");
        }
    }

    @Test
    void underAPathPrefixItsHealthAndReadinessAreAskedAtItsRoot() throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics("/select/0/prometheus"))) {
            DoctorEnv env = env(vm.url());
            Outcome healthy = PrometheusChecks.healthy(env);
            assertThat(healthy.status()).isEqualTo(Status.OK);
            String root = vm.url().replace("/select/0/prometheus", "");
            assertThat(healthy.summary()).contains("answers " + root + "/-/healthy");
            assertThat(PrometheusChecks.ready(env).status()).isEqualTo(Status.OK);
            assertThat(vm.requests().stream().map(FaultServer.Request::path).toList())
                    .contains("/select/0/prometheus/-/healthy", "/-/healthy", "/-/ready", "/metrics");
        }
    }

    @Test
    void oneThatScrapesNothingHasItsTargetsAndScrapeConfigurationSkippedSayingWhatWouldMakeThemCheckable()
            throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            DoctorEnv env = env(vm.url());
            for (Check c : PrometheusChecks.all()) {
                if (List.of(PrometheusChecks.TARGETS, "prometheus.config", "prometheus.scrape-interval")
                        .contains(c.id())) {
                    Outcome o = run(c, env);
                    assertThat(o.status()).as(c.id()).isEqualTo(Status.SKIP);
                    assertThat(o.summary()).as(c.id()).contains("VictoriaMetrics at " + vm.url())
                            .contains("-promscrape.config is not set").contains("--prometheus-url");
                }
            }
        }
    }

    @Test
    void itsOwnScrapeIsJudgedAsPrometheusesAndADownTargetFails() throws Exception {
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("promscrape.config", "/etc/vm/scrape.yml", "vmalert.proxyURL", ""))
                    .answer("/api/v1/targets", 200, resource("victoria-metrics-1.79-targets.json"))
                    .answer("/api/v1/status/config", 200, SCRAPE_CONFIG);
            DoctorEnv env = env(vm.url());
            Outcome targets = PrometheusChecks.targets(env);
            assertThat(targets.status()).isEqualTo(Status.FAIL);
            assertThat(targets.summary()).isEqualTo("1 of 2 targets DOWN: dead 127.0.0.1:1 (refused)");
            Outcome config = PrometheusChecks.config(env);
            assertThat(config.status()).isEqualTo(Status.OK);
            assertThat(config.summary()).contains("-promscrape.config /etc/vm/scrape.yml");
            Outcome interval = PrometheusChecks.scrapeInterval(env);
            assertThat(interval.status()).isEqualTo(Status.OK);
        }
    }

    @Test
    void aFailedReloadOfItsScrapeConfigurationFails() throws Exception {
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            // as a newer VictoriaMetrics says it (1.79 has no such gauge)
            vm.flags(Map.of("promscrape.config", "/etc/vm/scrape.yml"))
                    .metrics("vm_promscrape_config_last_reload_successful 0\n")
                    .answer("/api/v1/status/config", 200, SCRAPE_CONFIG);
            Outcome o = PrometheusChecks.config(env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("last reload").contains("/etc/vm/scrape.yml");
        }
    }

    @Test
    void rulesWithoutVmalertProxyAreUnknownWithItAnEmptyListFailsAndAFailingProxyFails() throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.SKIP);
            assertThat(o.summary()).contains("VictoriaMetrics at " + vm.url())
                    .contains("-vmalert.proxyURL is not set").contains("-vmalert.proxyURL=VMALERT_URL");
        }
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("vmalert.proxyURL", "http://127.0.0.1:8880")).answer("/api/v1/rules", 200, NO_RULES);
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).startsWith("alerts not loaded: ");
            // the rules are vmalert's: the fix says where they go there, not prometheus.yml
            assertThat(o.remediation()).contains("in vmalert's -rule flags").doesNotContain("prometheus.yml");
        }
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            // what VictoriaMetrics answers when the vmalert of its -vmalert.proxyURL does not run: 502, no body
            vm.flags(Map.of("vmalert.proxyURL", "http://127.0.0.1:8880")).answer("/api/v1/rules", 502, "");
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).startsWith("VictoriaMetrics at " + vm.url() + " passes the rules on to vmalert at"
                    + " http://127.0.0.1:8880 (-vmalert.proxyURL), and could not reach it (HTTP 502): start that"
                    + " vmalert");
        }
        // a vmalert that answers, with an error of its own: its words, not "start it"
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("vmalert.proxyURL", "http://127.0.0.1:8880")).answer("/api/v1/rules", 500,
                    "{\"status\":\"error\",\"errorType\":\"server_error\",\"error\":\"rules \u001b[31mbusy\"}");
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("and the answer failed: GET ").contains("HTTP 500")
                    .contains("see that vmalert's log").doesNotContain("start that vmalert").doesNotContain("\u001b");
        }
    }

    @Test
    void aSecretProxyFlagIsToldByIsSetNotByItsValue() throws Exception {
        // newer releases write -vmalert.proxyURL as value="secret" whether set or not: not set, it proxies nothing,
        // and its placeholder empty list of rules is unknown, not "none loaded"
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("promscrape.config", "", "search.latencyOffset", "30s")).secretFlag("vmalert.proxyURL",
                    false).answer("/api/v1/rules", 200, NO_RULES);
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).as(o.summary()).isEqualTo(Status.SKIP);
            assertThat(o.summary()).contains("-vmalert.proxyURL is not set");
        }
        // set, and its vmalert down: named without an address it keeps secret
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("promscrape.config", "")).secretFlag("vmalert.proxyURL", true).answer("/api/v1/rules", 502,
                    "");
            Outcome o = run(check("prometheus.rules"), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("passes the rules on to its vmalert (-vmalert.proxyURL, whose address it"
                    + " keeps secret), and could not reach it (HTTP 502)").doesNotContain("vmalert at secret");
        }
    }

    @Test
    void whatOnlyPrometheusTellsIsSkippedNamingVictoriaMetricsNeverPassedNorFailed() throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            DoctorEnv env = env(vm.url());
            for (String id : List.of("prometheus.alertmanager", "prometheus.tsdb", "prometheus.remote-write",
                    HistoryChecks.DISK)) {
                Outcome o = run(check(id), env);
                assertThat(o.status()).as(id).isEqualTo(Status.SKIP);
                assertThat(o.summary()).as(id).startsWith("VictoriaMetrics at " + vm.url());
            }
            // none of them asked Prometheus's own endpoints
            assertThat(vm.requests().stream().map(FaultServer.Request::path).toList())
                    .noneMatch(p -> p.contains("runtimeinfo") || p.contains("/flags") || p.contains("alertmanagers"));
        }
    }

    @Test
    void theWholeRunIsNoFalseFailureAndItsUnknownsAreSkipsNotPasses() throws Exception {
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            DoctorEnv env = env(vm.url());
            List<Check> checks = Doctor.select(Checks.all(), List.of("prometheus"));
            DoctorReport report = Doctor.run(checks, env, new Doctor.Options(Duration.ofSeconds(5), 0), false);
            Map<String, Status> by = report.results().stream()
                    .collect(Collectors.toMap(CheckResult::id, CheckResult::status));
            assertThat(by).containsEntry(PrometheusChecks.HEALTHY, Status.OK).containsEntry(PrometheusChecks.READY,
                    Status.OK);
            assertThat(by.entrySet().stream().filter(e -> !e.getKey().equals(PrometheusChecks.HEALTHY)
                    && !e.getKey().equals(PrometheusChecks.READY)).map(Map.Entry::getValue))
                    .containsOnly(Status.SKIP);
            assertThat(report.results()).noneMatch(CheckResult::crashed);
            assertThat(report.counts().get(Status.OK)).isEqualTo(2);
        }
    }

    @Test
    void realFaultsStillFail() throws Exception {
        // nothing listens
        Outcome refused = PrometheusChecks.healthy(env("http://127.0.0.1:" + Ports.closed()));
        assertThat(refused.status()).isEqualTo(Status.FAIL);
        // VictoriaMetrics' API failing: a 5xx of its targets
        try (FakeVictoriaMetrics vm = new FakeVictoriaMetrics()) {
            vm.flags(Map.of("promscrape.config", "/etc/vm/scrape.yml")).answer("/api/v1/targets", 503,
                    "{\"status\":\"error\",\"errorType\":\"503\",\"error\":\"overloaded\"}");
            Outcome o = run(check(PrometheusChecks.TARGETS), env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
        }
    }

    /** The answer of min(tfirst_over_time(up[...])) at {@code now}: the earliest up sample at {@code first}. */
    private static String firstSample(Instant now, Instant first) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[" + now.getEpochSecond() + ",\"" + first.getEpochSecond() + "\"]}]}}";
    }

    @Test
    void aStoreRestartedMinutesAgoKeepsItsWholeWindowOfHistory() throws Exception {
        // restarted 3 minutes ago, holding samples of two days before: the checks over time look at the whole hour
        Instant now = STARTED.plus(Duration.ofMinutes(3));
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atZone(ZoneOffset.UTC));
        String first = firstSample(now, STARTED.minus(Duration.ofDays(2)));
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            vm.date(date).answer("/api/v1/query", 200, first);
            OverTime.Window w = OverTime.window(env(vm.url()).withSince(Duration.ofHours(1)));
            assertThat(w.shortened()).as(w.toString()).isFalse();
            assertThat(w.range()).isEqualTo(Duration.ofHours(1));
            assertThat(vm.requests().stream().map(FaultServer.Request::path).toList()).anyMatch(t -> t.contains(
                    "tfirst_over_time"));
        }
        // a store whose first sample is its start: the window is what it has, and says whose history that is
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            vm.date(date).answer("/api/v1/query", 200, "{\"status\":\"success\",\"data\":{\"resultType\":"
                    + "\"vector\",\"result\":[]}}");
            OverTime.Window w = OverTime.window(env(vm.url()).withSince(Duration.ofHours(1)));
            assertThat(w.shortened()).isTrue();
            assertThat(w.range()).isLessThanOrEqualTo(Duration.ofMinutes(3));
            assertThat(w.words()).contains("(all the history VictoriaMetrics has; asked 1h)");
        }
    }

    /**
     * The window's own up samples say where its data begins: a store whose samples go back two days but hold
     * nothing in the hour before its last 3 minutes (down for an hour, restarted) is judged on those 3 minutes and
     * says why; one whose samples run on through its restart, or stop for a while inside the window and come back
     * (a down and up that kept the data), keeps the whole window; a young one is judged on all it has, as before.
     */
    @Test
    void theWindowStartsWhereItsUpSamplesBeginNotAtAGapInsideIt() throws Exception {
        Instant now = STARTED.plus(Duration.ofMinutes(3));
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(now.atZone(ZoneOffset.UTC));
        String twoDays = firstSample(now, STARTED.minus(Duration.ofDays(2)));
        String none = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
        // as VictoriaMetrics answers: a point at each multiple of the step (its grid aligned to it) whose range,
        // the step before it, holds a sample of one of the spans (seconds before now, written every second)
        Duration step = OverTime.gridStep(Duration.ofHours(1), VictoriaChecks.DEFAULT_SCRAPE_INTERVAL);
        long st = step.toSeconds();
        java.util.function.Function<long[][], String> points = spans -> {
            StringBuilder sb = new StringBuilder();
            long last = now.getEpochSecond() / st * st;
            for (long t = last - 40 * st; t <= last; t += st) {
                boolean holds = false;
                for (long[] span : spans) {
                    holds |= now.getEpochSecond() - span[0] <= t && now.getEpochSecond() - span[1] > t - st;
                }
                if (holds) {
                    sb.append(sb.length() == 0 ? "" : ",").append("[").append(t).append(",\"4\"]");
                }
            }
            return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},"
                    + "\"values\":[" + sb + "]}]}}";
        };
        java.util.function.BiFunction<String, String, OverTime.Window> window = (first, range) -> {
            try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
                vm.date(date).answer("/api/v1/query", 200, first).answer("/api/v1/query_range", 200, range);
                OverTime.Window w = OverTime.window(env(vm.url()).withSince(Duration.ofHours(1)));
                // asked of its data as it is, not of its response cache
                assertThat(vm.requests().stream().map(FaultServer.Request::path).toList()).anyMatch(t -> t.contains(
                        "count_over_time") && t.contains("nocache=1"));
                return w;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        OverTime.Window lately = window.apply(twoDays, points.apply(new long[][] {{180, 0}}));
        assertThat(lately.shortened()).as(lately.toString()).isTrue();
        // no later than its first sample, and no more than a step before it
        assertThat(lately.range()).isBetween(Duration.ofMinutes(3), Duration.ofMinutes(3).plus(step));
        assertThat(lately.words()).startsWith("the last ").contains("(VictoriaMetrics holds no up sample of the ")
                .endsWith(" before it; asked 1h)");

        OverTime.Window throughout = window.apply(twoDays, points.apply(new long[][] {{3660, 0}}));
        assertThat(throughout.words()).as(throughout.toString()).isEqualTo("the last 1h");

        OverTime.Window gapInside = window.apply(twoDays, points.apply(new long[][] {{3660, 2400}, {180, 0}}));
        assertThat(gapInside.words()).as(gapInside.toString()).isEqualTo("the last 1h");

        // started 3 minutes ago, its first sample 10 s later: all the history it has, no gap said
        OverTime.Window young = window.apply(none, points.apply(new long[][] {{170, 0}}));
        assertThat(young.gap()).as(young.toString()).isFalse();
        assertThat(young.range()).isLessThanOrEqualTo(Duration.ofMinutes(3));
        assertThat(young.words()).contains("(all the history VictoriaMetrics has; asked 1h)");
    }

    @Test
    void itsQueryTimeLaggingByTheLatencyOffsetIsNoClockSkew() throws Exception {
        String date = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(NOW.atZone(ZoneOffset.UTC));
        String lagging = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[" + NOW.getEpochSecond() + ",\"" + NOW.minusSeconds(30).getEpochSecond() + ".502\"]}]}}";
        try (FakeVictoriaMetrics vm = bare(new FakeVictoriaMetrics())) {
            vm.date(date).answer("/api/v1/query", 200, lagging);
            Outcome o = HistoryChecks.clockSkew(env(vm.url()));
            assertThat(o.status()).isEqualTo(Status.OK);
            assertThat(o.summary()).contains("VictoriaMetrics +");
        }
    }

    private static Check check(String id) {
        return Checks.all().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }

    /** A check's body as doctor runs it: what it throws becomes its verdict. */
    private static Outcome run(Check c, DoctorEnv env) {
        try {
            return c.body().run(env);
        } catch (Exception e) {
            return Doctor.failure(e);
        }
    }

    @Test
    void aServersControlBytesInItsFailureNeverReachTheSummary() throws Exception {
        try (FaultServer hostile = new FaultServer((req, out, sock) -> FaultServer.respond(out, 503,
                "text/plain; charset=utf-8", "\u001b[31mboom\u001b[0m\u0007\n"))) {
            Outcome o = PrometheusChecks.healthy(env(hostile.url()));
            assertThat(o.status()).isEqualTo(Status.FAIL);
            assertThat(o.summary()).contains("503").contains("boom").doesNotContain("\u001b").doesNotContain("\u0007");
        }
    }
}
