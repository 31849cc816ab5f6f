package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./exlm-mon up --runtime compose} where no Docker engine answers: exit 3 and one line that says so. */
class ComposeNoEngineIT {
    @Test
    void deadSocket(@TempDir Path tmp) throws Exception {
        Path state = tmp.resolve("state");
        Cli.Result r = Launcher.run(Duration.ofSeconds(60), Map.of("DOCKER_HOST", "unix://" + tmp.resolve(
                "docker.sock"), "EXLM_STACK_STATE_DIR", state.toString()), "up", "--runtime", "compose", "--wait");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        assertThat(r.err()).startsWith("exlm-mon: no Docker engine answers at unix://" + tmp.resolve("docker.sock"))
                .contains("--runtime local").doesNotContain("Exception");
        assertThat(r.out()).isEmpty();
        assertThat(Files.exists(state.resolve("compose"))).as("nothing written, nothing started").isFalse();
    }

    @Test
    void refusedTcpPort(@TempDir Path tmp) throws Exception {
        int port = Ports.closed();
        Cli.Result r = Launcher.run(Duration.ofSeconds(60), Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port,
                "EXLM_STACK_STATE_DIR", tmp.toString()), "up", "--runtime", "compose");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("no Docker engine answers at tcp://127.0.0.1:" + port).contains("refused");
    }
}
