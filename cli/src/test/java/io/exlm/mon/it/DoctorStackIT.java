package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Ports;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * doctor, query and alerts against the real local stack ({@link LocalStack}: Debian's Prometheus, Alertmanager and
 * exporters, real PostgreSQL and Redis, the demo backend), brought up once for this class. The tests run in order
 * and each leaves the stack as the next needs it: healthy; the demo backend stopped; the demo backend again, in its
 * errors scenario, with the high-error-rate alert's {@code for:} shortened in the generated rule file only; and
 * last Prometheus stopped. Every process started here is stopped in {@link #stopEverything()}, also on failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static LocalStack stack;

    @BeforeAll
    static void bringUp() throws Exception {
        stack = LocalStack.up(tmp, "2s");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    static Map<String, JsonNode> checks(JsonNode doc) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode c : doc.path("checks")) {
            m.put(c.path("id").asText(), c);
        }
        return m;
    }

    /** Every target UP, every rule evaluated, every panel of the dashboard with data: what a healthy stack is. */
    static void awaitSettled() throws Exception {
        JsonNode dashboard = JSON.readTree(Launcher.root().resolve("stack/grafana/dashboards/exlm-overview.json")
                .toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        LocalStack.awaitJson(Duration.ofSeconds(90), "every target UP, rule evaluated and panel with data",
                () -> LocalStack.get(stack.prometheus() + "/api/v1/targets?state=active"), targets -> {
                    for (JsonNode t : targets.path("data").path("activeTargets")) {
                        if (!t.path("health").asText().equals("up")) {
                            return false;
                        }
                    }
                    for (JsonNode g : LocalStack.getJson(stack.prometheus() + "/api/v1/rules").path("data")
                            .path("groups")) {
                        for (JsonNode r : g.path("rules")) {
                            if (!r.path("health").asText().equals("ok")) {
                                return false;
                            }
                        }
                    }
                    for (String e : exprs) {
                        if (JSON.readTree(stack.query(e)).path("data").path("result").isEmpty()) {
                            return false;
                        }
                    }
                    return targets.path("data").path("activeTargets").size() == 7;
                });
    }

    // ------------------------------------------------------------------------------------------- must-show 1

    @Test
    @Order(1)
    void healthyStackEveryCheckOkOrSkippedWithAReasonInTextJsonAndJUnitAlike() throws Exception {
        awaitSettled();
        // a stack seconds old has checks still warming up (history.disk-capacity needs two scrapes of Prometheus
        // itself): doctor --wait waits until every check has settled, then the three reports are of a settled stack
        Cli.Result json = stack.exlm(Duration.ofSeconds(120), "doctor", "--wait", "60s", "-o", "json");
        // -v: every check in full, the ok ones too (without it they are a count per group)
        Cli.Result text = stack.exlm(Duration.ofSeconds(60), "doctor", "-v");
        Cli.Result junit = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "junit");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(junit.exitCode()).as(junit.toString()).isZero();
        assertThat(json.err()).isEmpty();

        JsonNode doc = JSON.readTree(json.out());
        Map<String, JsonNode> c = checks(doc);
        assertThat(c).hasSizeGreaterThanOrEqualTo(27);
        for (JsonNode check : c.values()) {
            String id = check.path("id").asText();
            String status = check.path("status").asText();
            if (id.startsWith("host.") && status.equals("warn")) {
                // this shared machine may really be busy; a warning must then be what its figures say
                assertThat(check.path("summary").asText()).as(id).contains("above");
                continue;
            }
            assertThat(status).as(id + ": " + check).isIn("ok", "skip");
            if (status.equals("skip") && id.equals("prometheus.remote-write")) {
                // this stack sends nothing anywhere (RemoteWriteIT has one that does)
                assertThat(check.path("summary").asText()).isEqualTo("Prometheus has no remote_write in its"
                        + " configuration");
            } else if (status.equals("skip")) {
                assertThat(id).startsWith("grafana.");
                assertThat(check.path("summary").asText()).as(id).isNotBlank();
            }
        }
        JsonNode grafana = c.get("grafana.health");
        assertThat(grafana.path("status").asText()).isEqualTo("skip");
        assertThat(grafana.path("summary").asText()).contains("Grafana does not answer at " + stack.grafana()
                + " (connection refused)", "not installed on this machine");
        assertThat(c.get("grafana.datasource").path("summary").asText())
                .isEqualTo("needs grafana.health, which was skipped");
        assertThat(c.get("prometheus.targets").path("summary").asText()).startsWith("all 7 targets UP");
        assertThat(c.get("prometheus.rules").path("figures").path("missing_alerts")).isEmpty();
        assertThat(c.get("prometheus.scrape-interval").path("figures").path("expected").asText()).isEqualTo("2s");
        assertThat(c.get("prometheus.config").path("figures").path("checked_with").asText())
                .startsWith("promtool check config " + stack.stateDir());
        assertThat(c.get("backend.catalog").path("summary").asText()).startsWith("all 15 catalog metrics");
        assertThat(c.keySet()).contains("nodata.system-state", "nodata.http-traffic", "nodata.jobs", "nodata.errors");
        assertThat(doc.path("exit_code").asInt()).isZero();

        // the text says the same: a line per check with its mark, and the summary's counts
        Map<String, String> marks = Map.of("ok", "[ ok ]", "warn", "[WARN]", "fail", "[FAIL]", "skip", "[skip]");
        for (JsonNode check : c.values()) {
            String id = check.path("id").asText();
            if (id.startsWith("host.")) {
                continue; // measured again by the text run: CPU and memory move
            }
            assertThat(text.out()).as(id).contains(marks.get(check.path("status").asText()) + " " + id + " ");
        }
        JsonNode counts = doc.path("counts");
        Matcher m = Pattern.compile("summary: (\\d+) ok, (\\d+) warn, (\\d+) fail, (\\d+) skip \\((\\d+) checks in")
                .matcher(text.out());
        assertThat(m.find()).as(text.out()).isTrue();
        assertThat(Integer.parseInt(m.group(1)) + Integer.parseInt(m.group(2)))
                .isEqualTo(counts.path("ok").asInt() + counts.path("warn").asInt());
        assertThat(Integer.parseInt(m.group(3))).isZero();
        assertThat(Integer.parseInt(m.group(4))).isEqualTo(counts.path("skip").asInt());
        assertThat(Integer.parseInt(m.group(5))).isEqualTo(c.size());
        assertThat(text.out()).contains("): passed");

        // JUnit XML: well-formed, one testcase per check, skipped where JSON says skip, no failure
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(junit.out().getBytes(StandardCharsets.UTF_8)));
        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        Element suite = (Element) suites.getElementsByTagName("testsuite").item(0);
        NodeList cases = suite.getElementsByTagName("testcase");
        assertThat(cases.getLength()).isEqualTo(c.size());
        assertThat(Integer.parseInt(suite.getAttribute("tests"))).isEqualTo(c.size());
        assertThat(Integer.parseInt(suite.getAttribute("failures"))).isZero();
        assertThat(Integer.parseInt(suite.getAttribute("errors"))).isZero();
        assertThat(Integer.parseInt(suite.getAttribute("skipped"))).isEqualTo(counts.path("skip").asInt());
        assertThat(suite.getElementsByTagName("failure").getLength()).isZero();
        assertThat(suite.getElementsByTagName("skipped").getLength()).isEqualTo(counts.path("skip").asInt());
        assertThat(Double.parseDouble(suite.getAttribute("time"))).isGreaterThan(0);
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            JsonNode check = c.get(tc.getAttribute("name"));
            assertThat(check).as(tc.getAttribute("name")).isNotNull();
            assertThat(tc.getAttribute("classname")).isEqualTo("exlm-mon.doctor." + check.path("group").asText());
            boolean skipped = tc.getElementsByTagName("skipped").getLength() == 1;
            if (!tc.getAttribute("name").startsWith("host.")) {
                assertThat(skipped).as(tc.getAttribute("name")).isEqualTo(check.path("status").asText()
                        .equals("skip"));
            }
        }
    }

    @Test
    @Order(2)
    void listChecksAndSelection() throws Exception {
        Cli.Result list = stack.cli("doctor", "--list-checks", "-o", "json");
        assertThat(list.exitCode()).isZero();
        assertThat(JSON.readTree(list.out()).path("checks").size()).isEqualTo(checks(JSON.readTree(
                stack.cli("doctor", "-o", "json").out())).size());
        Cli.Result one = stack.cli("doctor", "--check", "prometheus.rules", "-o", "json");
        assertThat(checks(JSON.readTree(one.out())).keySet()).containsExactly("prometheus.healthy",
                "prometheus.ready", "prometheus.rules");
        // without promtool on the PATH (this run's environment has none), the running configuration is what counts
        JsonNode config = checks(JSON.readTree(stack.cli("doctor", "--check", "prometheus.config", "-o", "json")
                .out())).get("prometheus.config");
        assertThat(config.path("status").asText()).isEqualTo("ok");
        assertThat(config.path("figures").path("checked_with").asText()).isEqualTo("the running configuration"
                + " (/api/v1/status/config; promtool is not installed)");
        // the guide's 15 s against this stack's test interval: a warning that says both, and --strict fails on it
        Cli.Result guide = stack.cli("doctor", "--check", "prometheus.scrape-interval", "--expect-scrape-interval",
                "15s", "-o", "json");
        assertThat(guide.exitCode()).isZero();
        JsonNode interval = checks(JSON.readTree(guide.out())).get("prometheus.scrape-interval");
        assertThat(interval.path("status").asText()).isEqualTo("warn");
        assertThat(interval.path("summary").asText()).isEqualTo("global scrape_interval is 2s; jobs scraped at another"
                + " interval: alertmanager every 2s, exlm-backend every 2s, node every 2s, postgres every 2s,"
                + " prometheus every 2s, pushgateway every 2s, redis every 2s; expected 15s (--expect-scrape-interval)");
        assertThat(interval.path("remediation").asText()).startsWith("set global.scrape_interval: 15s");
        assertThat(stack.cli("doctor", "--check", "prometheus.scrape-interval", "--expect-scrape-interval", "15s",
                "--strict").exitCode()).isEqualTo(1);
        Cli.Result bad = stack.cli("doctor", "--check", "prometheus.nope");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("no check or group 'prometheus.nope'");
    }

    // ------------------------------------------------------------------------------------------------ query

    /**
     * Every real exporter's body, in the text format and in OpenMetrics where it offers it: exlm-mon's metrics check
     * and promtool check metrics give the same verdict, and both accept what Prometheus scrapes as up.
     */
    @Test
    @Order(2)
    void everyExportersBodyIsJudgedAsPromtoolJudgesIt() throws Exception {
        Map<String, Integer> ports = stack.ports();
        Map<String, String> targets = new LinkedHashMap<>();
        targets.put("node_exporter", "http://127.0.0.1:" + ports.get("node-exporter") + "/metrics");
        targets.put("redis_exporter", "http://127.0.0.1:" + ports.get("redis-exporter") + "/metrics");
        targets.put("postgres_exporter", "http://127.0.0.1:" + ports.get("postgres-exporter") + "/metrics");
        targets.put("pushgateway", stack.pushgateway() + "/metrics");
        targets.put("alertmanager", stack.alertmanager() + "/metrics");
        targets.put("prometheus", stack.prometheus() + "/metrics");
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
        List<String> wrong = new ArrayList<>();
        int judged = 0;
        for (Map.Entry<String, String> t : targets.entrySet()) {
            for (String accept : List.of("text/plain;version=0.0.4", "application/openmetrics-text;version=1.0.0")) {
                java.net.http.HttpResponse<byte[]> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(t.getValue())).header("Accept", accept).timeout(Duration.ofSeconds(10))
                        .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).as(t.getValue()).isEqualTo(200);
                String type = r.headers().firstValue("Content-Type").orElse("");
                boolean om = type.startsWith("application/openmetrics-text");
                if (accept.startsWith("application") && !om) {
                    continue; // this exporter speaks the text format only
                }
                io.exlm.mon.testing.BodyVerdicts.Verdict v = io.exlm.mon.testing.BodyVerdicts.judge(t.getKey()
                        + (om ? " (OpenMetrics)" : " (text)"), r.body(), om ? "openmetrics" : "prometheus");
                judged++;
                // promtool reads the text format; an OpenMetrics body is held to exlm-mon's verdict alone
                if (v.exlm().exitCode() != 0 || !om && !v.agree()) {
                    wrong.add(v.toString());
                }
                if (t.getKey().equals("redis_exporter") && !om) {
                    // Redis 7's latency percentiles: quantile="50", "99.9", which Prometheus ingests
                    assertThat(v.exlm().out()).as(v.toString()).contains("warning: quantile=\"99.9\"");
                }
            }
        }
        assertThat(wrong).as("bodies on which exlm-mon and promtool disagree, or that exlm-mon rejects").isEmpty();
        assertThat(judged).isGreaterThanOrEqualTo(targets.size());
    }

    @Test
    @Order(3)
    void queryAsTableJsonCsvAndChart() throws Exception {
        Cli.Result table = stack.exlm(Duration.ofSeconds(60), "query", "up");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("SERIES", "VALUE", "up{instance=\"127.0.0.1:" + stack.ports().get("prometheus")
                + "\", job=\"prometheus\"}", "7 series (vector)");

        JsonNode json = JSON.readTree(stack.cli("query", "sum by (job) (up)", "-o", "json").out());
        assertThat(json.path("result_type").asText()).isEqualTo("vector");
        assertThat(json.path("series")).hasSize(7);
        assertThat(json.path("series").get(0).path("value").asDouble()).isEqualTo(1.0);

        Cli.Result csv = stack.cli("query", "up{job=\"node\"}", "-o", "csv");
        List<String> rows = csv.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("__name__,instance,job,timestamp,value");
        assertThat(rows.get(1)).matches("up,127\\.0\\.0\\.1:\\d+,node,\\d+(\\.\\d+)?,1");

        Cli.Result range = stack.cli("query", "sum(rate(http_requests_total{job=\"exlm-backend\"}[10s]))", "--range",
                "30s", "--step", "2s", "--width", "70", "--height", "8");
        assertThat(range.exitCode()).as(range.toString()).isZero();
        List<String> lines = range.out().lines().toList();
        assertThat(lines.get(0)).contains("(30s at 2s steps)");
        assertThat(lines.stream().filter(l -> l.contains(" |")).count()).as(range.out()).isEqualTo(8);
        assertThat(lines.get(lines.size() - 1)).startsWith("* {}  last ");
        JsonNode rangeJson = JSON.readTree(stack.cli("query", "up{job=\"node\"}", "--range", "6s", "--step", "2s",
                "-o", "json").out());
        assertThat(rangeJson.path("result_type").asText()).isEqualTo("matrix");
        assertThat(rangeJson.path("step_seconds").asDouble()).isEqualTo(2.0);
        // a point every 2 s up to the end (fewer than 4 while the series is younger than the range)
        JsonNode values = rangeJson.path("series").get(0).path("values");
        assertThat(values.size()).as(rangeJson.toString()).isBetween(1, 4);
        for (int i = 1; i < values.size(); i++) {
            assertThat(values.get(i).get(0).asDouble() - values.get(i - 1).get(0).asDouble()).isEqualTo(2.0,
                    org.assertj.core.data.Offset.offset(0.001));
        }
        assertThat(values.get(values.size() - 1).get(0).asDouble()).isEqualTo(
                java.time.Instant.parse(rangeJson.path("end").asText()).toEpochMilli() / 1000.0,
                org.assertj.core.data.Offset.offset(0.001));
        assertThat(stack.cli("query", "up", "--range", "1m", "-o", "csv").out().lines().count()).isGreaterThan(7);

        Cli.Result invalid = stack.cli("query", "sum(");
        assertThat(invalid.exitCode()).isEqualTo(2);
        assertThat(invalid.err()).contains("Prometheus refused the query", "parse error");
        Cli.Result junit = stack.cli("query", "up", "-o", "junit");
        assertThat(junit.exitCode()).isEqualTo(2);
        assertThat(stack.cli("health", "-o", "csv").err()).contains("-o csv is not available here");
        Cli.Result nowhere = new Cli().run("query", "up", "--prometheus-url", "http://127.0.0.1:" + Ports.closed());
        assertThat(nowhere.exitCode()).isEqualTo(3);
        assertThat(nowhere.err()).contains("connection refused");
    }

    // ------------------------------------------------------------------------------------------- must-show 2

    @Test
    @Order(4)
    void demoBackendStoppedItsTargetIsDownWithConnectionRefusedAndTheFix() throws Exception {
        stack.stopDemo();
        LocalStack.awaitJson(Duration.ofSeconds(30), "the backend target DOWN",
                () -> LocalStack.get(stack.prometheus() + "/api/v1/targets?state=active"), d -> {
                    for (JsonNode t : d.path("data").path("activeTargets")) {
                        if (t.path("labels").path("job").asText().equals("exlm-backend")) {
                            return t.path("health").asText().equals("down");
                        }
                    }
                    return false;
                });
        Cli.Result r = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(JSON.readTree(r.out()));
        JsonNode targets = c.get("prometheus.targets");
        assertThat(targets.path("status").asText()).isEqualTo("fail");
        JsonNode down = targets.path("figures").path("down_targets");
        assertThat(down).hasSize(1);
        assertThat(down.get(0).path("job").asText()).isEqualTo("exlm-backend");
        assertThat(down.get(0).path("cause_kind").asText()).isEqualTo("refused");
        assertThat(down.get(0).path("cause").asText()).isEqualTo("connection refused: nothing listens on "
                + stack.demoUrl().substring(7));
        assertThat(down.get(0).path("error").asText()).contains("connection refused");
        assertThat(targets.path("remediation").asText()).contains("start the exlm backend", "--backend-url URL");
        assertThat(c.get("backend.live").path("status").asText()).isEqualTo("fail");
        assertThat(c.get("backend.ready").path("summary").asText()).isEqualTo("needs backend.live, which failed");
        assertThat(c.get("prometheus.healthy").path("status").asText()).isEqualTo("ok");

        Cli.Result text = stack.exlm(Duration.ofSeconds(60), "doctor", "--check", "prometheus.targets");
        assertThat(text.out().replaceAll("\\s+", " ")).contains("[FAIL] prometheus.targets", "DOWN exlm-backend " + stack.demoUrl()
                .substring(7) + ": connection refused", "fix: exlm-backend: start the exlm backend");
    }

    // ------------------------------------------------------------------------------------------- must-show 5

    @Test
    @Order(5)
    void highErrorRateGoesPendingThenFiringAndFailIfFiringExitsOne() throws Exception {
        // test-only: the generated copy of the rule file, never stack/, gets a 20 s for: instead of 5m
        Path rules = stack.stateDir().resolve("local/config/prometheus/rules/exlm-alerts.yml");
        String yaml = Files.readString(rules);
        int rule = yaml.indexOf("- alert: HighErrorRate");
        int forAt = yaml.indexOf("for: 5m", rule);
        assertThat(rule).isPositive();
        assertThat(forAt).isGreaterThan(rule);
        Files.writeString(rules, yaml.substring(0, forAt) + "for: 20s" + yaml.substring(forAt + 7));
        new ProcessBuilder("kill", "-HUP", String.valueOf(stack.pid("prometheus"))).start().waitFor();
        LocalStack.awaitJson(Duration.ofSeconds(30), "HighErrorRate reloaded with for: 20s",
                () -> LocalStack.get(stack.prometheus() + "/api/v1/rules?type=alert"),
                d -> duration(d, "HighErrorRate") == 20);
        assertThat(Files.readString(Launcher.root().resolve("stack/prometheus/rules/exlm-alerts.yml")))
                .as("stack/ untouched").contains("for: 5m");

        stack.startDemo("errors");
        String seenPending = null;
        String seenFiring = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (seenFiring == null && System.nanoTime() < deadline) {
            Cli.Result r = stack.cli("alerts", "-o", "json");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            for (JsonNode a : JSON.readTree(r.out()).path("alerts")) {
                if (a.path("name").asText().equals("HighErrorRate")) {
                    if (a.path("state").asText().equals("pending") && seenPending == null) {
                        seenPending = r.out();
                    }
                    if (a.path("state").asText().equals("firing")) {
                        seenFiring = r.out();
                    }
                }
            }
            Thread.sleep(1000);
        }
        assertThat(seenPending).as("HighErrorRate seen pending").isNotNull();
        assertThat(seenFiring).as("HighErrorRate seen firing after pending").isNotNull();
        JsonNode firing = JSON.readTree(seenFiring);
        assertThat(firing.path("firing").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode alert = null;
        for (JsonNode a : firing.path("alerts")) {
            if (a.path("name").asText().equals("HighErrorRate")) {
                alert = a;
            }
        }
        assertThat(alert.path("severity").asText()).isEqualTo("critical");
        assertThat(alert.path("labels").path("instance").asText()).isEqualTo(stack.demoUrl().substring(7));
        assertThat(Double.parseDouble(alert.path("value").asText())).isGreaterThan(0.05);

        Cli.Result gate = stack.exlm(Duration.ofSeconds(60), "alerts", "--fail-if-firing");
        assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
        assertThat(gate.out()).contains("firing", "HighErrorRate", "critical", "of requests to");
        assertThat(stack.exlm(Duration.ofSeconds(60), "alerts").exitCode()).isZero();
        // the shipped rules all load and evaluate on the real stack: its gate's red is the alert's, not theirs
        JsonNode ruleHealth = JSON.readTree(stack.cli("alerts", "-o", "json").out()).path("rules");
        assertThat(ruleHealth.path("missing").toString()).as(ruleHealth.toString()).isEqualTo("[]");
        assertThat(ruleHealth.path("failing").toString()).as(ruleHealth.toString()).isEqualTo("[]");

        // Alertmanager has it too; alerts silence add makes a silence that the real Alertmanager applies, and
        // expire ends it
        LocalStack.awaitJson(Duration.ofSeconds(30), "HighErrorRate in Alertmanager",
                () -> stack.cli("alerts", "--source", "alertmanager", "-o", "json").out(),
                d -> d.toString().contains("\"name\":\"HighErrorRate\""));
        Cli.Result add = stack.cli("alerts", "silence", "add", "HighErrorRate", "--duration", "2h", "--comment",
                "known", "--author", "DoctorStackIT", "-o", "json");
        assertThat(add.exitCode()).as(add.toString()).isZero();
        JsonNode added = JSON.readTree(add.out());
        String id = added.path("silence").path("id").asText();
        assertThat(added.path("silence").path("state").asText()).isEqualTo("active");
        assertThat(added.path("silence").path("created_by").asText()).isEqualTo("DoctorStackIT");
        assertThat(added.path("silences_now").toString()).contains("\"name\":\"HighErrorRate\"");
        JsonNode silenced = JSON.readTree(stack.cli("alerts", "-o", "json").out());
        for (JsonNode a : silenced.path("alerts")) {
            if (a.path("name").asText().equals("HighErrorRate")) {
                assertThat(a.path("silenced_by").toString()).isEqualTo("[\"" + id + "\"]");
            }
        }
        assertThat(silenced.path("silences").get(0).path("matchers").get(0).asText())
                .isEqualTo("alertname=\"HighErrorRate\"");
        JsonNode am = LocalStack.awaitJson(Duration.ofSeconds(30), "HighErrorRate suppressed in Alertmanager",
                () -> stack.cli("alerts", "--source", "alertmanager", "-o", "json").out(),
                d -> d.toString().contains("\"silenced_by\":[\"" + id + "\"]"));
        assertThat(am.path("silenced").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(stack.cli("alerts", "silence", "list").out()).contains(id, "active", "DoctorStackIT", "known");

        Cli.Result expire = stack.cli("alerts", "silence", "expire", id);
        assertThat(expire.exitCode()).as(expire.toString()).isZero();
        assertThat(expire.out()).startsWith("expired " + id);
        LocalStack.awaitJson(Duration.ofSeconds(30), "HighErrorRate no longer silenced in Alertmanager",
                () -> stack.cli("alerts", "--source", "alertmanager", "-o", "json").out(),
                d -> {
                    boolean seen = false;
                    for (JsonNode a : d.path("alerts")) {
                        if (a.path("name").asText().equals("HighErrorRate")) {
                            seen = true;
                            if (!a.path("silenced_by").isEmpty()) {
                                return false;
                            }
                        }
                    }
                    return seen;
                });
        assertThat(stack.cli("alerts", "silence", "list").out()).doesNotContain(id);
        assertThat(stack.cli("alerts", "silence", "list", "--expired").out()).contains(id, "expired");
    }

    private static int duration(JsonNode rules, String name) {
        for (JsonNode g : rules.path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                if (r.path("name").asText().equals(name)) {
                    return r.path("duration").asInt();
                }
            }
        }
        return -1;
    }

    @Test
    @Order(6)
    void aBrokenConfigurationFileFailsPromtoolAndItsReload() throws Exception {
        // test-only: the generated prometheus.yml, never stack/, gets a line Prometheus cannot read
        Path config = stack.stateDir().resolve("local/config/prometheus/prometheus.yml");
        Files.writeString(config, Files.readString(config).replace("scrape_configs:", "scrape_configs:\n- job_name:"
                + " broken\n  scrape_interval: soon"));
        new ProcessBuilder("kill", "-HUP", String.valueOf(stack.pid("prometheus"))).start().waitFor();
        LocalStack.awaitJson(Duration.ofSeconds(30), "the failed reload",
                () -> LocalStack.get(stack.prometheus() + "/api/v1/status/runtimeinfo"),
                d -> !d.path("data").path("reloadConfigSuccess").asBoolean(true));
        Cli.Result r = stack.exlm(Duration.ofSeconds(60), "doctor", "--check", "prometheus.config", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode c = checks(JSON.readTree(r.out())).get("prometheus.config");
        assertThat(c.path("status").asText()).isEqualTo("fail");
        assertThat(c.path("summary").asText()).startsWith("promtool finds the configuration invalid: FAILED:")
                .contains("soon");
        assertThat(c.path("remediation").asText()).contains("correct " + config, "promtool check config",
                "its last reload failed, so Prometheus still runs the configuration it loaded at");
        assertThat(c.path("figures").path("reload_success").asBoolean()).isFalse();
    }

    @Test
    @Order(7)
    void redisThenPostgresStoppedTheirExportersStayUpAndDoctorNamesEachDown() throws Exception {
        stack.stopRedis();
        LocalStack.awaitJson(Duration.ofSeconds(60), "redis_up 0 in Prometheus", () -> stack.query("redis_up"),
                q -> q.path("data").path("result").size() == 1 && q.path("data").path("result").get(0)
                        .path("value").get(1).asText().equals("0"));
        Cli.Result r = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "json", "--check", "dependencies",
                "--check", "prometheus.targets");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(JSON.readTree(r.out()));
        // the exporter answers its scrape, so its target is UP, while what it watches is down
        assertThat(c.get("prometheus.targets").path("status").asText()).isIn("ok", "warn");
        JsonNode redis = c.get("dependencies.redis");
        assertThat(redis.path("status").asText()).as(redis.toString()).isEqualTo("fail");
        assertThat(redis.path("summary").asText()).startsWith("Redis is down: 1 of 1 redis-exporter report redis_up 0");
        assertThat(redis.path("remediation").asText()).contains("start Redis", "redis.url");
        assertThat(c.get("dependencies.postgres").path("status").asText()).isEqualTo("ok");

        stack.stopPostgres();
        LocalStack.awaitJson(Duration.ofSeconds(60), "pg_up 0 in Prometheus", () -> stack.query("pg_up"),
                q -> q.path("data").path("result").size() == 1 && q.path("data").path("result").get(0)
                        .path("value").get(1).asText().equals("0"));
        Cli.Result both = stack.exlm(Duration.ofSeconds(60), "doctor", "--check", "dependencies");
        assertThat(both.exitCode()).as(both.toString()).isEqualTo(1);
        assertThat(both.out().replaceAll("\\s+", " ")).contains("[FAIL] dependencies.postgres", "PostgreSQL is down: 1 of 1",
                "pg_up 0", "[FAIL] dependencies.redis", "Redis is down");
    }

    // ------------------------------------------------------------------------------------------- must-show 2

    @Test
    @Order(8)
    void prometheusStoppedItsChecksFailWithRemediationsAndTheirDependentsAreSkipped() throws Exception {
        ProcessHandle prometheus = ProcessHandle.of(stack.pid("prometheus")).orElseThrow();
        prometheus.destroy();
        prometheus.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);

        Cli.Result r = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        Map<String, JsonNode> c = checks(JSON.readTree(r.out()));
        JsonNode healthy = c.get("prometheus.healthy");
        assertThat(healthy.path("status").asText()).isEqualTo("fail");
        assertThat(healthy.path("summary").asText()).isEqualTo("Prometheus does not answer at " + stack.prometheus()
                + " (connection refused)");
        // the stack was brought up with --runtime local: that, not docker compose nor a plain up, starts it again
        assertThat(healthy.path("remediation").asText()).startsWith("Prometheus is not running at "
                + stack.prometheus() + ": start it: exlm-mon up --runtime local;").contains("--prometheus-url")
                .doesNotContain("docker compose");
        assertThat(c.get("prometheus.ready").path("summary").asText())
                .isEqualTo("needs prometheus.healthy, which failed");
        for (String id : List.of("prometheus.targets", "prometheus.config", "prometheus.scrape-interval",
                "prometheus.rules", "prometheus.alertmanager", "prometheus.tsdb", "nodata.system-state",
                "nodata.http-traffic", "nodata.jobs", "nodata.errors")) {
            assertThat(c.get(id).path("status").asText()).as(id).isEqualTo("skip");
            assertThat(c.get(id).path("summary").asText()).as(id).isEqualTo("needs prometheus.ready, which was"
                    + " skipped");
        }
        // what does not need Prometheus still runs
        assertThat(c.get("backend.live").path("status").asText()).isEqualTo("ok");
        assertThat(c.get("alertmanager.ready").path("status").asText()).isEqualTo("ok");

        Cli.Result text = stack.exlm(Duration.ofSeconds(60), "doctor", "--check", "prometheus", "--check",
                "backend.live");
        assertThat(text.exitCode()).isEqualTo(1);
        // what Prometheus not answering stopped is listed under it, as one line of ids
        assertThat(text.out().replaceAll("\\s+", " ")).contains("[FAIL] prometheus.healthy",
                "fix: Prometheus is not running at", "[skip] not run because of it: prometheus.ready,"
                + " prometheus.targets,", "): failed");
        // asked about Prometheus alone, nothing could be reached at all: exit 3, and a line on stderr that says so
        Cli.Result alone = stack.exlm(Duration.ofSeconds(60), "doctor", "--check", "prometheus");
        assertThat(alone.exitCode()).isEqualTo(3);
        assertThat(alone.out().replaceAll("\\s+", " ")).contains("): nothing could be reached");
        assertThat(alone.err()).startsWith("exlm-mon: nothing could be reached: Prometheus " + stack.prometheus());
        // alerts and query need Prometheus: exit 3, one line
        Cli.Result alerts = stack.cli("alerts");
        assertThat(alerts.exitCode()).isEqualTo(3);
        assertThat(alerts.err().strip().lines().count()).isEqualTo(1);
    }
}
