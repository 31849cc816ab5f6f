package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the compose runtime hands docker compose, checked by Debian's docker-compose v1 (which needs no engine): the
 * written project is valid, publishes the configured ports on loopback, and points the exporters, the backend job
 * and the webhook at the host through host.docker.internal.
 */
class ComposeFilesIT {
    @Test
    void theWrittenProjectIsValidAndCarriesTheConfiguration(@TempDir Path tmp) throws Exception {
        String compose = Tools.require("docker-compose").toString();
        Map<Component, String> urls = new EnumMap<>(Component.class);
        int port = 42000;
        for (Component c : Component.values()) {
            urls.put(c, "http://127.0.0.1:" + port++);
        }
        StateDir state = new StateDir(tmp.resolve("state"));
        StackConfig config = new StackConfig(urls, "http://127.0.0.1:8123", "postgresql://exlm:s3cret@localhost:5432/"
                + "exlm?sslmode=disable", "redis://127.0.0.1:6380", "http://localhost:5001/hook", "30d",
                Duration.ofSeconds(5), state.root(), "admin", () -> "from-the-test");
        ComposeRuntime rt = new ComposeRuntime(config, state, System.getenv(), line -> { });
        rt.writeFiles();
        Map<String, String> env = rt.composeEnv();

        Path file = state.compose().resolve(StackFiles.COMPOSE);
        List<String> cmd = new ArrayList<>(List.of(compose, "-p", ComposeRuntime.PROJECT, "-f", file.toString(),
                "config"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        String rendered = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(rendered).isZero();

        // docker compose runs the single topology (--topology sharded is refused with --runtime compose)
        for (Component c : Topology.SINGLE.parts()) {
            // docker-compose v1 writes a port as HOST_IP:PUBLISHED:TARGET/tcp
            assertThat(rendered).as(c.id()).contains("127.0.0.1:" + config.address(c).port() + ":");
        }
        assertThat(rendered).doesNotContain(":9090:9090")
                .contains("postgresql://exlm:s3cret@host.docker.internal:5432/exlm?sslmode=disable")
                .contains("redis://host.docker.internal:6380").contains("--storage.tsdb.retention.time=30d");

        // the Grafana password: in a file only its owner reads, and nowhere in the rendered project or environment
        Path password = rt.passwordFile();
        assertThat(Files.readString(password)).isEqualTo("from-the-test");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
                .isEqualTo("rw-------");
        assertThat(rendered).doesNotContain("from-the-test").contains(password.toString());
        assertThat(env.values()).doesNotContain("from-the-test");

        String targets = Files.readString(state.compose().resolve(StackFiles.BACKEND_TARGETS));
        assertThat(targets).contains("host.docker.internal:8123");
        String am = Files.readString(state.compose().resolve(StackFiles.ALERTMANAGER));
        assertThat(am).contains("http://host.docker.internal:5001/hook");
        String prom = Files.readString(state.compose().resolve(StackFiles.PROMETHEUS));
        assertThat(prom).contains("scrape_interval: 5s").contains("node-exporter:9100");
        // the rules docker compose mounts are the stack's own
        assertThat(Files.readAllBytes(state.compose().resolve(StackFiles.ALERTS)))
                .isEqualTo(StackFiles.read(StackFiles.ALERTS));

        Path promtool = Tools.require("promtool");
        Process check = new ProcessBuilder(promtool.toString(), "check", "config", state.compose()
                .resolve(StackFiles.PROMETHEUS).toString()).redirectErrorStream(true).start();
        String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(out).isZero();
    }
}
