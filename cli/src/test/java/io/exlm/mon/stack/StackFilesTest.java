package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.Yaml;
import io.exlm.mon.source.Catalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The bundled stack files are stack/'s, and the dashboard keeps its promises to the provisioning. */
class StackFilesTest {
    private static final Path STACK = Path.of("..", "stack").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyFileOfStackIsBundledUnchanged() throws Exception {
        List<String> onDisk = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(STACK)) {
            walk.filter(Files::isRegularFile).forEach(p -> onDisk.add(STACK.relativize(p).toString()));
        }
        assertThat(StackFiles.ALL).containsExactlyInAnyOrderElementsOf(onDisk);
        for (String f : StackFiles.ALL) {
            assertThat(StackFiles.read(f)).as(f).isEqualTo(Files.readAllBytes(STACK.resolve(f)));
        }
    }

    @Test
    void everyPanelQueriesTheProvisionedDatasourceAndTheRowsAreTheGuides() throws Exception {
        Map<?, ?> ds = ConfigWriter.parse(StackFiles.text(StackFiles.GRAFANA_DATASOURCE));
        String uid = (String) ((Map<?, ?>) ((List<?>) ds.get("datasources")).get(0)).get("uid");
        assertThat(uid).isEqualTo("exlm-prometheus");
        JsonNode dash = JSON.readTree(StackFiles.read(StackFiles.DASHBOARD));
        assertThat(dash.path("uid").asText()).isEqualTo("exlm-overview");
        List<String> rows = new ArrayList<>();
        int panels = 0;
        for (JsonNode p : dash.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                rows.add(p.path("title").asText());
                continue;
            }
            panels++;
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo(uid);
            assertThat(p.path("targets").size()).as(p.path("title").asText()).isPositive();
            for (JsonNode t : p.path("targets")) {
                assertThat(t.path("datasource").path("uid").asText()).isEqualTo(uid);
                assertThat(t.path("expr").asText()).as("no Grafana variables: Prometheus must run it as written")
                        .doesNotContain("$");
            }
        }
        assertThat(rows).containsExactly("System state", "HTTP traffic", "Jobs", "Errors");
        assertThat(panels).isGreaterThanOrEqualTo(10);
        String text = new String(StackFiles.read(StackFiles.DASHBOARD));
        for (String metric : List.of("cpu_usage_percent", "memory_usage_percent", "active_users",
                "active_websocket_connections", "exlm:http_requests:rate1m", "http_request_duration_seconds_bucket",
                "model_training_total", "dataset_processing_total", "status=~\\\"5..\\\"", "error_count_total")) {
            assertThat(text).contains(metric);
        }
    }

    @Test
    void prometheusScrapesFifteenSecondsAndHonoursPushedLabels() throws Exception {
        Map<?, ?> prom = ConfigWriter.parse(StackFiles.text(StackFiles.PROMETHEUS));
        assertThat(((Map<?, ?>) prom.get("global")).get("scrape_interval")).isEqualTo("15s");
        List<String> jobs = new ArrayList<>();
        for (Object o : (List<?>) prom.get("scrape_configs")) {
            Map<?, ?> job = (Map<?, ?>) o;
            jobs.add((String) job.get("job_name"));
            if (job.get("job_name").equals("pushgateway")) {
                assertThat(job.get("honor_labels")).isEqualTo(true);
            }
        }
        assertThat(jobs).containsExactlyInAnyOrder(Catalog.BACKEND_JOB, "prometheus", "node", "postgres", "redis",
                "alertmanager", "pushgateway");
    }

    /** The backend's job name is Catalog.BACKEND_JOB in the shipped prometheus.yml and in the dashboard's queries. */
    @Test
    void theBackendJobIsOneName() throws Exception {
        JsonNode prom = Yaml.read(StackFiles.text(StackFiles.PROMETHEUS), StackFiles.PROMETHEUS);
        List<String> jobs = new ArrayList<>();
        JsonNode backend = null;
        for (JsonNode job : prom.path("scrape_configs")) {
            jobs.add(job.path("job_name").asText());
            if (job.path("job_name").asText().equals(Catalog.BACKEND_JOB)) {
                backend = job;
            }
        }
        List<String> expected = new ArrayList<>(List.of(Catalog.BACKEND_JOB));
        for (Component c : Topology.SINGLE.parts()) { // prometheus.yml is the single topology's
            if (c.job() != null) {
                expected.add(c.job());
            }
        }
        assertThat(jobs).as("the stack's jobs: the backend's and one per component")
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(backend).as("a job named " + Catalog.BACKEND_JOB).isNotNull();
        assertThat(backend.path("file_sd_configs").get(0).path("files").get(0).asText()).as("its targets file")
                .isEqualTo(StackFiles.BACKEND_TARGETS.substring("prometheus/".length()));
        Matcher m = Pattern.compile("job=\\\\\"([^\\\\\"]*)\\\\\"").matcher(StackFiles.text(StackFiles.DASHBOARD));
        int matchers = 0;
        while (m.find()) {
            assertThat(m.group(1)).as("a job matcher of the dashboard").isEqualTo(Catalog.BACKEND_JOB);
            matchers++;
        }
        assertThat(matchers).as("the dashboard selects the backend's job").isPositive();
    }
}
