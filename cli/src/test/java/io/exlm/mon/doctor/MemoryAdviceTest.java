package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The guide's three remedies for high memory, each applying only when the figures say so. */
class MemoryAdviceTest {
    static final long GB = 1L << 30;

    static boolean applies(List<MemoryAdvice.Advice> a, String remedy) {
        return a.stream().filter(x -> x.remedy().equals(remedy)).findFirst().orElseThrow().applies();
    }

    @Test
    void prometheusWithManySeriesCallsForCleaningOldMetricData() {
        List<MemoryAdvice.Advice> a = MemoryAdvice.advise(new MemoryAdvice.Figures(8 * GB, 3.0 * GB, 2_400_000L,
                "90d", 50.0 * (1 << 20), 256.0 * (1 << 20), new HostProbe.Proc(42, "prometheus", 3 * GB)));
        assertThat(applies(a, "clean old metric data")).isTrue();
        assertThat(applies(a, "limit the cache size")).isFalse();
        assertThat(applies(a, "lower the log level")).isFalse();
        MemoryAdvice.Advice clean = a.get(2);
        assertThat(clean.because()).contains("Prometheus uses 3.0 GiB (37.5 % of memory)", "2400000 head series",
                "retention 90d");
        assertThat(clean.action()).contains("stack.retention", "metric_relabel_configs");
    }

    @Test
    void redisWithoutMaxmemoryCallsForLimitingTheCache() {
        List<MemoryAdvice.Advice> a = MemoryAdvice.advise(new MemoryAdvice.Figures(8 * GB, 0.2 * GB, 20_000L, "15d",
                2.5 * GB, 0.0, new HostProbe.Proc(7, "redis-server", (long) (2.5 * GB))));
        assertThat(applies(a, "limit the cache size")).isTrue();
        assertThat(a.get(1).because()).contains("Redis uses 2.5 GiB", "maxmemory unlimited");
        assertThat(a.get(1).action()).contains("maxmemory", "allkeys-lru");
        assertThat(applies(a, "clean old metric data")).isFalse();
        assertThat(applies(a, "lower the log level")).isFalse();
    }

    @Test
    void theBackendBeingTheLargestProcessCallsForALowerLogLevel() {
        List<MemoryAdvice.Advice> a = MemoryAdvice.advise(new MemoryAdvice.Figures(8 * GB, 0.1 * GB, 5_000L, "15d",
                null, null, new HostProbe.Proc(99, "gunicorn", 5 * GB)));
        assertThat(applies(a, "lower the log level")).isTrue();
        assertThat(a.get(0).because()).contains("the largest process is gunicorn (pid 99, 5.0 GiB, 62.5 % of memory)");
        assertThat(a.get(1).because()).contains("Redis's memory is not known");
        assertThat(applies(a, "limit the cache size")).isFalse();
    }

    @Test
    void unknownFiguresApplyNothing() {
        List<MemoryAdvice.Advice> a = MemoryAdvice.advise(new MemoryAdvice.Figures(8 * GB, null, null, null, null,
                null, null));
        assertThat(a).hasSize(3).noneMatch(MemoryAdvice.Advice::applies);
    }
}
