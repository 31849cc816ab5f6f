package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.exlm.mon.ExitCode;
import io.exlm.mon.http.HttpFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
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
        return Doctor.run(checks, env(), new Doctor.Options(Duration.ofMinutes(1), jobs), strict);
    }

    /**
     * Bodies that prove how many run at once without measuring time: each counts itself in while it runs, notes the
     * most that were ever inside together, and waits until {@code together} bodies are inside at the same time (for
     * at most {@code grace}, after which it goes on: a runner that keeps them apart never lets them meet).
     */
    static final class Meeting {
        final AtomicInteger inside = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final AtomicInteger ran = new AtomicInteger();
        final CountDownLatch met;
        final Duration grace;

        Meeting(int together, Duration grace) {
            this.met = new CountDownLatch(together);
            this.grace = grace;
        }

        Check.Body body(Outcome o) {
            return env -> {
                most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                try {
                    met.countDown();
                    if (!met.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                        return Outcome.warn("ran alone");
                    }
                    return o;
                } finally {
                    inside.decrementAndGet();
                    ran.incrementAndGet();
                }
            };
        }
    }

    @Test
    void independentChecksRunAtTheSameTime() {
        // all three are inside their bodies at once, or none of them gets past the latch (a minute: never, unless
        // the runner keeps them apart)
        Meeting m = new Meeting(3, Duration.ofMinutes(1));
        List<Check> checks = List.of(check("a.one", List.of(), m.body(Outcome.ok("1"))),
                check("a.two", List.of(), m.body(Outcome.ok("2"))),
                check("a.three", List.of(), m.body(Outcome.ok("3"))));
        DoctorReport parallel = Doctor.run(checks, env(), new Doctor.Options(Duration.ofMinutes(2), 0), false);
        assertThat(parallel.results()).extracting(CheckResult::status).containsOnly(Status.OK);
        assertThat(m.most.get()).isEqualTo(3);
        assertThat(parallel.results()).extracting(CheckResult::id).containsExactly("a.one", "a.two", "a.three");
        assertThat(parallel.exitCode()).isZero();
    }

    @Test
    void oneJobRunsTheChecksOneAtATime() {
        // each body waits a little for the others to join it: a runner that let two in at once would show it
        Meeting m = new Meeting(3, Duration.ofMillis(200));
        List<Check> checks = List.of(check("a.one", List.of(), m.body(Outcome.ok("1"))),
                check("a.two", List.of(), m.body(Outcome.ok("2"))),
                check("a.three", List.of(), m.body(Outcome.ok("3"))));
        DoctorReport serial = Doctor.run(checks, env(), new Doctor.Options(Duration.ofMinutes(2), 1), false);
        assertThat(m.ran.get()).isEqualTo(3);
        assertThat(m.most.get()).isEqualTo(1);
        assertThat(serial.results()).extracting(CheckResult::id).containsExactly("a.one", "a.two", "a.three");
    }

    @Test
    void twoJobsRunTwoChecksAtOnceAndNeverThree() {
        // two meet (so two run at once), then wait a little for a third to join them, which never comes
        CountDownLatch pair = new CountDownLatch(2);
        CountDownLatch crowd = new CountDownLatch(3);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Check.Body body = env -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            try {
                pair.countDown();
                if (!pair.await(30, TimeUnit.SECONDS)) {
                    return Outcome.warn("ran alone");
                }
                crowd.countDown();
                crowd.await(200, TimeUnit.MILLISECONDS);
                return Outcome.ok("ran beside another");
            } finally {
                inside.decrementAndGet();
            }
        };
        List<Check> checks = List.of(check("b.one", List.of(), body), check("b.two", List.of(), body),
                check("b.three", List.of(), body), check("b.four", List.of(), body));
        DoctorReport r = Doctor.run(checks, env(), new Doctor.Options(Duration.ofMinutes(2), 2), false);
        assertThat(r.results()).extracting(CheckResult::status).containsOnly(Status.OK);
        assertThat(most.get()).isEqualTo(2);
        assertThat(r.results()).extracting(CheckResult::id).containsExactly("b.one", "b.two", "b.three", "b.four");
    }

    @Test
    void aCheckWaitsForItsPrerequisiteAndIsSkippedWhenItFailedSayingWhich() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch childStarted = new CountDownLatch(1);
        List<Check> checks = List.of(
                check("x.root", List.of(), env -> {
                    // a runner that did not wait for the root would start the child meanwhile
                    childStarted.await(200, TimeUnit.MILLISECONDS);
                    events.add("root finished");
                    return Outcome.ok("up");
                }),
                check("x.child", List.of("x.root"), env -> {
                    events.add("child started");
                    childStarted.countDown();
                    return Outcome.ok("ran after root");
                }),
                check("y.root", List.of(), env -> Outcome.fail("down").fix("start it")),
                check("y.child", List.of("y.root"), env -> Outcome.ok("never")),
                check("y.grandchild", List.of("y.child"), env -> Outcome.ok("never")));
        DoctorReport r = Doctor.run(checks, env(), new Doctor.Options(Duration.ofMinutes(1), 0), false);
        assertThat(events).containsExactly("root finished", "child started");
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
    void aCheckThatTakesTooLongFailsAsTimedOutAndOthersGoOn() throws Exception {
        // the slow body never finishes by itself: the run can only end because the runner gave up on it
        CountDownLatch never = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        List<Check> checks = List.of(check("s.slow", List.of(), env -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return Outcome.ok("late");
        }), check("s.fast", List.of(), env -> Outcome.ok("quick")));
        try {
            DoctorReport r = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> Doctor.run(checks, env(),
                    new Doctor.Options(Duration.ofSeconds(1), 0), false));
            assertThat(r.results().get(0).status()).isEqualTo(Status.FAIL);
            assertThat(r.results().get(0).summary()).isEqualTo("did not finish within 1s");
            assertThat(r.results().get(0).remediation()).contains("--check-timeout");
            assertThat(r.results().get(1).status()).isEqualTo(Status.OK);
            // and the body was told to stop, not left running
            assertThat(interrupted.await(1, TimeUnit.MINUTES)).isTrue();
        } finally {
            never.countDown();
        }
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
