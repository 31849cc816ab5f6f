package io.exlm.mon.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ParseMode;
import io.exlm.mon.expo.Scrape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SPEC.md's table of how gauges combine: replicas and worker processes are never added into a percentage, and every
 * view (the sources, the Grafana dashboard, the alert rules) follows the one table in {@link Combination}.
 */
class CombinationTest {
    private static final Path STACK = Path.of("..", "stack").toAbsolutePath().normalize();

    private static Scrape scrape(String body) throws Exception {
        return Scrape.read(body.getBytes(StandardCharsets.UTF_8), ExpositionFormat.PROMETHEUS_TEXT,
                ParseMode.LENIENT, "t.txt", 0);
    }

    /** Two replicas as Prometheus returns them: one series per instance. */
    private static final String TWO_REPLICAS = """
            # TYPE cpu_usage_percent gauge
            cpu_usage_percent{instance="a:8000",job="exlm-backend"} 99
            cpu_usage_percent{instance="b:8000",job="exlm-backend"} 97.5
            # TYPE disk_usage_percent gauge
            disk_usage_percent{instance="a:8000",job="exlm-backend"} 23.6
            disk_usage_percent{instance="b:8000",job="exlm-backend"} 21.2
            # TYPE active_users gauge
            active_users{instance="a:8000",job="exlm-backend"} 7
            active_users{instance="b:8000",job="exlm-backend"} 5
            # TYPE active_websocket_connections gauge
            active_websocket_connections{instance="a:8000",job="exlm-backend"} 3
            active_websocket_connections{instance="b:8000",job="exlm-backend"} 4
            # TYPE celery_tasks_pending gauge
            celery_tasks_pending{instance="a:8000",job="exlm-backend"} 12
            celery_tasks_pending{instance="b:8000",job="exlm-backend"} 11
            """;

    /** One backend, two uvicorn workers in prometheus_client's multiprocess mode ("all"): a pid label each. */
    private static final String TWO_WORKERS = """
            # TYPE cpu_usage_percent gauge
            cpu_usage_percent{pid="101"} 91
            cpu_usage_percent{pid="102"} 98
            # TYPE active_users gauge
            active_users{pid="101"} 5
            active_users{pid="102"} 6
            # TYPE active_websocket_connections gauge
            active_websocket_connections{pid="101"} 2
            active_websocket_connections{pid="102"} 1
            # TYPE http_requests_inprogress gauge
            http_requests_inprogress{handler="/a",method="GET",pid="101"} 1
            http_requests_inprogress{handler="/b",method="GET",pid="101"} 2
            http_requests_inprogress{handler="/a",method="GET",pid="102"} 3
            """;

    @Test
    void replicasAreNeverAddedIntoAPercentage() throws Exception {
        Snapshot.Derived d = Snapshots.of(scrape(TWO_REPLICAS)).derived();
        assertThat(d.cpuPercent().value()).isEqualTo(99.0);
        assertThat(d.diskPercent().value()).isEqualTo(23.6);
        assertThat(d.activeUsers().value()).isEqualTo(12.0);
        assertThat(d.websocketConnections().value()).isEqualTo(7.0);
        assertThat(d.celeryPending().value()).isEqualTo(12.0);
        Combination.Combined cpu = d.gauges().get("cpu_usage_percent");
        assertThat(cpu.perInstance()).containsExactly(Map.entry("a:8000", 99.0), Map.entry("b:8000", 97.5));
        assertThat(cpu.instances()).isEqualTo(2);
        assertThat(cpu.processes()).isEqualTo(2);
    }

    @Test
    void workerProcessesOfOneInstanceCombineAsTheTableSays() throws Exception {
        Snapshot.Derived d = Snapshots.of(scrape(TWO_WORKERS)).derived();
        assertThat(d.cpuPercent().value()).isEqualTo(98.0); // one host: not 196
        assertThat(d.activeUsers().value()).isEqualTo(6.0); // each worker reports the same count
        assertThat(d.websocketConnections().value()).isEqualTo(3.0); // each process holds its own
        assertThat(d.requestsInProgress().value()).isEqualTo(6.0); // handlers added, then processes
        Combination.Combined cpu = d.gauges().get("cpu_usage_percent");
        assertThat(cpu.instances()).isEqualTo(1);
        assertThat(cpu.processes()).isEqualTo(2);
    }

    @Test
    void theJsonDocumentListsEachInstance() throws Exception {
        SnapshotJson.Document doc = Snapshots.of(scrape(TWO_REPLICAS)).document();
        JsonNode json = new ObjectMapper().valueToTree(doc);
        assertThat(json.at("/derived/cpu_percent").asDouble()).isEqualTo(99.0);
        JsonNode cpu = json.at("/gauges/cpu_usage_percent");
        assertThat(cpu.get("combined").asText()).isEqualTo("max/max");
        assertThat(cpu.get("instances").asInt()).isEqualTo(2);
        assertThat(cpu.at("/per_instance/b:8000").asDouble()).isEqualTo(97.5);
    }

    @Test
    void theConfigFileCanOverrideARule() throws Exception {
        Combination c = Combination.withOverrides(Map.of("celery_tasks_pending", "sum", "active_users", "max/max"));
        Snapshot.Derived d = Snapshots.of(scrape(TWO_REPLICAS), "x", c).derived();
        assertThat(d.celeryPending().value()).isEqualTo(23.0);
        assertThat(d.activeUsers().value()).isEqualTo(7.0);
        assertThat(d.cpuPercent().value()).isEqualTo(99.0); // the others keep their defaults
        assertThatThrownBy(() -> Combination.withOverrides(Map.of("cpu_percent", "max")))
                .hasMessageContaining("'cpu_percent' is not a catalog gauge");
        assertThatThrownBy(() -> Combination.withOverrides(Map.of("active_users", "average")))
                .hasMessageContaining("'average' is not a combination; use sum or max");
        assertThatThrownBy(() -> Combination.withOverrides(Map.of("active_users", "sum/max/max")))
                .hasMessageContaining("INSTANCES/WORKERS");
    }

    @Test
    void everyCatalogGaugeHasARuleAndNothingElseHasOne() {
        List<String> gauges = new ArrayList<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            if (m.type() == Catalog.Type.GAUGE) {
                gauges.add(m.name());
            }
        }
        assertThat(Combination.DEFAULTS.keySet()).containsExactlyInAnyOrderElementsOf(gauges);
    }

    /** Each gauge the Grafana dashboard queries is combined by exactly the table's PromQL. */
    @Test
    void theDashboardCombinesEachGaugeAsTheTableSays() throws Exception {
        JsonNode dash = new ObjectMapper().readTree(STACK.resolve("grafana/dashboards/exlm-overview.json").toFile());
        List<String> exprs = new ArrayList<>();
        dash.findValues("expr").forEach(e -> exprs.add(e.asText()));
        int checked = 0;
        for (String expr : exprs) {
            for (String gauge : Combination.DEFAULTS.keySet()) {
                if (Pattern.compile("\\b" + gauge + "\\b").matcher(expr).find()) {
                    assertThat(expr).as("the dashboard's query of " + gauge)
                            .isEqualTo(Combination.defaults().rule(gauge).promql(gauge + "{job=\"exlm-backend\"}"));
                    checked++;
                }
            }
        }
        assertThat(checked).as("gauges on the dashboard").isGreaterThanOrEqualTo(6);
    }

    /** The host alerts fire per instance, never per worker process: one page per host. */
    @Test
    void theHostAlertsCombineWorkerProcessesAsTheTableSays() throws Exception {
        JsonNode rules = new YAMLMapper().readTree(Files.readString(
                STACK.resolve("prometheus/rules/exlm-alerts.yml")));
        int checked = 0;
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String expr = rule.path("expr").asText();
                for (String gauge : List.of("cpu_usage_percent", "memory_usage_percent", "disk_usage_percent")) {
                    Matcher m = Pattern.compile("\\b" + gauge + "\\b").matcher(expr);
                    if (m.find()) {
                        String workers = Combination.defaults().rule(gauge).acrossWorkers().promql();
                        assertThat(expr).as(rule.path("alert").asText())
                                .startsWith(workers + " without (pid) (" + gauge + ")");
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(3);
    }
}
