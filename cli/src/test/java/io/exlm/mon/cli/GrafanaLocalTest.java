package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Grafana in the local runtime. Grafana is not installable here, so every binary is a stand-in script that records
 * how it was started and then idles (the real binaries are LocalStackIT's): started when a grafana-server is on the
 * PATH, with its configuration and provisioning written, the password in its environment only, and stopped by down.
 */
class GrafanaLocalTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> BINARIES = List.of("prometheus", "prometheus-alertmanager",
            "prometheus-pushgateway", "prometheus-node-exporter", "prometheus-postgres-exporter",
            "prometheus-redis-exporter", "grafana-server");

    @TempDir
    Path tmp;
    final List<Long> pids = new ArrayList<>();

    @AfterEach
    void stopStandIns() {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }

    @Test
    void grafanaStartsWhenInstalledWithItsPasswordFromTheEnvironmentOnly() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String b : BINARIES) {
            Path f = bin.resolve(b);
            // records its arguments, and whether it got a Grafana password (never the password itself), then idles
            Files.writeString(f, "#!/bin/sh\n"
                    + "echo \"$@\" > \"" + tmp + "/" + b + ".args\"\n"
                    + "[ -n \"$GF_SECURITY_ADMIN_PASSWORD\" ] && printf %s \"$GF_SECURITY_ADMIN_PASSWORD\" > \"" + tmp
                    + "/" + b + ".pw\"\n"
                    + "case \"$1\" in --version) echo \"" + b + ", version 9.9.9\"; exit 0;; esac\n"
                    + "while :; do sleep 1; done\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Cli cli = new Cli().env("PATH", bin + ":/usr/bin:/bin").env("EXLM_STACK_STATE_DIR", tmp.resolve("state")
                .toString());
        for (String part : List.of("PROMETHEUS", "ALERTMANAGER", "PUSHGATEWAY", "GRAFANA", "NODE_EXPORTER",
                "POSTGRES_EXPORTER", "REDIS_EXPORTER")) {
            cli.env("EXLM_" + part + "_URL", "http://127.0.0.1:" + Ports.free());
        }
        Cli.Result up = cli.run("up", "--runtime", "local", "-o", "json");
        JsonNode doc = JSON.readTree(up.out());
        doc.path("parts").forEach(p -> {
            if (p.path("pid").isNumber()) {
                pids.add(p.path("pid").asLong());
            }
        });
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(doc.path("started")).hasSize(7);
        assertThat(doc.path("skipped")).isEmpty();

        Path passwordFile = tmp.resolve("state/grafana-admin-password");
        assertThat(doc.path("grafana_password_file").asText()).isEqualTo(passwordFile.toString());
        String password = Files.readString(passwordFile).strip();
        assertThat(password).hasSizeGreaterThanOrEqualTo(20).isNotEqualTo("admin");
        assertThat(Files.getPosixFilePermissions(passwordFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(up.out() + up.err()).doesNotContain(password);
        // Grafana got it through its environment, and only Grafana did
        assertThat(Files.readString(tmp.resolve("grafana-server.pw"))).isEqualTo(password);
        assertThat(tmp.resolve("prometheus.pw")).doesNotExist();

        String args = Files.readString(tmp.resolve("grafana-server.args"));
        assertThat(args).contains("--homepath=").contains("--config=" + tmp.resolve("state/local/config/grafana/"
                + "grafana.ini"));
        Path g = tmp.resolve("state/local/config/grafana");
        assertThat(Files.readString(g.resolve("grafana.ini"))).contains("http_addr = 127.0.0.1")
                .doesNotContain(password);
        String prometheusUrl = doc.path("parts").findValues("url").get(5).asText();
        assertThat(Files.readString(g.resolve("provisioning/datasources/prometheus.yml"))).contains(prometheusUrl)
                .contains("uid: exlm-prometheus");
        assertThat(g.resolve("dashboards/exlm-overview.json")).exists();
        assertThat(Files.readString(tmp.resolve("prometheus-alertmanager.args"))).contains("--cluster.listen-address=\n")
                .doesNotContain("9094");

        // a wrapper script is still recognised as what up started: status says running, down stops it
        Cli.Result status = cli.run("status", "-o", "json");
        JsonNode st = JSON.readTree(status.out());
        assertThat(st.path("running").asInt()).as(status.out()).isEqualTo(7);
        Cli.Result down = cli.run("down");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid " + pid).isFalse();
        }
        assertThat(passwordFile).as("kept without --purge").exists();
        cli.run("down", "--purge");
        assertThat(passwordFile).doesNotExist();
        assertThat(tmp.resolve("state/local")).doesNotExist();
    }
}
