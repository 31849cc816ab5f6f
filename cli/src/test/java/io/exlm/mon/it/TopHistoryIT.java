package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Scope;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import io.exlm.mon.tui.DashboardState;
import io.exlm.mon.tui.Poller;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * top's history and {@code --at} against a real Prometheus (Debian's 2.42, on loopback) that holds known data: the
 * backend's series written with {@code promtool tsdb create-blocks-from openmetrics}, every 5 s for the
 * {@value #SECONDS} s up to the test's start T0, 20 users and 10 requests/s until T0-30s and 50 users and 40
 * requests/s after. Prometheus scrapes nothing: what it answers is only that, so a minute back holds known figures.
 */
class TopHistoryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How much data Prometheus holds: less than top's history (240 steps of 1 s), so its start is a gap. */
    private static final int SECONDS = 150;
    private static final String LABELS = "{job=\"exlm-backend\",instance=\"backend:8000\",method=\"GET\","
            + "handler=\"/api/v1/models\",status=\"200\"}";

    @TempDir
    Path dir;

    /** The OpenMetrics text of the data: each series' samples in time order, then the end marker. */
    static String data(long t0) {
        StringBuilder users = new StringBuilder("# TYPE active_users gauge\n");
        StringBuilder up = new StringBuilder("# TYPE up gauge\n");
        StringBuilder requests = new StringBuilder("# TYPE http_requests counter\n");
        long count = 0;
        for (long t = t0 - SECONDS; t <= t0; t += 5) {
            boolean after = t > t0 - 30;
            count += after ? 40 * 5 : 10 * 5;
            users.append("active_users{job=\"exlm-backend\",instance=\"backend:8000\"} ").append(after ? 50 : 20)
                    .append(' ').append(t).append('\n');
            up.append("up{job=\"exlm-backend\",instance=\"backend:8000\"} 1 ").append(t).append('\n');
            requests.append("http_requests_total").append(LABELS).append(' ').append(count).append(' ').append(t)
                    .append('\n');
        }
        return users.toString() + up + requests + "# EOF\n";
    }

    @Test
    void theHistoryIsThereOnStartAndAMinuteBackShowsTheFiguresOfThen() throws Exception {
        Path prometheusBin = Tools.require("prometheus");
        Path promtool = Tools.require("promtool");
        long t0 = Instant.now().getEpochSecond();
        Path om = Files.writeString(dir.resolve("data.om"), data(t0));
        Path data = dir.resolve("data");
        Process create = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                om.toString(), data.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("promtool.log")
                        .toFile()).start();
        assertThat(create.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(create.exitValue()).as(Files.readString(dir.resolve("promtool.log"))).isZero();

        int port = Ports.free();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), "global:\n  scrape_interval: 5s\n");
        Process prometheus = new ProcessBuilder(prometheusBin.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String url = "http://127.0.0.1:" + port;
        try (HttpLayer http = new HttpLayer(new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(3),
                64 << 20, 0, List.of(), null, null, null, null, null, false, line -> { }))) {
            PrometheusClient client = new PrometheusClient(http, url);
            // a query that fails is "not yet": Prometheus is still starting
            Polls.await(Duration.ofSeconds(60), () -> !client.query("active_users", null).isEmpty(), prometheus,
                    "prometheus");

            // on start: the history from the range queries, before the first live point
            try (PrometheusSource source = new PrometheusSource(client, Combination.defaults(), PanelId.WINDOW,
                    Scope.BACKEND, PanelId.queryGroups())) {
                DashboardState state = new DashboardState(source.describe(), 1000, true, -1);
                Poller poller = new Poller(source, state);
                assertThat(poller.pollOnce()).isTrue();
                double[] users = state.model(System.currentTimeMillis()).panel(PanelId.USERS).history();
                assertThat(users).hasSize(DashboardState.HISTORY);
                // a Prometheus younger than the history: its start is a gap, then 20 users, then 50, with no point
                // invented before the data and none missing after it began
                List<Double> known = new ArrayList<>();
                int gap = 0;
                while (gap < users.length && Double.isNaN(users[gap])) {
                    gap++;
                }
                for (int i = gap; i < users.length; i++) {
                    known.add(users[i]);
                }
                assertThat(gap).as("steps before the data began").isBetween(DashboardState.HISTORY - SECONDS - 60,
                        DashboardState.HISTORY - SECONDS - 1);
                assertThat(known).doesNotContainNull().allMatch(v -> v == 20 || v == 50);
                int firstFifty = known.indexOf(50.0);
                assertThat(firstFifty).isPositive();
                assertThat(known.subList(0, firstFifty)).containsOnly(20.0);
                assertThat(known.subList(firstFifty, known.size())).containsOnly(50.0);
                // the 20s from T0-150s to T0-30s, and the 5 s of lookback after the last of them
                assertThat(known.subList(0, firstFifty)).hasSizeBetween(SECONDS - 30 - 5, SECONDS - 30 + 6);
                // the request rate's history too, the rate over the 1m window: 10/s while the window holds only
                // the first part, more once it reaches the 40/s
                double[] rate = state.model(System.currentTimeMillis()).panel(PanelId.REQUEST_RATE).history();
                assertThat(rate).hasSize(DashboardState.HISTORY);
                long tens = java.util.Arrays.stream(rate).filter(v -> Math.abs(v - 10) < 1e-9).count();
                assertThat(tens).as("steps at 10/s").isGreaterThanOrEqualTo(SECONDS - 30 - 60 - 10);
                assertThat(rate[rate.length - 1]).isGreaterThan(10);
            }

            // top --once --at: a minute back, the figures of then; now, the figures of now
            long at = t0 - 60;
            Cli.Result then = Cli.exec("top", "--source", "prometheus", "--prometheus-url", url, "--once", "-o",
                    "json", "--at", Long.toString(at));
            assertThat(then.exitCode()).as(then.toString()).isZero();
            JsonNode past = JSON.readTree(then.out());
            assertThat(past.get("at").asText()).isEqualTo(Instant.ofEpochSecond(at).toString());
            assertThat(past.at("/panels/users/figures/0/value").asDouble()).isEqualTo(20);
            assertThat(past.at("/panels/rps/figures/0/value").asDouble()).isCloseTo(10, within(1e-9));
            Cli.Result now = Cli.exec("top", "--source", "prometheus", "--prometheus-url", url, "--once", "-o",
                    "json");
            assertThat(now.exitCode()).as(now.toString()).isZero();
            JsonNode present = JSON.readTree(now.out());
            assertThat(present.get("at").isNull()).isTrue();
            assertThat(present.at("/panels/users/figures/0/value").asDouble()).isEqualTo(50);
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly();
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
