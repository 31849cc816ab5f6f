package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.LocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A young stack is not a broken one, on the real local stack ({@link LocalStack}, at the guide's 15 s scrape and
 * evaluation interval): doctor run at once, 5 s and 30 s after {@code up --wait} returned never fails, and what it
 * has not seen yet is "warming up" with a time of data still to come; {@code doctor --wait} waits until every check
 * has settled, ok; and a target that refuses connections during warm-up fails at once. When exactly Prometheus's
 * first scrapes fall is its own choice, so which checks are still warming up at each moment is logged, not asserted;
 * WarmupTest decides each case on a fixed clock.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DoctorWarmupIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static long upReturned;

    @BeforeAll
    static void bringUp() throws Exception {
        stack = LocalStack.up(tmp, "15s");
        upReturned = System.nanoTime();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** The scenario is "doctor run N seconds after up": this waits for that moment, it synchronises nothing. */
    static void atSecondsAfterUp(int seconds) throws InterruptedException {
        long left = upReturned + seconds * 1_000_000_000L - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000 + 1);
        }
    }

    static List<JsonNode> withStatus(JsonNode doc, String status) {
        List<JsonNode> out = new ArrayList<>();
        doc.path("checks").forEach(c -> {
            if (c.path("status").asText().equals(status)) {
                out.add(c);
            }
        });
        return out;
    }

    /** doctor -o json: never a failure, and each warming-up check expects its data after the run began. */
    static JsonNode doctor(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("doctor", "-o", "json"));
        args.addAll(List.of(extra));
        Instant before = Instant.now();
        Cli.Result r = stack.exlm(Duration.ofSeconds(150), args.toArray(String[]::new));
        JsonNode doc = JSON.readTree(r.out());
        assertThat(withStatus(doc, "fail")).as(r.toString()).isEmpty();
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<JsonNode> warming = withStatus(doc, "warming_up");
        for (JsonNode w : warming) {
            assertThat(Instant.parse(w.path("expected_at").asText())).as(w.toString()).isAfter(before);
            assertThat(w.path("summary").asText()).as(w.toString()).contains("expected by");
        }
        assertThat(doc.path("counts").path("warming_up").asInt()).isEqualTo(warming.size());
        // a warning may come only from this host's own figures (a CI machine may really be busy); then it is the
        // worst status, else warming up when something waits for its data, else ok
        List<JsonNode> warnings = withStatus(doc, "warn");
        for (JsonNode w : warnings) {
            assertThat(w.path("id").asText()).as(w.toString()).startsWith("host.");
        }
        assertThat(doc.path("status").asText()).isEqualTo(!warnings.isEmpty() ? "warn"
                : warming.isEmpty() ? "ok" : "warming_up");
        System.out.println("doctor " + String.join(" ", extra) + " " + (System.nanoTime() - upReturned) / 1_000_000
                + " ms after up: " + (warming.isEmpty() ? "nothing" : warming.stream().map(w -> w.path("id")
                        .asText()).toList()) + " warming up");
        return doc;
    }

    @Test
    @Order(1)
    void upWaitsUntilDataFlows() throws Exception {
        assertThat(stack.firstUp().out()).contains("data flowing in");
        JsonNode targets = LocalStack.getJson(stack.prometheus() + "/api/v1/targets?state=active");
        for (JsonNode t : targets.path("data").path("activeTargets")) {
            assertThat(t.path("lastScrape").asText()).as(t.toString()).doesNotStartWith("0001-");
        }
        for (JsonNode g : LocalStack.getJson(stack.prometheus() + "/api/v1/rules").path("data").path("groups")) {
            assertThat(g.path("lastEvaluation").asText()).as(g.toString()).doesNotStartWith("0001-");
        }
        assertThat(LocalStack.getJson(stack.prometheus() + "/api/v1/alertmanagers").path("data")
                .path("activeAlertmanagers")).isNotEmpty();
    }

    @Test
    @Order(2)
    void atOnceNeverFailWhatIsNotThereYetIsWarmingUp() throws Exception {
        doctor();
        // the text and JUnit reports say the same
        Cli.Result text = stack.exlm(Duration.ofSeconds(60), "doctor");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).doesNotContain("[FAIL]");
        if (text.out().contains("[warm]")) {
            // the text wraps to 100 columns off a terminal, where it breaks depends on the counts and times before
            assertThat(text.out().replaceAll("\\s+", " ")).contains("warming up, ", "expected by",
                    "passed, warming up: the missing data is expected by");
        }
        Cli.Result junit = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "junit");
        assertThat(junit.exitCode()).as(junit.toString()).isZero();
        assertThat(junit.out()).contains("failures=\"0\"").doesNotContain("<failure");
    }

    @Test
    @Order(3)
    void fiveSecondsLaterStillNoFailure() throws Exception {
        atSecondsAfterUp(5);
        doctor();
    }

    @Test
    @Order(4)
    void thirtySecondsLaterOkAndDoctorWaitSettles() throws Exception {
        atSecondsAfterUp(30);
        doctor();
        JsonNode settled = doctor("--wait", "120s");
        assertThat(withStatus(settled, "warming_up")).as(settled.toPrettyString()).isEmpty();
        for (String id : List.of("prometheus.targets", "prometheus.alertmanager", "prometheus.rules",
                "nodata.system-state", "nodata.http-traffic", "nodata.jobs", "nodata.errors")) {
            JsonNode c = null;
            for (JsonNode x : settled.path("checks")) {
                if (x.path("id").asText().equals(id)) {
                    c = x;
                }
            }
            assertThat(c).as(id).isNotNull();
            assertThat(c.path("status").asText()).as(c.toString()).isEqualTo("ok");
        }
    }

    @Test
    @Order(5)
    void aTargetThatRefusesConnectionsDuringWarmUpFailsAtOnce() throws Exception {
        Cli.Result down = stack.exlm(Duration.ofSeconds(60), "down");
        assertThat(down.exitCode()).as(down.toString()).isZero();
        stack.stopDemo();
        Cli.Result up = stack.exlm(Duration.ofSeconds(150), "up", "--runtime", "local", "--wait", "--timeout", "90s");
        assertThat(up.exitCode()).as(up.toString()).isZero();
        Cli.Result r = stack.exlm(Duration.ofSeconds(60), "doctor", "-o", "json", "--check", "prometheus");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode doc = JSON.readTree(r.out());
        JsonNode targets = null;
        for (JsonNode c : doc.path("checks")) {
            if (c.path("id").asText().equals("prometheus.targets")) {
                targets = c;
            }
        }
        assertThat(targets.path("status").asText()).isEqualTo("fail");
        assertThat(targets.path("summary").asText()).contains("exlm-backend", "refused");
    }
}
