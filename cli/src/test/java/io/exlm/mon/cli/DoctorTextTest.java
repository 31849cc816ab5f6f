package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.doctor.CheckResult;
import io.exlm.mon.doctor.DoctorJson;
import io.exlm.mon.doctor.DoctorReport;
import io.exlm.mon.doctor.Reach;
import io.exlm.mon.doctor.Status;
import io.exlm.mon.testing.Golden;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * doctor's text ({@link DoctorText}) over a report as a real run gave it, the backend stopped under a running
 * Prometheus (its long URLs, details and fixes as doctor wrote them): the failures that follow from the backend not
 * answering listed under backend.live with its fix once, the ok checks one count per group, at 80 and 40 columns;
 * {@code --problems}; and a green run in a few lines. The grouped report and the --problems one are golden files.
 */
class DoctorTextTest {
    static final DoctorJson.Endpoints URLS = new DoctorJson.Endpoints("http://127.0.0.1:36213",
            "http://127.0.0.1:46541", "http://127.0.0.1:40333", "http://127.0.0.1:40333");

    private static CheckResult result(String id, String title, Status status, String summary, List<String> details,
            String fix, String skippedBecause, Reach reach, CheckResult.FollowsFrom follows) {
        return new CheckResult(id, id.substring(0, id.indexOf('.')), title, status, summary, Map.of(), details, fix,
                List.of(), skippedBecause, reach, 1, false, null, follows);
    }

    private static CheckResult ok(String id, String title, String summary) {
        return result(id, title, Status.OK, summary, List.of(), null, null, Reach.REACHED, null);
    }

    private static CheckResult skipped(String id, String title, String because) {
        return result(id, title, Status.SKIP, "needs " + because + ", which failed", List.of(), null, because,
                Reach.LOCAL, null);
    }

    /** The backend stopped, Alertmanager not running, this host busy: as doctor found it on a real stack. */
    static List<CheckResult> backendStopped() {
        List<CheckResult> r = new ArrayList<>();
        r.add(ok("prometheus.healthy", "Prometheus is running", "Prometheus 2.42.0+ds answers /-/healthy at"
                + " http://127.0.0.1:36213 (157 ms)"));
        r.add(ok("prometheus.ready", "Prometheus is ready to answer queries", "/-/ready answered HTTP 200 (2 ms)"));
        r.add(result("prometheus.targets", "every scrape target is UP", Status.FAIL, "1 of 2 targets DOWN:"
                + " exlm-backend 127.0.0.1:46541 (refused)", List.of("DOWN exlm-backend 127.0.0.1:46541: connection"
                + " refused: nothing listens on 127.0.0.1:46541"), "exlm-backend: start the exlm backend (exlm-mon"
                + " demo runs a reference one); if it listens elsewhere, set backend.url (--backend-url,"
                + " EXLM_BACKEND_URL) and run exlm-mon up again, which rewrites the backend's targets file", null,
                Reach.REACHED, new CheckResult.FollowsFrom("backend.live", true)));
        r.add(ok("prometheus.rules", "the five alerts are loaded and no rule fails", "the 5 alerts and 20 recording"
                + " rules are loaded in 5 groups, none failing; firing: Watchdog, pending: ServiceDown (exlm-mon"
                + " alerts)"));
        r.add(result("prometheus.remote-write", "remote write keeps up with what Prometheus scrapes", Status.SKIP,
                "Prometheus has no remote_write in its configuration", List.of(), null, null, Reach.REACHED, null));
        r.add(result("alertmanager.ready", "Alertmanager is running and ready", Status.FAIL, "Alertmanager does not"
                + " answer at http://127.0.0.1:40333 (connection refused)", List.of("GET"
                + " http://127.0.0.1:40333/-/ready: connection refused (nothing listens on 127.0.0.1:40333); is the"
                + " service running? check the URL and port"), "Alertmanager is not running at"
                + " http://127.0.0.1:40333: start it: exlm-mon up (or docker compose up -d alertmanager, systemctl"
                + " start prometheus-alertmanager); if it runs elsewhere, set --alertmanager-url or"
                + " EXLM_ALERTMANAGER_URL", null, Reach.UNREACHABLE, null));
        r.add(skipped("alertmanager.notifications", "Alertmanager's notifications reach their receivers",
                "alertmanager.ready"));
        r.add(result("backend.live", "the backend is running (/api/v1/health/live)", Status.FAIL, "the backend does"
                + " not answer at http://127.0.0.1:46541/api/v1/health/live (connection refused)", List.of("GET"
                + " http://127.0.0.1:46541/api/v1/health/live: connection refused (nothing listens on"
                + " 127.0.0.1:46541); is the service running? check the URL and port"), "the exlm backend is not"
                + " running at http://127.0.0.1:46541: start it (exlm-mon demo runs a reference one); if it runs"
                + " elsewhere, set --backend-url or EXLM_BACKEND_URL", null, Reach.UNREACHABLE, null));
        r.add(skipped("backend.health", "the backend says it is healthy (/api/v1/health)", "backend.live"));
        r.add(skipped("backend.ready", "every dependency of the backend is ready (/api/v1/health/ready)",
                "backend.live"));
        r.add(result("backend.metrics", "/metrics is reachable and parses", Status.FAIL, "GET"
                + " http://127.0.0.1:46541/metrics: connection refused (nothing listens on 127.0.0.1:46541); is the"
                + " service running? check the URL and port", List.of(), "nothing listens on 127.0.0.1:46541: start"
                + " the service, or point exlm-mon at where it runs (--prometheus-url, --backend-url,"
                + " --alertmanager-url, --grafana-url)", null, Reach.UNREACHABLE,
                new CheckResult.FollowsFrom("backend.live", true)));
        r.add(skipped("backend.catalog", "every catalog metric is exposed with its type", "backend.metrics"));
        r.add(result("nodata.system-state", "dashboard row 'System state' shows data", Status.FAIL, "4 of 4 panels"
                + " have no data: CPU usage, Memory usage, Disk usage, Active users and WebSocket connections",
                List.of("CPU usage, Memory usage, Disk usage, Active users and WebSocket connections: no data; link 1"
                        + " of 4 (the backend exposes the metric) is broken: the backend's /metrics cannot be read"
                        + " (connection refused)"), "get the backend's /metrics answering: see backend.live and"
                        + " backend.metrics", null, Reach.REACHED, new CheckResult.FollowsFrom("backend.metrics",
                        false)));
        r.add(ok("nodata.errors", "dashboard row 'Errors' shows data", "all 3 panels have data"));
        r.add(ok("history.flapping", "no target went down 3 times or more", "1 of 2 targets went down in the last"
                + " 53s (all the history Prometheus has; asked 1h), none 3 times (a restart is not flapping)"));
        r.add(result("host.cpu", "CPU use on this host is below 80 %", Status.WARN, "86.2 % busy over 250 ms"
                + " (besides exlm-mon), load 17.47 13.26 7.52 on 2 cores: above 80 %", List.of(), "find what uses"
                + " it (top -o %CPU); for the backend look at the request rate (exlm:http_requests:rate1m) and the"
                + " Celery workers (celery_tasks_active), and scale out or lower the load", null, Reach.LOCAL, null));
        r.add(ok("host.memory", "memory use on this host is below 90 %", "4.8 % of 23.5 GiB used, 22.4 GiB"
                + " available"));
        return r;
    }

    static List<String> text(List<CheckResult> results, int width, boolean verbose, boolean problems) {
        return DoctorText.lines(URLS, new DoctorReport(results, 967, false), new DoctorText.Options(width, verbose,
                problems, new Ansi(false)));
    }

    /** No line wider than the width, but for one that is a single word (a URL, an id) after its indent. */
    static void fits(List<String> lines, int width) {
        assertThat(lines).allSatisfy(l -> assertThat(l.length() <= width || !l.strip().contains(" ")
                || l.strip().startsWith("[") && !l.strip().substring(7).contains(" "))
                .as("over " + width + " columns: '" + l + "'").isTrue());
    }

    @Test
    void failuresThatFollowFromTheBackendNotAnsweringAreListedUnderItWithItsFixOnce() throws Exception {
        List<String> lines = text(backendStopped(), 80, false, false);
        fits(lines, 80);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        String text = String.join("\n", lines) + "\n";
        Golden.assertMatches("doctor-grouped.txt", text, "doctor's grouped text at 80 columns");
        // the root's fix once; its dependents' own fixes (which say "see backend.live") not at all
        assertThat(text).containsOnlyOnce("fix: the exlm backend is not running").doesNotContain(
                "get the backend's /metrics answering", "fix: exlm-backend: start", "fix: nothing listens");
        int root = text.indexOf("[FAIL] backend.live");
        assertThat(text.indexOf("[FAIL] prometheus.targets")).isGreaterThan(root);
        assertThat(text.indexOf("[FAIL] nodata.system-state")).isGreaterThan(root);
        assertThat(text).contains("         [skip] not run because of it: backend.health, backend.ready,\n"
                + "                backend.catalog\n");
        assertThat(text).contains("Prometheus: 3 ok, 1 fail, 1 skip; 1 listed under backend.live\n",
                "This host: 1 ok, 1 warn\n").doesNotContain("[ ok ]");
    }

    @Test
    void at40ColumnsNoLineIsWiderButAnUnbreakableWord() {
        List<String> lines = text(backendStopped(), 40, false, false);
        fits(lines, 40);
        // the URLs stay whole
        assertThat(lines).contains("         http://127.0.0.1:46541/api/v1/health/live");
        assertThat(lines.stream().filter(l -> l.length() > 40).toList()).isNotEmpty().allSatisfy(l -> assertThat(
                l.strip()).doesNotContain(" "));
    }

    @Test
    void problemsShowOnlyWhatIsNotOkAndTheSummary() throws Exception {
        List<String> lines = text(backendStopped(), 80, false, true);
        fits(lines, 80);
        String text = String.join("\n", lines) + "\n";
        Golden.assertMatches("doctor-problems.txt", text, "doctor --problems at 80 columns");
        assertThat(text).doesNotContain("exlm-mon doctor", "remote_write", "history", "[ ok ]", "Prometheus:")
                .contains("[skip] not run because of it: alertmanager.notifications", "[WARN] host.cpu")
                .endsWith("summary: 6 ok, 1 warn, 5 fail, 5 skip (17 checks in 967ms): failed\n");
        // a green run with --problems is its summary alone
        List<CheckResult> green = backendStopped().stream().filter(r -> r.status() == Status.OK).toList();
        assertThat(text(green, 80, false, true)).containsExactly("summary: 6 ok, 0 warn, 0 fail, 0 skip (6 checks"
                + " in 967ms): passed");
    }

    @Test
    void aGreenRunIsAFewLinesAndVerboseListsEveryCheck() {
        List<CheckResult> green = new ArrayList<>(backendStopped().stream().filter(r -> r.status() == Status.OK)
                .toList());
        green.add(3, backendStopped().get(4)); // the remote-write skip, which does not apply here
        List<String> lines = text(green, 100, false, false);
        assertThat(lines).containsExactly(
                "exlm-mon doctor  Prometheus http://127.0.0.1:36213, backend http://127.0.0.1:46541, Alertmanager",
                "  http://127.0.0.1:40333, Grafana http://127.0.0.1:40333",
                "",
                "Prometheus: 3 ok, 1 skip",
                "  [skip] prometheus.remote-write  remote write keeps up with what Prometheus scrapes: skipped,",
                "         Prometheus has no remote_write in its configuration",
                "No data: each dashboard row, backend to panel: 1 ok",
                "Over time (--since): flapping, slow scrapes, clocks, cardinality, disk: 1 ok",
                "This host: 1 ok",
                "",
                "summary: 6 ok, 0 warn, 0 fail, 1 skip (7 checks in 967ms): passed");
        List<String> verbose = text(green, 100, true, false);
        for (CheckResult r : green) {
            assertThat(verbose).anyMatch(l -> l.startsWith("  " + (r.status() == Status.OK ? "[ ok ]" : "[skip]")
                    + " " + r.id() + "  "));
        }
    }

    @Test
    void verboseListsTheSkippedDependentsInFull() {
        String text = String.join("\n", text(backendStopped(), 100, true, false));
        assertThat(text).contains("         [skip] backend.health  the backend says it is healthy (/api/v1/health):"
                + " skipped, needs\n                backend.live, which failed")
                .doesNotContain("not run because of it: backend");
        Map<String, Integer> marks = new LinkedHashMap<>();
        for (CheckResult r : backendStopped()) {
            marks.merge(r.id(), text.contains("] " + r.id() + "  ") ? 1 : 0, Integer::sum);
        }
        assertThat(marks).allSatisfy((id, n) -> assertThat(n).as(id).isOne());
    }
}
