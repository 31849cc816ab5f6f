package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.ExitCode;
import io.exlm.mon.http.HttpFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner: concurrency, prerequisites, timeouts, the verdict and the exit code. */
class DoctorRunnerTest {
    static DoctorEnv env() {
        return new DoctorEnv(null, "http://p", "http://b", "http://a", "http://g", Duration.ofSeconds(15), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, null, null, new Facts());
    }

    static Check check(String id, List<String> requires, Check.Body body) {
        return new Check(id, "title of " + id, requires, body);
    }

    static DoctorReport run(List<Check> checks, int jobs, boolean strict) {
        return Doctor.run(checks, env(), new Doctor.Options(Duration.ofSeconds(2), jobs), strict);
    }

    static Check.Body sleeping(long ms, Outcome o) {
        return env -> {
            Thread.sleep(ms);
            return o;
        };
    }

    @Test
    void independentChecksRunAtTheSameTime() {
        List<Check> checks = List.of(check("a.one", List.of(), sleeping(400, Outcome.ok("1"))),
                check("a.two", List.of(), sleeping(400, Outcome.ok("2"))),
                check("a.three", List.of(), sleeping(400, Outcome.ok("3"))));
        DoctorReport parallel = run(checks, 0, false);
        assertThat(parallel.elapsedMillis()).isLessThan(1000);
        DoctorReport serial = run(checks, 1, false);
        assertThat(serial.elapsedMillis()).isGreaterThanOrEqualTo(1200);
        assertThat(parallel.results()).extracting(CheckResult::id).containsExactly("a.one", "a.two", "a.three");
        assertThat(parallel.exitCode()).isZero();
    }

    @Test
    void aCheckWaitsForItsPrerequisiteAndIsSkippedWhenItFailedSayingWhich() {
        Map<String, Long> finished = new ConcurrentHashMap<>();
        List<Check> checks = List.of(
                check("x.root", List.of(), env -> {
                    Thread.sleep(200);
                    finished.put("root", System.nanoTime());
                    return Outcome.ok("up");
                }),
                check("x.child", List.of("x.root"), env -> {
                    finished.put("child", System.nanoTime());
                    return Outcome.ok("ran after root");
                }),
                check("y.root", List.of(), env -> Outcome.fail("down").fix("start it")),
                check("y.child", List.of("y.root"), env -> Outcome.ok("never")),
                check("y.grandchild", List.of("y.child"), env -> Outcome.ok("never")));
        DoctorReport r = run(checks, 0, false);
        assertThat(finished.get("child")).isGreaterThan(finished.get("root"));
        Map<String, CheckResult> byId = new java.util.HashMap<>();
        r.results().forEach(c -> byId.put(c.id(), c));
        assertThat(byId.get("x.child").status()).isEqualTo(Status.OK);
        assertThat(byId.get("y.child").status()).isEqualTo(Status.SKIP);
        assertThat(byId.get("y.child").summary()).isEqualTo("needs y.root, which failed");
        assertThat(byId.get("y.child").skippedBecause()).isEqualTo("y.root");
        assertThat(byId.get("y.grandchild").summary()).isEqualTo("needs y.child, which was skipped");
        assertThat(r.exitCode()).isEqualTo(ExitCode.UNHEALTHY);
    }

    @Test
    void aCheckThatTakesTooLongFailsAsTimedOutAndOthersGoOn() {
        List<Check> checks = List.of(check("s.slow", List.of(), sleeping(10_000, Outcome.ok("late"))),
                check("s.fast", List.of(), env -> Outcome.ok("quick")));
        long start = System.nanoTime();
        DoctorReport r = Doctor.run(checks, env(), new Doctor.Options(Duration.ofMillis(300), 0), false);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
        assertThat(r.results().get(0).status()).isEqualTo(Status.FAIL);
        assertThat(r.results().get(0).summary()).isEqualTo("did not finish within 300ms");
        assertThat(r.results().get(0).remediation()).contains("--check-timeout");
        assertThat(r.results().get(1).status()).isEqualTo(Status.OK);
    }

    @Test
    void warningsPassUnlessStrict() {
        List<Check> checks = List.of(check("w.one", List.of(), env -> Outcome.warn("meh")));
        assertThat(run(checks, 0, false).exitCode()).isZero();
        assertThat(run(checks, 0, true).exitCode()).isEqualTo(ExitCode.UNHEALTHY);
        assertThat(run(checks, 0, false).status()).isEqualTo(Status.WARN);
    }

    @Test
    void nothingReachableIsExitThreeAndAnyAnswerIsNot() {
        HttpFailure refused = new HttpFailure(HttpFailure.Kind.REFUSED, "http://p/-/healthy", 0, "refused", null);
        Check down = check("p.down", List.of(), env -> {
            throw refused;
        });
        Check local = check("h.local", List.of(), env -> Outcome.ok("fine").reach(Reach.LOCAL));
        DoctorReport none = run(List.of(down, local), 0, false);
        assertThat(none.nothingReached()).isTrue();
        assertThat(none.exitCode()).isEqualTo(ExitCode.UNREACHABLE);
        assertThat(none.results().get(0).summary()).isEqualTo("refused");
        assertThat(none.results().get(0).remediation()).contains("nothing listens on p:80");

        Check answered = check("b.http", List.of(), env -> {
            throw new HttpFailure(HttpFailure.Kind.HTTP_STATUS, "http://b/x", 500, "HTTP 500", null);
        });
        assertThat(run(List.of(down, answered), 0, false).exitCode()).isEqualTo(ExitCode.UNHEALTHY);
    }

    @Test
    void aCrashingCheckIsABugExitFour() {
        DoctorReport r = run(List.of(check("c.bug", List.of(), env -> {
            throw new NullPointerException("oops");
        })), 0, false);
        assertThat(r.results().get(0).status()).isEqualTo(Status.FAIL);
        assertThat(r.results().get(0).summary()).contains("crashed", "NullPointerException");
        assertThat(r.exitCode()).isEqualTo(ExitCode.INTERNAL);
    }

    @Test
    void selectionTakesIdsAndGroupsWithTheirPrerequisites() {
        AtomicInteger n = new AtomicInteger();
        Check.Body ok = env -> Outcome.ok("" + n.incrementAndGet());
        List<Check> all = List.of(check("p.a", List.of(), ok), check("p.b", List.of("p.a"), ok),
                check("q.c", List.of("p.b"), ok), check("q.d", List.of(), ok));
        assertThat(Doctor.select(all, List.of("q.c"))).extracting(Check::id).containsExactly("p.a", "p.b", "q.c");
        assertThat(Doctor.select(all, List.of("q"))).extracting(Check::id).containsExactly("p.a", "p.b", "q.c",
                "q.d");
        assertThat(Doctor.select(all, List.of())).hasSize(4);
        assertThatThrownBy(() -> Doctor.select(all, List.of("nope"))).hasMessageContaining("no check or group 'nope'");
    }

    @Test
    void theRegistryHasUniqueIdsAndKnownPrerequisitesListedBeforeTheirUsers() {
        List<Check> all = Checks.all();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Check c : all) {
            assertThat(seen.add(c.id())).as("unique " + c.id()).isTrue();
            assertThat(c.id()).matches("[a-z]+\\.[a-z0-9-]+");
            assertThat(Checks.groups()).contains(c.group());
            for (String r : c.requires()) {
                assertThat(seen).as(c.id() + " needs " + r + " listed before it").contains(r);
            }
        }
        assertThat(all).extracting(Check::id).contains("prometheus.healthy", "prometheus.targets",
                "prometheus.config", "prometheus.scrape-interval", "prometheus.rules", "prometheus.alertmanager",
                "prometheus.tsdb", "alertmanager.ready", "backend.live", "backend.ready", "backend.metrics",
                "backend.catalog", "nodata.system-state", "nodata.http-traffic", "nodata.jobs", "nodata.errors",
                "grafana.health", "grafana.datasource", "grafana.datasource-health", "grafana.dashboards",
                "grafana.default-credentials", "grafana.password", "host.memory", "host.disk", "host.cpu");
    }
}
