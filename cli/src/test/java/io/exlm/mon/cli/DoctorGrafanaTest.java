package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FakeGrafana;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * doctor's Grafana checks against {@link FakeGrafana}, a faithful stand-in for Grafana's HTTP API (Grafana cannot be
 * installed here): the healthy case, a missing datasource, a failing datasource health check, a dashboard that
 * refers to a datasource uid Grafana does not have, admin/admin accepted, and a password that never applied.
 */
class DoctorGrafanaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "s3cret-Grafana-pw";

    @TempDir
    Path tmp;
    FakeGrafana grafana;

    @BeforeEach
    void start() throws Exception {
        grafana = new FakeGrafana();
        grafana.provision(Files.readString(Launcher.root().resolve("stack/grafana/dashboards/exlm-overview.json")));
        grafana.datasources.add(FakeGrafana.Datasource.prometheus("exlm-prometheus", "http://prometheus:9090"));
    }

    @AfterEach
    void stop() {
        grafana.close();
    }

    Cli cli() {
        return new Cli().env("EXLM_STACK_STATE_DIR", tmp.resolve("state").toString());
    }

    Cli.Result doctor(Cli cli, String... extra) {
        String[] args = new String[extra.length + 5];
        args[0] = "doctor";
        args[1] = "--check";
        args[2] = "grafana";
        args[3] = "--grafana-url";
        args[4] = grafana.url();
        System.arraycopy(extra, 0, args, 5, extra.length);
        return cli.run(args);
    }

    static Map<String, JsonNode> checks(String json) throws Exception {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode c : JSON.readTree(json).path("checks")) {
            m.put(c.path("id").asText(), c);
        }
        return m;
    }

    static String status(Map<String, JsonNode> checks, String id) {
        return checks.get(id).path("status").asText();
    }

    @Test
    void healthyGrafanaPassesEveryCheckWithoutAFailedLogin() throws Exception {
        grafana.adminPassword = SECRET;
        Cli.Result r = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Map<String, JsonNode> c = checks(r.out());
        assertThat(c).containsOnlyKeys("grafana.health", "grafana.password", "grafana.default-credentials",
                "grafana.datasource", "grafana.datasource-health", "grafana.dashboards", "grafana.time-interval");
        c.forEach((id, check) -> assertThat(check.path("status").asText()).as(id + ": " + check).isEqualTo("ok"));
        assertThat(c.get("grafana.health").path("summary").asText()).contains("Grafana 10.4.2", "database ok");
        assertThat(c.get("grafana.dashboards").path("figures").path("provisioned").toString())
                .contains("exlm-overview");
        // Grafana's own timeInterval, from its API, against the interval expected while no Prometheus answers
        assertThat(c.get("grafana.time-interval").path("figures").path("read_from").asText())
                .startsWith("Grafana's API (" + grafana.url());
        assertThat(c.get("grafana.time-interval").path("figures").path("time_intervals").toString())
                .isEqualTo("{\"Prometheus\":\"15s\"}");
        // the configured password logs in as admin, so admin/admin is known to be refused without a failed login
        assertThat(grafana.failedLogins()).isEmpty();
        assertThat(r.out() + r.err()).doesNotContain(SECRET);
    }

    @Test
    void missingPrometheusDatasourceFailsAndSkipsItsHealthCheck() throws Exception {
        grafana.adminPassword = SECRET;
        grafana.datasources.clear();
        grafana.datasources.add(new FakeGrafana.Datasource("loki", "Loki", "loki", "http://loki:3100", true, 200,
                "ok"));
        Cli.Result r = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(r.out());
        assertThat(status(c, "grafana.datasource")).isEqualTo("fail");
        assertThat(c.get("grafana.datasource").path("summary").asText())
                .contains("no Prometheus datasource", "loki 'Loki'");
        assertThat(c.get("grafana.datasource").path("remediation").asText())
                .contains("provisioning/datasources/prometheus.yml", "exlm-prometheus");
        assertThat(status(c, "grafana.datasource-health")).isEqualTo("skip");
        assertThat(c.get("grafana.datasource-health").path("summary").asText())
                .isEqualTo("needs grafana.datasource, which failed");
        assertThat(c.get("grafana.datasource-health").path("skipped_because").asText()).isEqualTo("grafana.datasource");
        // and the dashboard's panels point at a uid that is gone
        assertThat(status(c, "grafana.dashboards")).isEqualTo("fail");
        assertThat(c.get("grafana.dashboards").path("summary").asText()).contains("'exlm-prometheus'");

        Cli.Result text = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET));
        // the text wraps to its width; the check skipped for the failure is listed under it
        assertThat(text.out().replaceAll("\\s+", " ")).contains("[FAIL] grafana.datasource", "fix: provision it",
                "[skip] not run because of it: grafana.datasource-health");
    }

    @Test
    void failingDatasourceHealthSaysWhyAndWhatToChange() throws Exception {
        grafana.adminPassword = SECRET;
        grafana.datasources.set(0, grafana.datasources.get(0).failing("Post \"http://prometheus:9090/api/v1/query\":"
                + " dial tcp: lookup prometheus on 127.0.0.11:53: no such host - There was an error returned querying"
                + " the Prometheus API."));
        Cli.Result r = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(r.out());
        assertThat(status(c, "grafana.datasource")).isEqualTo("ok");
        JsonNode h = c.get("grafana.datasource-health");
        assertThat(h.path("status").asText()).isEqualTo("fail");
        assertThat(h.path("details").get(0).asText()).contains("'Prometheus'", "exlm-prometheus", "ERROR",
                "no such host");
        assertThat(h.path("remediation").asText()).contains("http://prometheus:9090 does not resolve from Grafana",
                "http://127.0.0.1:9090");
        assertThat(status(c, "grafana.dashboards")).isEqualTo("ok");

        grafana.datasources.set(0, grafana.datasources.get(0).failing("Post \"http://127.0.0.1:9090/api/v1/query\":"
                + " dial tcp 127.0.0.1:9090: connect: connection refused - There was an error returned querying the"
                + " Prometheus API."));
        Map<String, JsonNode> refused = checks(doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json").out());
        assertThat(refused.get("grafana.datasource-health").path("remediation").asText())
                .contains("nothing listens at the datasource URL", "localhost is the container itself");
    }

    @Test
    void dashboardReferringToAMissingDatasourceUidFails() throws Exception {
        grafana.adminPassword = SECRET;
        // provisioned without a uid: Grafana made one up, and the dashboard's exlm-prometheus points nowhere
        grafana.datasources.set(0, FakeGrafana.Datasource.prometheus("P1809F7CD0C75ACF3", "http://prometheus:9090"));
        Cli.Result r = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(r.out());
        assertThat(status(c, "grafana.datasource")).isEqualTo("ok");
        assertThat(status(c, "grafana.datasource-health")).isEqualTo("ok");
        JsonNode d = c.get("grafana.dashboards");
        assertThat(d.path("status").asText()).isEqualTo("fail");
        assertThat(d.path("summary").asText()).contains("dashboard 'exlm overview' (uid exlm-overview)",
                "'exlm-prometheus'", "that Grafana does not have");
        assertThat(d.path("remediation").asText()).contains("P1809F7CD0C75ACF3", "gets a random one");
        assertThat(d.path("figures").path("missing").path("exlm-overview").toString()).contains("exlm-prometheus");

        // a dashboard that is not provisioned is someone's own business, and a missing exlm dashboard is a finding
        grafana.datasources.set(0, FakeGrafana.Datasource.prometheus("exlm-prometheus", "http://prometheus:9090"));
        grafana.dashboards.put("mine", JSON.readTree("{\"uid\":\"mine\",\"title\":\"Mine\",\"panels\":[{\"type\":"
                + "\"stat\",\"datasource\":{\"uid\":\"gone\"},\"targets\":[{\"expr\":\"up\"}]}]}"));
        grafana.dashboards.remove("exlm-overview");
        Map<String, JsonNode> c2 = checks(doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json").out());
        assertThat(c2.get("grafana.dashboards").path("summary").asText())
                .isEqualTo("the exlm dashboard (uid exlm-overview) is not provisioned");
    }

    @Test
    void defaultCredentialsAcceptedWarnWithTheCommandToChangeThem() throws Exception {
        Cli.Result r = doctor(cli(), "-o", "json");
        assertThat(r.exitCode()).as("a warning does not fail the run: " + r).isZero();
        Map<String, JsonNode> c = checks(r.out());
        JsonNode d = c.get("grafana.default-credentials");
        assertThat(d.path("status").asText()).isEqualTo("warn");
        assertThat(d.path("summary").asText()).contains("admin/admin logs in to Grafana at " + grafana.url());
        assertThat(d.path("remediation").asText()).contains("export EXLM_GRAFANA_PASSWORD=",
                "/api/user/password");
        assertThat(status(c, "grafana.password")).isEqualTo("skip");
        assertThat(c.get("grafana.password").path("summary").asText()).contains("no Grafana admin password is"
                + " configured");
        // with admin/admin the datasources and dashboards can still be checked
        assertThat(status(c, "grafana.datasource")).isEqualTo("ok");
        assertThat(status(c, "grafana.dashboards")).isEqualTo("ok");

        Cli.Result strict = doctor(cli(), "--strict");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("[WARN] grafana.default-credentials", "strict): failed");
    }

    @Test
    void aPasswordThatNeverAppliedBecauseTheDataPredatesIt() throws Exception {
        // EXLM_GRAFANA_PASSWORD was set after Grafana had created its database with admin/admin
        Cli.Result r = doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(r.out());
        JsonNode p = c.get("grafana.password");
        assertThat(p.path("status").asText()).isEqualTo("fail");
        assertThat(p.path("summary").asText()).contains("the password from EXLM_GRAFANA_PASSWORD does not log in as"
                + " admin (HTTP 401), but admin/admin does", "predates the password");
        assertThat(p.path("remediation").asText()).contains("reset-admin-password \"$EXLM_GRAFANA_PASSWORD\"");
        assertThat(status(c, "grafana.default-credentials")).isEqualTo("warn");
        assertThat(r.out() + r.err()).doesNotContain(SECRET);

        // changed in Grafana since: neither logs in
        grafana.adminPassword = "changed-in-the-ui";
        Map<String, JsonNode> c2 = checks(doctor(cli().env("EXLM_GRAFANA_PASSWORD", SECRET), "-o", "json").out());
        assertThat(c2.get("grafana.password").path("summary").asText()).contains("nor does admin/admin");
        assertThat(status(c2, "grafana.default-credentials")).isEqualTo("ok");
        assertThat(status(c2, "grafana.datasource")).isEqualTo("skip");
        assertThat(c2.get("grafana.datasource").path("summary").asText()).contains("no Grafana login works");

        // the password exlm-mon up generated is the configured one when none is given
        Path state = Files.createDirectories(tmp.resolve("state"));
        Files.writeString(state.resolve("grafana-admin-password"), "generated-pw\n");
        grafana.adminPassword = "generated-pw";
        Cli.Result g = doctor(cli(), "-o", "json");
        Map<String, JsonNode> c3 = checks(g.out());
        assertThat(status(c3, "grafana.password")).isEqualTo("ok");
        assertThat(c3.get("grafana.password").path("summary").asText()).contains("the password exlm-mon up generated");
        assertThat(g.out() + g.err()).doesNotContain("generated-pw");
    }

    @Test
    void failingGrafanaDatabaseFails() throws Exception {
        grafana.databaseFailing = true;
        Cli.Result r = doctor(cli(), "-o", "json");
        assertThat(r.exitCode()).isEqualTo(1);
        Map<String, JsonNode> c = checks(r.out());
        assertThat(status(c, "grafana.health")).isEqualTo("fail");
        assertThat(c.get("grafana.health").path("summary").asText()).contains("its database is failing");
        assertThat(status(c, "grafana.datasource")).isEqualTo("skip");
    }

    @Test
    void unreachableGrafanaIsSkippedOnlyWhereItIsNotInstalled() throws Exception {
        String nowhere = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = cli().run("doctor", "--check", "grafana", "--grafana-url", nowhere, "-o", "json");
        Map<String, JsonNode> c = checks(r.out());
        assertThat(status(c, "grafana.health")).isEqualTo("skip");
        assertThat(c.get("grafana.health").path("summary").asText()).contains("connection refused",
                "not installed on this machine");
        assertThat(r.exitCode()).as("nothing could be reached: " + r).isEqualTo(3);
        // every check skipped for want of Grafana: the run's verdict is not ok, as its exit code is not 0
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("status").asText())
                .as(r.out()).isEqualTo("fail");

        // where a grafana-server is installed, Grafana not answering is a failure
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path g = Files.writeString(bin.resolve("grafana-server"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(g, PosixFilePermissions.fromString("rwxr-xr-x"));
        Cli.Result installed = cli().env("PATH", bin.toString()).run("doctor", "--check", "grafana.health",
                "--grafana-url", nowhere);
        assertThat(installed.out().replaceAll("\\s+", " ")).contains("[FAIL] grafana.health", "Grafana does not answer at " + nowhere,
                "fix: Grafana is not running at " + nowhere);
    }
}
