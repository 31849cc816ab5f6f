package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import io.exlm.mon.source.Source;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.Frames;
import io.exlm.mon.tui.Poller;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code top --fail-on-alert} on host panels: CPU and memory fail the gate only when beyond their threshold for their
 * alert's {@code for:}, as the alert would fire; disk and the error rate at once. A busy moment of a CI runner is not a
 * broken host (a false red), and a host beyond its threshold for the whole hold is one (no false green).
 */
class TopGateTest {
    private static final Duration HOLD = Thresholds.hold(PanelId.CPU);

    private static TopGate.Reading at(long seconds, Level level) {
        return new TopGate.Reading(seconds * 1000, level);
    }

    /** Frames' dashboard (disk and the error rate beyond) with CPU at {@code cpu} percent. */
    private static DashboardModel model(double cpu) {
        Map<PanelId, PanelState> panels = new EnumMap<>(Frames.panels());
        panels.put(PanelId.CPU, Frames.gauge(PanelId.CPU, cpu));
        return Frames.model(panels);
    }

    @Test
    void theHoldsAreTheRulesFor() {
        assertThat(Thresholds.hold(PanelId.CPU)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Thresholds.hold(PanelId.MEMORY)).isEqualTo(Duration.ofMinutes(5));
        assertThat(Thresholds.hold(PanelId.DISK)).isZero();
        assertThat(Thresholds.hold(PanelId.ERROR_RATE)).isZero();
        assertThat(TopGate.held()).containsExactlyInAnyOrder(PanelId.CPU, PanelId.MEMORY);
        // --window of this length has scrapes that span the hold when it counts as full
        assertThat(TopGate.windowFor(HOLD).toMillis() * Snapshot.Coverage.FULL).isGreaterThanOrEqualTo(HOLD.toMillis());
    }

    @Test
    void beyondForIsTheTrailingRunOfAlertReadings() {
        assertThat(TopGate.beyondFor(List.of())).isNull();
        assertThat(TopGate.beyondFor(List.of(at(0, Level.ALERT), at(10, Level.OK)))).isNull();
        assertThat(TopGate.beyondFor(List.of(at(0, Level.ALERT)))).isEqualTo(Duration.ZERO);
        // a break (a warning, or no value) starts the run again
        assertThat(TopGate.beyondFor(List.of(at(0, Level.ALERT), at(10, Level.WARN), at(20, Level.ALERT),
                at(35, Level.ALERT)))).isEqualTo(Duration.ofSeconds(15));
        assertThat(TopGate.beyondFor(List.of(at(0, Level.ALERT), at(10, Level.NONE), at(20, Level.ALERT))))
                .isEqualTo(Duration.ZERO);
        assertThat(TopGate.beyondFor(List.of(at(0, Level.ALERT), at(150, Level.ALERT), at(300, Level.ALERT))))
                .isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aBusyMomentDoesNotFailTheGateAndSaysWhy() {
        DashboardModel m = model(97);
        Set<PanelId> gated = TopGate.gated(List.of(TopGate.ALL_PANELS));
        assertThat(TopGate.alerts(m, gated)).contains("cpu");
        TopGate.Verdict v = TopGate.verdict(m, gated, Map.of(PanelId.CPU, List.of(at(0, Level.OK), at(10,
                Level.ALERT), at(20, Level.ALERT))), null);
        // disk and the error rate fail at once; CPU has been beyond for 10s of its 5m
        assertThat(v.failing()).containsExactly("disk", "error_rate");
        assertThat(v.notes()).singleElement().asString().startsWith("cpu is beyond its alert threshold, for 10s")
                .contains("its alert waits 5m: not failed").contains("--window " + io.exlm.mon.config.Durations
                        .format(TopGate.windowFor(HOLD)));
    }

    @Test
    void beyondForTheWholeHoldFailsTheGate() {
        DashboardModel m = model(97);
        Set<PanelId> gated = TopGate.gated(List.of("cpu"));
        List<TopGate.Reading> r = new ArrayList<>();
        for (long s = 0; s <= HOLD.toSeconds(); s += 15) {
            r.add(at(s, Level.ALERT));
        }
        TopGate.Verdict v = TopGate.verdict(m, gated, Map.of(PanelId.CPU, r), null);
        assertThat(v.failing()).containsExactly("cpu");
        // the line and the JUnit failure say that it fails the gate for its alert's whole hold, not only beyond it
        assertThat(TopGate.failingLine(m, v, "cpu")).isEqualTo("cpu: 97.0% beyond 80.0% for 5m or more, failing the"
                + " gate");
        StringWriter junit = new StringWriter();
        TopJUnit.write(new PrintWriter(junit), m, true, v, 1);
        assertThat(junit.toString()).contains("<failure message=\"CPU is beyond its alert threshold for 5m or more:"
                + " 97.0%");
        // a panel whose alert fires at once says no hold
        TopGate.Verdict disk = TopGate.verdict(m, TopGate.gated(List.of("disk")), Map.of(), null);
        assertThat(TopGate.failingLine(m, disk, "disk")).isEqualTo("disk: 93.2% beyond 90.0%, failing the gate");
        // one step short of it is not yet
        TopGate.Verdict shorter = TopGate.verdict(m, gated, Map.of(PanelId.CPU, r.subList(1, r.size())), null);
        assertThat(shorter.failing()).isEmpty();
        assertThat(shorter.notes()).singleElement().asString().contains("for 4m45s by the readings");
    }

    @Test
    void noReadingsFailTheGateRatherThanPassIt() {
        DashboardModel m = model(97);
        TopGate.Verdict v = TopGate.verdict(m, TopGate.gated(List.of("cpu")), Map.of(), "its history: HTTP 503");
        assertThat(v.failing()).containsExactly("cpu");
        assertThat(v.notes()).singleElement().asString().contains("could not be read (its history: HTTP 503)")
                .contains("failed");
        assertThat(TopGate.failingLine(m, v, "cpu")).isEqualTo("cpu: 97.0% beyond 80.0% for how long unknown (its"
                + " alert waits 5m), failing the gate");
    }

    @Test
    void aGatedHostPanelWithoutAValueFailsTheGate() {
        // a CPU that cannot be read is no green CPU (the second reader's: --max-series too small for its series)
        Map<PanelId, PanelState> panels = new EnumMap<>(Frames.panels());
        panels.put(PanelId.CPU, PanelState.unavailable(PanelId.CPU, "the query returned nothing"));
        panels.put(PanelId.ERROR_RATE, PanelState.unavailable(PanelId.ERROR_RATE, "no requests in the window"));
        DashboardModel m = Frames.model(panels);
        TopGate.Verdict v = TopGate.verdict(m, TopGate.gated(List.of("cpu", "error_rate")), Map.of(), null);
        assertThat(v.failing()).containsExactly("cpu");
        assertThat(v.notes()).containsExactly("cpu has no value to judge against its alert threshold (the query"
                + " returned nothing): failed, as unknown is not healthy");
        // an idle service's error rate is not judged, and a panel not gated is not either
        assertThat(TopGate.verdict(m, TopGate.gated(List.of("disk")), Map.of(), null).failing()).containsExactly(
                "disk");
        StringWriter out = new StringWriter();
        TopJUnit.write(new PrintWriter(out), m, true, v, 1);
        assertThat(out.toString()).contains("CPU has no value to judge against its alert threshold: the query"
                + " returned nothing");
        assertThat(TopGate.failingLine(m, v, "cpu")).isEqualTo("cpu: no value to judge against 80.0%, failing the"
                + " gate");
    }

    @Test
    void aPanelBelowItsThresholdNeedsNoReadings() {
        DashboardModel m = model(42);
        Set<PanelId> gated = TopGate.gated(List.of(TopGate.ALL_PANELS));
        assertThat(TopGate.needReadings(m, gated)).isEmpty();
        assertThat(TopGate.needReadings(model(97), gated)).containsExactly(PanelId.CPU);
        assertThat(TopGate.needReadings(model(97), TopGate.gated(List.of("disk")))).isEmpty();
    }

    @Test
    void theOverloadedDemoFailsOnDiskAtOnceButNotOnCpuAndMemoryOfOneRun() throws Exception {
        Cli.Result all = Cli.exec("top", "--demo", "--scenario", "overload", "--once", "--window", "1s",
                "--fail-on-alert", "-o", "json");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(1);
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(all.out());
        assertThat(doc.get("alerts").toString()).contains("\"cpu\"").contains("\"memory\"").contains("\"disk\"");
        // disk fails at once; the overload's error rate (4 %) may cross 5 % over one second's requests, and is
        // not what this test is about
        assertThat(doc.get("failing").toString()).startsWith("[\"disk\"").doesNotContain("cpu", "memory");
        assertThat(all.err()).contains("exlm-mon: note: cpu is beyond its alert threshold, for ")
                .contains("exlm-mon: note: memory is beyond its alert threshold, for ")
                .contains("--window " + io.exlm.mon.config.Durations.format(TopGate.windowFor(HOLD)))
                .contains("exlm-mon: disk: ").contains("% beyond 90.0%, failing the gate")
                .doesNotContain("cpu: 9", "memory: 9");
        // naming CPU alone with a run that cannot see its alert's wait is a gate that could never fail
        Cli.Result cpu = Cli.exec("top", "--demo", "--scenario", "overload", "--once", "--window", "1s",
                "--fail-on-alert", "cpu,memory", "-o", "json");
        assertThat(cpu.exitCode()).as(cpu.toString()).isEqualTo(2);
        assertThat(cpu.errLines()).singleElement().asString().contains("--fail-on-alert cpu with the scrape source"
                + " needs --window " + io.exlm.mon.config.Durations.format(TopGate.windowFor(HOLD)) + " or more");
        assertThat(cpu.out()).isEmpty();
    }

    @Test
    void aWindowAsLongAsTheHoldMakesCpuAGate() {
        TopGate.checkHolds(List.of("cpu"), TopGate.windowFor(HOLD));
        TopGate.checkHolds(List.of(TopGate.ALL_PANELS), null);
        TopGate.checkHolds(List.of("disk", "error_rate"), null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> TopGate.checkHolds(List.of("memory"),
                TopGate.windowFor(HOLD).minusSeconds(1))).hasMessageContaining("--fail-on-alert memory");
    }

    /** A Prometheus with HighCPUUsage loaded and evaluated, whose ALERTS say {@code state} (null: none). */
    private static Map<PanelId, TopGate.Ruled> ruled(String state, boolean loaded) throws Exception {
        String rules = "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"exlm\",\"file\":\"f\","
                + "\"interval\":15,\"rules\":[" + (loaded ? "{\"name\":\"HighCPUUsage\",\"type\":\"alerting\","
                + "\"query\":\"x\",\"health\":\"ok\",\"state\":\"inactive\",\"duration\":300,\"labels\":{},"
                + "\"alerts\":[]}" : "") + "]}]}}";
        String alerts = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + (state == null ? "" : "{\"metric\":{\"__name__\":\"ALERTS\",\"alertname\":\"HighCPUUsage\","
                + "\"alertstate\":\"" + state + "\",\"job\":\"exlm-backend\",\"instance\":\"a:1\"},\"value\":"
                + "[1700000000,\"1\"]}") + "]}}";
        java.util.List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (io.exlm.mon.testing.FaultServer p = new io.exlm.mon.testing.FaultServer((req, out, sock) -> {
            asked.add(req.path() + " " + req.body());
            io.exlm.mon.testing.FaultServer.respond(out, 200, "application/json",
                    req.path().startsWith("/api/v1/rules") ? rules : alerts);
        }); io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(io.exlm.mon.http.HttpOptions.defaults());
                io.exlm.mon.source.PrometheusSource source = new io.exlm.mon.source.PrometheusSource(
                        new io.exlm.mon.promql.PrometheusClient(http, p.url()), io.exlm.mon.source.Combination
                        .defaults(), Duration.ofMinutes(1), io.exlm.mon.source.Scope.BACKEND, PanelId.queryGroups())) {
            Map<PanelId, TopGate.Ruled> r = TopOnce.ruled(source, Set.of(PanelId.CPU), Instant.ofEpochSecond(
                    1700000000));
            if (loaded) {
                assertThat(String.join("\n", asked)).contains("ALERTS").contains("HighCPUUsage")
                        .contains("exlm-backend");
            }
            return r;
        }
    }

    @Test
    void withPrometheusTheAlertRuleItselfDecides() throws Exception {
        // the rule is per instance and at its own for: and pace: firing fails the gate, pending does not
        assertThat(ruled("firing", true).get(PanelId.CPU).firing()).isTrue();
        TopGate.Ruled pending = ruled("pending", true).get(PanelId.CPU);
        assertThat(pending.firing()).isFalse();
        assertThat(pending.note()).isEqualTo("cpu is beyond its alert threshold, and HighCPUUsage is pending in"
                + " Prometheus (it fires after 5m): not failed");
        assertThat(ruled(null, true).get(PanelId.CPU).note()).contains("neither pending nor firing");
        // a rule this Prometheus does not have decides nothing: the history does
        assertThat(ruled("firing", false)).isEmpty();
        DashboardModel m = model(97);
        TopGate.Verdict v = TopGate.verdict(m, TopGate.gated(List.of("cpu")), Map.of(PanelId.CPU, pending),
                Map.of(), null, null);
        assertThat(v.failing()).isEmpty();
        assertThat(v.notes()).containsExactly(pending.note());
        TopGate.Verdict fired = TopGate.verdict(m, TopGate.gated(List.of("cpu")), Map.of(PanelId.CPU,
                new TopGate.Ruled(true, null)), Map.of(), null, null);
        assertThat(fired.failing()).containsExactly("cpu");
        assertThat(TopGate.failingLine(m, fired, "cpu")).isEqualTo("cpu: 97.0% beyond 80.0% for 5m or more"
                + " (HighCPUUsage firing), failing the gate");
    }

    /** A source that remembers: its history is CPU at {@code cpu} percent at each step, its present the last step's. */
    private static final class Remembering implements Source {
        final double[] cpu;
        final List<Duration> steps = new ArrayList<>();
        final boolean fails;
        boolean lastEmpty;

        Remembering(boolean fails, double... cpu) {
            this.cpu = cpu;
            this.fails = fails;
        }

        static Snapshot of(double cpu, long millis) {
            String text = "cpu_usage_percent " + cpu + "\nmemory_usage_percent 10\ndisk_usage_percent 10\n";
            try {
                return Snapshots.of(Scrape.read(text.getBytes(StandardCharsets.UTF_8),
                        ExpositionFormat.PROMETHEUS_TEXT, ParseMode.LENIENT, "test", millis));
            } catch (io.exlm.mon.expo.ExpositionException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public String describe() {
            return "remembering";
        }

        @Override
        public Snapshot snapshot() {
            return of(cpu[cpu.length - 1], 1_000_000);
        }

        @Override
        public boolean hasWindow() {
            return true;
        }

        @Override
        public boolean remembers() {
            return true;
        }

        @Override
        public List<Snapshot> history(Instant end, Duration step, int points) {
            steps.add(step);
            if (fails) {
                throw new io.exlm.mon.ExitException(3, "query_range: HTTP 503");
            }
            List<Snapshot> out = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                // the last points of the series, as many as asked
                int k = cpu.length - points + i;
                out.add(lastEmpty && i == points - 1 ? Frames.emptySnapshot() : of(k < 0 ? 10 : cpu[k],
                        end.toEpochMilli() - (points - 1L - i) * step.toMillis()));
            }
            return out;
        }
    }

    private static int once(Remembering source, StringWriter err) throws Exception {
        return once(source, err, Duration.ofSeconds(1));
    }

    private static int once(Remembering source, StringWriter err, Duration interval) throws Exception {
        GlobalOptions globals = new GlobalOptions();
        globals.output = OutputFormat.json;
        Context ctx = new Context(globals, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                Map.of(), false, new ByteArrayInputStream(new byte[0]));
        DashboardState state = new DashboardState(source.describe(), interval.toMillis(), true, -1);
        return new TopOnce(ctx, state, new Poller(source, state), false).run(source, interval,
                Duration.ofMinutes(1), false, TopGate.gated(List.of("cpu")));
    }

    @Test
    void withASourceThatRemembersTheGateReadsItsHistory() throws Exception {
        int points = (int) (HOLD.toMillis() / TopOnce.HISTORY_STEP.toMillis()) + 1;
        double[] always = new double[points];
        java.util.Arrays.fill(always, 97);
        StringWriter err = new StringWriter();
        Remembering beyond = new Remembering(false, always);
        assertThat(once(beyond, err)).as(err.toString()).isEqualTo(1);
        assertThat(err.toString()).contains("exlm-mon: cpu: 97.0% beyond 80.0% for 5m or more, failing the gate");
        assertThat(beyond.steps).endsWith(TopOnce.HISTORY_STEP); // after the dashboard's own backfill
        // below its threshold at the oldest step of the hold: not yet what the alert fires on
        double[] lately = always.clone();
        lately[0] = 40;
        StringWriter err2 = new StringWriter();
        assertThat(once(new Remembering(false, lately), err2)).as(err2.toString()).isEqualTo(0);
        assertThat(err2.toString()).contains("cpu is beyond its alert threshold, for 4m45s by the readings");
        // a history that cannot be read: failed, and said
        StringWriter err3 = new StringWriter();
        assertThat(once(new Remembering(true, always), err3)).isEqualTo(1);
        assertThat(err3.toString()).contains("for how long could not be read (its history: query_range: HTTP 503)");
        // a refresh interval that does not divide the hold still reads the history at the rules' pace, all of it
        Remembering slow = new Remembering(false, always);
        StringWriter err4 = new StringWriter();
        assertThat(once(slow, err4, Duration.ofSeconds(45))).as(err4.toString()).isEqualTo(1);
        assertThat(slow.steps).endsWith(TopOnce.HISTORY_STEP);
        // a history with no value at the time shown, while the panel has one: its query failed, and so does the gate
        Remembering hole = new Remembering(false, always);
        hole.lastEmpty = true;
        StringWriter err5 = new StringWriter();
        assertThat(once(hole, err5)).as(err5.toString()).isEqualTo(1);
        assertThat(err5.toString()).contains("its history has no value of it at the time shown");
    }
}
