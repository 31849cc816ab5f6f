package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.VictoriaMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up --remote-write} on the real local stack (1 s scrapes) into a real VictoriaMetrics: the backend's series are
 * queryable there within a minute of up; doctor's prometheus.remote-write is ok while they flow, fails naming remote
 * write and the receiver once VictoriaMetrics is stopped, is ok again when it is back, and fails when it answers
 * every write with 401.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteWriteIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static VictoriaMetrics vm;
    static Cli.Result up;
    static long upReturned;

    @BeforeAll
    static void bringUp() throws Exception {
        vm = new VictoriaMetrics(tmp.resolve("vm"));
        stack = LocalStack.prepare(tmp.resolve("stack"), "1s");
        up = stack.exlm(Duration.ofSeconds(150), "up", "--runtime", "local", "--wait", "--timeout", "90s",
                "--remote-write", vm.writeUrl(), "--remote-write-auth", "--tenant", "exlm");
        upReturned = System.nanoTime();
        assertThat(up.exitCode()).as(up.toString()).isZero();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (vm != null) {
                vm.close();
            }
        }
    }

    static int backendSeriesInVm() throws Exception {
        var r = vm.get("/api/v1/query?query=" + LocalStack.enc("count(http_requests_total{job=\"exlm-backend\"})"));
        JsonNode result = JSON.readTree(r.body()).path("data").path("result");
        return result.isEmpty() ? 0 : (int) Double.parseDouble(result.get(0).path("value").get(1).asText());
    }

    static JsonNode remoteWriteCheck() throws Exception {
        Cli.Result r = stack.cli("doctor", "--check", "prometheus.remote-write", "-o", "json");
        JsonNode doc = JSON.readTree(r.out());
        for (JsonNode check : doc.path("checks")) {
            if (check.path("id").asText().equals("prometheus.remote-write")) {
                return check;
            }
        }
        throw new AssertionError("no prometheus.remote-write in " + r);
    }

    /**
     * The check, re-read until its status is {@code want} or {@code timeout} after {@code since} has passed (a poll
     * with a deadline: the half second is its interval, not a synchronisation); each status read before it must be
     * one of {@code meanwhile}, when any are given. The last one read.
     */
    static JsonNode awaitCheck(String want, long since, Duration timeout, String... meanwhile) throws Exception {
        long deadline = since + timeout.toNanos();
        JsonNode check = remoteWriteCheck();
        while (!check.path("status").asText().equals(want) && System.nanoTime() - deadline < 0) {
            if (meanwhile.length > 0) {
                assertThat(check.path("status").asText()).as(check.toString()).isIn((Object[]) meanwhile);
            }
            Thread.sleep(500);
            check = remoteWriteCheck();
        }
        return check;
    }

    @Test
    @Order(1)
    void upSaysWhereItWritesAndTheConfigurationHoldsIt() throws Exception {
        assertThat(up.out()).contains("remote write: " + vm.writeUrl());
        String yaml = Files.readString(stack.stateDir().resolve("local/config/prometheus/prometheus.yml"));
        assertThat(yaml).contains("url: " + vm.writeUrl()).contains("X-Scope-OrgID: exlm");
    }

    @Test
    @Order(2)
    void theBackendsSeriesAreQueryableInVictoriaMetricsWithinAMinute() throws Exception {
        long deadline = upReturned + Duration.ofSeconds(60).toNanos();
        int series = 0;
        while (System.nanoTime() - deadline < 0 && (series = backendSeriesInVm()) == 0) {
            Thread.sleep(250); // polling with a deadline: the minute is the must-show
        }
        System.out.println("backend series in VictoriaMetrics " + (System.nanoTime() - upReturned) / 1_000_000
                + " ms after up: " + series);
        assertThat(series).as("http_requests_total series of job exlm-backend in VictoriaMetrics").isPositive();
    }

    @Test
    @Order(3)
    void doctorIsOkWhileTheSamplesFlow() throws Exception {
        JsonNode check = awaitCheck("ok", System.nanoTime(), Duration.ofSeconds(60));
        assertThat(check.path("status").asText()).as(check.toString()).isEqualTo("ok");
        assertThat(check.path("summary").asText()).contains(vm.writeUrl());
        assertThat(check.path("figures").path("queues").get(0).path("behind_seconds").asDouble()).isLessThan(60);
    }

    @Test
    @Order(4)
    void doctorFailsNamingRemoteWriteWhenTheReceiverIsStoppedAndRecovers() throws Exception {
        vm.stop();
        long stopped = System.nanoTime();
        JsonNode check = awaitCheck("fail", stopped, Duration.ofSeconds(120), "ok", "warn");
        System.out.println("remote write failed " + (System.nanoTime() - stopped) / 1_000_000 + " ms after the"
                + " receiver stopped: " + check.path("summary").asText());
        assertThat(check.path("status").asText()).as(check.toString()).isEqualTo("fail");
        assertThat(check.path("summary").asText()).contains("remote write").contains(vm.writeUrl())
                .contains("refuses connections");
        // the whole doctor fails too, and its text names the check
        Cli.Result all = stack.cli("doctor");
        assertThat(all.exitCode()).as(all.toString()).isEqualTo(1);
        assertThat(all.out()).contains("prometheus.remote-write");

        vm.start();
        long restarted = System.nanoTime();
        check = awaitCheck("ok", restarted, Duration.ofSeconds(90));
        System.out.println("remote write ok again " + (System.nanoTime() - restarted) / 1_000_000 + " ms after the"
                + " receiver came back");
        assertThat(check.path("status").asText()).as(check.toString()).isEqualTo("ok");
    }

    /**
     * A receiver that answers 401 to every write (a wrong token): Prometheus 2.42 drops the batch and moves its sent
     * timestamp on, so the lag reads 0; doctor fails on the rejections, naming them.
     */
    @Test
    @Order(5)
    void doctorFailsWhenTheReceiverRejectsEverySample() throws Exception {
        vm.stop();
        vm.startRequiringAuth();
        long started = System.nanoTime();
        JsonNode check = awaitCheck("fail", started, Duration.ofSeconds(90));
        System.out.println("rejections failed doctor " + (System.nanoTime() - started) / 1_000_000 + " ms after the"
                + " receiver began answering 401: " + check.path("summary").asText());
        assertThat(check.path("status").asText()).as(check.toString()).isEqualTo("fail");
        assertThat(check.path("summary").asText()).contains("the receiver rejected").contains("HTTP 4xx");
    }
}
