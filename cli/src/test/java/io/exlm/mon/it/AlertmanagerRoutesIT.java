package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.config.Setting;
import io.exlm.mon.stack.ConfigWriter;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped routes and inhibition, end to end: Debian's real Alertmanager runs the file {@code exlm-mon up} writes
 * from stack/alertmanager/alertmanager.yml (only its group timings shortened), alerts are posted to its API v2 as
 * Prometheus posts them, and a webhook receiver run by this test records what is delivered, to which receiver.
 */
class AlertmanagerRoutesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    /** Every webhook body delivered, in order. */
    private final List<JsonNode> delivered = new CopyOnWriteArrayList<>();
    private HttpServer webhook;
    private Process alertmanager;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        if (alertmanager != null) {
            alertmanager.destroy();
            if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                alertmanager.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    /** The shipped configuration as up writes it, with every route's timings shortened for a test. */
    static String testConfig(String webhookUrl) {
        ObjectNode root = ConfigWriter.alertmanagerTree(webhookUrl);
        shorten((ObjectNode) root.path("route"));
        return ConfigWriter.yaml(root);
    }

    private static void shorten(ObjectNode route) {
        route.put("group_wait", "200ms");
        route.put("group_interval", "1s");
        route.put("repeat_interval", "2s");
        for (JsonNode child : route.path("routes")) {
            ObjectNode c = (ObjectNode) child;
            for (String timing : List.of("group_wait", "group_interval", "repeat_interval")) {
                if (c.has(timing)) {
                    c.put(timing, route.path(timing).asText());
                }
            }
            shorten(c);
        }
    }

    private String start() throws Exception {
        return start(null);
    }

    /** Alertmanager with the shipped routes, sending to {@code hook}, or to a receiver this test runs when null. */
    private String start(String hook) throws Exception {
        if (hook == null) {
            hook = startWebhook();
        }
        Path config = Files.writeString(dir.resolve("alertmanager.yml"), testConfig(hook));
        int port = Ports.free();
        String url = "http://127.0.0.1:" + port;
        alertmanager = new ProcessBuilder(Tools.require("prometheus-alertmanager").toString(),
                "--config.file=" + config, "--storage.path=" + Files.createDirectories(dir.resolve("data")),
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
        Polls.await(Duration.ofSeconds(30), () -> {
            try {
                return get(url + "/-/ready").statusCode() == 200;
            } catch (Exception notYet) {
                return false;
            }
        }, alertmanager, "Alertmanager at " + url);
        return url;
    }

    private String startWebhook() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/alerts", exchange -> {
            try (exchange) {
                delivered.add(JSON.readTree(exchange.getRequestBody()));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        webhook.start();
        return "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts";
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Posts alerts to /api/v2/alerts as Prometheus does: labels, annotations, a start, an end in the future. */
    private void post(String url, List<Map<String, String>> alerts) throws Exception {
        ArrayNode body = JSON.createArrayNode();
        for (Map<String, String> labels : alerts) {
            ObjectNode a = body.addObject();
            labels.forEach(a.putObject("labels")::put);
            a.putObject("annotations").put("summary", labels.get("alertname"));
            a.put("startsAt", Instant.now().minusSeconds(60).toString());
            a.put("endsAt", Instant.now().plusSeconds(600).toString());
        }
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url + "/api/v2/alerts"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    /** The webhook bodies for receiver {@code receiver} holding an alert with these labels. */
    private long deliveries(String receiver, Map<String, String> labels) {
        return delivered.stream().filter(b -> b.path("receiver").asText().equals(receiver))
                .filter(b -> {
                    for (JsonNode a : b.path("alerts")) {
                        boolean all = true;
                        for (Map.Entry<String, String> l : labels.entrySet()) {
                            all &= a.path("labels").path(l.getKey()).asText().equals(l.getValue());
                        }
                        if (all) {
                            return true;
                        }
                    }
                    return false;
                }).count();
    }

    private boolean deliveredAnywhere(Map<String, String> labels) {
        return List.of("exlm-page", "exlm-ticket", "exlm-watchdog").stream()
                .anyMatch(r -> deliveries(r, labels) > 0);
    }

    @Test
    void theWatchdogPagesAndTicketsArriveAndServiceDownInhibitsItsInstancesOthers() throws Exception {
        String url = start();
        Map<String, String> watchdog = Map.of("alertname", "Watchdog", "severity", "none");
        Map<String, String> downA = Map.of("alertname", "ServiceDown", "severity", "critical", "job", "exlm-backend",
                "instance", "a:8000");
        Map<String, String> errorsA = Map.of("alertname", "HighErrorRate", "severity", "critical", "job",
                "exlm-backend", "instance", "a:8000");
        Map<String, String> errorsB = Map.of("alertname", "HighErrorRate", "severity", "critical", "job",
                "exlm-backend", "instance", "b:8000");
        Map<String, String> stale = Map.of("alertname", "SmokeResultsStale", "severity", "warning", "job", "exlm-mon",
                "command", "health");
        // a failed check pushed without an instance: it must not inhibit what has no instance either
        Map<String, String> pushedDown = Map.of("alertname", "ServiceDown", "severity", "critical", "job", "exlm-mon",
                "command", "health", "check", "ready");
        // ServiceDown first, as Prometheus sends it when a target goes down: Alertmanager's inhibitor learns of an
        // alert on a goroutine of its own, so an inhibited alert posted in the same breath as its source could be
        // flushed before the inhibitor has it (under load it was, one run in a suite). Delivered means processed.
        post(url, List.of(watchdog, downA, stale, pushedDown));
        Polls.await(Duration.ofSeconds(30), "ServiceDown of a:8000 paged", () -> deliveries("exlm-page", downA) > 0);
        post(url, List.of(errorsA, errorsB));

        Polls.await(Duration.ofSeconds(30), "the Watchdog at its receiver, twice (sent, then repeated)",
                () -> deliveries("exlm-watchdog", watchdog) >= 2);
        Polls.await(Duration.ofSeconds(30), "every page and ticket that is not inhibited",
                () -> deliveries("exlm-page", errorsB) > 0 && deliveries("exlm-page", downA) > 0
                        && deliveries("exlm-page", pushedDown) > 0 && deliveries("exlm-ticket", stale) > 0);

        // Alertmanager itself says HighErrorRate of a:8000 is held by ServiceDown of a:8000, and b:8000's is not
        JsonNode held = JSON.readTree(get(url + "/api/v2/alerts?filter=alertname%3D%22HighErrorRate%22").body());
        assertThat(held).hasSize(2);
        for (JsonNode a : held) {
            String instance = a.path("labels").path("instance").asText();
            String state = a.path("status").path("state").asText();
            assertThat(state).as(instance).isEqualTo(instance.equals("a:8000") ? "suppressed" : "active");
            assertThat(a.path("status").path("inhibitedBy").size()).as(instance)
                    .isEqualTo(instance.equals("a:8000") ? 1 : 0);
        }
        // the Watchdog has been repeated since, so every group has been flushed at least once (group_wait 200 ms,
        // repeat 2 s): had a:8000's HighErrorRate been let through, it would have arrived by now
        int before = (int) deliveries("exlm-watchdog", watchdog);
        Polls.await(Duration.ofSeconds(30), "one more Watchdog repeat",
                () -> deliveries("exlm-watchdog", watchdog) > before);
        assertThat(deliveredAnywhere(errorsA)).as("HighErrorRate of a:8000, inhibited by its ServiceDown: "
                + delivered).isFalse();
        // the routes' receivers are exactly the policy's: nothing critical in the tickets, nothing else to the Watchdog
        assertThat(deliveries("exlm-ticket", errorsB)).isZero();
        assertThat(deliveries("exlm-page", watchdog) + deliveries("exlm-ticket", watchdog)).isZero();
        assertThat(deliveries("exlm-watchdog", errorsB)).isZero();
    }

    /**
     * A stack brought up with no receiver configured: the shipped routes send to exlm-mon's placeholder
     * (alertmanager.webhook-url's default), where nothing listens. The Watchdog's notifications fail there from the
     * first minute; doctor warns that alerts reach no one, and its verdict stays 0 (the documented CI job's stack).
     */
    @Test
    void doctorWarnsNotFailsWhenTheOnlyReceiverIsThePlaceholderNobodyConfigured() throws Exception {
        String placeholder = Setting.ALERT_WEBHOOK_URL.defaultValue();
        URI hook = URI.create(placeholder);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", hook.getPort()), 1000);
            throw new AssertionError("something listens at " + placeholder + ": this test needs it refused");
        } catch (ConnectException refused) {
            // as on a machine with no receiver
        }
        String url = start(placeholder);
        post(url, List.of(Map.of("alertname", "Watchdog", "severity", "none")));
        Polls.await(Duration.ofSeconds(30), "a failed delivery attempt at the placeholder", () -> {
            String metrics;
            try {
                metrics = get(url + "/metrics").body();
            } catch (Exception notYet) {
                return false;
            }
            return metrics.lines().anyMatch(l -> l.startsWith(
                    "alertmanager_notification_requests_failed_total{integration=\"webhook\"}") && !l.endsWith(" 0"));
        });
        Cli.Result r = Cli.exec("doctor", "--check", "alertmanager.notifications", "--alertmanager-url", url,
                "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode check = null;
        for (JsonNode c : JSON.readTree(r.out()).path("checks")) {
            if (c.path("id").asText().equals("alertmanager.notifications")) {
                check = c;
            }
        }
        assertThat(check).as(r.out()).isNotNull();
        assertThat(check.path("status").asText()).as(r.out()).isEqualTo("warn");
        assertThat(check.path("summary").asText()).startsWith("no alert receiver is configured")
                .endsWith("alerts reach no one");
        assertThat(check.path("figures").path("placeholder_receiver").asBoolean()).isTrue();
        // --strict makes the warning the failure it is for a stack that must page someone
        assertThat(Cli.exec("doctor", "--check", "alertmanager.notifications", "--alertmanager-url", url,
                "--strict").exitCode()).isEqualTo(1);
    }
}
