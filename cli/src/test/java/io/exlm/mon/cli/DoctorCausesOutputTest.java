package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import org.junit.jupiter.api.Test;

/**
 * A backend that refuses connections, through the whole command: /live and /metrics fail alike, so backend.metrics
 * follows from backend.live in every format: JSON's caused_by, the JUnit failure's message, the text's grouping,
 * and --problems filtering JSON's checks while the counts stay the run's.
 */
class DoctorCausesOutputTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String backend = "http://127.0.0.1:" + Ports.closed();

    private Cli.Result doctor(String... more) {
        String[] args = new String[more.length + 5];
        System.arraycopy(new String[] {"doctor", "--check", "backend", "--backend-url", backend}, 0, args, 0, 5);
        System.arraycopy(more, 0, args, 5, more.length);
        return Cli.exec(args);
    }

    @Test
    void jsonNamesTheRootCauseOfEachCheckThatFollowsFromIt() throws Exception {
        Cli.Result r = doctor("-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        JsonNode checks = JSON.readTree(r.out()).path("checks");
        assertThat(checks).hasSize(5);
        for (JsonNode c : checks) {
            String id = c.path("id").asText();
            assertThat(c.path("caused_by").isNull() ? null : c.path("caused_by").asText()).as(id)
                    .isEqualTo(id.equals("backend.live") ? null : "backend.live");
        }
        // --problems: every check here is one; a filtered document keeps the run's counts
        JsonNode problems = JSON.readTree(doctor("-o", "json", "--problems").out());
        assertThat(problems.path("checks")).hasSize(5);
        assertThat(problems.path("counts").path("fail").asInt()).isEqualTo(2);
    }

    @Test
    void junitSaysWhatACausedFailureFollowsFrom() {
        Cli.Result r = doctor("-o", "junit");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).containsPattern("<failure message=\"GET " + backend.replace(".", "\\.")
                + "/metrics: [^\"]*\\(caused by backend\\.live: the backend does not answer at ")
                // a skip whose prerequisite is the root says nothing more; one further down names the root
                .contains("<skipped message=\"needs backend.live, which failed\"")
                .contains("<skipped message=\"needs backend.metrics, which failed (caused by backend.live:");
    }

    @Test
    void textListsTheDependentsUnderTheRootWithItsFixOnce() {
        Cli.Result r = new Cli().env("COLUMNS", "60").run("doctor", "--check", "backend", "--backend-url", backend,
                "--no-color");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out().lines()).allSatisfy(l -> assertThat(l.length() <= 60 || !l.strip().contains(" "))
                .as(l).isTrue());
        assertThat(r.out()).contains("  [FAIL] backend.live  ", "         because of it:\n         [FAIL]"
                + " backend.metrics  ", "         [skip] not run because of it: backend.health,\n                backend.ready, backend.catalog\n")
                .containsOnlyOnce("fix: ");
    }
}
