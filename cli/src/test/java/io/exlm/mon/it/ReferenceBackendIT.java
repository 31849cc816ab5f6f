package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.testing.BodyVerdicts;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Polls;
import io.exlm.mon.testing.LoopbackPrometheus;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backend that is not ours: FastAPI with the official Python client, from Debian's packages (test resource
 * {@code reference-backend/app.py}). Two single-process replicas and one backend of two uvicorn workers in the
 * client's multiprocess mode (every gauge with a pid label), all three behind a real Prometheus. The host figures
 * are the highest instance's, never a sum; the other gauges combine as SPEC.md's table says; the Grafana dashboard's
 * queries give the terminal's figures for the same data.
 */
class ReferenceBackendIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    /** HTTP/1.1 only: uvicorn's h11 does not take the h2c upgrade that the JDK's client offers by default. */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : started) {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
    }

    private static void requirePython() throws Exception {
        boolean ok = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
                "import fastapi, uvicorn, prometheus_client").start().waitFor() == 0;
        String hint = "Debian's python3-fastapi, python3-uvicorn and python3-prometheus-client are not installed;"
                + " the test command (scripts/test) installs them";
        if (!ok) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(hint);
            }
            Assumptions.abort(hint);
        }
    }

    /** Starts the reference backend; workers > 1 runs the client's multiprocess mode. */
    private String backend(int workers, Map<String, String> figures) throws Exception {
        Path app = dir.resolve("app.py");
        if (!Files.exists(app)) {
            try (InputStream in = ReferenceBackendIT.class.getResourceAsStream("/reference-backend/app.py")) {
                Files.copy(in, app);
            }
        }
        int port = Ports.free();
        List<String> cmd = new ArrayList<>(List.of(PYTHON.toString(), "-m", "uvicorn", "app:app", "--host",
                "127.0.0.1", "--port", String.valueOf(port), "--log-level", "warning"));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("backend-" + port + ".log").toFile());
        pb.environment().putAll(figures);
        if (workers > 1) {
            cmd.addAll(List.of("--workers", String.valueOf(workers)));
            pb.command(cmd);
            Path mp = Files.createDirectories(dir.resolve("multiproc-" + port));
            pb.environment().put("PROMETHEUS_MULTIPROC_DIR", mp.toString());
        }
        Process p = pb.start();
        started.add(p);
        String url = "http://127.0.0.1:" + port;
        // every worker has set its gauges once both pids are in the body
        await(Duration.ofSeconds(60), () -> get(url + "/metrics").split("cpu_usage_percent\\{pid=|cpu_usage_percent ",
                -1).length - 1 >= workers, p);
        for (int i = 0; i < 4; i++) {
            get(url + "/api/v1/models"); // some traffic, so that the HTTP metrics have series
        }
        return url;
    }

    private static String get(String url) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static byte[] fetch(String url, String accept) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", accept)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static void await(Duration timeout, BooleanSupplier condition, Process p) throws InterruptedException {
        Polls.await(timeout, condition, p, "the process");
    }

    private static Map<String, String> figures(double cpu, double memory, double disk, int users, int sockets) {
        Map<String, String> m = new HashMap<>();
        m.put("REF_CPU", String.valueOf(cpu));
        m.put("REF_MEMORY", String.valueOf(memory));
        m.put("REF_DISK", String.valueOf(disk));
        m.put("REF_USERS", String.valueOf(users));
        m.put("REF_SOCKETS", String.valueOf(sockets));
        m.put("REF_PENDING", "3");
        return m;
    }

    @Test
    void replicasAndWorkersBehindARealPrometheus() throws Exception {
        requirePython();
        Tools.require("prometheus");
        String a = backend(1, figures(61, 40, 23.6, 5, 2));
        String b = backend(1, figures(57, 45, 30.1, 7, 3));
        String c = backend(2, figures(44, 50, 23.6, 6, 1)); // two workers: each reports the host and its users

        // the multiprocess backend scraped directly: one host, not two
        Cli.Result scrape = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--backend-url", c, "-o",
                "json");
        assertThat(scrape.exitCode()).as(scrape.toString()).isZero();
        JsonNode s = JSON.readTree(scrape.out());
        assertThat(s.at("/derived/cpu_percent").asDouble()).isEqualTo(44.0);
        assertThat(s.at("/derived/active_users").asDouble()).isEqualTo(6.0);
        assertThat(s.at("/derived/websocket_connections").asDouble()).isEqualTo(2.0);
        assertThat(s.at("/gauges/cpu_usage_percent/processes").asInt()).isEqualTo(2);
        assertThat(s.get("missing")).as("every catalog metric from the official client").isEmpty();
        Cli.Result health = Launcher.run(Duration.ofSeconds(60), Map.of(), "health", "--backend-url", c);
        assertThat(health.exitCode()).as(health.toString()).isZero();
        assertThat(health.out()).contains("database ok · redis ok");
        // doctor's backend checks against one process and against two workers; health and doctor against a replica
        // whose Redis is down (the common FastAPI readiness shape: booleans, HTTP 503)
        for (String backend : List.of(a, c)) {
            Cli.Result doctor = Launcher.run(Duration.ofSeconds(60), Map.of(), "doctor", "--check", "backend",
                    "--backend-url", backend, "-o", "json");
            assertThat(doctor.exitCode()).as(doctor.toString()).isZero();
            JsonNode checks = JSON.readTree(doctor.out()).get("checks");
            assertThat(checks).extracting(x -> x.get("status").asText()).as(doctor.out()).containsOnly("ok");
            assertThat(checks).extracting(x -> x.get("id").asText()).contains("backend.ready", "backend.catalog");
        }
        Map<String, String> noRedis = figures(20, 30, 40, 1, 0);
        noRedis.put("REF_READY", "database");
        String sick = backend(1, noRedis);
        Cli.Result notReady = Launcher.run(Duration.ofSeconds(60), Map.of(), "health", "--backend-url", sick, "-o",
                "json");
        assertThat(notReady.exitCode()).as(notReady.toString()).isEqualTo(1);
        assertThat(JSON.readTree(notReady.out()).at("/checks/2/failed_dependencies").toString())
                .isEqualTo("[\"redis\"]");
        Cli.Result doctorNotReady = Launcher.run(Duration.ofSeconds(60), Map.of(), "doctor", "--check",
                "backend.ready", "--backend-url", sick);
        assertThat(doctorNotReady.exitCode()).as(doctorNotReady.toString()).isEqualTo(1);
        assertThat(doctorNotReady.out()).contains("redis");

        Cli.Result gate = Launcher.run(Duration.ofSeconds(60), Map.of(), "top", "--once", "--backend-url", c,
                "--interval", "250ms", "--fail-on-alert", "-o", "json");
        assertThat(gate.exitCode()).as("44 % on one host is no alert: " + gate).isZero();

        // the official client's bodies, text and OpenMetrics, one process and multiprocess (a histogram's _sum
        // before its buckets there): exlm-mon's metrics check and promtool agree, and both accept them
        for (String[] body : List.of(new String[] {"python text", a, "text/plain"},
                new String[] {"python openmetrics", a, "application/openmetrics-text; version=1.0.0"},
                new String[] {"python multiprocess text", c, "text/plain"})) {
            byte[] bytes = fetch(body[1] + "/metrics", body[2]);
            BodyVerdicts.Verdict v = BodyVerdicts.judge(body[0], bytes, "auto");
            assertThat(v.exlm().exitCode()).as(v.toString()).isZero();
            if (body[0].contains("multiprocess")) {
                // several handlers' histograms, every _sum first: in pieces, which Prometheus accepts
                assertThat(v.exlm().out()).as(v.toString()).contains("warning: the samples of"
                        + " http_request_duration_seconds").contains("are not together");
            }
            if (!body[0].contains("openmetrics")) {
                // promtool reads the text format only
                assertThat(v.agree()).as(v.toString()).isTrue();
            } else {
                assertThat(v.exlm().out()).as(v.toString()).contains("valid OpenMetrics exposition");
            }
        }

        int port = Ports.free();
        Process prometheus = LoopbackPrometheus.start(dir, port, Map.of("exlm-backend", List.of(a.substring(7),
                b.substring(7), c.substring(7))));
        started.add(prometheus);
        String url = "http://127.0.0.1:" + port;
        try (HttpLayer http = new HttpLayer(new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(3),
                64 << 20, 0, List.of(), null, null, null, null, null, false, line -> { }))) {
            PrometheusClient client = new PrometheusClient(http, url);
            // two scrapes of every process, not one: with one sample a rate has nothing to read yet, and the
            // document rightly says "fewer than two samples in the window" rather than how much it covers
            await(Duration.ofSeconds(60), () -> count(client,
                    "count_over_time(cpu_usage_percent{job=\"exlm-backend\"}[5m]) >= 2") == 4, prometheus);

            Cli.Result promql = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source", "prometheus",
                    "--prometheus-url", url, "--window", "5m", "-o", "json");
            assertThat(promql.exitCode()).as(promql.toString()).isZero();
            JsonNode d = JSON.readTree(promql.out()).get("derived");
            // Prometheus is seconds old: its 5m window is far from full, and the document says so and by how much
            JsonNode doc = JSON.readTree(promql.out());
            assertThat(doc.has("window_covered_seconds")).as(promql.out()).isTrue();
            assertThat(doc.get("window_covered_seconds").asDouble()).isPositive().isLessThan(120.0);
            assertThat(doc.at("/reasons/window").asText()).startsWith("the 5m window holds only ")
                    .contains("rates over it read about");
            assertThat(d.get("cpu_percent").asDouble()).isEqualTo(61.0); // not 61 + 57 + 44 + 44
            assertThat(d.get("memory_percent").asDouble()).isEqualTo(50.0);
            assertThat(d.get("disk_percent").asDouble()).isEqualTo(30.1);
            assertThat(d.get("active_users").asDouble()).isEqualTo(5 + 7 + 6); // instances added, workers not
            assertThat(d.get("websocket_connections").asDouble()).isEqualTo(2 + 3 + 1 + 1);
            assertThat(d.get("celery_pending").asDouble()).isEqualTo(3.0); // one broker
            JsonNode cpu = JSON.readTree(promql.out()).at("/gauges/cpu_usage_percent");
            assertThat(cpu.get("instances").asInt()).isEqualTo(3);
            assertThat(cpu.get("processes").asInt()).isEqualTo(4);
            assertThat(cpu.at("/per_instance/" + b.substring(7)).asDouble()).isEqualTo(57.0);

            Cli.Result top = Launcher.run(Duration.ofSeconds(60), Map.of(), "top", "--once", "--source",
                    "prometheus", "--prometheus-url", url, "--fail-on-alert", "-o", "json");
            assertThat(top.exitCode()).as("no instance breaches: " + top).isZero();
            JsonNode panels = JSON.readTree(top.out()).get("panels");
            assertThat(panels.at("/cpu/figures/0/value").asDouble()).isEqualTo(61.0);
            assertThat(panels.at("/cpu/figures/0/label").asText()).isEqualTo("max of 3 instances");
            assertThat(panels.at("/disk/figures/0/value").asDouble()).isEqualTo(30.1);
            // every gauge panel says how many instances its figure covers
            assertThat(panels.at("/users/figures/0/label").asText()).isEqualTo("users (sum of 3 instances)");
            assertThat(panels.at("/users/figures/0/value").asDouble()).isEqualTo(18.0);
            assertThat(panels.at("/celery/figures/0/label").asText()).isEqualTo("pending (max of 3 instances)");
            assertThat(panels.at("/in_progress/figures/0/label").asText()).isEqualTo("(sum of 3 instances)");

            // the Grafana dashboard's own queries, through the same Prometheus, give the terminal's figures
            JsonNode dash = JSON.readTree(Launcher.root().resolve("stack/grafana/dashboards/exlm-overview.json")
                    .toFile());
            Map<String, Double> terminal = Map.of("cpu_usage_percent", 61.0, "memory_usage_percent", 50.0,
                    "active_users", 18.0, "active_websocket_connections", 7.0, "celery_tasks_pending", 3.0,
                    "celery_tasks_active", 1.0);
            int compared = 0;
            for (JsonNode e : dash.findValues("expr")) {
                for (Map.Entry<String, Double> t : terminal.entrySet()) {
                    if (e.asText().contains(t.getKey() + "{")) {
                        QueryResult r = client.query(e.asText(), null);
                        assertThat(r.series()).as(e.asText()).hasSize(1);
                        assertThat(r.series().get(0).value()).as("Grafana: " + e.asText())
                                .isCloseTo(t.getValue(), within(1e-9));
                        compared++;
                    }
                }
            }
            assertThat(compared).isEqualTo(terminal.size());

            // error rate and latency: traffic with 5xx answers on one replica, once every target has been scraped,
            // then the terminal's figures beside the dashboard's queries over the same 5m window
            // (a series' first sample is not an increase: the 5xx series must exist before the traffic counted)
            get(b + "/api/v1/fail");
            await(Duration.ofSeconds(60), () -> value(client, "sum(http_requests_total{job=\"exlm-backend\","
                    + "status=\"5xx\"})") >= 1, prometheus);
            for (int i = 0; i < 6; i++) {
                get(a + "/api/v1/models");
                get(b + "/api/v1/fail");
            }
            get(b + "/api/v1/models");
            await(Duration.ofSeconds(60), () -> value(client, "sum(http_requests_total{job=\"exlm-backend\","
                    + "status=\"5xx\"})") >= 7 && value(client, "min(count_over_time(up{job=\"exlm-backend\"}[1m]))")
                    >= 4, prometheus);
            Cli.Result windowed = Launcher.run(Duration.ofSeconds(60), Map.of(), "metrics", "--source",
                    "prometheus", "--prometheus-url", url, "--window", "5m", "-o", "json");
            assertThat(windowed.exitCode()).as(windowed.toString()).isZero();
            JsonNode w = JSON.readTree(windowed.out());
            double terminalRatio = w.at("/derived/error_ratio").asDouble();
            double terminalP95 = w.at("/latency_seconds/p95").asDouble();
            String errorExpr = null;
            String p95Expr = null;
            for (JsonNode e : dash.findValues("expr")) {
                if (e.asText().contains("status=~\"5..\"")) {
                    errorExpr = e.asText();
                } else if (e.asText().startsWith("histogram_quantile(0.95")) {
                    p95Expr = e.asText();
                }
            }
            // Grafana's queries at the instant the terminal's figures hold
            java.time.Instant at = java.time.Instant.ofEpochMilli(w.get("time_ms").asLong());
            double grafanaRatio = client.query(errorExpr, at).series().get(0).value();
            double grafanaP95 = client.query(p95Expr, at).series().get(0).value();
            assertThat(terminalRatio).as("error ratio, terminal against Grafana's " + errorExpr)
                    .isGreaterThan(0.3).isCloseTo(grafanaRatio, within(1e-9));
            assertThat(terminalP95).as("p95, terminal against Grafana's " + p95Expr)
                    .isCloseTo(grafanaP95, within(1e-9));
        }
    }

    private static double value(PrometheusClient client, String expr) {
        try {
            QueryResult r = client.query(expr, null);
            return r.isEmpty() ? Double.NaN : r.series().get(0).value();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static int count(PrometheusClient client, String selector) {
        try {
            return client.query(selector, null).series().size();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
