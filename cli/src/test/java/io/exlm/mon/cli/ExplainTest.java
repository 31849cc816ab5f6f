package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.HostChecks;
import io.exlm.mon.doctor.Reach;
import io.exlm.mon.doctor.Status;
import io.exlm.mon.explain.Explainer;
import io.exlm.mon.explain.StackProcesses;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.PidFile;
import io.exlm.mon.stack.StateDir;
import io.exlm.mon.testing.Golden;
import io.exlm.mon.testing.ManualClock;
import io.exlm.mon.testing.RecordedPrometheus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The explanation of each of the guide's five alerts, from recorded Prometheus answers
 * ({@code src/test/resources/io/exlm/mon/explain/ALERT.json}) served over HTTP to the real client, the doctor's
 * checks recorded too: what it says, that it fits one 80x24 screen, that every query it asks is one recorded (a
 * query that changed fails here until its answer is recorded again), and the JSON document's golden file.
 */
class ExplainTest {
    /** The recordings' "now": Prometheus's time() in each, 2026-12-01T21:10:00Z. */
    static final Instant NOW = Instant.parse("2026-12-01T21:10:00Z");

    @TempDir
    Path tmp;

    private final List<List<String>> checksAsked = new ArrayList<>();
    /** The runtime of the stack up started here, as the explainer is told it (null: none known). */
    private String stackRuntime;

    private Explainer.Report explain(String alert, Explainer.ProcessLookup processes,
            Map<String, CheckResult> checks) throws Exception {
        return explainRecording(alert, processes, checks);
    }

    /** The explanation of the one alert of recording {@code NAME.json}. */
    private Explainer.Report explainRecording(String name, Explainer.ProcessLookup processes,
            Map<String, CheckResult> checks) throws Exception {
        return explainAnswers(recording(name), processes, checks);
    }

    private String recording(String name) throws java.io.IOException {
        return new String(getClass().getResourceAsStream("/io/exlm/mon/explain/" + name + ".json").readAllBytes(),
                StandardCharsets.UTF_8);
    }

    /** The explanation of the one alert of a recording's text. */
    private Explainer.Report explainAnswers(String recording, Explainer.ProcessLookup processes,
            Map<String, CheckResult> checks) throws Exception {
        try (RecordedPrometheus prom = new RecordedPrometheus(recording);
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            PrometheusClient client = new PrometheusClient(http, prom.url());
            Explainer x = new Explainer(client, ids -> {
                checksAsked.add(ids);
                return ids.stream().filter(checks::containsKey).map(checks::get).toList();
            }, processes, new ManualClock(NOW.plusSeconds(3600)), Duration.ofSeconds(5), 4, stackRuntime);
            Explainer.Report r = x.explain(client.alerts());
            assertThat(prom.unknown()).as("queries without a recorded answer").isEmpty();
            assertThat(r.clock()).isEqualTo("prometheus");
            assertThat(r.now()).isEqualTo(NOW);
            assertThat(r.alerts()).hasSize(1);
            return r;
        }
    }

    private static List<String> screen(Explainer.Report r) {
        List<String> lines = ExplainOutput.lines(r.alerts().get(0), r.clock(), new Ansi(false));
        assertThat(lines.size()).as(String.join("\n", lines)).isLessThanOrEqualTo(24);
        assertThat(lines).as("no line over 80 columns").allSatisfy(l -> assertThat(l.length())
                .isLessThanOrEqualTo(80));
        return lines;
    }

    private static CheckResult check(String id, Status status, String summary) {
        return check(id, status, summary, Map.of());
    }

    private static CheckResult check(String id, Status status, String summary, Map<String, Object> figures) {
        return new CheckResult(id, id.substring(0, id.indexOf('.')), id, status, summary, figures, List.of(), null,
                List.of(), null, Reach.REACHED, 1, false, null);
    }

    private static final Explainer.ProcessLookup NO_PROCESSES = job -> {
        throw new AssertionError("no process asked for " + job);
    };

    @Test
    void highErrorRateNamesTheFailingHandlersTheErrorTypesTheInstancesAndTheReadiness() throws Exception {
        Explainer.Report r = explain("HighErrorRate", NO_PROCESSES, Map.of("backend.ready",
                check("backend.ready", Status.OK, "ready: database ok, redis ok, disk ok, memory ok")));
        String text = String.join("\n", screen(r));
        assertThat(text).startsWith("HighErrorRate (critical): firing, active 7m0s (pending 5m first, firing 2m0s)\n"
                + "  instance 127.0.0.1:8000, job exlm-backend, by Prometheus's clock\n");
        // firing: the rule's texts, whole (its for: has passed)
        assertThat(text).contains("  16% of requests to 127.0.0.1:8000 fail (above 5 % for 5 minutes)\n");
        // Prometheus scrapes both instances: the first finding says so in one line
        assertThat(text).contains("Check the backend's logs, ...\n  the job's targets: all 2 up: 127.0.0.1:8000,"
                + " 127.0.0.1:8001\n  5xx by handler and status:\n    /api/v1/predict          500     0.31/s"
                + "  20.7 % of its requests\n");
        assertThat(text).contains("    /api/v1/models           504     0.12/s  4.0 % of its requests");
        assertThat(text).contains("  errors by type: database 0.25/s, internal 0.19/s, timeout 0.12/s\n");
        assertThat(text).contains("  instances (5xx share): 1 of 2: 127.0.0.1:8000 16.0 %,"
                + " 127.0.0.1:8001 0.0 %\n");
        assertThat(text).contains("  doctor backend.ready: ok: ready: database ok");
        assertThat(text).contains("  runbook: docs/runbooks/HighErrorRate.md\n"
                + "    1. `exlm-mon explain HighErrorRate`: is the backend scraped");
        assertThat(checksAsked).containsExactly(List.of("backend.ready"));
        java.io.StringWriter json = new java.io.StringWriter();
        try (java.io.PrintWriter w = new java.io.PrintWriter(json)) {
            Json.write(w, ExplainOutput.json("http://prometheus:9090", r, null, null));
        }
        Golden.assertMatches("explain-HighErrorRate.json", json.toString(), "alerts --explain -o json");
    }

    @Test
    void highErrorRateLeadsWithItsTargetDownAndSaysTheFiguresAreFromBefore() throws Exception {
        // the backend stopped: its 5-minute rates still read the samples from before, so the alert goes on firing
        Explainer.Report r = explainRecording("HighErrorRate-target-down", NO_PROCESSES, Map.of());
        List<String> screen = screen(r);
        String text = String.join("\n", screen);
        // the target comes first, right under what the alert means, before any breakdown of the errors
        assertThat(text).contains("Check the backend's logs, ...\n  the job's targets:\n"
                + "    127.0.0.1:8000 DOWN: connection refused: nothing listens on 127.0.0.1:8000\n"
                + "    fix: start the exlm backend (exlm-mon demo runs a reference one); if it\n"
                + "      listens elsewhere, exlm-mon up --backend-url URL rewrites its targets file\n"
                + "    up: 127.0.0.1:8001; the figures below are from before it stopped (last 5m)\n"
                + "  5xx by handler and status:\n");
        Explainer.Finding targets = r.alerts().get(0).findings().get(0);
        assertThat(targets.probe()).isEqualTo("JOB_TARGETS");
        assertThat(targets.error()).isNull();
    }

    @Test
    void findingsAlreadyShownForAnEarlierAlertOfTheSameScopeAreNotRepeated() throws Exception {
        Explainer.Report r = explain("HighErrorRate", NO_PROCESSES, Map.of());
        Map<String, String> seen = new java.util.HashMap<>();
        ExplainOutput.lines(r.alerts().get(0), r.clock(), new Ansi(false), seen);
        String again = String.join("\n", ExplainOutput.lines(r.alerts().get(0), r.clock(), new Ansi(false), seen));
        assertThat(again).contains("  5xx by handler and status: as for HighErrorRate above\n",
                "  errors by type: as for HighErrorRate above\n", "  doctor backend.ready: as for HighErrorRate above")
                .doesNotContain("/api/v1/predict");
    }

    @Test
    void theDescriptionGivesWayToALongerDiagnosisSoThatTheScreenHolds() {
        String description = "More than 5 % of the HTTP requests to 127.0.0.1:8000 (job exlm-backend) have been"
                + " answered with a 5xx status for 5 minutes. Check the backend's logs, error_count by type.";
        java.util.function.IntFunction<List<String>> withRows = rows -> {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                lines.add("/api/v1/handler" + i + " 500 0.01/s");
            }
            return ExplainOutput.lines(new Explainer.Explained("HighErrorRate", "firing", "critical",
                    Map.of("job", "j"), null, null, null, null, "16% of requests fail", description,
                    List.of(new Explainer.Finding("ERRORS_BY_HANDLER", "5xx by handler and status", List.of("q"),
                            lines, null)), List.of(), null, true), "prometheus", new Ansi(false));
        };
        // header 3, title 1: 18 rows leave room for both lines of the description, 19 for one, 20 for none
        assertThat(withRows.apply(18)).hasSize(ExplainOutput.HEIGHT).contains("  More than 5 % of the HTTP requests"
                + " to 127.0.0.1:8000 (job exlm-backend) have").anyMatch(l -> l.endsWith("logs, ..."));
        assertThat(withRows.apply(19)).hasSize(ExplainOutput.HEIGHT).contains("  More than 5 % of the HTTP requests"
                + " to 127.0.0.1:8000 (job exlm-backend) hav...").noneMatch(l -> l.contains("been answered"));
        assertThat(withRows.apply(20)).hasSize(ExplainOutput.HEIGHT).noneMatch(l -> l.contains("More than"))
                .contains("  16% of requests fail");
        assertThat(withRows.apply(3)).contains("  More than 5 % of the HTTP requests to 127.0.0.1:8000 (job"
                + " exlm-backend) have");
    }

    @Test
    void thenTheLongestBreakdownsLastRowsGiveWayNeverTheLeadingFinding() {
        List<String> lead = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            lead.add("127.0.0.1:800" + i + " DOWN: connection refused");
        }
        List<String> handlers = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            handlers.add("/api/v1/handler" + i + " 500 0.01/s");
        }
        handlers.add("... and 2 more");
        List<String> few = List.of("127.0.0.1:8000 16.0 %", "127.0.0.1:8001 0.0 %");
        Explainer.Explained e = new Explainer.Explained("HighErrorRate", "firing", "critical", Map.of("job", "j"),
                null, null, null, null, "16% of requests fail", "a description", List.of(
                        new Explainer.Finding("JOB_TARGETS", "the job's targets", List.of(), lead, null),
                        new Explainer.Finding("ERRORS_BY_HANDLER", "5xx by handler and status", List.of("q"),
                                handlers, null),
                        new Explainer.Finding("ERROR_RATIO_BY_INSTANCE", "instances", List.of("r"), few, null)),
                List.of(), new io.exlm.mon.explain.Runbooks.Runbook("docs/runbooks/HighErrorRate.md", "u",
                        List.of("1.", "2.", "3.", "4.", "5.", "6.")), true);
        List<String> lines = ExplainOutput.lines(e, "prometheus", new Ansi(false));
        // 3 + 8 + 7 + 3 + 7 = 28 without the description: 4 lines must go, from the longest breakdown but the
        // first (the handlers', counted with the 2 it did not show anyway); the instances keep both their rows
        assertThat(lines).hasSize(ExplainOutput.HEIGHT).noneMatch(l -> l.contains("a description"));
        assertThat(lines).containsSubsequence(lead.stream().map(l -> "    " + l).toList());
        assertThat(String.join("\n", lines)).contains("  5xx by handler and status:\n    /api/v1/handler0 500 0.01/s\n"
                + "    ... and 6 more\n  instances:\n    127.0.0.1:8000 16.0 %\n    127.0.0.1:8001 0.0 %\n");
    }

    @Test
    void aFindingTooLongForItsTitleLineIsWrappedBelowIt() {
        Explainer.Explained e = new Explainer.Explained("HighErrorRate", "firing", "critical", Map.of("job", "j"),
                null, null, null, null, null, null, List.of(new Explainer.Finding("ERRORS_BY_TYPE", "errors by type",
                        List.of("q"), List.of("external_api 0.0200/s, internal 0.0100/s, timeout 0.0100/s, database"
                                + " 0.0100/s, validation 0.0050/s"), null)), List.of(), null, true);
        List<String> lines = ExplainOutput.lines(e, "prometheus", new Ansi(false));
        assertThat(lines).contains("  errors by type:", "    external_api 0.0200/s, internal 0.0100/s, timeout"
                + " 0.0100/s, database", "      0.0100/s, validation 0.0050/s");
    }

    @Test
    void serviceDownNamesTheTargetItsScrapeErrorAndThatItsProcessIsGone() throws Exception {
        // a stack as up leaves it, whose redis exporter's process has ended
        StateDir state = new StateDir(tmp.resolve("state"));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        new PidFile(gone.pid(), 0, "/usr/bin/prometheus-redis-exporter", "http://127.0.0.1:9121", "1.0")
                .write(state.pidFile(Component.REDIS_EXPORTER));
        stackRuntime = "local";
        Explainer.Report r = explain("ServiceDown", new StackProcesses(state, "local"), Map.of());
        String text = String.join("\n", screen(r));
        assertThat(text).startsWith("ServiceDown (critical): pending for 20s of 1m, firing in 40s if it holds");
        assertThat(text).contains("Redis is not watched: the redis exporter on 127.0.0.1:9121 is down");
        assertThat(text).contains("  the target and its scrape error:\n    job redis, instance 127.0.0.1:9121"
                + " (http://127.0.0.1:9121/metrics): down\n");
        assertThat(text).contains("    cause: connection refused: nothing listens on 127.0.0.1:9121\n");
        // up --runtime local started it: that starts it again, not docker compose nor a plain up
        assertThat(text).contains("    fix: start the redis exporter: exlm-mon up --runtime local (it starts what\n"
                + "      does not run)\n").doesNotContain("docker compose");
        assertThat(text).contains("  the process:\n    not running: the redis-exporter's pid " + gone.pid()
                + " is gone\n    exlm-mon up --runtime local starts it again; exlm-mon status shows every\n"
                + "      part\n");
        assertThat(text).contains("  runbook: docs/runbooks/ServiceDown.md");
        assertThat(checksAsked).isEmpty();
    }

    @Test
    void serviceDownOfARunningProcessSaysItRuns() throws Exception {
        StateDir state = new StateDir(tmp.resolve("state"));
        ProcessHandle me = ProcessHandle.current();
        String exe = me.info().command().orElseThrow();
        new PidFile(me.pid(), me.info().startInstant().orElseThrow().toEpochMilli(), exe, "http://127.0.0.1:9121",
                "1.0").write(state.pidFile(Component.REDIS_EXPORTER));
        String text = String.join("\n", screen(explain("ServiceDown", new StackProcesses(state, "local"), Map.of())));
        assertThat(text).contains("running: the redis-exporter, pid " + me.pid() + "\n      (" + exe + ")");
    }

    @Test
    void highCpuUsageSaysWhichModeBurnsAndWherePerProcessFiguresAre() throws Exception {
        String text = String.join("\n", screen(explain("HighCPUUsage", NO_PROCESSES, Map.of("host.cpu",
                check("host.cpu", Status.WARN, "91.0 % busy over 250 ms: above 80 %", Map.of("busy_percent",
                        91.0))))));
        assertThat(text).startsWith("HighCPUUsage (warning): pending for 3m0s of 5m, firing in 2m0s if it holds");
        // the node exporter's host reads less than the alert's 91 %: said so, naming both instances (busy as the
        // backend and doctor count it, iowait aside: 61.2 + 18.4 + 0.0)
        // pending for 3 of its 5 minutes: the rule's texts without their "for 5 minutes", which is not true yet
        assertThat(text).contains("\n  CPU usage above 80 % on 127.0.0.1:8000 (91.0 %)\n", "\n  The host of"
                + " 127.0.0.1:8000 (job exlm-backend) has used more than 80 % CPU.\n").doesNotContain("for 5 minutes");
        assertThat(text).contains("  CPU by mode (node exporter):\n    127.0.0.1:9100: user 61.2 %, system 18.4 %,"
                + " iowait 2.1 %, steal 0.0 %\n    busy 79.6 %: below 80 % over the last 5m on 127.0.0.1:9100, the"
                + " alert's\n      host (127.0.0.1:8000): an average that holds the time before the alert\n      began,"
                + " or counted otherwise\n");
        assertThat(text).contains("per process the node exporter cannot tell: on the host, top -o %CPU")
                .doesNotContain("not yet full");
        // doctor's reading is this machine's, the alert's host (Prometheus and the instance on loopback)
        assertThat(text).contains("  doctor host.cpu: warn, above 80 % on this machine, the alert's host\n"
                + "    (127.0.0.1:8000): 91.0 % busy over 250 ms: above 80 %\n");
    }

    @Test
    void aHostChecksOkUnderAHostAlertSaysWhereItReadAndIsNeverABareOk() throws Exception {
        Map<String, CheckResult> ok = Map.of("host.memory", check("host.memory", Status.OK,
                "41.0 % of 8.0 GiB used, 4.7 GiB available", Map.of("used_percent", 41.0)));
        Explainer.Report r = explain("HighMemoryUsage", NO_PROCESSES, ok);
        List<String> lines = screen(r);
        assertThat(lines).noneMatch(l -> l.contains("host.memory: ok"));
        assertThat(String.join("\n", lines)).contains("  doctor host.memory: below 90 % now on this machine, the"
                + " alert's host\n    (127.0.0.1:8000): its figure has fallen since, or is counted otherwise:\n"
                + "    41.0 % of 8.0 GiB used, 4.7 GiB available");
        // the JSON keeps the check's own status, and says the same in its note
        Explainer.CheckLine c = r.alerts().get(0).checks().get(0);
        assertThat(c.status()).isEqualTo("ok");
        assertThat(c.note()).isEqualTo("below 90 % now on this machine, the alert's host (127.0.0.1:8000): its figure"
                + " has fallen since, or is counted otherwise");

        // an alert of another host: neither the node exporter's reading nor doctor's is said to be its host's
        Explainer.Report other = explainAnswers(recording("HighMemoryUsage").replace("127.0.0.1:8000",
                "10.1.2.3:8000"), NO_PROCESSES, ok);
        String text = String.join("\n", screen(other));
        assertThat(text).contains("    used 93.8 %: above 90 % on 127.0.0.1:9100 (the alert is on 10.1.2.3:8000)\n");
        assertThat(text).contains("  doctor host.memory: below 90 % now on this machine (the alert is on\n"
                + "    10.1.2.3:8000): 41.0 % of 8.0 GiB used, 4.7 GiB available");
    }

    @Test
    void cpuSharesOverAWindowNotYetFullSaySo() throws Exception {
        // a young stack: the node exporter scraped for a minute, so the 5m window holds 1m15s of data; the shares
        // are of the CPU time in those 1m15s (a ratio of two rates over the same samples), and the note says so
        Explainer.Report r = explainRecording("HighCPUUsage-young", NO_PROCESSES, Map.of());
        String text = String.join("\n", screen(r));
        assertThat(text).contains("  CPU by mode (node exporter):\n    127.0.0.1:9100: user 61.2 %, system 18.4 %,"
                + " iowait 2.1 %, steal 0.0 %\n", "\n    the 5m window is not yet full: it holds only 1m15s of data,"
                + " and the shares\n      are of those 1m15s (the whole window in 3m45s)\n");
    }

    @Test
    void highMemoryUsageGivesMemoryByKind() throws Exception {
        String text = String.join("\n", screen(explain("HighMemoryUsage", NO_PROCESSES, Map.of())));
        assertThat(text).contains("  memory by kind (node exporter):\n    127.0.0.1:9100: 8.0 GiB, available 6.3 %\n"
                + "      anon 75.0 %, cache 12.5 %, buffers 1.3 %, shmem 0.6 %, slab 2.5 %\n"
                + "    used 93.8 %: above 90 % on 127.0.0.1:9100, the alert's host (127.0.0.1:8000)\n");
        assertThat(text).contains("  doctor host.memory: unknown: not run");
    }

    @Test
    void diskSpaceLowNamesTheFullestMount() throws Exception {
        // this machine's disks are not the alert's: its fullest is below the threshold, and said so
        String text = String.join("\n", screen(explain("DiskSpaceLow", NO_PROCESSES, Map.of("host.disk",
                check("host.disk", Status.OK, "/ 41.0 % used (59.0 GiB free of 100.0 GiB)", Map.of("file_systems",
                        Map.of("/", new HostChecks.DiskFigure(41.0, 59L << 30, 100L << 30))))))));
        assertThat(text).startsWith("DiskSpaceLow (critical): firing for 10m0s\n");
        assertThat(text).contains("  fullest filesystems (node exporter):\n    127.0.0.1:9100   /var/lib/postgresql"
                + "  96.3 % used (/dev/sdb1, ext4)\n    127.0.0.1:9100   /                    41.0 % used"
                + " (/dev/sda1, ext4)\n    fullest /var/lib/postgresql 96.3 %: above 90 % on 127.0.0.1:9100, the\n"
                + "      alert's host (127.0.0.1:8000)\n");
        assertThat(text).contains("  doctor host.disk: below 90 % now on this machine, the alert's host\n"
                + "    (127.0.0.1:8000): its figure has fallen since, or is counted otherwise: /\n    41.0 % used");
        assertThat(text).contains("du -xh MOUNT | sort -h | tail");
    }
}
