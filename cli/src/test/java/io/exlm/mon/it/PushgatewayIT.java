package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.SelfSignedCert;
import io.exlm.mon.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Results pushed to Debian's real Pushgateway, over HTTP and over TLS with a self-signed certificate (the push goes
 * through exlm-mon's HTTP layer, so {@code --ca-file} and {@code --insecure} apply), and a Pushgateway that is down
 * or untrusted changing nothing but a warning.
 */
class PushgatewayIT {
    private final HttpClient client = HttpClient.newHttpClient();
    /** Every Pushgateway a test started, stopped after it whether it passed or not. */
    private final List<Process> gateways = new ArrayList<>();
    private Process gateway;
    private String gatewayUrl;
    private DemoServer demo;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        int port = Ports.free();
        gatewayUrl = "http://127.0.0.1:" + port;
        gateway = startGateway(port, dir.resolve("plain"), null);
        awaitReady(gateway, client, gatewayUrl);
        demo = DemoServer.start(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, "127.0.0.1:" + Ports.closed(),
                null, false, 90, 90));
    }

    @AfterEach
    void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        for (Process p : gateways) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Starts a Pushgateway on loopback, with TLS when {@code webConfig} is given; stopped by {@link #stop()}. */
    private Process startGateway(int port, Path data, Path webConfig) throws Exception {
        Path binary = Tools.require("prometheus-pushgateway");
        Files.createDirectories(data);
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + data.resolve("pushgateway.data")));
        if (webConfig != null) {
            cmd.add("--web.config.file=" + webConfig);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(data.resolve("pushgateway.log").toFile()).start();
        gateways.add(p);
        return p;
    }

    private static void awaitReady(Process p, HttpClient c, String url) throws InterruptedException {
        Polls.await(Duration.ofSeconds(20), () -> {
            try {
                return get(c, url + "/-/ready").statusCode() == 200;
            } catch (Exception notYet) {
                return false;
            }
        }, p, "the Pushgateway at " + url);
    }

    private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return get(client, url);
    }

    /** A Pushgateway serving TLS with a certificate made for this test, and a client that trusts only it. */
    private record TlsGateway(String url, SelfSignedCert cert, HttpClient client) {
        String metrics() throws Exception {
            return get(client, url + "/metrics").body();
        }
    }

    private TlsGateway startTlsGateway() throws Exception {
        Path tls = Files.createDirectories(dir.resolve("tls"));
        SelfSignedCert cert = SelfSignedCert.create(tls);
        Path webConfig = Files.writeString(tls.resolve("web-config.yml"), "tls_server_config:\n  cert_file: "
                + cert.certPem() + "\n  key_file: " + cert.keyPem() + "\n");
        int port = Ports.free();
        Process p = startGateway(port, tls, webConfig);
        HttpClient trusting = HttpClient.newBuilder().sslContext(cert.clientContext()).build();
        String url = "https://127.0.0.1:" + port;
        awaitReady(p, trusting, url);
        return new TlsGateway(url, cert, trusting);
    }

    @Test
    void healthResultsAppearOnThePushgateway() throws Exception {
        Cli.Result r = Cli.exec("health", "--backend-url", demo.url(), "--push-gateway", gatewayUrl, "--grouping",
                "env=ci");
        // readiness fails (the database address is closed): the verdict is 1, and it is pushed as it is
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).isEmpty();
        String metrics = get(gatewayUrl + "/metrics").body();
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"basic\",command=\"health\",env=\"ci\","
                + "instance=\"\",job=\"exlm-mon\"} 1");
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"ready\",command=\"health\",env=\"ci\","
                + "instance=\"\",job=\"exlm-mon\"} 0");
        assertThat(metrics).containsPattern("exlm_mon_check_duration_seconds\\{check=\"live\",command=\"health\"");
        assertThat(metrics).containsPattern("exlm_mon_run_success\\{command=\"health\",env=\"ci\",instance=\"\","
                + "job=\"exlm-mon\"} 0");
        assertThat(metrics).containsPattern("exlm_mon_last_run_timestamp_seconds\\{command=\"health\",env=\"ci\","
                + "instance=\"\",job=\"exlm-mon\"} 1\\.\\d+e\\+09");
    }

    @Test
    void aPushgatewayThatIsDownChangesOnlyAWarning() throws Exception {
        gateway.destroy();
        assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).as("the Pushgateway stopped").isTrue();
        Cli.Result without = Cli.exec("health", "--backend-url", demo.url(), "--check", "basic");
        Cli.Result with = Cli.exec("health", "--backend-url", demo.url(), "--check", "basic", "--push-gateway",
                gatewayUrl);
        assertThat(with.exitCode()).isEqualTo(without.exitCode()).isZero();
        assertThat(with.out().replaceAll("\\d+ ms", "N ms").replaceAll(" +", " "))
                .isEqualTo(without.out().replaceAll("\\d+ ms", "N ms").replaceAll(" +", " "));
        assertThat(with.errLines()).hasSize(1);
        assertThat(with.err()).startsWith("exlm-mon: warning: could not push the results to " + gatewayUrl)
                .contains("the verdict and exit code stand");

        Cli.Result failing = Cli.exec("health", "--backend-url", demo.url(), "--push-gateway", gatewayUrl);
        assertThat(failing.exitCode()).isEqualTo(1);
    }

    @Test
    void metricsPushesOneResultPerCatalogMetric() throws Exception {
        Cli.Result r = Cli.exec("metrics", "--backend-url", demo.url(), "--push-gateway", gatewayUrl, "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String metrics = get(gatewayUrl + "/metrics").body();
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"cache_hits\",command=\"metrics\"[^}]*}"
                + " 1");
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"http_request_duration_seconds\","
                + "command=\"metrics\"[^}]*} 1");
    }

    @Test
    void doctorPushesEachCheckItRan() throws Exception {
        Cli.Result r = Cli.exec("doctor", "--backend-url", demo.url(), "--check", "backend", "--push-gateway",
                gatewayUrl, "-o", "json");
        // readiness fails (the demo's database address is closed), so the doctor's verdict is 1, pushed as is
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        String metrics = get(gatewayUrl + "/metrics").body();
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"backend.live\",command=\"doctor\"[^}]*}"
                + " 1");
        assertThat(metrics).containsPattern("exlm_mon_check_success\\{check=\"backend.ready\",command=\"doctor\""
                + "[^}]*} 0");
        assertThat(metrics).containsPattern("exlm_mon_run_success\\{command=\"doctor\"[^}]*} 0");
    }

    @Test
    void badPushOptionsAreUsageErrors() {
        assertThat(Cli.exec("health", "--grouping", "a=b").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("health", "--push-gateway", gatewayUrl + "/metrics/job/x").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("health", "--push-gateway", gatewayUrl, "--grouping", "job=x").exitCode()).isEqualTo(2);
    }

    @Test
    void aPushWithCaFileReachesATlsPushgateway() throws Exception {
        TlsGateway tls = startTlsGateway();
        Cli.Result r = Cli.exec("health", "--backend-url", demo.url(), "--check", "basic", "--push-gateway",
                tls.url(), "--ca-file", tls.cert().caPem().toString(), "--grouping", "env=tls");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        assertThat(tls.metrics()).containsPattern("exlm_mon_check_success\\{check=\"basic\",command=\"health\","
                + "env=\"tls\",instance=\"\",job=\"exlm-mon\"} 1")
                .containsPattern("exlm_mon_run_success\\{command=\"health\",env=\"tls\",instance=\"\","
                        + "job=\"exlm-mon\"} 1");
    }

    @Test
    void withoutCaFileTheTlsPushIsOneWarningAndWithInsecureItSucceeds() throws Exception {
        TlsGateway tls = startTlsGateway();
        Cli.Result untrusted = Cli.exec("health", "--backend-url", demo.url(), "--check", "basic",
                "--push-gateway", tls.url(), "--grouping", "env=untrusted");
        assertThat(untrusted.exitCode()).as(untrusted.toString()).isZero();
        assertThat(untrusted.errLines()).as(untrusted.toString()).hasSize(1);
        assertThat(untrusted.err()).startsWith("exlm-mon: warning: could not push the results to " + tls.url())
                .contains("TLS certificate is not trusted").contains("--ca-file")
                .contains("the verdict and exit code stand");
        assertThat(tls.metrics()).doesNotContain("env=\"untrusted\"");

        Cli.Result insecure = Cli.exec("health", "--backend-url", demo.url(), "--check", "basic",
                "--push-gateway", tls.url(), "--insecure", "--grouping", "env=insecure");
        assertThat(insecure.exitCode()).as(insecure.toString()).isZero();
        assertThat(insecure.errLines()).as(insecure.toString())
                .containsExactly("exlm-mon: warning: --insecure: TLS certificates are not verified");
        assertThat(tls.metrics()).containsPattern("exlm_mon_check_success\\{check=\"basic\",command=\"health\","
                + "env=\"insecure\",instance=\"\",job=\"exlm-mon\"} 1");
    }

    @Test
    void groupingValuesArriveExactlyAsGiven() throws Exception {
        // a slash, an empty value and a dot segment go base64 (label@base64); a space, a plus, a percent sign and
        // non-ASCII are percent-encoded; the Pushgateway's own API shows the grouping labels it decoded
        List<String> values = List.of("a/b", "", "..", "two words+plus", "100%", "zürich ☃");
        List<String> args = new ArrayList<>(List.of("health", "--backend-url", demo.url(), "--check", "basic",
                "--push-gateway", gatewayUrl, "--job", "ci/smoke"));
        for (int i = 0; i < values.size(); i++) {
            args.add("--grouping");
            args.add("g" + i + "=" + values.get(i));
        }
        Cli.Result r = Cli.exec(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).as(r.toString()).isEmpty();
        com.fasterxml.jackson.databind.JsonNode groups = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(get(gatewayUrl + "/api/v1/metrics").body()).path("data");
        assertThat(groups).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode labels = groups.get(0).path("labels");
        assertThat(labels.path("job").asText()).isEqualTo("ci/smoke");
        assertThat(labels.path("command").asText()).isEqualTo("health");
        for (int i = 0; i < values.size(); i++) {
            assertThat(labels.path("g" + i).asText()).as("g" + i).isEqualTo(values.get(i));
        }
    }
}
