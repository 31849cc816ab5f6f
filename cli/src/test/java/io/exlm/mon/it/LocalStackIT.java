package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Ports;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local stack from Debian's real binaries ({@link LocalStack}: {@code ./exlm-mon up --runtime local --wait}
 * against the demo backend, a throwaway Redis and a throwaway PostgreSQL, every part on a free loopback port),
 * brought up once for this class. Every process started here is stopped in {@link #stopEverything()}, also on
 * failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** The jobs of stack/prometheus/prometheus.yml. */
    private static final Set<String> JOBS = Set.of("exlm-backend", "prometheus", "node", "postgres", "redis",
            "alertmanager", "pushgateway");
    private static final List<String> PARTS = LocalStack.PARTS;

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static String demoUrl;
    static Path stateDir;
    static String prometheus;
    static String alertmanager;
    static Map<String, Integer> ports;
    static Cli.Result firstUp;
    static long firstUpMillis;

    @BeforeAll
    static void bringUp() throws Exception {
        stack = LocalStack.up(tmp, "2s");
        demoUrl = stack.demoUrl();
        stateDir = stack.stateDir();
        prometheus = stack.prometheus();
        alertmanager = stack.alertmanager();
        ports = stack.ports();
        firstUp = stack.firstUp();
        firstUpMillis = stack.firstUpMillis();
        assertThat(firstUp.exitCode()).as(firstUp.toString()).isZero();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ must-show 1

    @Test
    @Order(1)
    void upBringsEveryTargetUpAndLoadsTheFiveAlerts() throws Exception {
        assertThat(firstUp.err()).contains("ready: 6 of 6 parts answer");
        JsonNode targets = LocalStack.awaitJson(Duration.ofSeconds(60), "every target UP",
                () -> get(prometheus + "/api/v1/targets?state=active"), doc -> {
                    Map<String, String> health = targetHealth(doc);
                    return health.keySet().containsAll(JOBS) && health.values().stream().allMatch("up"::equals);
                });
        Map<String, String> health = targetHealth(targets);
        assertThat(health).containsOnlyKeys(JOBS);
        assertThat(health.values()).containsOnly("up");
        // each target is the address this test configured, not a default
        for (JsonNode t : targets.path("data").path("activeTargets")) {
            String job = t.path("labels").path("job").asText();
            String url = t.path("scrapeUrl").asText();
            switch (job) {
                case "exlm-backend" -> assertThat(url).isEqualTo(demoUrl + "/metrics");
                case "node" -> assertThat(url).contains(":" + ports.get("node-exporter") + "/");
                case "postgres" -> assertThat(url).contains(":" + ports.get("postgres-exporter") + "/");
                case "redis" -> assertThat(url).contains(":" + ports.get("redis-exporter") + "/");
                default -> assertThat(url).contains(":" + ports.get(job) + "/");
            }
        }
        // the exporters reach the real PostgreSQL and Redis they were pointed at
        LocalStack.awaitJson(Duration.ofSeconds(30), "pg_up 1 and redis_up 1",
                () -> query("pg_up == 1 or redis_up == 1"), doc -> doc.path("data").path("result").size() == 2);

        JsonNode rules = getJson(prometheus + "/api/v1/rules");
        Set<String> alerts = new TreeSet<>();
        Set<String> recorded = new TreeSet<>();
        for (JsonNode g : rules.path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                (r.path("type").asText().equals("alerting") ? alerts : recorded).add(r.path("name").asText());
                assertThat(r.path("health").asText()).as(r.path("name").asText()).isNotEqualTo("err");
            }
        }
        // every alert of the stack's rule files, and no other: the guide's five, the monitoring's own
        // (rules/exlm-meta.yml) and the SLO burn-rate alerts (rules/exlm-slo.yml)
        Set<String> shipped = new TreeSet<>();
        for (String f : io.exlm.mon.stack.StackFiles.RULES) {
            io.exlm.mon.promql.PrometheusYaml.rules(io.exlm.mon.stack.StackFiles.text(f), f).stream()
                    .filter(r -> r.alert() != null).forEach(r -> shipped.add(r.alert()));
        }
        assertThat(shipped).contains("HighCPUUsage", "HighMemoryUsage", "DiskSpaceLow", "HighErrorRate",
                "ServiceDown", "Watchdog", "ErrorBudgetBurn");
        assertThat(alerts).isEqualTo(shipped);
        assertThat(recorded).contains("exlm:http_requests:rate1m", "exlm:http_request_errors:ratio_rate5m",
                "exlm:http_request_duration_seconds:p99_5m", "exlm:slo_availability_errors:ratio_rate3d",
                "exlm:slo_latency_errors:ratio_rate5m");
        // Prometheus sends its alerts to this Alertmanager
        JsonNode ams = getJson(prometheus + "/api/v1/alertmanagers");
        assertThat(ams.path("data").path("activeAlertmanagers").toString()).contains(":" + ports.get("alertmanager"));
        // no gossip port: Alertmanager was started with an empty --cluster.listen-address
        JsonNode amStatus = getJson(alertmanager + "/api/v2/status");
        assertThat(amStatus.path("cluster").path("status").asText()).isEqualTo("disabled");

        Cli.Result status = exlm(Duration.ofSeconds(60), "status", "-o", "json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode doc = JSON.readTree(status.out());
        assertThat(doc.path("runtime").asText()).isEqualTo("local");
        assertThat(doc.path("healthy").asBoolean()).isTrue();
        Map<String, JsonNode> parts = parts(doc);
        assertThat(parts.keySet()).containsExactlyInAnyOrderElementsOf(union(PARTS, List.of("grafana")));
        for (String name : PARTS) {
            JsonNode p = parts.get(name);
            assertThat(p.path("state").asText()).as(name).isEqualTo("running");
            assertThat(p.path("health").asText()).as(name).isEqualTo("ok");
            assertThat(p.path("version").asText()).as(name).matches("\\d+\\.\\d+\\.\\d+.*");
            long pid = p.path("pid").asLong();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).as(name).contains(true);
        }
        assertThat(parts.get("prometheus").path("url").asText()).isEqualTo(prometheus);
        assertThat(parts.get("grafana").path("state").asText()).isEqualTo("skipped");
        assertThat(parts.get("grafana").path("detail").asText()).contains("no grafana");
    }

    // ------------------------------------------------------------------------------------------------ must-show 4

    @Test
    @Order(2)
    void everyDashboardQueryAnswersAndEveryRowHasData() throws Exception {
        JsonNode dashboard = JSON.readTree(Launcher.root().resolve("stack/grafana/dashboards/exlm-overview.json")
                .toFile());
        Map<String, List<String>> panelsByRow = new LinkedHashMap<>();
        Map<String, List<String>> queriesByPanel = new LinkedHashMap<>();
        String row = null;
        for (JsonNode panel : dashboard.path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                row = panel.path("title").asText();
                panelsByRow.put(row, new ArrayList<>());
                continue;
            }
            String title = panel.path("title").asText();
            panelsByRow.get(row).add(title);
            List<String> exprs = new ArrayList<>();
            for (JsonNode t : panel.path("targets")) {
                exprs.add(t.path("expr").asText());
            }
            queriesByPanel.put(title, exprs);
        }
        assertThat(panelsByRow).containsOnlyKeys("System state", "HTTP traffic", "Jobs", "Errors");
        // every query is valid PromQL for this Prometheus: status success, right away
        for (Map.Entry<String, List<String>> e : queriesByPanel.entrySet()) {
            for (String expr : e.getValue()) {
                JsonNode r = JSON.readTree(query(expr));
                assertThat(r.path("status").asText()).as(e.getKey() + ": " + expr + " -> " + r).isEqualTo("success");
            }
        }
        // and once the backend has been scraped a few times, every panel of every row shows data
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        Map<String, String> empty = new LinkedHashMap<>();
        do {
            empty.clear();
            for (Map.Entry<String, List<String>> e : queriesByPanel.entrySet()) {
                boolean any = false;
                for (String expr : e.getValue()) {
                    JsonNode r = JSON.readTree(query(expr));
                    any |= r.path("data").path("result").size() > 0;
                }
                if (!any) {
                    empty.put(e.getKey(), String.join(" | ", e.getValue()));
                }
            }
            if (empty.isEmpty()) {
                break;
            }
            Thread.sleep(1000);
        } while (System.nanoTime() < deadline);
        assertThat(empty).as("panels without data").isEmpty();
    }

    @Test
    @Order(3)
    void serviceDownInhibitsTheOtherAlertsOfItsInstance() throws Exception {
        String instance = "inhibit-test:" + Ports.free();
        String alerts = "[{\"labels\":{\"alertname\":\"ServiceDown\",\"severity\":\"critical\",\"instance\":\""
                + instance + "\",\"job\":\"t\"}},{\"labels\":{\"alertname\":\"HighCPUUsage\",\"severity\":\"warning\","
                + "\"instance\":\"" + instance + "\",\"job\":\"t\"}},{\"labels\":{\"alertname\":\"HighCPUUsage\","
                + "\"severity\":\"warning\",\"instance\":\"other-" + instance + "\",\"job\":\"t\"}}]";
        HttpResponse<String> posted = HTTP.send(HttpRequest.newBuilder(URI.create(alertmanager + "/api/v2/alerts"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(alerts)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
        // the API lists posted alerts at once, but the inhibitor learns of its source alerts from a subscription of
        // its own, a moment later: until then the target alert reads "active". Wait for the three alerts and for the
        // inhibition to have taken hold; then the state of all three is asserted.
        JsonNode got = LocalStack.awaitJson(Duration.ofSeconds(20), "the test alerts in Alertmanager, "
                + "HighCPUUsage@" + instance + " inhibited", () -> get(alertmanager + "/api/v2/alerts"),
                doc -> {
                    Map<String, String> s = states(doc, instance);
                    return s.size() == 3 && "suppressed".equals(s.get("HighCPUUsage@" + instance));
                });
        Map<String, String> state = states(got, instance);
        assertThat(state).containsEntry("ServiceDown@" + instance, "active")
                .containsEntry("HighCPUUsage@" + instance, "suppressed")
                .containsEntry("HighCPUUsage@other-" + instance, "active");
    }

    private static Map<String, String> states(JsonNode alerts, String instance) {
        Map<String, String> state = new HashMap<>();
        for (JsonNode a : alerts) {
            String at = a.path("labels").path("instance").asText();
            if (at.endsWith(instance)) {
                state.put(a.path("labels").path("alertname").asText() + "@" + at, a.path("status").path("state").asText());
            }
        }
        return state;
    }

    // ------------------------------------------------------------------------------------------------ must-show 2

    @Test
    @Order(4)
    void secondUpStartsNothingDownLeavesNothingAndDataSurvives() throws Exception {
        Map<String, Long> pidsBefore = pids(JSON.readTree(exlm(Duration.ofSeconds(60), "status", "-o", "json").out()));

        Cli.Result again = exlm(Duration.ofSeconds(60), "up", "--runtime", "local", "-o", "json");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        JsonNode doc = JSON.readTree(again.out());
        assertThat(doc.path("started").size()).as(again.out()).isZero();
        assertThat(names(doc.path("already_running"))).containsExactlyInAnyOrderElementsOf(PARTS);
        assertThat(pids(doc)).isEqualTo(pidsBefore);

        // a sample stored before down: the backend's request counters at a moment t0 when they had a value, read
        // again once every scrape that began before t0 has surely been stored
        String expr = "sum(http_requests_total{job=\"exlm-backend\"})";
        JsonNode now = LocalStack.awaitJson(Duration.ofSeconds(30), "the backend's counters in Prometheus", () -> query(expr),
                d -> d.path("data").path("result").size() == 1);
        String at = now.path("data").path("result").get(0).path("value").get(0).asText();
        // the backend's scrapes are stored one after another: once one stamped after t0 is in, none before t0 is
        // still on its way
        LocalStack.awaitJson(Duration.ofSeconds(60), "a scrape of the backend stamped after " + at,
                () -> query("timestamp(up{job=\"exlm-backend\"}) > " + at),
                d -> d.path("data").path("result").size() == 1);
        JsonNode before = JSON.readTree(get(prometheus + "/api/v1/query?query=" + enc(expr) + "&time=" + at));
        assertThat(before.path("data").path("result").size()).as(before.toString()).isEqualTo(1);
        String value = before.path("data").path("result").get(0).path("value").get(1).asText();

        Cli.Result down = exlm(Duration.ofSeconds(60), "down");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        for (Map.Entry<String, Long> p : pidsBefore.entrySet()) {
            assertThat(ProcessHandle.of(p.getValue()).map(ProcessHandle::isAlive).orElse(false))
                    .as(p.getKey() + " pid " + p.getValue() + " after down").isFalse();
        }
        assertThat(stackProcesses()).as("processes listening on the stack's ports after down").isEmpty();
        for (String part : PARTS) {
            try (ServerSocket s = new ServerSocket(ports.get(part), 1, InetAddress.getByName("127.0.0.1"))) {
                assertThat(s.isBound()).as(part + "'s port is free").isTrue();
            }
        }
        Cli.Result stopped = exlm(Duration.ofSeconds(60), "status", "-o", "json");
        assertThat(stopped.exitCode()).isEqualTo(1);
        assertThat(JSON.readTree(stopped.out()).path("running").asInt()).isZero();
        assertThat(Files.isDirectory(stateDir.resolve("local/data/prometheus"))).as("data kept").isTrue();

        Cli.Result up = exlm(Duration.ofSeconds(150), "up", "--runtime", "local", "--wait", "-o", "json");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        assertThat(names(JSON.readTree(up.out()).path("started"))).containsExactlyInAnyOrderElementsOf(PARTS);
        JsonNode after = JSON.readTree(get(prometheus + "/api/v1/query?query=" + enc(expr) + "&time=" + at));
        assertThat(after.path("data").path("result").size()).as(after.toString()).isEqualTo(1);
        assertThat(after.path("data").path("result").get(0).path("value").get(1).asText())
                .as("the sample stored before down, read after the next up").isEqualTo(value);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Cli.Result exlm(Duration timeout, String... args) throws Exception {
        return stack.exlm(timeout, args);
    }

    /** Processes whose command line holds one of the stack's listen addresses. */
    static List<ProcessHandle> stackProcesses() {
        return stack.stackProcesses();
    }

    static Map<String, String> targetHealth(JsonNode doc) {
        Map<String, String> m = new HashMap<>();
        for (JsonNode t : doc.path("data").path("activeTargets")) {
            m.merge(t.path("labels").path("job").asText(), t.path("health").asText(),
                    (a, b) -> a.equals("up") && b.equals("up") ? "up" : "down");
        }
        return m;
    }

    static Map<String, JsonNode> parts(JsonNode doc) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode p : doc.path("parts")) {
            m.put(p.path("name").asText(), p);
        }
        return m;
    }

    static Map<String, Long> pids(JsonNode doc) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (JsonNode p : doc.path("parts")) {
            if (!p.path("pid").isNull() && !p.path("pid").isMissingNode()) {
                m.put(p.path("name").asText(), p.path("pid").asLong());
            }
        }
        return m;
    }

    static List<String> names(JsonNode array) {
        List<String> l = new ArrayList<>();
        array.forEach(n -> l.add(n.asText()));
        return l;
    }

    static List<String> union(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    static String query(String expr) throws Exception {
        return get(prometheus + "/api/v1/query?query=" + enc(expr));
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    static JsonNode getJson(String url) throws Exception {
        return JSON.readTree(get(url));
    }
}
