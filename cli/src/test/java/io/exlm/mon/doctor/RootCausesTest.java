package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which checks follow from one cause ({@link RootCauses}), over the results of the real runner: a prerequisite that
 * failed, a chain of them, a fact a check names (kept only when that check did fail, and unreachable when asked),
 * and what {@code --problems} keeps.
 */
class RootCausesTest {
    static Check check(String id, List<String> requires, Outcome o) {
        return DoctorRunnerTest.check(id, requires, env -> o);
    }

    static DoctorReport run(Check... checks) {
        return DoctorRunnerTest.run(List.of(checks), 0, false);
    }

    static Outcome unreachable(String summary) {
        return Outcome.fail(summary).reach(Reach.UNREACHABLE);
    }

    @Test
    void skippedChecksFollowFromTheEndOfTheirChainOfPrerequisites() {
        DoctorReport r = run(check("p.healthy", List.of(), unreachable("refused")),
                check("p.ready", List.of("p.healthy"), Outcome.ok("never run")),
                check("p.targets", List.of("p.ready"), Outcome.ok("never run")),
                check("nodata.a", List.of("p.ready"), Outcome.ok("never run")),
                check("host.cpu", List.of(), Outcome.ok("fine")));
        assertThat(r.causes()).containsExactly(Map.entry("p.ready", "p.healthy"), Map.entry("p.targets", "p.healthy"),
                Map.entry("nodata.a", "p.healthy"));
        assertThat(r.problems()).extracting(CheckResult::id).containsExactly("p.healthy", "p.ready", "p.targets",
                "nodata.a");
    }

    @Test
    void aFactFollowsFromTheCheckItNamesWhenThatOneFailedAndThroughItToItsRoot() {
        DoctorReport r = run(check("b.live", List.of(), unreachable("refused")),
                check("b.metrics", List.of(), unreachable("refused").followsFromUnreachable("b.live")),
                check("p.targets", List.of(), Outcome.fail("backend DOWN").followsFromUnreachable("b.live")),
                check("nodata.a", List.of(), Outcome.fail("no data").followsFrom("b.metrics")),
                check("nodata.b", List.of(), Outcome.fail("no data").followsFrom("p.targets")),
                check("b.catalog", List.of("b.metrics"), Outcome.ok("never run")));
        assertThat(r.causes()).containsExactly(Map.entry("b.metrics", "b.live"), Map.entry("p.targets", "b.live"),
                Map.entry("nodata.a", "b.live"), Map.entry("nodata.b", "b.live"), Map.entry("b.catalog", "b.live"));
    }

    @Test
    void aNamedCauseThatDidNotFailOrFailedOtherwiseExplainsNothing() {
        DoctorReport r = run(check("b.live", List.of(), Outcome.fail("answers 503: not live").reach(Reach.REACHED)),
                check("p.targets", List.of(), Outcome.fail("backend DOWN").followsFromUnreachable("b.live")),
                check("nodata.a", List.of(), Outcome.fail("no data").followsFrom("b.metrics")),
                check("b.metrics", List.of(), Outcome.ok("answers")),
                check("nodata.b", List.of(), Outcome.fail("no data").followsFrom("not.run")),
                check("nodata.c", List.of(), Outcome.warn("slow").followsFrom("b.live")));
        // the backend answers exlm-mon, so Prometheus's refused connection is a finding of its own; an ok or absent
        // check explains nothing; a failure that was not an unreachable endpoint explains what does not ask for one
        assertThat(r.causes()).containsExactly(Map.entry("nodata.c", "b.live"));
        assertThat(r.problems()).extracting(CheckResult::id).containsExactly("b.live", "p.targets", "nodata.a",
                "nodata.b", "nodata.c");
    }

    @Test
    void anOkCheckHasNoCauseAndSkipsForWhatDoesNotApplyAreNoProblem() {
        DoctorReport r = run(check("g.health", List.of(), Outcome.skip("not installed")),
                check("g.password", List.of("g.health"), Outcome.ok("never run")),
                check("b.live", List.of(), Outcome.ok("live").followsFrom("g.health")));
        assertThat(r.causes()).containsExactly(Map.entry("g.password", "g.health"));
        assertThat(r.problems()).isEmpty();
    }

    @Test
    void checksThatNameEachOtherInACircleHaveNoRootAndStandOnTheirOwn() {
        DoctorReport r = run(check("a.one", List.of(), Outcome.fail("a").followsFrom("a.two")),
                check("a.two", List.of(), Outcome.fail("b").followsFrom("a.one")),
                check("a.three", List.of(), Outcome.fail("c").followsFrom("a.one")));
        assertThat(r.causes()).isEmpty();
    }
}
