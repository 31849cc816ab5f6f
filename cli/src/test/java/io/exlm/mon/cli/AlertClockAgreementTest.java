package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.promql.AlertClock;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.RuleHealth;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.ManualClock;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.RecordedPrometheus;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * One alert is as old in every view: {@code alerts}, {@code alerts --explain}, {@code explain} and top's alerts
 * panel all read its state and age from Prometheus's activeAt to Prometheus's time() ({@link AlertClock}), never
 * this machine's clock, and write it alike; {@code alerts --source alertmanager} ages Alertmanager's startsAt on
 * that clock too, and says that it counts from startsAt. The recording (HighErrorRate.json, as {@link ExplainTest} uses it) has the alert firing since
 * 21:03:00 with a for: of 5m, Prometheus's time() 21:10:00: active 7m0s. This machine's clock, for top, is an hour
 * later, so a view that measured on it would say 1h7m.
 */
class AlertClockAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long ACTIVE = 420;
    private static final String AGE = "7m0s";
    /** Alertmanager's startsAt: Prometheus first sent it firing once its for: (5m) had passed. */
    private static final String STARTS_AT = "2026-12-01T21:08:00.000Z";

    @Test
    void everyViewGivesTheAlertOneAgeOnPrometheussClock() throws Exception {
        String recording = new String(getClass().getResourceAsStream("/io/exlm/mon/explain/HighErrorRate.json")
                .readAllBytes(), StandardCharsets.UTF_8);
        String amAlerts = "[{\"annotations\":{\"summary\":\"16% of requests fail\"},\"endsAt\":"
                + "\"2026-12-01T21:14:00.000Z\",\"fingerprint\":\"7b6a5c4d3e2f1a09\",\"receivers\":[{\"name\":"
                + "\"webhook\"}],\"startsAt\":\"" + STARTS_AT + "\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],"
                + "\"state\":\"active\"},\"updatedAt\":\"2026-12-01T21:10:00.000Z\",\"labels\":{\"alertname\":"
                + "\"HighErrorRate\",\"instance\":\"127.0.0.1:8000\",\"job\":\"exlm-backend\",\"severity\":"
                + "\"critical\"}}]";
        String backend = "http://127.0.0.1:" + Ports.closed();
        try (RecordedPrometheus prom = new RecordedPrometheus(recording);
                FaultServer am = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                        "application/json", req.path().startsWith("/api/v2/silences") ? "[]" : amAlerts));
                HttpLayer http = new HttpLayer(HttpOptions.defaults())) {
            String[] urls = {"--prometheus-url", prom.url(), "--alertmanager-url", am.url(), "--backend-url",
                backend};

            JsonNode alerts = json(exec(urls, "alerts", "-o", "json"));
            assertThat(alerts.get("clock").asText()).isEqualTo(AlertClock.PROMETHEUS);
            assertThat(alerts.at("/alerts/0/active_seconds").asLong()).isEqualTo(ACTIVE);
            assertThat(alerts.at("/alerts/0/for_seconds").asLong()).isEqualTo(300);
            assertThat(exec(urls, "alerts")).containsPattern("firing +HighErrorRate +critical +127\\.0\\.0\\.1:8000 +"
                    + AGE + " ").contains("SINCE: since activeAt, when the condition began to hold, by"
                            + " Prometheus's clock");

            JsonNode explain = json(exec(urls, "explain", "HighErrorRate", "-o", "json"));
            JsonNode explained = json(exec(urls, "alerts", "--explain", "-o", "json"));
            for (JsonNode doc : new JsonNode[] {explain, explained}) {
                assertThat(doc.get("clock").asText()).isEqualTo(AlertClock.PROMETHEUS);
                assertThat(doc.at("/alerts/0/active_seconds").asLong()).isEqualTo(ACTIVE);
                assertThat(doc.at("/alerts/0/active_at").asText()).isEqualTo(alerts.at("/alerts/0/active_at")
                        .asText());
            }
            assertThat(exec(urls, "explain", "HighErrorRate")).startsWith("HighErrorRate (critical): firing, active "
                    + AGE + " (pending 5m first, firing 2m0s)\n");

            // top's alerts panel, with this machine's clock an hour ahead of Prometheus's
            PrometheusClient client = new PrometheusClient(http, prom.url());
            AlertsPanel panel = AlertsPanel.read(client, new AlertmanagerClient(http, am.url()), new ManualClock(
                    ExplainTest.NOW.plusSeconds(3600)), () -> RuleHealth.of(client.rules(), StackFiles.alertNames()));
            assertThat(panel.clock()).isEqualTo(AlertClock.PROMETHEUS);
            assertThat(panel.alerts()).singleElement().satisfies(r -> {
                assertThat(r.ageSeconds()).isEqualTo(ACTIVE);
                assertThat(AlertClock.age(r.ageSeconds())).isEqualTo(AGE);
            });

            // Alertmanager's instant is another one, and named as its own: never an activeAt
            JsonNode fromAm = json(exec(urls, "alerts", "--source", "alertmanager", "-o", "json"));
            assertThat(fromAm.get("clock").isNull()).isTrue();
            assertThat(fromAm.at("/alerts/0/starts_at").asText()).isEqualTo(STARTS_AT);
            assertThat(fromAm.at("/alerts/0/active_at").isNull()).isTrue();
            assertThat(fromAm.at("/alerts/0/active_seconds").isNull()).isTrue();
            // its text ages it on the same clock, Prometheus's: 21:08:00 to 21:10:00, and says from when
            String amText = exec(urls, "alerts", "--source", "alertmanager");
            assertThat(amText).containsPattern("firing +HighErrorRate +critical +127\\.0\\.0\\.1:8000 +2m0s ")
                    .doesNotContain("STARTSAT", " ago");
            assertThat(amText.replaceAll("\\s+", " ")).contains(String.format(AlertsOutput.STARTS_AT,
                    "by Prometheus's clock"));
            assertThat(prom.unknown()).as("queries the recording does not answer").isEmpty();
        }
    }

    @Test
    void alertmanagersAlertsPageInTheOrderOfEveryViewByTheirStartsAt() throws Exception {
        // two critical alerts: the one firing longer (ServiceDown, since 21:01) pages first, whatever the names say;
        // a warning after them, the Watchdog (by design) last
        String am = "[" + amAlert("DiskSpaceLow", "warning", "2026-12-01T20:00:00.000Z") + ","
                + amAlert("Watchdog", "none", "2026-12-01T08:00:00.000Z") + ","
                + amAlert("HighErrorRate", "critical", "2026-12-01T21:08:00.000Z") + ","
                + amAlert("ServiceDown", "critical", "2026-12-01T21:01:00.000Z") + "]";
        String recording = new String(getClass().getResourceAsStream("/io/exlm/mon/explain/HighErrorRate.json")
                .readAllBytes(), StandardCharsets.UTF_8);
        try (RecordedPrometheus prom = new RecordedPrometheus(recording);
                FaultServer server = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                        "application/json", req.path().startsWith("/api/v2/silences") ? "[]" : am))) {
            String[] urls = {"--prometheus-url", prom.url(), "--alertmanager-url", server.url()};
            String text = exec(urls, "alerts", "--source", "alertmanager");
            assertThat(text.lines().filter(l -> l.startsWith("firing")).map(l -> l.split(" +")[1]))
                    .containsExactly("ServiceDown", "HighErrorRate", "DiskSpaceLow", "Watchdog");
            assertThat(text).containsPattern("ServiceDown +critical +\\S+ +9m0s ");
            JsonNode doc = json(exec(urls, "alerts", "--source", "alertmanager", "-o", "json"));
            assertThat(doc.get("alerts").findValuesAsText("name")).containsExactly("ServiceDown", "HighErrorRate",
                    "DiskSpaceLow", "Watchdog");
        }
        // Prometheus not answering its time(): this machine's clock, said under the table
        try (FaultServer server = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", req.path().startsWith("/api/v2/silences") ? "[]" : am))) {
            String text = exec(new String[] {"--prometheus-url", "http://127.0.0.1:" + Ports.closed(),
                "--alertmanager-url", server.url()}, "alerts", "--source", "alertmanager");
            assertThat(text.replaceAll("\\s+", " ")).contains(String.format(AlertsOutput.STARTS_AT,
                    "by this machine's clock"));
        }
    }

    private static String amAlert(String name, String severity, String startsAt) {
        return "{\"annotations\":{\"summary\":\"" + name + "\"},\"endsAt\":\"2026-12-01T21:14:00.000Z\","
                + "\"fingerprint\":\"" + name + "\",\"receivers\":[{\"name\":\"webhook\"}],\"startsAt\":\""
                + startsAt + "\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},"
                + "\"updatedAt\":\"2026-12-01T21:10:00.000Z\",\"labels\":{\"alertname\":\"" + name + "\","
                + "\"instance\":\"127.0.0.1:8000\",\"severity\":\"" + severity + "\"}}";
    }

    private static String exec(String[] urls, String... args) {
        String[] all = new String[args.length + urls.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(urls, 0, all, args.length, urls.length);
        Cli.Result r = Cli.exec(all);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out();
    }

    private static JsonNode json(String out) throws Exception {
        return JSON.readTree(out);
    }
}
