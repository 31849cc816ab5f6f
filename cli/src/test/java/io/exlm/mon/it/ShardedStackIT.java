package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Tools;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sharded topology from Debian's real binaries: {@code up --runtime local --topology sharded --wait} (two vmagent
 * members, VictoriaMetrics, vmalert, with the same exporters, Pushgateway and Alertmanager as the single stack),
 * beside a single-Prometheus stack ({@code up --runtime local --wait}) scraping the same demo backend, which runs the
 * errors scenario from the start: HighErrorRate's 5 minutes of {@code for:} (the shipped rule's) run while the other
 * tests compare the two stacks. Every process started here is stopped in {@link #stopEverything()}, also on failure.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShardedStackIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The jobs of the members' scrape configuration: the backend's and exporters', and the monitoring's own. */
    private static final Set<String> JOBS = Set.of("exlm-backend", "node", "postgres", "redis", "alertmanager",
            "pushgateway", "victoria-metrics", "vmagent", "vmalert");
    /** The checks whose subject is the same in both topologies (the store's own disk and TSDB are not). */
    private static final Set<String> SHARED_CHECKS = Set.of("prometheus.healthy", "prometheus.ready",
            "prometheus.targets", "prometheus.config", "prometheus.scrape-interval", "prometheus.rules",
            "prometheus.alertmanager", "alertmanager.ready", "backend.live", "backend.health", "backend.ready",
            "backend.metrics", "backend.catalog", "dependencies.postgres", "dependencies.redis",
            "nodata.system-state", "nodata.http-traffic", "nodata.jobs", "nodata.errors", "history.flapping",
            "history.cardinality");

    @TempDir
    static Path tmp;

    static LocalStack sharded;
    static LocalStack single;

    @BeforeAll
    static void bringUp() throws Exception {
        for (String tool : List.of("victoria-metrics", "vmagent", "vmalert")) {
            Tools.require(tool);
        }
        sharded = LocalStack.prepare(tmp.resolve("sharded"), "2s");
        // the errors scenario from the start: HighErrorRate's for: runs while the other tests compare the stacks
        sharded.stopDemo();
        sharded.startDemo("errors");
        sharded.startStack("--topology", "sharded");
        single = LocalStack.prepare(tmp.resolve("single"), "2s");
        single.stopDemo(); // it scrapes the sharded stack's backend: one backend, two topologies
        single.useBackend(sharded.demoUrl());
        single.startStack();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        try {
            if (single != null) {
                single.close();
            }
        } finally {
            if (sharded != null) {
                sharded.close();
            }
        }
    }

    private static String url(String part) {
        return "http://127.0.0.1:" + sharded.ports().get(part);
    }

    // ------------------------------------------------------------------------------------------------- topology

    @Test
    @Order(1)
    void statusListsEveryPartOfTheShardedTopology() throws Exception {
        assertThat(sharded.firstUp().err()).contains("ready: 9 of 9 parts answer").contains("data flows");
        Cli.Result status = sharded.exlm(Duration.ofSeconds(60), "status", "-o", "json");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode doc = JSON.readTree(status.out());
        assertThat(doc.path("topology").asText()).isEqualTo("sharded");
        Map<String, String> states = new TreeMap<>();
        for (JsonNode p : doc.path("parts")) {
            states.put(p.path("name").asText(), p.path("state").asText());
        }
        assertThat(states).containsOnlyKeys("pushgateway", "node-exporter", "postgres-exporter", "redis-exporter",
                "alertmanager", "victoria-metrics", "vmagent-0", "vmagent-1", "vmalert", "grafana");
        states.forEach((part, state) -> assertThat(state).as(part).isEqualTo(part.equals("grafana") ? "skipped"
                : "running"));
    }

    @Test
    @Order(2)
    void theMembersSplitTheTargetsAndEveryTargetIsScrapedExactlyOnce() throws Exception {
        Map<String, Set<String>> byMember = new TreeMap<>();
        for (String member : List.of("vmagent-0", "vmagent-1")) {
            JsonNode t = LocalStack.awaitJson(Duration.ofSeconds(60), member + "'s targets all up",
                    () -> LocalStack.get(url(member) + "/api/v1/targets"), d -> {
                        for (JsonNode x : d.path("data").path("activeTargets")) {
                            if (!x.path("health").asText().equals("up")) {
                                return false;
                            }
                        }
                        return d.path("data").path("activeTargets").size() > 0;
                    });
            Set<String> mine = new TreeSet<>();
            for (JsonNode x : t.path("data").path("activeTargets")) {
                mine.add(x.path("labels").path("job").asText() + " " + x.path("labels").path("instance").asText());
            }
            byMember.put(member, mine);
        }
        Set<String> a = byMember.get("vmagent-0");
        Set<String> b = byMember.get("vmagent-1");
        assertThat(a).as("each member scrapes a share").isNotEmpty();
        assertThat(b).as("each member scrapes a share").isNotEmpty();
        assertThat(a).as("disjoint shares").doesNotContainAnyElementsOf(b);
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        Set<String> jobs = new TreeSet<>();
        all.forEach(t -> jobs.add(t.substring(0, t.indexOf(' '))));
        assertThat(jobs).isEqualTo(JOBS);
        assertThat(all).hasSize(JOBS.size() + 1); // vmagent's two members are two targets

        // in the store: one up series per target, and one sample per interval, not two
        JsonNode counts = LocalStack.awaitJson(Duration.ofSeconds(60), "an up series for every target",
                () -> sharded.query("count by (job, instance) (up)"),
                d -> d.path("data").path("result").size() == all.size());
        for (JsonNode r : counts.path("data").path("result")) {
            assertThat(r.path("value").get(1).asText()).as(r.path("metric").toString()).isEqualTo("1");
        }
        JsonNode samples = JSON.readTree(sharded.query("count_over_time(up{job=\"exlm-backend\"}[30s])"));
        // 30 s at 2 s is 15 scrapes (16 with the window's edges); a target scraped twice would have about 30
        assertThat(samples.path("data").path("result").get(0).path("value").get(1).asDouble()).isLessThanOrEqualTo(16);

        // and doctor says which member scrapes which
        Cli.Result doctor = sharded.exlm(Duration.ofSeconds(90), "doctor", "--check", "prometheus.targets", "-o",
                "json");
        JsonNode check = check(JSON.readTree(doctor.out()), "prometheus.targets");
        assertThat(check.path("status").asText()).as(doctor.toString()).isEqualTo("ok");
        JsonNode members = check.path("figures").path("members");
        assertThat(set(members.path("vmagent-0"))).isEqualTo(a);
        assertThat(set(members.path("vmagent-1"))).isEqualTo(b);
    }

    // ---------------------------------------------------------------------------------- the same verdicts

    @Test
    @Order(3)
    void topMetricsQueryAlertsAndDoctorGiveTheSameVerdictsAsTheSinglePrometheus() throws Exception {
        // both stacks have scraped the backend a few times and evaluated their rules: HighErrorRate is active in both
        for (LocalStack s : List.of(single, sharded)) {
            LocalStack.awaitJson(Duration.ofSeconds(90), "HighErrorRate active",
                    () -> LocalStack.get(s.prometheus() + "/api/v1/alerts"),
                    d -> d.toString().contains("\"alertname\":\"HighErrorRate\""));
        }
        Map<String, Object> want = new TreeMap<>();
        Map<String, Object> got = new TreeMap<>();
        // verdicts can differ for a moment (one stack evaluated a little later): poll until they agree, with a deadline
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            want = verdicts(single);
            got = verdicts(sharded);
            if (want.equals(got)) {
                break;
            }
        } while (System.nanoTime() < deadline);
        assertThat(got).isEqualTo(want);
    }

    /** The verdict fields of every read command against one stack, by command and field. */
    private static Map<String, Object> verdicts(LocalStack s) throws Exception {
        Map<String, Object> v = new TreeMap<>();
        Cli.Result top = s.exlm(Duration.ofSeconds(60), "top", "--once", "--source", "prometheus", "-o", "json");
        JsonNode t = JSON.readTree(top.out());
        v.put("top.exit", top.exitCode());
        v.put("top.status", t.path("status").asText());
        t.path("panels").fields().forEachRemaining(e -> v.put("top.panel." + e.getKey(),
                e.getValue().path("available").asBoolean() + " " + e.getValue().path("level").asText()));
        Cli.Result metrics = s.exlm(Duration.ofSeconds(60), "metrics", "--source", "prometheus", "-o", "json");
        JsonNode m = JSON.readTree(metrics.out());
        v.put("metrics.exit", metrics.exitCode());
        v.put("metrics.names", set(m.path("metrics").fieldNames()));
        v.put("metrics.missing", m.path("missing").toString());
        Cli.Result query = s.exlm(Duration.ofSeconds(60), "query", "-o", "json",
                "sum by (job) (up{job=\"exlm-backend\"})");
        v.put("query.exit", query.exitCode());
        v.put("query.result", JSON.readTree(query.out()).toString().contains("exlm-backend"));
        Cli.Result alerts = s.exlm(Duration.ofSeconds(60), "alerts", "-o", "json");
        v.put("alerts.exit", alerts.exitCode());
        Set<String> active = new TreeSet<>();
        collectAlertNames(JSON.readTree(alerts.out()), active);
        v.put("alerts.backend", active.contains("HighErrorRate") + " " + active.contains("Watchdog"));
        Cli.Result doctor = s.exlm(Duration.ofSeconds(120), "doctor", "-o", "json");
        JsonNode d = JSON.readTree(doctor.out());
        for (JsonNode c : d.path("checks")) {
            if (SHARED_CHECKS.contains(c.path("id").asText())) {
                v.put("doctor." + c.path("id").asText(), c.path("status").asText());
            }
        }
        return v;
    }

    private static void collectAlertNames(JsonNode n, Set<String> out) {
        if (n.isObject()) {
            if (n.has("alertname") && n.get("alertname").isTextual()) {
                out.add(n.get("alertname").asText());
            }
            n.fields().forEachRemaining(e -> collectAlertNames(e.getValue(), out));
        } else if (n.isArray()) {
            n.forEach(x -> collectAlertNames(x, out));
        }
    }

    // ------------------------------------------------------------------------------------------ HighErrorRate

    @Test
    @Order(4)
    void theErrorsScenarioFiresHighErrorRateThroughVmalertIntoAlertmanager() throws Exception {
        // pending in vmalert (its /api/v1/alerts, through VictoriaMetrics' proxy) as soon as the error ratio is high
        LocalStack.awaitJson(Duration.ofSeconds(60), "HighErrorRate pending or firing in vmalert",
                () -> LocalStack.get(url("vmalert") + "/api/v1/alerts"),
                d -> d.toString().contains("\"alertname\":\"HighErrorRate\""));
        // firing after the shipped rule's for: 5m, and then sent to Alertmanager: vmalert sends firing alerts only
        JsonNode am = LocalStack.awaitJson(Duration.ofMinutes(7), "HighErrorRate in Alertmanager",
                () -> LocalStack.get(sharded.alertmanager() + "/api/v2/alerts"),
                d -> d.toString().contains("\"alertname\":\"HighErrorRate\""));
        boolean fromVmalert = false;
        for (JsonNode a : am) {
            if (a.path("labels").path("alertname").asText().equals("HighErrorRate")) {
                fromVmalert |= a.path("generatorURL").asText().startsWith(url("vmalert"));
                assertThat(a.path("labels").path("monitor").asText()).isEqualTo("exlm"); // the external label
            }
        }
        assertThat(fromVmalert).as(am.toString()).isTrue();
    }

    // ---------------------------------------------------------------------------------------------- down / up

    @Test
    @Order(5)
    void downStopsEveryPartAndUpKeepsTheData() throws Exception {
        JsonNode before = LocalStack.awaitJson(Duration.ofSeconds(30), "the backend's up in the store",
                () -> sharded.query("up{job=\"exlm-backend\"}"), d -> d.path("data").path("result").size() == 1);
        double stamp = before.path("data").path("result").get(0).path("value").get(0).asDouble() - 5;
        String at = sharded.prometheus() + "/api/v1/query?query=" + LocalStack.enc("up{job=\"exlm-backend\"}")
                + "&time=" + stamp;
        JsonNode then = LocalStack.awaitJson(Duration.ofSeconds(30), "a sample stamped before down",
                () -> LocalStack.get(at), d -> d.path("data").path("result").size() == 1);

        Cli.Result down = sharded.exlm(Duration.ofSeconds(90), "down");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        assertThat(sharded.stackProcesses()).as("nothing of the stack still runs").isEmpty();
        Cli.Result status = sharded.exlm(Duration.ofSeconds(60), "status", "-o", "json");
        assertThat(status.exitCode()).isEqualTo(1);
        for (JsonNode p : JSON.readTree(status.out()).path("parts")) {
            assertThat(p.path("running").asBoolean()).as(p.toString()).isFalse();
        }

        Cli.Result up = sharded.exlm(Duration.ofSeconds(150), "up", "--runtime", "local", "--topology", "sharded",
                "--wait", "--timeout", "90s");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        // a seconds-old stack is warming up, not broken: doctor right after up --wait fails nothing
        Cli.Result young = sharded.exlm(Duration.ofSeconds(120), "doctor", "-o", "json");
        for (JsonNode c : JSON.readTree(young.out()).path("checks")) {
            assertThat(c.path("status").asText()).as(c.toString()).isNotEqualTo("fail");
        }
        // the members start once VictoriaMetrics answers: none failed a write at its start (connection refused)
        for (String member : List.of("vmagent-0", "vmagent-1")) {
            double errors = 0;
            for (String line : LocalStack.get(url(member) + "/metrics").split("\n")) {
                if (line.startsWith("vmagent_remotewrite_errors_total")) {
                    errors += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            assertThat(errors).as(member + "'s remote-write errors since its start").isZero();
        }
        JsonNode after = LocalStack.awaitJson(Duration.ofSeconds(30), "the sample stamped before down, after up",
                () -> LocalStack.get(at), d -> d.path("data").path("result").size() == 1);
        assertThat(after.path("data").path("result")).isEqualTo(then.path("data").path("result"));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static JsonNode check(JsonNode doctor, String id) {
        for (JsonNode c : doctor.path("checks")) {
            if (c.path("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no check " + id + " in " + doctor);
    }

    private static Set<String> set(JsonNode array) {
        Set<String> s = new TreeSet<>();
        array.forEach(x -> s.add(x.asText()));
        return s;
    }

    private static Set<String> set(java.util.Iterator<String> names) {
        Set<String> s = new TreeSet<>();
        names.forEachRemaining(s::add);
        return s;
    }
}
