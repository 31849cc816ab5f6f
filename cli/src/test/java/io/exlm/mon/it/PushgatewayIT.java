package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Results pushed to Debian's real Pushgateway, and a Pushgateway that is down changing nothing but a warning. */
class PushgatewayIT {
    private final HttpClient client = HttpClient.newHttpClient();
    private Process gateway;
    private String gatewayUrl;
    private DemoServer demo;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        Path binary = Tools.require("prometheus-pushgateway");
        int port = Ports.free();
        gatewayUrl = "http://127.0.0.1:" + port;
        gateway = new ProcessBuilder(binary.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file=" + dir.resolve("pushgateway.data"))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if (get(gatewayUrl + "/-/ready").statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            assertThat(System.nanoTime()).as("the Pushgateway answers /-/ready").isLessThan(deadline);
            Thread.sleep(100);
        }
        demo = DemoServer.start(new DemoServer.Config("127.0.0.1", 0, Scenario.NORMAL, "127.0.0.1:" + Ports.closed(),
                null, false, 90, 90));
    }

    @AfterEach
    void stop() throws Exception {
        if (demo != null) {
            demo.close();
        }
        if (gateway != null) {
            gateway.destroy();
            if (!gateway.waitFor(10, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
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
        gateway.waitFor(10, TimeUnit.SECONDS);
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
}
