package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pid file is trusted only for the very process it was written for. */
class PidFileTest {
    @Test
    void trustedOnlyForTheSameProcess(@TempDir Path tmp) throws Exception {
        Path sleep = LocalRuntime.which("sleep", System.getenv("PATH"));
        Process p = new ProcessBuilder(sleep.toString(), "30").start();
        try {
            PidFile pf = PidFile.of(p.toHandle(), sleep, "http://127.0.0.1:1", "1.0");
            Path file = tmp.resolve("run/x.pid");
            pf.write(file);
            PidFile read = PidFile.read(file);
            assertThat(read).isEqualTo(pf);
            assertThat(read.verified()).map(ProcessHandle::pid).contains(p.pid());

            // the same pid, but a process that started at another time: a reused pid
            PidFile reused = new PidFile(pf.pid(), pf.startMillis() - 60_000, pf.executable(), pf.url(), pf.version());
            assertThat(reused.verified()).isEmpty();
            // the same pid and start, but another program
            PidFile other = new PidFile(pf.pid(), pf.startMillis(), "/usr/bin/prometheus", pf.url(), pf.version());
            assertThat(other.verified()).isEmpty();

            p.destroy();
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(read.verified()).isEmpty();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void garbageIsNoPidFile(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("x.pid");
        java.nio.file.Files.writeString(f, "12345\n");
        assertThat(PidFile.read(f)).isNull();
        assertThat(PidFile.read(tmp.resolve("missing.pid"))).isNull();
    }
}
