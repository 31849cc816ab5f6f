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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

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

    /**
     * A terminal jline cannot drive (here: a terminal provider that does not exist) is said in exlm-mon's words, and
     * the frames come plain instead of a blank screen: jline's own notice goes to java.util.logging, which exlm-mon
     * does not print.
     */
    @Test
    void aTerminalJlineCannotDriveGetsPlainFramesAndAWord(@TempDir Path dir) throws Exception {
        try (Tmux t = new Tmux(120, 40)) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Path err = dir.resolve("err");
            t.type(java + " -Dorg.jline.terminal.provider=none-such -cp "
                    + Launcher.root().resolve("cli/target/exlm-mon.jar") + " io.exlm.mon.cli.Main top --demo 2>" + err);
            // frames taller than the window scroll: their last lines are what shows
            t.awaitScreen(s -> s.contains("Cache hit ratio") && s.contains("q quit"), Duration.ofSeconds(60));
            assertThat(Files.readString(err)).startsWith("exlm-mon: top: cannot drive this terminal (")
                    .contains("); printing plain frames instead");
            t.keys("C-c");
            t.awaitScreen(s -> s.strip().endsWith("READY$"), Duration.ofSeconds(10));
        }
    }

    /** How top is ended, and the exit code each way gives. */
    enum WayOut {
        Q(0), CTRL_C(0), SIGTERM(143), SIGHUP(129), SIGQUIT(131),
        /** SIGQUIT to the JVM itself rather than to the launcher the shell started (what pkill -QUIT java does). */
        SIGQUIT_TO_THE_JVM(131);

        final int exitCode;

        WayOut(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> terminalsAndWaysOut() {
        return java.util.stream.Stream.of("tmux-256color", "screen", "xterm-256color").flatMap(term -> java.util.Arrays
                .stream(WayOut.values()).map(way -> org.junit.jupiter.params.provider.Arguments.of(term, way)));
    }

    /**
     * Each way out gives the terminal back as it was: the cursor shown (cnorm; cvvis hid it under screen and tmux),
     * the main screen, keypad mode off, the same stty settings; and SIGQUIT quits instead of drawing a thread dump.
     */
    @ParameterizedTest(name = "TERM={0}, {1}")
    @MethodSource("terminalsAndWaysOut")
    void everyWayOutGivesTheTerminalBack(String term, WayOut way, @TempDir Path dir) throws Exception {
        try (Tmux t = new Tmux(120, 40, term)) {
            t.type("stty -a > " + dir.resolve("before"));
            t.type(Launcher.script() + " top --demo; echo EXIT=$?; stty -a > " + dir.resolve("after"));
            t.awaitScreen(s -> s.contains("│ OK │") && s.contains("Cache hit ratio"), Duration.ofSeconds(60));
            // what the dashboard changed, so that the checks below can tell it was put back
            assertThat(t.format("#{cursor_flag} #{alternate_on} #{keypad_flag} #{keypad_cursor_flag}"))
                    .isEqualTo("0 1 1 1");
            long launcher = t.foregroundPid();
            assertThat(launcher).isPositive();
            switch (way) {
                case Q -> t.keys("q");
                case CTRL_C -> t.keys("C-c");
                case SIGTERM -> kill("-TERM", launcher);
                case SIGHUP -> kill("-HUP", launcher);
                case SIGQUIT -> kill("-QUIT", launcher);
                case SIGQUIT_TO_THE_JVM -> kill("-QUIT", ProcessHandle.of(launcher).flatMap(p -> p.children()
                        .findFirst()).map(ProcessHandle::pid).orElseThrow());
                default -> throw new AssertionError(way);
            }
            String after = t.awaitScreen(s -> s.matches("(?s).*EXIT=\\d+.*"), Duration.ofSeconds(20));
            t.awaitScreen(s -> s.strip().endsWith("READY$"), Duration.ofSeconds(10));
            assertThat(after).contains("EXIT=" + way.exitCode).doesNotContain("Cache hit ratio");
            assertThat(t.format("cursor #{cursor_flag}, alternate screen #{alternate_on}, keypad #{keypad_flag},"
                    + " keypad cursor #{keypad_cursor_flag}"))
                    .isEqualTo("cursor 1, alternate screen 0, keypad 0, keypad cursor 0");
            assertThat(Files.readString(dir.resolve("after"))).isEqualTo(Files.readString(dir.resolve("before")));
            assertThat(t.history()).doesNotContain("Full thread dump", "java.lang.Thread.State");
        }
    }

    private static void kill(String signal, long pid) throws Exception {
        assertThat(new ProcessBuilder("kill", signal, String.valueOf(pid)).start().waitFor()).isZero();
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
            t.awaitScreen(s -> s.contains("hidden: ") && s.contains("Error rate"), Duration.ofSeconds(5));
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
