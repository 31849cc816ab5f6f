package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.stack.PidFile;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** up, down and status in-process: the paths that need no real stack. The real stack is LocalStackIT's. */
class StackCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BINARIES = List.of("prometheus", "prometheus-alertmanager",
            "prometheus-pushgateway", "prometheus-node-exporter", "prometheus-postgres-exporter",
            "prometheus-redis-exporter");

    @TempDir
    Path tmp;

    /** Every part on its own free loopback port, the state under the test's directory. */
    Cli cli(String path) {
        Cli c = new Cli().env("EXLM_STACK_STATE_DIR", tmp.resolve("state").toString()).env("PATH", path);
        for (String part : List.of("PROMETHEUS", "ALERTMANAGER", "PUSHGATEWAY", "GRAFANA", "NODE_EXPORTER",
                "POSTGRES_EXPORTER", "REDIS_EXPORTER")) {
            c.env("EXLM_" + part + "_URL", "http://127.0.0.1:" + Ports.free());
        }
        return c;
    }

    /** A PATH of stand-ins that exist and do nothing: preflight only asks whether the binaries are there. */
    Path fakeBinaries() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String b : BINARIES) {
            Path f = bin.resolve(b);
            Files.writeString(f, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void aRetentionOfZeroOrOutOfOrderIsAUsageError() {
        // Prometheus reads 0 as its default (15d) and refuses 1h1d: both are said before anything starts
        Cli.Result zero = cli(System.getenv("PATH")).env("EXLM_STACK_RETENTION", "0").run("up", "--runtime", "local");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.errLines()).singleElement().asString().contains("a retention of 0 keeps Prometheus's default");
        Cli.Result order = cli(System.getenv("PATH")).env("EXLM_STACK_RETENTION", "1h1d").run("up", "--runtime",
                "local");
        assertThat(order.exitCode()).as(order.toString()).isEqualTo(2);
        assertThat(order.errLines()).singleElement().asString().contains("'1h1d' is not a Prometheus duration");
    }

    @Test
    void remoteWritesThatCannotWorkAreSaidBeforeAnythingStarts() {
        Cli.Result ftp = cli(System.getenv("PATH")).run("up", "--runtime", "local", "--remote-write",
                "ftp://mimir.example.com/push");
        assertThat(ftp.exitCode()).as(ftp.toString()).isEqualTo(2);
        assertThat(ftp.errLines()).singleElement().asString().contains("--remote-write: 'ftp://mimir.example.com/push'"
                + " is not an http(s) URL");
        Cli.Result fromEnv = cli(System.getenv("PATH")).env("EXLM_STACK_REMOTE_WRITE", "http://a:b@mimir.example.com/p")
                .run("up", "--runtime", "local");
        assertThat(fromEnv.exitCode()).as(fromEnv.toString()).isEqualTo(2);
        assertThat(fromEnv.errLines()).singleElement().asString().contains("EXLM_STACK_REMOTE_WRITE: the URL has"
                + " credentials in it");
        Cli.Result twice = cli(System.getenv("PATH")).run("up", "--runtime", "local", "--remote-write",
                "https://mimir.example.com/api/v1/push,https://mimir.example.com/api/v1/push");
        assertThat(twice.exitCode()).as(twice.toString()).isEqualTo(2);
        assertThat(twice.errLines()).singleElement().asString().contains("is given twice");
        // credentials go only when asked for, and never in clear to another machine
        Cli.Result clear = cli(System.getenv("PATH")).env("EXLM_BEARER_TOKEN", "t0ken").run("up", "--runtime", "local",
                "--remote-write", "http://mimir.example.com/api/v1/push", "--remote-write-auth");
        assertThat(clear.exitCode()).as(clear.toString()).isEqualTo(2);
        assertThat(clear.errLines()).singleElement().asString().contains("is plain http to another machine")
                .doesNotContain("t0ken");
        // compose: a secret file the container's user could read is one every user could; said before the engine
        Cli.Result compose = cli(System.getenv("PATH")).env("EXLM_BEARER_TOKEN", "t0ken").run("up", "--runtime",
                "compose", "--remote-write", "https://mimir.example.com/api/v1/push", "--remote-write-auth");
        assertThat(compose.exitCode()).as(compose.toString()).isEqualTo(1);
        assertThat(compose.err()).contains("remote write to https://mimir.example.com/api/v1/push with credentials")
                .contains("--runtime local only").doesNotContain("t0ken");
        assertThat(tmp.resolve("state/compose")).doesNotExist();
    }

    @Test
    void pushOptionsThePushgatewayRefusesAreUsageErrors() {
        Cli.Result job = Cli.exec("health", "--demo", "--push-gateway", "http://127.0.0.1:1", "--job", "");
        assertThat(job.exitCode()).as(job.toString()).isEqualTo(2);
        assertThat(job.errLines()).singleElement().asString().contains("--job: the Pushgateway needs a job name");
        Cli.Result reserved = Cli.exec("health", "--demo", "--push-gateway", "http://127.0.0.1:1", "--grouping",
                "__x=1");
        assertThat(reserved.exitCode()).as(reserved.toString()).isEqualTo(2);
        assertThat(reserved.errLines()).singleElement().asString().contains("--grouping __x: ")
                .contains("not starting with __");
    }

    @Test
    void composeWithoutAnEngineIsExit3AndOneLine() {
        Cli.Result r = cli(System.getenv("PATH")).env("DOCKER_HOST", "unix://" + tmp.resolve("none.sock"))
                .run("up", "--runtime", "compose");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("no Docker engine answers at unix://").contains("no socket")
                .contains("--runtime local");
    }

    @Test
    void preflightNamesEachMissingBinaryWithItsPackageAndStartsNothing() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Cli.Result r = cli(empty.toString()).run("up", "--runtime", "local");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        for (String pkg : BINARIES) {
            assertThat(r.err()).contains("preflight: " + pkg + " is not installed").contains("apt-get install " + pkg);
        }
        assertThat(r.err()).contains("put upstream's node_exporter on the PATH").doesNotContain("grafana")
                .contains("preflight found 6 problems (above); nothing was started");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void preflightNamesABusyPortAndTheSettingThatMovesIt() throws Exception {
        Path bin = fakeBinaries();
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = busy.getLocalPort();
            Cli.Result r = cli(bin.toString()).env("EXLM_PROMETHEUS_URL", "http://127.0.0.1:" + port)
                    .env("EXLM_NODE_EXPORTER_URL", "http://10.1.2.3:9100").run("up", "--runtime", "local");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.errLines()).hasSize(3);
            assertThat(r.err()).contains("preflight: port 127.0.0.1:" + port + " for prometheus is in use by another"
                    + " program").contains("--prometheus-url, EXLM_PROMETHEUS_URL or the config key prometheus.url");
            assertThat(r.err()).contains("node-exporter would listen on 10.1.2.3:9100, which is not loopback");
            assertThat(Files.exists(tmp.resolve("state/local/run/prometheus.pid"))).isFalse();
        }
    }

    @Test
    void downLeavesAProcessAlonePidFileNoLongerProves() throws Exception {
        Path sleep = Path.of("/bin/sleep").toRealPath();
        Process stranger = new ProcessBuilder(sleep.toString(), "60").start();
        try {
            PidFile real = PidFile.of(stranger.toHandle(), sleep, "http://127.0.0.1:1", null);
            // the pid is right, but the start time is not: the pid was reused by another program
            Path pidFile = tmp.resolve("state/local/run/prometheus.pid");
            new PidFile(real.pid(), real.startMillis() - 3_600_000, real.executable(), real.url(), null)
                    .write(pidFile);
            Cli.Result r = cli(System.getenv("PATH")).run("down", "--runtime", "local");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(stranger.waitFor(1, TimeUnit.SECONDS)).as("the stranger still runs").isFalse();
            assertThat(r.out()).contains("stale pid file for pid " + stranger.pid());
            assertThat(Files.exists(pidFile)).isFalse();
        } finally {
            stranger.destroyForcibly();
        }
    }

    @Test
    void statusOfNothingIsExit1() throws Exception {
        Cli.Result r = cli(System.getenv("PATH")).run("status", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.path("running").asInt()).isZero();
        assertThat(doc.path("healthy").asBoolean()).isFalse();
        assertThat(doc.path("parts").size()).isEqualTo(7);
        Cli.Result text = cli(System.getenv("PATH")).run("status");
        assertThat(text.out()).contains("stack not running").contains("exlm-mon up starts it");
    }

    @Test
    void usageErrors() {
        assertThat(cli(System.getenv("PATH")).run("up", "-o", "junit").exitCode()).isEqualTo(2);
        Cli.Result r = cli(System.getenv("PATH")).run("up", "--runtime", "kubernetes");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--runtime 'kubernetes' is not one of auto, compose, local");
        Cli.Result ret = cli(System.getenv("PATH")).env("EXLM_STACK_RETENTION", "two weeks").run("up");
        assertThat(ret.exitCode()).isEqualTo(2);
        assertThat(ret.err()).contains("EXLM_STACK_RETENTION: 'two weeks' is not a Prometheus duration");
    }
}
