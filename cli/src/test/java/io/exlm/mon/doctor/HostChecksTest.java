package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.source.AlertThresholds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The host checks at the guide's thresholds, on a host whose readings the test chooses. */
class HostChecksTest {
    static final long GB = 1L << 30;

    record FakeHost(HostProbe.Memory memory, double busy, double[] load, HostProbe.Disk root)
            implements HostProbe {
        @Override
        public List<Proc> topByMemory(int n) {
            return List.of(new Proc(4242, "python3", 6 * GB), new Proc(7, "redis-server", GB / 2));
        }

        @Override
        public double cpuPercent(Duration sample) {
            return busy;
        }

        @Override
        public double[] loadAverage() {
            return load;
        }

        @Override
        public int cores() {
            return 2;
        }

        @Override
        public Disk disk(Path path) {
            return path.toString().equals("/") ? root : null;
        }
    }

    static DoctorEnv env(HostProbe host) {
        return new DoctorEnv(null, "http://p", "http://b", "http://a", "http://g", Duration.ofSeconds(15), "test",
                new DoctorEnv.GrafanaSetup("admin", () -> null, null, false), null, null, null, host,
                new Facts(Map.of()));
    }

    static final AlertThresholds RULES = AlertThresholds.bundled();

    static Outcome memory(DoctorEnv env) {
        return HostChecks.memory(env, RULES.memoryPercent());
    }

    static Outcome disk(DoctorEnv env) {
        return HostChecks.disk(env, RULES.diskPercent());
    }

    static Outcome cpu(DoctorEnv env) {
        return HostChecks.cpu(env, RULES.cpuPercent());
    }

    static final HostProbe.Disk HALF = new HostProbe.Disk("/", "/", 100 * GB, 50 * GB, 45 * GB);

    @Test
    void healthyHostIsOkWithItsFigures() {
        FakeHost h = new FakeHost(new HostProbe.Memory(8 * GB, 6 * GB), 12, new double[] {0.3, 0.4, 0.5}, HALF);
        Outcome m = memory(env(h));
        assertThat(m.status()).isEqualTo(Status.OK);
        assertThat(m.summary()).isEqualTo("25.0 % of 8.0 GiB used, 6.0 GiB available");
        assertThat(m.reach()).isEqualTo(Reach.LOCAL);
        assertThat(disk(env(h)).summary()).isEqualTo("/ 52.6 % used (45.0 GiB free of 100 GiB)");
        assertThat(cpu(env(h)).status()).isEqualTo(Status.OK);
    }

    @Test
    void memoryAboveNinetyPercentWarnsWithTheGuidesRemediesThatApply() {
        FakeHost h = new FakeHost(new HostProbe.Memory(8 * GB, GB / 2), 12, new double[] {0.3, 0.4, 0.5}, HALF);
        Outcome m = memory(env(h));
        assertThat(m.status()).isEqualTo(Status.WARN);
        assertThat(m.summary()).endsWith("above 90 %");
        assertThat(m.details()).anyMatch(d -> d.startsWith("applies: lower the log level: the largest process is"
                + " python3 (pid 4242, 6.0 GiB"));
        assertThat(m.details()).anyMatch(d -> d.startsWith("does not apply: clean old metric data: Prometheus's"
                + " memory is not known"));
        assertThat(m.remediation()).startsWith("lower the log level: run the backend");
        assertThat(m.figures()).containsKeys("advice", "top_processes", "redis_used_bytes");
    }

    @Test
    void diskAboveNinetyPercentFails() {
        FakeHost h = new FakeHost(new HostProbe.Memory(8 * GB, 6 * GB), 12, new double[] {0.3, 0.4, 0.5},
                new HostProbe.Disk("/", "/", 100 * GB, 5 * GB, 4 * GB));
        Outcome d = disk(env(h));
        assertThat(d.status()).isEqualTo(Status.FAIL);
        assertThat(d.summary()).isEqualTo("above 90 %: / 96.0 % used (4.0 GiB free of 100 GiB)");
        assertThat(d.remediation()).contains("du -xh", "stack.retention");
        // the document's figure, in its fixed order (a Map.of of three changed order from run to run)
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(d.figures().get("file_systems"))
                .toString()).isEqualTo("{\"/\":{\"used_percent\":96.0,\"free_bytes\":" + 4 * GB + ",\"total_bytes\":"
                        + 100 * GB + "}}");
    }

    @Test
    void cpuWarnsOnlyWhenTheSampleAndTheFiveMinuteLoadAgree() {
        HostProbe.Memory mem = new HostProbe.Memory(8 * GB, 6 * GB);
        Outcome spike = cpu(env(new FakeHost(mem, 97, new double[] {0.5, 0.6, 0.7}, HALF)));
        assertThat(spike.status()).as("a moment's spike").isEqualTo(Status.OK);
        assertThat(spike.summary()).contains("97.0 % busy", "busy now, but not for long (the 5-minute load is 30 % of"
                + " the cores; the alert needs 5 minutes above 80 %)");
        Outcome busy = cpu(env(new FakeHost(mem, 93, new double[] {1.9, 1.8, 1.2}, HALF)));
        assertThat(busy.status()).isEqualTo(Status.WARN);
        assertThat(busy.summary()).contains("93.0 % busy", "load 1.90 1.80 1.20 on 2 cores", "above 80 %");
    }
}
