package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Golden;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.ScriptedHealth;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine-readable outputs of the commands ({@code -o json}, {@code -o junit}, {@code -o csv}) on fixed inputs,
 * held byte for byte: key order, nulls, number formats and escapes are the contract. Only what a run cannot repeat
 * is blanked: the test servers' ports (named by role), the temporary directory, and measured times (the
 * {@code *_ms} fields, JUnit's {@code time} attributes, and {@code N ms} in a summary). The recorded answers are in
 * the format the real Prometheus and Alertmanager APIs answer in. Rewrite with {@code -Dexlm.golden.update=true},
 * check the diff, and document the change as the fix it is.
 */
class CommandGoldenTest {
    @TempDir
    Path tmp;

    // ------------------------------------------------------------------------------------------ health

    @Test
    void healthJUnit() throws Exception {
        try (ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK),
                "/api/v1/health/live", List.of(new ScriptedHealth.Answer(200, "{\"status\":\"alive\","
                        + "\"uptime_seconds\":42.0,\"pid\":1}")), "/api/v1/health/ready",
                List.of(ScriptedHealth.READY_DB_DOWN), "/api/v1/health/metrics", List.of(new ScriptedHealth.Answer(
                        200, "{\"cpu_usage_percent\":12.5,\"memory_usage_percent\":40.0,\"disk_usage_percent\":55.5,"
                                + "\"synthetic\":false}"))))) {
            Cli.Result r = Cli.exec("health", "--backend-url", backend.url(), "-o", "junit");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            golden("health-once.xml", r.out(), Map.of(backend.url(), "BACKEND"));
        }
    }

    // ------------------------------------------------------------------------------------------ doctor

    /** Prometheus and Alertmanager up, a backend whose database is down and that serves no /metrics, no Grafana. */
    private Cli.Result doctor(String format) throws Exception {
        try (FaultServer prometheus = new FaultServer((req, out, sock) -> {
            if (req.path().startsWith("/-/healthy")) {
                FaultServer.respond(out, 200, "text/plain; charset=utf-8", "Prometheus Server is Healthy.\n");
            } else if (req.path().startsWith("/-/ready")) {
                FaultServer.respond(out, 200, "text/plain; charset=utf-8", "Prometheus Server is Ready.\n");
            } else {
                FaultServer.respond(out, 404, "text/plain; charset=utf-8", "404 page not found\n");
            }
        });
                FaultServer alertmanager = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                        "text/plain; charset=utf-8", "OK"));
                ScriptedHealth backend = new ScriptedHealth(Map.of("/api/v1/health",
                        List.of(ScriptedHealth.BASIC_OK), "/api/v1/health/live", List.of(new ScriptedHealth.Answer(
                                200, "{\"status\":\"alive\",\"uptime_seconds\":42.0,\"pid\":1}")),
                        "/api/v1/health/ready", List.of(ScriptedHealth.READY_DB_DOWN)))) {
            String grafana = "http://127.0.0.1:" + Ports.closed();
            Cli.Result r = Cli.exec("doctor", "--check", "prometheus.ready", "--check", "alertmanager.ready",
                    "--check", "backend", "--check", "grafana.health", "--prometheus-url", prometheus.url(),
                    "--alertmanager-url", alertmanager.url(), "--backend-url", backend.url(), "--grafana-url", grafana,
                    "-o", format);
            Map<String, String> roles = new LinkedHashMap<>();
            roles.put(prometheus.url(), "PROMETHEUS");
            roles.put(alertmanager.url(), "ALERTMANAGER");
            roles.put(backend.url(), "BACKEND");
            roles.put(grafana, "GRAFANA");
            return new Cli.Result(r.exitCode(), normalise(r.out(), roles), r.err());
        }
    }

    @Test
    void doctorJson() throws Exception {
        Cli.Result r = doctor("json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        golden("doctor.json", r.out(), Map.of());
    }

    @Test
    void doctorJUnit() throws Exception {
        Cli.Result r = doctor("junit");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        golden("doctor.xml", r.out(), Map.of());
    }

    @Test
    void doctorListChecksJson() throws Exception {
        Cli.Result r = Cli.exec("doctor", "--list-checks", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        golden("doctor-list-checks.json", r.out(), Map.of());
    }

    // ------------------------------------------------------------------------------------------ query

    private static final String VECTOR = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"localhost:9090\",\"job\":\"prometheus\"},"
            + "\"value\":[1767780000.123,\"1\"]},"
            + "{\"metric\":{\"__name__\":\"up\",\"instance\":\"backend:8000\",\"job\":\"exlm-backend\","
            + "\"note\":\"a \\\"quoted\\\", comma\"},\"value\":[1767780000.123,\"0.25\"]},"
            + "{\"metric\":{\"job\":\"node\"},\"value\":[1767780000.123,\"NaN\"]},"
            + "{\"metric\":{\"job\":\"inf\"},\"value\":[1767780000.123,\"+Inf\"]}]}}";
    private static final String MATRIX = "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
            + "{\"metric\":{\"__name__\":\"http_requests_total\",\"job\":\"exlm-backend\",\"status\":\"200\"},"
            + "\"values\":[[1767779940,\"10\"],[1767779970,\"12.5\"],[1767780000,\"1e+21\"]]},"
            + "{\"metric\":{\"__name__\":\"http_requests_total\",\"job\":\"exlm-backend\",\"status\":\"500\"},"
            + "\"values\":[[1767779970,\"-Inf\"],[1767780000,\"0.001\"]]}]}}";

    private Cli.Result query(String... args) throws Exception {
        try (FaultServer prometheus = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", req.path().startsWith("/api/v1/query_range") ? MATRIX : VECTOR))) {
            String[] all = new String[args.length + 2];
            System.arraycopy(args, 0, all, 0, args.length);
            all[args.length] = "--prometheus-url";
            all[args.length + 1] = prometheus.url();
            Cli.Result r = Cli.exec(all);
            return new Cli.Result(r.exitCode(), normalise(r.out(), Map.of(prometheus.url(), "PROMETHEUS")), r.err());
        }
    }

    @Test
    void queryInstant() throws Exception {
        Cli.Result json = query("query", "up", "--time", "1767780000.123", "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        golden("query-instant.json", json.out(), Map.of());
        Cli.Result now = query("query", "up", "-o", "json");
        assertThat(now.exitCode()).as(now.toString()).isZero();
        golden("query-instant-now.json", now.out(), Map.of());
        Cli.Result csv = query("query", "up", "-o", "csv");
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        golden("query-instant.csv", csv.out(), Map.of());
    }

    @Test
    void queryRange() throws Exception {
        Cli.Result json = query("query", "rate(http_requests_total[5m])", "--range", "1m", "--step", "30s", "--time",
                "2026-01-07T10:00:00Z", "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        golden("query-range.json", json.out(), Map.of());
        Cli.Result csv = query("query", "rate(http_requests_total[5m])", "--range", "1m", "--step", "30s", "--time",
                "2026-01-07T10:00:00Z", "-o", "csv");
        assertThat(csv.exitCode()).as(csv.toString()).isZero();
        golden("query-range.csv", csv.out(), Map.of());
    }

    // ------------------------------------------------------------------------------------------ alerts

    private static final String PROMETHEUS_ALERTS = "{\"status\":\"success\",\"data\":{\"alerts\":["
            + "{\"labels\":{\"alertname\":\"HighCpuUsage\",\"instance\":\"node:9100\",\"job\":\"node\","
            + "\"severity\":\"warning\"},\"annotations\":{\"summary\":\"CPU above 80 %\",\"description\":\"CPU is"
            + " 93 %\"},\"state\":\"firing\",\"activeAt\":\"2026-01-07T09:58:12.345678901Z\",\"value\":"
            + "\"9.3e+01\"},"
            + "{\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"backend:8000\",\"job\":\"exlm-backend\","
            + "\"severity\":\"critical\"},\"annotations\":{\"summary\":\"Error rate above 5 %\"},\"state\":"
            + "\"firing\",\"activeAt\":\"2026-01-07T09:59:00Z\",\"value\":\"1.6e-01\"},"
            + "{\"labels\":{\"alertname\":\"DiskSpaceLow\",\"instance\":\"node:9100\",\"job\":\"node\"},"
            + "\"annotations\":{},\"state\":\"pending\",\"activeAt\":\"2026-01-07T09:59:30Z\",\"value\":"
            + "\"9.1e+01\"},"
            + "{\"labels\":{\"alertname\":\"Strange\",\"severity\":\"info\"},\"annotations\":{},\"state\":"
            + "\"bogus\",\"activeAt\":\"2026-01-07T09:59:45Z\",\"value\":\"1e+00\"}]}}";
    /**
     * /api/v1/rules as Prometheus writes it, the guide's alerts loaded in one group, the health of rule {@code only}
     * (of every rule when null) {@code health}, its lastError {@code error}, the others ok; those of {@code absent}
     * left out.
     */
    static String rules(String health, String only, String error, String... absent) {
        List<String> rules = new java.util.ArrayList<>();
        rules.add("{\"name\":\"job:http_requests:rate5m\",\"query\":\"sum(rate(http_requests_total[5m]))\","
                + "\"health\":\"ok\",\"lastError\":\"\",\"type\":\"recording\"}");
        for (String a : io.exlm.mon.stack.StackFiles.alertNames()) {
            if (!List.of(absent).contains(a)) {
                rules.add("{\"state\":\"inactive\",\"name\":\"" + a + "\",\"query\":\"x > 1\",\"duration\":300,"
                        + "\"labels\":{},\"annotations\":{},\"alerts\":[],\"health\":\""
                        + (only == null || only.equals(a) ? health : "ok") + "\",\"lastError\":\""
                        + (error == null || !(only == null || only.equals(a)) ? "" : error)
                        + "\",\"type\":\"alerting\"}");
            }
        }
        return "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"exlm\",\"file\":"
                + "\"/etc/prometheus/rules/exlm-alerts.yml\",\"rules\":[" + String.join(",", rules) + "],"
                + "\"interval\":15,\"lastEvaluation\":\"2026-01-07T10:00:00Z\"}]}}";
    }

    private static final String RULES = rules("ok", null, null);

    /** The fake Prometheus's time(): 2026-01-07T10:00:00Z, the clock the alerts' ages are read on. */
    private static final String TIME = "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":"
            + "[1767780000,\"1767780000\"]}}";

    /** A fake Prometheus: {@code alerts} at /api/v1/alerts, {@code rules} at /api/v1/rules, {@link #TIME}. */
    private static FaultServer prometheus(String alerts, String rules) throws java.io.IOException {
        return new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                req.path().startsWith("/api/v1/rules") ? rules : req.path().startsWith("/api/v1/query") ? TIME
                        : alerts));
    }

    private static final String SILENCES = "[{\"id\":\"2c8a7f4e-1b3d-4c5e-9f6a-7b8c9d0e1f2a\",\"status\":{\"state\":"
            + "\"active\"},\"updatedAt\":\"2026-01-07T09:00:00.000Z\",\"comment\":\"node maintenance\",\"createdBy\":"
            + "\"ops\",\"endsAt\":\"2026-01-07T12:00:00.000Z\",\"startsAt\":\"2026-01-07T09:00:00.000Z\","
            + "\"matchers\":[{\"isEqual\":true,\"isRegex\":false,\"name\":\"alertname\",\"value\":\"HighCpuUsage\"},"
            + "{\"isEqual\":true,\"isRegex\":true,\"name\":\"instance\",\"value\":\"node:.*\"}]},"
            + "{\"id\":\"9f0e1d2c-3b4a-5968-7a6b-5c4d3e2f1a0b\",\"status\":{\"state\":\"expired\"},\"updatedAt\":"
            + "\"2026-01-06T09:00:00.000Z\",\"comment\":\"old\",\"createdBy\":\"ops\",\"endsAt\":"
            + "\"2026-01-06T10:00:00.000Z\",\"startsAt\":\"2026-01-06T09:00:00.000Z\",\"matchers\":[{\"isEqual\":"
            + "true,\"isRegex\":false,\"name\":\"job\",\"value\":\"node\"}]},"
            + "{\"id\":\"0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9\",\"status\":{\"state\":\"pending\"},\"updatedAt\":"
            + "\"2026-01-07T09:00:00.000Z\",\"comment\":\"deploy\",\"createdBy\":\"ci\",\"endsAt\":"
            + "\"2026-01-08T11:00:00.000Z\",\"startsAt\":\"2026-01-08T10:00:00.000Z\",\"matchers\":[{\"isEqual\":"
            + "false,\"isRegex\":false,\"name\":\"severity\",\"value\":\"critical\"}]}]";
    private static final String AM_ALERTS = "[{\"annotations\":{\"summary\":\"CPU above 80 %\"},\"endsAt\":"
            + "\"2026-01-07T10:04:12.345Z\",\"fingerprint\":\"3a1f0b2c4d5e6f70\",\"receivers\":[{\"name\":"
            + "\"webhook\"}],\"startsAt\":\"2026-01-07T09:58:12.345Z\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":"
            + "[\"2c8a7f4e-1b3d-4c5e-9f6a-7b8c9d0e1f2a\"],\"state\":\"suppressed\"},\"updatedAt\":"
            + "\"2026-01-07T10:00:12.345Z\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=x\",\"labels\":"
            + "{\"alertname\":\"HighCpuUsage\",\"instance\":\"node:9100\",\"job\":\"node\",\"severity\":"
            + "\"warning\"}},"
            + "{\"annotations\":{\"summary\":\"Error rate above 5 %\"},\"endsAt\":\"2026-01-07T10:04:00.000Z\","
            + "\"fingerprint\":\"7b6a5c4d3e2f1a09\",\"receivers\":[{\"name\":\"webhook\"}],\"startsAt\":"
            + "\"2026-01-07T09:59:00.000Z\",\"status\":{\"inhibitedBy\":[],\"silencedBy\":[],\"state\":\"active\"},"
            + "\"updatedAt\":\"2026-01-07T10:00:00.000Z\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=y\","
            + "\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"backend:8000\",\"job\":\"exlm-backend\","
            + "\"severity\":\"critical\"}}]";

    @Test
    void alertsFromPrometheusWithSilences() throws Exception {
        try (FaultServer prometheus = prometheus(PROMETHEUS_ALERTS, RULES);
                FaultServer am = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                        "application/json", SILENCES))) {
            Cli.Result r = Cli.exec("alerts", "--prometheus-url", prometheus.url(), "--alertmanager-url", am.url(),
                    "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            golden("alerts-prometheus.json", r.out(), Map.of(prometheus.url(), "PROMETHEUS", am.url(),
                    "ALERTMANAGER"));
        }
    }

    @Test
    void alertsFromPrometheusWhenAlertmanagerIsDown() throws Exception {
        try (FaultServer prometheus = prometheus(PROMETHEUS_ALERTS, RULES)) {
            String am = "http://127.0.0.1:" + Ports.closed();
            Cli.Result r = Cli.exec("alerts", "--prometheus-url", prometheus.url(), "--alertmanager-url", am, "-o",
                    "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            golden("alerts-prometheus-no-silences.json", r.out(), Map.of(prometheus.url(), "PROMETHEUS", am,
                    "ALERTMANAGER"));
            // in text, an Alertmanager that did not answer has silences unknown, not none
            Cli.Result text = Cli.exec("alerts", "--prometheus-url", prometheus.url(), "--alertmanager-url", am);
            assertThat(text.exitCode()).as(text.toString()).isZero();
            assertThat(text.out()).contains("silences unknown (Alertmanager did not answer)")
                    .doesNotContain("0 silences");
        }
    }

    @Test
    void alertsFromAlertmanager() throws Exception {
        try (FaultServer am = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                req.path().startsWith("/api/v2/silences") ? SILENCES : AM_ALERTS))) {
            Cli.Result r = Cli.exec("alerts", "--source", "alertmanager", "--alertmanager-url", am.url(),
                    "--fail-if-firing", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            golden("alerts-alertmanager.json", r.out(), Map.of(am.url(), "ALERTMANAGER"));
        }
    }

    /**
     * The Watchdog always fires (stack/prometheus/rules/exlm-meta.yml): a CI gate must not fail on it, and does on a
     * real alert beside it.
     */
    @Test
    void failIfFiringIgnoresTheWatchdogOnly() throws Exception {
        String watchdog = "{\"labels\":{\"alertname\":\"Watchdog\",\"severity\":\"none\"},\"annotations\":{},"
                + "\"state\":\"firing\",\"activeAt\":\"2026-01-07T09:00:00Z\",\"value\":\"1e+00\"}";
        String errors = "{\"labels\":{\"alertname\":\"HighErrorRate\",\"instance\":\"backend:8000\",\"severity\":"
                + "\"critical\"},\"annotations\":{},\"state\":\"firing\",\"activeAt\":\"2026-01-07T09:59:00Z\","
                + "\"value\":\"1.6e-01\"}";
        for (boolean withErrors : new boolean[] {false, true}) {
            String body = "{\"status\":\"success\",\"data\":{\"alerts\":[" + watchdog + (withErrors ? "," + errors
                    : "") + "]}}";
            try (FaultServer prometheus = prometheus(body, RULES)) {
                Cli.Result r = Cli.exec("alerts", "--prometheus-url", prometheus.url(), "--alertmanager-url",
                        "http://127.0.0.1:" + Ports.closed(), "--fail-if-firing", "-o", "json");
                assertThat(r.exitCode()).as(r.toString()).isEqualTo(withErrors ? 1 : 0);
                assertThat(r.out()).contains("\"firing\" : " + (withErrors ? 2 : 1));
            }
        }
    }

    /**
     * Nothing firing is green only when the rules that would fire are loaded and evaluate: a gate on a Prometheus
     * whose HighErrorRate rule errs at every evaluation, or that lacks some of the guide's alerts, is red; one whose
     * rules cannot be read cannot tell (3). Without the gate the alerts are read (0) and the text says it.
     */
    @Test
    void failIfFiringIsNotGreenWhenTheRulesCannotFire() throws Exception {
        String watchdog = "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":{\"alertname\":\"Watchdog\","
                + "\"severity\":\"none\"},\"annotations\":{},\"state\":\"firing\",\"activeAt\":"
                + "\"2026-01-07T09:00:00Z\",\"value\":\"1e+00\"}]}}";
        String am = "http://127.0.0.1:" + Ports.closed();
        String failing = rules("err", "HighErrorRate", "found duplicate series for the match group {instance=\\\"a\\\"}");
        try (FaultServer broken = prometheus(watchdog, failing)) {
            Cli.Result gate = Cli.exec("alerts", "--prometheus-url", broken.url(), "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
            assertThat(gate.err()).contains("exlm's alerts cannot all fire: rule failing: HighErrorRate",
                    "found duplicate series", "doctor --check prometheus.rules");
            assertThat(gate.out()).contains("1 firing, 0 pending", "warning: exlm's alerts cannot all fire");
            Cli.Result json = Cli.exec("alerts", "--prometheus-url", broken.url(), "--alertmanager-url", am, "-o",
                    "json");
            assertThat(json.exitCode()).as(json.toString()).isZero();
            golden("alerts-prometheus-rules-failing.json", json.out(), Map.of(broken.url(), "PROMETHEUS", am,
                    "ALERTMANAGER"));
        }
        try (FaultServer partial = prometheus(watchdog, rules("ok", null, null, "HighErrorRate", "ServiceDown"))) {
            Cli.Result gate = Cli.exec("alerts", "--prometheus-url", partial.url(), "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
            assertThat(gate.err()).contains("not loaded: HighErrorRate, ServiceDown");
        }
        try (FaultServer noRules = new FaultServer((req, out, sock) -> {
            if (req.path().startsWith("/api/v1/rules")) {
                FaultServer.respond(out, 503, "text/plain", "rules unavailable");
            } else {
                FaultServer.respond(out, 200, "application/json", watchdog);
            }
        })) {
            Cli.Result gate = Cli.exec("alerts", "--prometheus-url", noRules.url(), "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(3);
            assertThat(gate.err()).contains("Prometheus's rules unknown");
            Cli.Result read = Cli.exec("alerts", "--prometheus-url", noRules.url(), "--alertmanager-url", am);
            assertThat(read.exitCode()).as(read.toString()).isZero();
        }
        // rules loaded but not evaluated yet (a young stack) fail nothing
        try (FaultServer young = prometheus(watchdog, rules("unknown", null, null))) {
            Cli.Result gate = Cli.exec("alerts", "--prometheus-url", young.url(), "--alertmanager-url", am,
                    "--fail-if-firing");
            assertThat(gate.exitCode()).as(gate.toString()).isZero();
            assertThat(gate.out()).doesNotContain("warning");
        }
    }

    // ------------------------------------------------------------------------------------------ metrics check

    private static final String VALID = "# HELP http_requests_total Requests.\n# TYPE http_requests_total counter\n"
            + "http_requests_total{method=\"GET\",status=\"200\"} 1027\n"
            + "http_requests_total{method=\"GET\",status=\"500\"} 3\n"
            + "# HELP cpu_usage_percent CPU.\n# TYPE cpu_usage_percent gauge\ncpu_usage_percent 12.5\n"
            + "# TYPE latency_seconds histogram\nlatency_seconds_bucket{le=\"0.1\"} 1\n"
            + "latency_seconds_bucket{le=\"+Inf\"} 2\nlatency_seconds_sum 0.3\nlatency_seconds_count 2\n";
    private static final String INVALID = "# TYPE a counter\na 1\na 2\nb{x=\"1\" 3\n# TYPE c gauge\n"
            + "# TYPE c counter\nc -\nd 1 2 3 4\n";

    @Test
    void metricsCheckValid() throws Exception {
        Cli.Result r = new Cli().stdin(VALID.getBytes(StandardCharsets.UTF_8)).run("metrics", "check", "-", "-o",
                "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        golden("metrics-check-valid.json", r.out(), Map.of());
    }

    @Test
    void metricsCheckInvalidAndTheCatalog() throws Exception {
        Cli.Result r = new Cli().stdin(INVALID.getBytes(StandardCharsets.UTF_8)).run("metrics", "check", "-",
                "--max-problems", "3", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        golden("metrics-check-invalid.json", r.out(), Map.of());
        Cli.Result catalog = new Cli().stdin(VALID.getBytes(StandardCharsets.UTF_8)).run("metrics", "check", "-",
                "--catalog", "-o", "json");
        assertThat(catalog.exitCode()).as(catalog.toString()).isEqualTo(1);
        golden("metrics-check-catalog.json", catalog.out(), Map.of());
    }

    // ------------------------------------------------------------------------------------------ status, down

    @Test
    void downOfAShardedStackSaysItsTopology() throws Exception {
        Cli c = stack();
        for (String part : List.of("VMAGENT_0", "VMAGENT_1", "VMALERT")) {
            c.env("EXLM_" + part + "_URL", "http://127.0.0.1:" + Ports.closed());
        }
        Files.createDirectories(tmp.resolve("state"));
        Files.writeString(tmp.resolve("state").resolve("topology"), "sharded\n");
        Cli.Result text = c.run("down", "--runtime", "local");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).contains("stack down (local, sharded): 0 stopped;").contains("vmagent-0");
        Cli.Result json = c.run("down", "--runtime", "local", "-o", "json");
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out()).path("topology").asText())
                .isEqualTo("sharded");
        Files.delete(tmp.resolve("state").resolve("topology"));
        Cli.Result single = stack().run("down", "--runtime", "local");
        assertThat(single.out()).contains("stack down (local): 0 stopped;");
    }

    /** Nothing running: the state under the test's directory, every part on a closed port, nothing on the PATH. */
    private Cli stack() throws Exception {
        Cli c = new Cli().env("EXLM_STACK_STATE_DIR", tmp.resolve("state").toString()).env("PATH",
                Files.createDirectories(tmp.resolve("bin")).toString());
        for (String part : List.of("PROMETHEUS", "ALERTMANAGER", "PUSHGATEWAY", "GRAFANA", "NODE_EXPORTER",
                "POSTGRES_EXPORTER", "REDIS_EXPORTER")) {
            String url = "http://127.0.0.1:" + Ports.closed();
            parts.put(url, part);
            c.env("EXLM_" + part + "_URL", url);
        }
        return c;
    }

    /** The parts' addresses of the last {@link #stack()}, to their names. */
    private final Map<String, String> parts = new LinkedHashMap<>();

    @Test
    void statusOfNothing() throws Exception {
        Cli.Result r = stack().run("status", "--runtime", "local", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        golden("status-nothing.json", r.out(), parts);
    }

    @Test
    void downOfNothing() throws Exception {
        Cli.Result r = stack().run("down", "--runtime", "local", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        golden("down-nothing.json", r.out(), parts);
        Cli.Result purge = stack().run("down", "--runtime", "local", "--purge", "-o", "json");
        assertThat(purge.exitCode()).as(purge.toString()).isZero();
        golden("down-nothing-purge.json", purge.out(), parts);
    }

    // ------------------------------------------------------------------------------------------ helpers

    private void golden(String name, String out, Map<String, String> roles) throws Exception {
        Golden.assertMatches(name, normalise(out, roles), name);
    }

    /** Servers' addresses to their roles, the temporary directory to TMP, measured times to 0. */
    private String normalise(String out, Map<String, String> roles) {
        String s = out;
        for (Map.Entry<String, String> e : roles.entrySet()) {
            s = s.replace(e.getKey(), "http://127.0.0.1:" + e.getValue());
            s = s.replace(e.getKey().substring("http://".length()), "127.0.0.1:" + e.getValue());
        }
        s = s.replace(tmp.toString(), "TMP");
        s = s.replaceAll("(\"[a-z_]*_ms\" : )\\d+", "$10");
        s = s.replaceAll("time=\"\\d+\\.\\d+\"", "time=\"0.000\"");
        s = s.replaceAll("\\b\\d+ ms\\b", "0 ms");
        return s;
    }
}
