package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.demo.SystemReadings;
import io.exlm.mon.health.HealthDocument;
import io.exlm.mon.health.HealthStatus;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.Thresholds;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The alert rules are the authority for the thresholds: every view that judges a figure follows a change of the rules
 * file (the terminal's bands, doctor's host checks, titles and verdicts, the health document's judgement, the demo's
 * scenarios), and at the bundled rules each view says what the checkout's rules file says. A view that keeps a number
 * of its own fails here.
 */
class ThresholdsFollowRulesTest {
    private static final Path RULES = Path.of("..", "stack", StackFiles.ALERTS).toAbsolutePath().normalize();
    private static final HostProbe.Memory HALF_MEMORY = new HostProbe.Memory(16 * HostChecksTest.GB,
            8 * HostChecksTest.GB);

    /** The checkout's rules with CPU 80 -> 85, memory 90 -> 75, disk 90 -> 95 and the error rate 5 % -> 10 %. */
    static AlertThresholds changed() throws Exception {
        String rules = Files.readString(RULES);
        String copy = rules.replace("(cpu_usage_percent) > 80", "(cpu_usage_percent) > 85")
                .replace("(memory_usage_percent) > 90", "(memory_usage_percent) > 75")
                .replace("(disk_usage_percent) > 90", "(disk_usage_percent) > 95")
                .replace("ratio_rate5m > 0.05 and", "ratio_rate5m > 0.10 and");
        assertThat(copy).isNotEqualTo(rules);
        return AlertThresholds.of(copy, "a copy of the rules");
    }

    static AlertThresholds checkout() throws Exception {
        return AlertThresholds.of(Files.readString(RULES), "stack/" + StackFiles.ALERTS);
    }

    @Test
    void everyViewFollowsAChangedRulesFile() throws Exception {
        AlertThresholds t = changed();
        assertThat(t).isEqualTo(new AlertThresholds(85, 75, 95, 0.10, checkout().holds()));
        views(t);
    }

    @Test
    void everyViewSaysTheCheckoutsRulesFile() throws Exception {
        AlertThresholds t = checkout();
        views(t);
        // what the views use when nobody passes thresholds: the bundled rules, which are the checkout's
        for (PanelId id : PanelId.values()) {
            assertThat(Thresholds.of(id)).as(id.name()).isEqualTo(Thresholds.of(id, t));
        }
        assertThat(titles(Checks.all())).isEqualTo(titles(Checks.all(t)));
        assertThat(DemoServer.Config.defaults().memoryThreshold()).isEqualTo(t.memoryPercent());
        assertThat(DemoServer.Config.defaults().diskThreshold()).isEqualTo(t.diskPercent());
        assertThat(health(t.cpuPercent() + 0.5, null).status()).isEqualTo(HealthStatus.WARN);
        assertThat(health(t.cpuPercent(), null).status()).isEqualTo(HealthStatus.HEALTHY);
    }

    /** Each view at the thresholds {@code t}: a figure just above a threshold is judged above it, one at it is not. */
    private static void views(AlertThresholds t) throws Exception {
        // the terminal: the alert level is the threshold, the warning band below it derived from it
        Thresholds.Band cpu = Thresholds.of(PanelId.CPU, t);
        assertThat(cpu).isEqualTo(new Thresholds.Band(AlertThresholds.warningPercent(t.cpuPercent()), t.cpuPercent()));
        assertThat(cpu.level(t.cpuPercent() + 0.1)).isEqualTo(Level.ALERT);
        assertThat(cpu.level(t.cpuPercent())).isEqualTo(Level.WARN);
        assertThat(Thresholds.of(PanelId.MEMORY, t).alert()).isEqualTo(t.memoryPercent());
        assertThat(Thresholds.of(PanelId.DISK, t).alert()).isEqualTo(t.diskPercent());
        assertThat(Thresholds.of(PanelId.ERROR_RATE, t)).isEqualTo(new Thresholds.Band(t.errorRatioWarning(),
                t.errorRatio()));
        assertThat(Thresholds.of(PanelId.ERROR_RATE, t).level(t.errorRatio() + 0.001)).isEqualTo(Level.ALERT);

        // doctor: the host checks' titles and verdicts
        String n = AlertThresholds.number(t.cpuPercent());
        Map<String, Check> checks = byId(Checks.all(t));
        assertThat(checks.get("host.cpu").title()).isEqualTo("CPU use on this host is below " + n + " %");
        assertThat(checks.get("host.memory").title()).isEqualTo("memory use on this host is below "
                + AlertThresholds.number(t.memoryPercent()) + " %");
        assertThat(checks.get("host.disk").title()).isEqualTo("disk use on this host is below "
                + AlertThresholds.number(t.diskPercent()) + " %");
        double[] busyLoad = {1.9, 1.9, 1.9}; // 95 % of two cores for five minutes
        Outcome above = checks.get("host.cpu").body().run(HostChecksTest.env(new HostChecksTest.FakeHost(HALF_MEMORY,
                t.cpuPercent() + 1, busyLoad, HostChecksTest.HALF)));
        assertThat(above.status()).isEqualTo(Status.WARN);
        assertThat(above.summary()).endsWith(": above " + n + " %");
        Outcome at = checks.get("host.cpu").body().run(HostChecksTest.env(new HostChecksTest.FakeHost(HALF_MEMORY,
                t.cpuPercent(), busyLoad, HostChecksTest.HALF)));
        assertThat(at.status()).isEqualTo(Status.OK);
        double diskUsed = t.diskPercent() + 1;
        HostProbe.Disk full = new HostProbe.Disk("/", "/", 100 * HostChecksTest.GB, (long) ((100 - diskUsed)
                * HostChecksTest.GB), (long) ((100 - diskUsed) * HostChecksTest.GB));
        assertThat(checks.get("host.disk").body().run(HostChecksTest.env(new HostChecksTest.FakeHost(HALF_MEMORY, 1,
                new double[] {0, 0, 0}, full))).status()).isEqualTo(Status.FAIL);
        long total = 100 * HostChecksTest.GB;
        long avail = (long) ((100 - t.memoryPercent() - 1) * HostChecksTest.GB);
        HostProbe.Memory busyMemory = new HostProbe.Memory(total, avail);
        assertThat(checks.get("host.memory").body().run(HostChecksTest.env(new HostChecksTest.FakeHost(busyMemory, 1,
                new double[] {0, 0, 0}, HostChecksTest.HALF))).summary()).endsWith(", above "
                        + AlertThresholds.number(t.memoryPercent()) + " %");

        // the health document: a system figure above its threshold is a warning that names the threshold
        HealthDocument.Reading r = health(t.cpuPercent() + 0.5, () -> t);
        assertThat(r.status()).isEqualTo(HealthStatus.WARN);
        assertThat(r.summary()).endsWith("; cpu above " + n + "%");
        assertThat(health(t.cpuPercent(), () -> t).status()).isEqualTo(HealthStatus.HEALTHY);

        // the demo: the overload scenario's made-up figures are above the thresholds, the errors scenario alone
        // fails more requests than the error-rate alert allows
        SystemReadings overload = new SystemReadings(true, new File("."), t);
        for (int i = 0; i < 200; i++) {
            SystemReadings.Reading s = overload.refresh();
            assertThat(s.cpuPercent()).isGreaterThan(t.cpuPercent()).isLessThanOrEqualTo(100);
            assertThat(s.memoryPercent()).isGreaterThan(t.memoryPercent()).isLessThanOrEqualTo(100);
            assertThat(s.diskPercent()).isGreaterThan(t.diskPercent()).isLessThanOrEqualTo(100);
        }
        assertThat(Scenario.ERRORS.errorRatio()).isGreaterThan(t.errorRatio());
        for (Scenario quiet : List.of(Scenario.NORMAL, Scenario.SLOW, Scenario.OVERLOAD)) {
            assertThat(quiet.errorRatio()).as(quiet.name()).isLessThanOrEqualTo(t.errorRatio());
        }
    }

    /** exlm's system-metrics document with the CPU at {@code cpu}, memory and disk low; null: the bundled rules. */
    private static HealthDocument.Reading health(double cpu, Supplier<AlertThresholds> t) {
        String body = "{\"cpu_usage_percent\":" + cpu + ",\"memory_usage_percent\":10,\"disk_usage_percent\":10}";
        HttpResponse r = new HttpResponse("http://x/api/v1/health/metrics", 200, "application/json", Map.of(),
                body.getBytes(StandardCharsets.UTF_8), 1);
        return t == null ? HealthDocument.read(r) : HealthDocument.read(r, t);
    }

    private static Map<String, Check> byId(List<Check> checks) {
        Map<String, Check> m = new java.util.LinkedHashMap<>();
        checks.forEach(c -> m.put(c.id(), c));
        return m;
    }

    private static List<String> titles(List<Check> checks) {
        return checks.stream().map(c -> c.id() + ": " + c.title()).toList();
    }
}
