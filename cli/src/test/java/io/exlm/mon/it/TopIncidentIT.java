package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LocalStack;
import io.exlm.mon.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code top --source prometheus} at 3 a.m., in a real terminal (tmux) against the real local stack (1 s intervals,
 * the rule files as shipped) with the demo's errors scenario: the Alerts panel lists HighErrorRate from Prometheus and
 * the header's state is Prometheus's (PENDING or ALERT, never the thresholds'); Enter on the error rate breaks it
 * down by handler, naming the failing handlers beyond the threshold; the instance filter names the job's instance
 * and every query then carries it; a silence made in the real Alertmanager shows as holding the alert. At 120x40 and
 * 80x24; the screens are written to target/captures/. Everything started here is stopped by {@link LocalStack#close()}
 * and {@link Tmux#close()}, also on failure.
 */
class TopIncidentIT {
    @TempDir
    Path tmp;

    private static final Path CAPTURES = Launcher.root().resolve("cli/target/captures");

    private static void capture(Tmux t, String name) throws Exception {
        Files.createDirectories(CAPTURES);
        Files.writeString(CAPTURES.resolve("h-top-" + name + ".txt"), t.screen());
    }

    /** The Alerts panel's row of HighErrorRate, pending or firing (the rule's for: is 5 minutes). */
    private static final Pattern ALERT_ROW = Pattern.compile("│ (pending|firing) +HighErrorRate +\\S+ +\\S+ +\\d");

    private static boolean alertsPanel(String s) {
        return s.contains("Alerts (Prometheus)") && ALERT_ROW.matcher(s).find()
                && Pattern.compile("(PENDING|ALERT) (HighErrorRate( \\+\\d+)?|\\d+ alerts) "
                        + "\\((Prometheus|Prometheus, any instance|any instance)\\)").matcher(s).find();
    }

    /** The error rate's breakdown by handler: a /api/v1/ handler beyond the threshold. */
    private static final Pattern FAILING_HANDLER = Pattern.compile("  /api/v1/\\S+ +█* +\\d+(\\.\\d)?% ALERT");

    @Test
    void alertsBreakdownAndInstanceFilterAt120x40And80x24() throws Exception {
        try (LocalStack stack = LocalStack.up(tmp, "1s")) {
            String prometheus = stack.prometheus();
            stack.stopDemo();
            stack.startDemo("errors");
            LocalStack.awaitJson(Duration.ofSeconds(120), "HighErrorRate pending or firing",
                    () -> LocalStack.get(prometheus + "/api/v1/alerts"),
                    d -> d.toString().contains("\"alertname\":\"HighErrorRate\""));
            String instance = stack.demoUrl().replaceFirst("^https?://", "").replaceFirst("/.*$", "");

            // every panel's breakdown query is PromQL the real Prometheus runs: an answer for each label, or none yet
            try (io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(io.exlm.mon.http.HttpOptions
                    .defaults())) {
                io.exlm.mon.promql.PrometheusClient client = new io.exlm.mon.promql.PrometheusClient(http, prometheus);
                for (io.exlm.mon.panel.PanelId id : io.exlm.mon.panel.PanelId.values()) {
                    io.exlm.mon.panel.Breakdown b = io.exlm.mon.panel.Breakdowns.fromPrometheus(id, client,
                            io.exlm.mon.source.Scope.BACKEND, Duration.ofMinutes(1),
                            io.exlm.mon.source.Combination.defaults());
                    assertThat(b.cuts()).as(id.toString()).hasSize(id.breakdownLabels().size())
                            .allSatisfy(c -> assertThat(c.reason()).as(id + " by " + c.label()).isNull());
                }
                io.exlm.mon.panel.Breakdown errors = io.exlm.mon.panel.Breakdowns.fromPrometheus(
                        io.exlm.mon.panel.PanelId.ERROR_RATE, client, io.exlm.mon.source.Scope.BACKEND,
                        Duration.ofMinutes(1), io.exlm.mon.source.Combination.defaults());
                // the alerts as the panel reads them: Prometheus's clock; an Alertmanager that does not answer is said
                io.exlm.mon.panel.AlertsPanel unreachable = io.exlm.mon.panel.AlertsPanel.read(client,
                        new io.exlm.mon.promql.AlertmanagerClient(http, "http://127.0.0.1:1"),
                        java.time.Clock.systemUTC(), () -> io.exlm.mon.promql.RuleHealth.of(client.rules(),
                                io.exlm.mon.stack.StackFiles.alertNames()));
                assertThat(unreachable.error()).isNull();
                assertThat(unreachable.rules()).as("the stack's rules load and evaluate").isNull();
                assertThat(unreachable.clock()).isEqualTo("prometheus");
                assertThat(unreachable.silencesError()).startsWith("Alertmanager http://127.0.0.1:1: ");
                assertThat(unreachable.alerts()).anySatisfy(a -> {
                    assertThat(a.name()).isEqualTo("HighErrorRate");
                    assertThat(a.ageSeconds()).isNotNull().isNotNegative();
                });
                assertThat(unreachable.state()).isIn(io.exlm.mon.panel.AlertsPanel.State.PENDING,
                        io.exlm.mon.panel.AlertsPanel.State.ALERT);
                assertThat(errors.cuts().get(0).rows()).anySatisfy(r -> {
                    assertThat(r.value()).startsWith("/api/v1/");
                    assertThat(r.figure()).isGreaterThan(0.05);
                });
            }
            try (Tmux t = new Tmux(120, 40)) {
                t.type(Launcher.script() + " --config " + stack.config() + " top --source prometheus; echo EXIT=$?");

                // 1. the Alerts panel, and the header's state from Prometheus
                String grid = t.awaitScreen(s -> alertsPanel(s) && s.contains("│ OK │"), Duration.ofSeconds(60));
                // the first frame with figures: its charts already hold the history Prometheus has (query_range)
                capture(t, "start-120x40");
                assertThat(grid).contains("ages on prometheus's clock", "silences active")
                        .doesNotContain("(thresholds)", "silences unknown");
                capture(t, "alerts-120x40");

                // 2. Enter on the error rate: its breakdown by handler names the failing handlers
                for (int i = 0; i < 10; i++) {
                    t.keys("Tab");
                }
                t.awaitScreen(s -> s.contains("▶ Error rate"), Duration.ofSeconds(5));
                t.keys("Enter");
                String breakdown = t.awaitScreen(s -> FAILING_HANDLER.matcher(s).find()
                        && s.contains("by instance (1)"), Duration.ofSeconds(20));
                assertThat(breakdown).contains("Error rate by handler, instance", "by handler (")
                        .contains(instance);
                capture(t, "breakdown-120x40");

                // 3. the instance filter: the job's one instance, in the header and in every query
                t.keys("Escape", "i");
                String filtered = t.awaitScreen(s -> s.contains("instance=" + instance) && alertsPanel(s),
                        Duration.ofSeconds(20));
                assertThat(filtered).doesNotContain("unreachable");
                t.keys("Enter");
                String filteredBreakdown = t.awaitScreen(s -> s.contains("(instance=" + instance + ")")
                        && FAILING_HANDLER.matcher(s).find(), Duration.ofSeconds(20));
                assertThat(filteredBreakdown).contains("by instance (1)");
                t.keys("Escape");
                capture(t, "filter-120x40");

                // 4. the same at 80x24: header and key hints fit, hidden panels by their titles
                t.resize(80, 24);
                String small = t.awaitScreen(s -> s.contains("instance=" + instance) && alertsPanel(s)
                        && s.contains("hidden: "), Duration.ofSeconds(20));
                assertThat(small.lines().filter(l -> l.startsWith("q quit")).findFirst()).isPresent();
                assertThat(small).contains("Enter breakdown", "i instance");
                capture(t, "filter-80x24");
                t.keys("I");
                t.awaitScreen(s -> !s.contains("instance=" + instance) && alertsPanel(s), Duration.ofSeconds(20));
                capture(t, "alerts-80x24");
                t.keys("Enter");
                t.awaitScreen(s -> FAILING_HANDLER.matcher(s).find(), Duration.ofSeconds(20));
                capture(t, "breakdown-80x24");
                t.keys("Escape");

                // 5. a silence in the real Alertmanager holds the alert: the panel says so, the header lets it go
                var created = LocalStack.post(stack.alertmanager() + "/api/v2/silences", "{\"matchers\":[{\"name\":"
                        + "\"alertname\",\"value\":\"HighErrorRate\",\"isRegex\":false,\"isEqual\":true}],"
                        + "\"startsAt\":\"" + java.time.Instant.now().minusSeconds(5) + "\",\"endsAt\":\""
                        + java.time.Instant.now().plusSeconds(3600) + "\",\"createdBy\":\"TopIncidentIT\","
                        + "\"comment\":\"understood\"}");
                assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
                t.resize(120, 40);
                String held = t.awaitScreen(s -> s.contains("holding HighErrorRate") && s.contains("silenced"),
                        Duration.ofSeconds(20));
                assertThat(held).doesNotContainPattern("(PENDING|ALERT) HighErrorRate");
                capture(t, "silenced-120x40");

                // 6. a minute back in time ([): the dashboard as it was, its time in the header; n is now again.
                // A step goes back from the time the screen shows, which is the frame's recordings' when they served
                // it (up to FRAME_MAX_AGE old). So first the stack is let grow older than a minute and that age
                // (polled with a deadline): Prometheus has the backend's figures from before the step's time
                long back = 65 + io.exlm.mon.source.PrometheusSource.FRAME_MAX_AGE.toSeconds();
                String then = prometheus + "/api/v1/query?query=" + java.net.URLEncoder.encode(
                        "up{job=\"exlm-backend\"} offset " + back + "s", java.nio.charset.StandardCharsets.UTF_8);
                LocalStack.awaitJson(Duration.ofSeconds(180), "Prometheus's figures of " + back + " s ago",
                        () -> LocalStack.get(then), d -> d.at("/data/result").size() > 0);
                t.resize(80, 24);
                t.keys("[");
                String stepped = t.awaitScreen(s -> s.contains(" AT ") && s.matches("(?s).*1m(\\d+s)? ago.*")
                        && s.contains("alert > 80.0%"), Duration.ofSeconds(20));
                assertThat(stepped).doesNotContain("updated ", "waiting for the first");
                capture(t, "back-80x24");
                t.keys("n");
                t.awaitScreen(s -> !s.contains(" AT ") && s.contains("│ OK │"), Duration.ofSeconds(20));

                t.keys("q");
                // the typed line itself holds "EXIT=$?": wait for the echo's digits, not for the command line
                assertThat(t.awaitScreen(s -> s.matches("(?s).*EXIT=\\d+.*"), Duration.ofSeconds(10)))
                        .contains("EXIT=0");
            }
        }
    }
}
