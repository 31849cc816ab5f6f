package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigWriterTest {
    static StackConfig config(Duration scrape) {
        Map<Component, String> urls = new EnumMap<>(Component.class);
        int port = 41000;
        for (Component c : Component.values()) {
            urls.put(c, "http://127.0.0.1:" + port++);
        }
        return new StackConfig(urls, "http://localhost:8000", "postgresql://u:secret@localhost:5432/db",
                "redis://localhost:6379", "http://localhost:5001/alerts", "15d", scrape, Path.of("/tmp/s"), "admin",
                () -> "pw");
    }

    static StackConfig withRemoteWrites(List<RemoteWrite> writes) {
        StackConfig c = config(Duration.ofSeconds(1));
        return new StackConfig(c.urls(), c.backendUrl(), c.postgresDsn(), c.redisUrl(), c.webhookUrl(), c.retention(),
                c.scrapeInterval(), c.stateDir(), c.grafanaUser(), c.grafanaPassword(), writes);
    }

    static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @Test
    void remoteWritesCarryTheirAuthAsFilesBesidePrometheusYmlNeverInIt() throws Exception {
        StackConfig c = withRemoteWrites(List.of(
                new RemoteWrite("http://127.0.0.1:8428/api/v1/write", null, null, null, null, List.of(), null, false),
                new RemoteWrite("https://mimir.example.com/api/v1/push", "t0ken-s3cret", null, null,
                        "acme", List.of(Map.entry("X-Team", "sre")), CA, false),
                new RemoteWrite("https://localhost:9999/api/v1/write", null, "exlm", "pa55-s3cret", null, List.of(),
                        CA, true)));
        String yaml = ConfigWriter.prometheus(c, true);
        assertThat(yaml).doesNotContain("s3cret").doesNotContain("BEGIN CERTIFICATE");
        List<?> rw = (List<?>) ConfigWriter.parse(yaml).get("remote_write");
        assertThat(rw).hasSize(3);
        assertThat(rw.get(0).toString()).isEqualTo("{url=http://127.0.0.1:8428/api/v1/write, name=exlm-1}");
        Map<?, ?> mimir = (Map<?, ?>) rw.get(1);
        assertThat(mimir.get("authorization").toString()).isEqualTo(
                "{type=Bearer, credentials_file=remote-write/2.token}");
        assertThat(mimir.get("basic_auth")).isNull();
        assertThat(((Map<?, ?>) rw.get(2)).get("basic_auth").toString()).isEqualTo(
                "{username=exlm, password_file=remote-write/3.password}");
        assertThat(mimir.get("headers").toString()).isEqualTo("{X-Team=sre, X-Scope-OrgID=acme}");
        assertThat(mimir.get("tls_config").toString()).isEqualTo("{ca_file=remote-write/2.ca.pem}");
        assertThat(((Map<?, ?>) rw.get(2)).get("tls_config").toString()).isEqualTo("{insecure_skip_verify=true}");
        assertThat(ConfigWriter.remoteWriteFiles(c)).containsExactly(Map.entry("remote-write/2.token", "t0ken-s3cret"),
                Map.entry("remote-write/2.ca.pem", CA), Map.entry("remote-write/3.password", "pa55-s3cret"));
        // for containers, loopback is the host's name
        assertThat(ConfigWriter.prometheus(c, false)).contains("url: http://host.docker.internal:8428/api/v1/write");
    }

    @Test
    void remoteWriteFilesAreTheOwnersOnlyAndAStaleOneIsRemoved(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        java.nio.file.Files.createDirectories(dir.resolve("remote-write"));
        java.nio.file.Files.writeString(dir.resolve("remote-write/1.token"), "old");
        StackConfig c = withRemoteWrites(List.of(new RemoteWrite("https://mimir.example.com/api/v1/push", null,
                "exlm", "pa55", null, List.of(), null, false)));
        RemoteWrite.writeFiles(dir, c, true);
        assertThat(dir.resolve("remote-write/1.token")).doesNotExist();
        assertThat(dir.resolve("remote-write/1.password")).hasContent("pa55");
        assertThat(java.nio.file.Files.getPosixFilePermissions(dir.resolve("remote-write/1.password")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        RemoteWrite.writeFiles(dir, withRemoteWrites(List.of()), true);
        assertThat(dir.resolve("remote-write/1.password")).doesNotExist();
    }

    /** The real promtool takes the generated remote writes with their files, and refuses every reserved header. */
    @Test
    void promtoolTakesTheRemoteWritesAndRefusesTheReservedHeaders(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path promtool = io.exlm.mon.testing.Tools.require("promtool");
        StackConfig c = withRemoteWrites(List.of(
                new RemoteWrite("https://mimir.example.com/api/v1/push", "t0ken", null, null, "acme",
                        List.of(Map.entry("X-Team", "sre")), CA, false),
                new RemoteWrite("https://thanos.example.com/api/v1/receive", null, "exlm", "pa55", null, List.of(),
                        null, true)));
        String ok = promtoolCheck(promtool, dir, c);
        assertThat(ok).as("promtool check config").startsWith("0 ");
        for (String reserved : RemoteWrite.RESERVED_HEADERS) {
            RemoteWrite w = new RemoteWrite("https://mimir.example.com/api/v1/push", null, null, null, null,
                    List.of(Map.entry(reserved, "x")), null, false);
            assertThat(w.reservedHeader()).isEqualTo(reserved);
            String refused = promtoolCheck(promtool, dir, withRemoteWrites(List.of(w)));
            assertThat(refused).as(reserved).startsWith("1 ").containsIgnoringCase(reserved);
        }
    }

    /** promtool's exit code, a space and what it printed. */
    private static String promtoolCheck(Path promtool, Path dir, StackConfig c) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("prometheus.yml"), ConfigWriter.prometheus(c, true)
                .replace("rules/*.yml", "no-rules/*.yml").replace("targets/exlm-backend.yml", "t.yml"));
        java.nio.file.Files.writeString(dir.resolve("t.yml"), "[]\n");
        RemoteWrite.writeFiles(dir, c, true);
        Process p = new ProcessBuilder(promtool.toString(), "check", "config", "--syntax-only",
                dir.resolve("prometheus.yml").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return p.waitFor() + " " + out.strip();
    }

    @Test
    void aShorterScrapeIntervalShortensTheLookbackInTheStacksRatio() {
        assertThat(config(null).lookbackDelta()).isNull();
        assertThat(config(java.time.Duration.ofSeconds(1)).lookbackDelta()).isEqualTo(java.time.Duration.ofSeconds(30));
        assertThat(config(java.time.Duration.ofSeconds(5)).lookbackDelta()).isEqualTo(java.time.Duration.ofSeconds(100));
    }

    @Test
    void theShardedMembersScrapeWhatPrometheusWouldPlusTheirOwnPartsAndNothingOnlyPrometheusReads() throws Exception {
        StackConfig c = config(null);
        Map<?, ?> prom = ConfigWriter.parse(ConfigWriter.prometheus(c, true));
        Map<?, ?> members = ConfigWriter.parse(ConfigWriter.scrapers(c));
        assertThat(new java.util.HashSet<Object>(members.keySet())).doesNotContain("rule_files", "alerting", "remote_write");
        Map<?, ?> global = (Map<?, ?>) members.get("global");
        assertThat(global.get("scrape_interval")).isEqualTo(((Map<?, ?>) prom.get("global")).get("scrape_interval"));
        assertThat(global.get("external_labels")).isEqualTo(((Map<?, ?>) prom.get("global")).get("external_labels"));
        assertThat(new java.util.HashSet<Object>(global.keySet())).doesNotContain("evaluation_interval");
        Map<String, Object> jobs = new java.util.TreeMap<>();
        for (Object j : (List<?>) members.get("scrape_configs")) {
            jobs.put((String) ((Map<?, ?>) j).get("job_name"), j);
        }
        Map<String, Object> promJobs = new java.util.TreeMap<>();
        for (Object j : (List<?>) prom.get("scrape_configs")) {
            promJobs.put((String) ((Map<?, ?>) j).get("job_name"), j);
        }
        promJobs.remove("prometheus");
        promJobs.forEach((name, job) -> assertThat(jobs.get(name)).as(name).isEqualTo(job));
        assertThat(jobs.keySet()).containsAll(List.of("victoria-metrics", "vmagent", "vmalert"))
                .doesNotContain("prometheus");
        assertThat(jobs.get("vmagent").toString()).contains(c.address(Component.VMAGENT_0).listenAddress())
                .contains(c.address(Component.VMAGENT_1).listenAddress());
    }

    @Test
    void localPrometheusScrapesTheConfiguredAddressesWithTheSameRules() throws Exception {
        StackConfig c = config(null);
        Map<?, ?> prom = ConfigWriter.parse(ConfigWriter.prometheus(c, true));
        assertThat(((Map<?, ?>) prom.get("global")).get("scrape_interval")).isEqualTo("15s");
        assertThat(prom.get("rule_files")).isEqualTo(List.of("rules/*.yml"));
        String text = prom.toString();
        for (Component comp : Topology.SINGLE.parts()) {
            if (comp.job() != null) {
                assertThat(text).contains(c.address(comp).listenAddress());
            }
        }
        assertThat(text).doesNotContain("node-exporter:9100").doesNotContain("alertmanager:9093");
        assertThat(text).contains("targets/exlm-backend.yml");
    }

    @Test
    void theTestOnlyScrapeIntervalChangesOnlyTheGeneratedCopy() throws Exception {
        Map<?, ?> prom = ConfigWriter.parse(ConfigWriter.prometheus(config(Duration.ofMillis(1500)), false));
        Map<?, ?> global = (Map<?, ?>) prom.get("global");
        assertThat(global.get("scrape_interval")).isEqualTo("1s500ms");
        assertThat(global.get("evaluation_interval")).isEqualTo("1s500ms");
        assertThat(prom.toString()).contains("node-exporter:9100"); // compose keeps the service names
        assertThat(StackFiles.text(StackFiles.PROMETHEUS)).contains("scrape_interval: 15s");
    }

    @Test
    void backendTargetsCarrySchemeAndPath() throws Exception {
        String local = ConfigWriter.backendTargets("https://exlm.example.com/prefix/", false);
        assertThat(local).contains("exlm.example.com:443").contains("__scheme__: https")
                .contains("__metrics_path__: /prefix/metrics");
        String containers = ConfigWriter.backendTargets("http://127.0.0.1:8000", true);
        assertThat(containers).contains("host.docker.internal:8000").contains("__metrics_path__: /metrics");
        assertThat(ConfigWriter.backendTargets("http://user:pw@10.0.0.1:8000", false)).doesNotContain("pw@");
    }

    @Test
    void backendTargetsAreOneFileSdGroupInThisText() {
        assertThat(ConfigWriter.backendTargets("https://user:pw@exlm.example.com/prefix/", true)).isEqualTo(
                "# written by exlm-mon up from backend.url https://user:***@exlm.example.com/prefix/\n"
                + "- targets:\n"
                + "  - exlm.example.com:443\n"
                + "  labels:\n"
                + "    __scheme__: https\n"
                + "    __metrics_path__: /prefix/metrics\n");
    }

    @Test
    void alertmanagerGetsTheWebhook() throws Exception {
        String am = ConfigWriter.alertmanager("http://hooks.example.com/exlm");
        assertThat(am).contains("http://hooks.example.com/exlm").doesNotContain("5001");
        assertThat(am).contains("ServiceDown").contains("inhibit_rules");
        // every receiver of the shipped file (pages, tickets, the Watchdog) delivers to the configured webhook
        Map<?, ?> parsed = ConfigWriter.parse(am);
        List<?> receivers = (List<?>) parsed.get("receivers");
        assertThat(receivers).hasSizeGreaterThanOrEqualTo(3);
        for (Object r : receivers) {
            List<?> hooks = (List<?>) ((Map<?, ?>) r).get("webhook_configs");
            assertThat(hooks).as(String.valueOf(r)).isNotEmpty();
            for (Object h : hooks) {
                assertThat(((Map<?, ?>) h).get("url")).isEqualTo("http://hooks.example.com/exlm");
            }
        }
        // and nothing else changed: the routes and inhibitions are the shipped file's
        Map<?, ?> shipped = ConfigWriter.parse(StackFiles.text(StackFiles.ALERTMANAGER));
        assertThat(parsed.get("route")).isEqualTo(shipped.get("route"));
        assertThat(parsed.get("inhibit_rules")).isEqualTo(shipped.get("inhibit_rules"));
    }

    @Test
    void containersReachTheHostByItsAlias() {
        assertThat(ConfigWriter.forContainers("postgresql://u:p@localhost:5432/db?sslmode=disable"))
                .isEqualTo("postgresql://u:p@host.docker.internal:5432/db?sslmode=disable");
        assertThat(ConfigWriter.forContainers("redis://127.0.0.1:6379")).isEqualTo("redis://host.docker.internal:6379");
        assertThat(ConfigWriter.forContainers("redis://cache.internal:6379")).isEqualTo("redis://cache.internal:6379");
        assertThat(ConfigWriter.redactUserInfo("postgresql://u:secret@h:5432/db")).isEqualTo(
                "postgresql://u:***@h:5432/db");
    }

    @Test
    void versionsAsTheBinariesPrintThem() {
        assertThat(LocalRuntime.parseVersion("prometheus, version 2.42.0+ds (branch: debian/sid)")).isEqualTo(
                "2.42.0+ds");
        assertThat(LocalRuntime.parseVersion("level=info msg=\"Redis Metrics Exporter 1.45.0-2+b4    build date"))
                .isEqualTo("1.45.0-2+b4");
        assertThat(LocalRuntime.parseVersion("node_exporter, version 1.5.0 (branch: debian/sid)")).isEqualTo(
                "1.5.0");
        assertThat(LocalRuntime.parseVersion("no digits")).isNull();
    }
}
