package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.ScriptedHealth;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lean start path answers exactly as the full command line does, and leaves everything else to it. */
class LeanStartTest {
    private record Run(int code, String out, String err) {
    }

    private static final String VALID = "# HELP cache_hits_total Cache hits.\n# TYPE cache_hits_total counter\n"
            + "cache_hits_total 12\n";
    private static final String INVALID = "# TYPE x counter\n# TYPE x gauge\nx 1\nx{a=\"b} 2\n";
    private static final String OPENMETRICS = "# TYPE cache_hits counter\ncache_hits_total 12\n# EOF\n";

    private static Run lean(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LeanStart.run(args, new PrintWriter(out), new PrintWriter(err), Map.of(), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run full(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ExlmMon.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void answersAsTheFullCommandLineDoes(@TempDir Path dir) throws Exception {
        String valid = Files.writeString(dir.resolve("valid.prom"), VALID).toString();
        String invalid = Files.writeString(dir.resolve("invalid.prom"), INVALID).toString();
        String om = Files.writeString(dir.resolve("om.txt"), OPENMETRICS).toString();
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"--version"},
                new String[] {"-V"},
                new String[] {"metrics", "check", valid},
                new String[] {"metrics", "check", invalid},
                new String[] {"metrics", "check", valid, "--catalog"},
                new String[] {"metrics", "check", "--catalog", invalid},
                new String[] {"metrics", "check", om},
                new String[] {"metrics", "check", om, "--format", "prometheus"},
                new String[] {"metrics", "check", "--format=openmetrics", valid},
                new String[] {"metrics", "check", valid, "--format", "banana"},
                new String[] {"metrics", "check", dir.resolve("absent").toString()},
                new String[] {"metrics", "check", dir.toString()},
                new String[] {"metrics", "check", "-"}));
        for (String[] args : cases) {
            Run lean = lean(INVALID, args);
            assertThat(lean.code()).as(String.join(" ", args) + " takes the lean path")
                    .isNotEqualTo(LeanStart.NOT_HANDLED);
            assertThat(lean).as(String.join(" ", args)).isEqualTo(full(INVALID, args));
        }
    }

    /** Latencies and durations (and so the widths of table columns) differ from run to run; nothing else may. */
    private static Run timeless(Run r) {
        UnaryOperator<String> t = s -> s.replaceAll("\\d+ ms", "N ms").replaceAll("(_ms\" : )\\d+", "$1N")
                .replaceAll("time=\"[0-9.]+\"", "time=\"N\"").replaceAll("timestamp=\"[^\"]*\"", "timestamp=\"T\"")
                .replaceAll(" {2,}", " ");
        return new Run(r.code(), t.apply(r.out()), t.apply(r.err()));
    }

    @Test
    void healthAnswersAsTheFullCommandLineDoes() throws Exception {
        ScriptedHealth.Answer live = new ScriptedHealth.Answer(200, "{\"status\":\"alive\",\"uptime_seconds\":42}");
        ScriptedHealth.Answer metrics = new ScriptedHealth.Answer(200, "{\"cpu_usage_percent\":12.5,"
                + "\"memory_usage_percent\":40.0,\"disk_usage_percent\":55.5}");
        try (ScriptedHealth ok = new ScriptedHealth(Map.of("/api/v1/health", List.of(ScriptedHealth.BASIC_OK),
                "/api/v1/health/live", List.of(live), "/api/v1/health/ready", List.of(ScriptedHealth.READY_OK),
                "/api/v1/health/metrics", List.of(metrics)));
                ScriptedHealth notReady = new ScriptedHealth(Map.of("/api/v1/health",
                        List.of(ScriptedHealth.BASIC_OK), "/api/v1/health/ready",
                        List.of(ScriptedHealth.READY_DB_DOWN)))) {
            String u = ok.url();
            String closed = "http://127.0.0.1:" + Ports.closed();
            List<String[]> cases = List.of(
                    new String[] {"health", "--backend-url", u},
                    new String[] {"health", "--backend-url=" + u, "--check", "basic,ready", "-o", "json"},
                    new String[] {"health", "--check", "live", "--backend-url", u, "--check=metrics", "--no-color",
                        "--output", "junit"},
                    new String[] {"health", "--url", u + "/api/v1/health", "--url", u + "/api/v1/health/live",
                        "--timeout", "5s", "--connect-timeout", "2s"},
                    new String[] {"health", "--backend-url", u, "--wait", "30s", "-o", "json"},
                    new String[] {"health", "--backend-url", notReady.url(), "--check", "basic,ready"},
                    new String[] {"health", "--backend-url", notReady.url(), "--check", "ready", "-o", "json"},
                    new String[] {"health", "--backend-url", closed},
                    new String[] {"health", "--backend-url", closed, "-o", "junit"},
                    new String[] {"health", "--backend-url", "ftp://example.org"},
                    new String[] {"health", "--backend-url", u, "--check", "banana"},
                    new String[] {"health", "--url", u, "--check", "basic"},
                    new String[] {"health", "--backend-url", u, "-o", "csv"},
                    new String[] {"health", "--backend-url", u, "--wait", "0s"},
                    new String[] {"health", "--backend-url", u, "--timeout", "soon"});
            for (String[] args : cases) {
                Run lean = lean("", args);
                assertThat(lean.code()).as(String.join(" ", args) + " takes the lean path")
                        .isNotEqualTo(LeanStart.NOT_HANDLED);
                assertThat(timeless(lean)).as(String.join(" ", args)).isEqualTo(timeless(full("", args)));
            }
        }
    }

    @Test
    void leavesEverythingElseToTheFullCommandLine() {
        for (String[] args : List.of(
                new String[] {"--version", "--help"},
                new String[] {"metrics", "check"},
                new String[] {"metrics", "check", "a", "b"},
                new String[] {"metrics", "check", "f", "-o", "json"},
                new String[] {"metrics", "check", "f", "--max-problems", "5"},
                new String[] {"metrics", "check", "--help"},
                new String[] {"metrics", "check", "f", "--format"},
                new String[] {"metrics", "f"},
                new String[] {"--backend-url", "http://x", "health"},
                new String[] {"health", "--help"},
                new String[] {"health", "-h"},
                new String[] {"health", "extra"},
                new String[] {"health", "--backend-url"},
                new String[] {"health", "--backend-url", "http://a", "--backend-url", "http://b"},
                new String[] {"health", "--backend-url", "--check"},
                new String[] {"health", "-ojson"},
                new String[] {"health", "-o=json"},
                new String[] {"health", "-o", "JSON"},
                new String[] {"health", "-o", "json", "--output", "text"},
                new String[] {"health", "--check="},
                new String[] {"health", "--check", "basic,,ready"},
                new String[] {"health", "--wait", "banana"},
                new String[] {"health", "--no-color", "--no-color"},
                new String[] {"health", "--no-color=true"},
                new String[] {"health", "--demo"},
                new String[] {"health", "--interval", "2s"},
                new String[] {"health", "--success-threshold", "2", "--wait", "5s"},
                new String[] {"health", "--push-gateway", "http://127.0.0.1:9091"},
                new String[] {"health", "--config", "/dev/null"},
                new String[] {"health", "-v"},
                new String[] {"health", "-H", "X-A: b"},
                new String[] {"health", "--bearer-token-file", "/dev/null"},
                new String[] {"health", "--insecure"})) {
            assertThat(lean("", args).code()).as(String.join(" ", args)).isEqualTo(LeanStart.NOT_HANDLED);
        }
    }

    /**
     * The usage errors of the invocations the lean path knows are worded by the full command line, as {@code main}
     * builds it (only the named subcommand), in the same one line as the command line the tests build.
     */
    @Test
    void usageErrorsOfTheLeanCommandsAreTheFullCommandLinesOneLine() {
        for (String[] args : List.of(
                new String[] {"health", "--bogus"},
                new String[] {"health", "--chek", "ready"},
                new String[] {"health", "--backend-url"},
                new String[] {"health", "--wait", "banana"},
                new String[] {"health", "extra"},
                new String[] {"metrics", "check", "--bogus"},
                new String[] {"metrics", "check", "a", "b"},
                new String[] {"metrics", "check", "f", "--format"})) {
            assertThat(lean("", args).code()).as(String.join(" ", args)).isEqualTo(LeanStart.NOT_HANDLED);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = ExlmMon.forArgs(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), false,
                    new ByteArrayInputStream(new byte[0]), args).execute(args);
            Run main = new Run(code, out.toString(), err.toString());
            assertThat(main).as(String.join(" ", args)).isEqualTo(full("", args));
            assertThat(main.code()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(main.err().lines()).as(String.join(" ", args)).singleElement().asString()
                    .startsWith("exlm-mon " + args[0]).endsWith(" --help')");
        }
    }
}
