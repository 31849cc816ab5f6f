package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The host's figures as read from this machine, against load made for the test. */
class OshiHostTest {
    @Test
    void everyCoreKeptBusyByOtherProcessesReadsAsBusy() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Process> loops = new ArrayList<>();
        try {
            for (int i = 0; i < cores; i++) {
                // other processes, not threads of this JVM: the probe leaves exlm-mon's own CPU time out
                loops.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
            }
            double busy = new OshiHost().cpuPercent(HostChecks.CPU_SAMPLE);
            // every core runs a loop: whatever else this machine does, well over half of it is busy
            assertThat(busy).isGreaterThan(50).isLessThanOrEqualTo(100);
        } finally {
            for (Process p : loops) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
