package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.Tmux;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code exlm-mon top} in a real terminal (tmux, 120x40): what a person sees, and the terminal given back. */
class TopTerminalIT {
    /** Every group of the dashboard with a number in it (titles share a line, values are on the lines below). */
    private static final List<Pattern> GROUPS = List.of(
            Pattern.compile("CPU.*Memory.*Disk.*Users"), Pattern.compile("│ \\d+\\.\\d% "),
            Pattern.compile("users +\\d+"), Pattern.compile("Requests/s.*Latency.*In progress"),
            Pattern.compile("│ \\d+(\\.\\d+)?/s "), Pattern.compile("p95 \\d+(\\.\\d+)?m?s"),
            Pattern.compile("Model training.*Dataset processing.*Celery"), Pattern.compile("started +█* +\\d+"),
            Pattern.compile("pending +\\d+"), Pattern.compile("Error rate.*Errors by type.*Cache hit ratio"),
            Pattern.compile("│ \\d+\\.\\d+%(  ALERT|  warn)? +││"));

    private static boolean dashboard(String screen) {
        return screen.contains("│ OK │") && GROUPS.stream().allMatch(p -> p.matcher(screen).find());
    }

    @Test
    void onceThroughTheLauncher() throws Exception {
        Cli.Result frame = Launcher.run("top", "--demo", "--once");
        assertThat(frame.exitCode()).as(frame.toString()).isZero();
        assertThat(frame.out()).contains("│ OK │", "Requests/s", "Error rate", "Cache hit ratio")
                .doesNotContain("needs a second scrape");
        Cli.Result json = Launcher.run("top", "--demo", "--once", "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        com.fasterxml.jackson.databind.JsonNode panels = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out()).get("panels");
        assertThat(panels.size()).isEqualTo(13);
        panels.properties().forEach(e -> assertThat(e.getValue().get("available").asBoolean()).as(e.getKey())
                .isTrue());
        Cli.Result gate = Launcher.run("top", "--demo", "--scenario", "errors", "--once", "--fail-on-alert");
        assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
        assertThat(gate.err()).contains("error_rate");
    }

    @Test
    void quitWithQ(@TempDir Path dir) throws Exception {
        try (Tmux t = new Tmux(120, 40)) {
            t.type("stty -a > " + dir.resolve("before"));
            t.type(Launcher.script() + " top --demo; echo EXIT=$?; stty -a > " + dir.resolve("after"));
            // every group with numbers; a minute is a hang, not a verdict on this machine's speed
            String screen = t.awaitScreen(TopTerminalIT::dashboard, Duration.ofSeconds(60));
            assertThat(screen).contains("exlm-mon top", "every 1s").doesNotContain("qqqq");

            t.keys("q");
            String after = t.awaitScreen(s -> s.matches("(?s).*EXIT=\\d+.*"), Duration.ofSeconds(10));
            assertThat(after).contains("EXIT=0").doesNotContain("Cache hit ratio");
            t.awaitScreen(s -> s.strip().endsWith("READY$"), Duration.ofSeconds(5));
            assertThat(Files.readString(dir.resolve("after"))).isEqualTo(Files.readString(dir.resolve("before")));
        }
    }

    @Test
    void sigtermRestoresTheTerminal(@TempDir Path dir) throws Exception {
        try (Tmux t = new Tmux(120, 40)) {
            t.type("stty -a > " + dir.resolve("before"));
            t.type(Launcher.script() + " top --demo; echo EXIT=$?; stty -a > " + dir.resolve("after"));
            t.awaitScreen(TopTerminalIT::dashboard, Duration.ofSeconds(30));
            long java = t.foregroundPid();
            assertThat(java).isPositive();
            new ProcessBuilder("kill", "-TERM", String.valueOf(java)).start().waitFor();
            String after = t.awaitScreen(s -> s.matches("(?s).*EXIT=\\d+.*"), Duration.ofSeconds(10));
            assertThat(after).contains("EXIT=143").doesNotContain("Cache hit ratio");
            t.awaitScreen(s -> s.strip().endsWith("READY$"), Duration.ofSeconds(5));
            assertThat(Files.readString(dir.resolve("after"))).isEqualTo(Files.readString(dir.resolve("before")));
        }
    }

    @Test
    void keysPauseExpandHelpAndResize() throws Exception {
        try (Tmux t = new Tmux(120, 40)) {
            t.type(Launcher.script() + " top --demo");
            t.awaitScreen(TopTerminalIT::dashboard, Duration.ofSeconds(30));
            t.keys("p");
            t.awaitScreen(s -> s.contains("OK (paused)"), Duration.ofSeconds(5));
            t.keys("p", "?");
            t.awaitScreen(s -> s.contains("q, Ctrl-C") && s.contains("refresh now"), Duration.ofSeconds(5));
            t.keys("Escape");
            t.keys("Tab", "Tab");
            t.awaitScreen(s -> s.contains("▶ Disk"), Duration.ofSeconds(5));
            t.keys("Enter");
            t.awaitScreen(s -> s.contains("▶ Disk") && !s.contains("Latency"), Duration.ofSeconds(5));
            t.keys("Enter");
            t.awaitScreen(s -> s.contains("Latency"), Duration.ofSeconds(5));
            t.resize(80, 24);
            t.awaitScreen(s -> s.contains("hidden at 80x24") && s.contains("Error rate"), Duration.ofSeconds(5));
            t.keys("q");
            t.awaitScreen(s -> s.strip().endsWith("READY$"), Duration.ofSeconds(10));
        }
    }

    @Test
    void theSourceGoesDownAndComesBack() throws Exception {
        int port = Ports.free();
        Launcher.Running demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(port));
        try (Tmux t = new Tmux(120, 40)) {
            demo.awaitLine("exlm demo backend on", Duration.ofSeconds(60));
            t.type(Launcher.script() + " top --backend-url http://127.0.0.1:" + port + "; echo EXIT=$?");
            t.awaitScreen(TopTerminalIT::dashboard, Duration.ofSeconds(30));

            demo.terminate(Duration.ofSeconds(10));
            String down = t.awaitScreen(s -> s.contains("│ unreachable │"), Duration.ofSeconds(15));
            assertThat(down).contains("connection refused");
            assertThat(down).doesNotContain("Cache hit ratio ──────────────────────┐\n│ 8");

            demo = Launcher.start(Map.of(), "demo", "--port", String.valueOf(port));
            demo.awaitLine("exlm demo backend on", Duration.ofSeconds(60));
            // the poller backs off while the source is down (up to 30 s between tries)
            t.awaitScreen(TopTerminalIT::dashboard, Duration.ofSeconds(45));
            t.keys("q");
            String after = t.awaitScreen(s -> s.matches("(?s).*EXIT=\\d+.*"), Duration.ofSeconds(10));
            assertThat(after).contains("EXIT=0").doesNotContain("Exception");
        } finally {
            demo.close();
        }
    }
}
