package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Tools;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs larger than a small heap, through the real launcher with the heaps of the issue (top's own 96 MB, 256 MB for
 * the others): a million-series exposition within the body cap, a 58 MB query answer, {@code /dev/zero} and a 2 GB
 * sparse file as token, password and config files, and a 2 GB line for {@code metrics check}. Each ends with one
 * line on stderr and its documented exit code, never an OutOfMemoryError or a stack trace. Each run's peak memory,
 * as {@code /usr/bin/time -v} measures it, is printed for the record.
 *
 * <p>The server is the test's own: it serves what no real exporter serves on demand (a million series, a 58 MB
 * answer), from files, as a static file server would.
 */
class MemoryBoundsIT {
    @TempDir
    static Path dir;

    private static HttpServer server;
    private static String base;
    private static Path sparse;
    private static Path longLine;

    @BeforeAll
    static void serve() throws IOException {
        Path exposition = dir.resolve("million.prom");
        try (BufferedWriter w = Files.newBufferedWriter(exposition, StandardCharsets.UTF_8)) {
            w.write("# HELP cpu_usage_percent CPU\n# TYPE cpu_usage_percent gauge\n");
            for (int i = 0; i < 1_000_000; i++) {
                w.write("cpu_usage_percent{instance=\"host-" + i + "\",zone=\"z" + (i % 10) + "\"} " + (i % 100)
                        + "\n");
            }
        }
        assertThat(Files.size(exposition)).isBetween(40L << 20, 64L << 20);
        Path answer = dir.resolve("answer.json");
        try (BufferedWriter w = Files.newBufferedWriter(answer, StandardCharsets.UTF_8)) {
            w.write("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
            long written = 0;
            for (int i = 0; written < 58_000_000; i++) {
                String s = (i == 0 ? "" : ",") + "{\"metric\":{\"__name__\":\"cpu_usage_percent\",\"instance\":\"host-"
                        + i + ":8000\",\"job\":\"exlm-backend\"},\"value\":[1764590000.123,\"" + (i % 100) + "\"]}";
                w.write(s);
                written += s.length();
            }
            w.write("]}}");
        }
        sparse = dir.resolve("sparse.bin");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(2L << 30);
        }
        // a 2 GB file of one line: a sample's start, then nothing but holes (zeros) and no line feed
        longLine = dir.resolve("one-line.txt");
        try (RandomAccessFile f = new RandomAccessFile(longLine.toFile(), "rw")) {
            f.write("http_requests_total{handler=\"".getBytes(StandardCharsets.US_ASCII));
            f.setLength(2L << 30);
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/metrics", x -> send(x, exposition, "text/plain; version=0.0.4"));
        server.createContext("/api/v1/", x -> send(x, answer, "application/json"));
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(com.sun.net.httpserver.HttpExchange x, Path file, String type) throws IOException {
        try (x) {
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(200, Files.size(file));
            try (OutputStream out = x.getResponseBody()) {
                Files.copy(file, out);
            } catch (IOException e) {
                // the client stopped reading at its cap: that is the point
            }
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
            ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
        }
    }

    private record Run(int exitCode, String out, List<String> errLines, long peakKb) {
    }

    /** The launcher under {@code /usr/bin/time -v}, its report taken off stderr. */
    private static Run run(String heap, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("time").toString(), "-v",
                Launcher.script().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (heap != null) {
            pb.environment().put("EXLM_MON_JAVA_OPTS", heap);
        }
        pb.environment().put("COLUMNS", "120");
        pb.environment().put("LINES", "40");
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> Launcher.read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> Launcher.read(p.getErrorStream()));
            assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("exlm-mon " + String.join(" ", args) + " ended").isTrue();
            String e = err.get(10, TimeUnit.SECONDS);
            Matcher peak = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(e);
            assertThat(peak.find()).as(e).isTrue();
            int code = p.exitValue();
            List<String> lines = new ArrayList<>();
            for (String line : e.split("\n")) {
                if (line.startsWith("\t") || line.startsWith("Command exited with non-zero status")
                        || line.startsWith("Command terminated by signal") || line.isBlank()) {
                    continue;
                }
                lines.add(line);
            }
            Run r = new Run(code, out.get(10, TimeUnit.SECONDS), lines, Long.parseLong(peak.group(1)));
            System.out.printf("MemoryBoundsIT: %-70s exit %d, peak %,d KB%n", String.join(" ", args)
                    .replace(dir.toString(), "$TMP"), code, r.peakKb());
            return r;
        } finally {
            Launcher.kill(p);
        }
    }

    /** One line on stderr that contains every word, the exit code, and nothing of a Java failure anywhere. */
    private static void oneLine(Run r, int exit, String... words) {
        String all = r.out() + String.join("\n", r.errLines());
        assertThat(all).as(all).doesNotContain("OutOfMemoryError", "Exception", "\tat ", "at io.exlm");
        assertThat(r.errLines()).as(all).hasSize(1);
        // "exlm-mon: " for a failure, "exlm-mon COMMAND: " for a usage error
        assertThat(r.errLines().get(0)).startsWith("exlm-mon").contains(words);
        assertThat(r.exitCode()).as(all).isEqualTo(exit);
    }

    @Test
    void aMillionSeriesEndAtTheSeriesCap() throws Exception {
        // top's launcher gives it 96 MB, the heap it runs in for hours
        oneLine(run(null, "top", "--once", "--backend-url", base), 3, "more than 100,000 series", "--max-series");
        oneLine(run("-Xmx256m", "metrics", "--backend-url", base), 3, "--max-series");
        Run json = run("-Xmx256m", "metrics", "--backend-url", base, "-o", "json");
        oneLine(json, 3, "--max-series");
        // -o json: the failure's document, which says what it was
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(json.out());
        assertThat(doc.path("status").asText()).isEqualTo("not_understood");
        assertThat(doc.path("error_kind").asText()).isEqualTo("too_large");
        assertThat(doc.path("exit_code").asInt()).isEqualTo(3);
    }

    @Test
    void aFiftyEightMegabyteQueryAnswerEndsAtTheSeriesCap() throws Exception {
        oneLine(run(null, "top", "--once", "--source", "prometheus", "--prometheus-url", base), 3, "--max-series");
        oneLine(run("-Xmx256m", "metrics", "--source", "prometheus", "--prometheus-url", base), 3, "--max-series");
        oneLine(run("-Xmx256m", "query", "up", "--prometheus-url", base), 3, "more than 100,000 series");
    }

    @Test
    void runningOutOfMemoryAnywayIsOneLineAndExitFour() throws Exception {
        // a deadline far beyond the run: on two busy cores the body takes longer than the default 10 s to read,
        // and the deadline, not the heap, would end it
        Run top = run(null, "top", "--once", "--backend-url", base, "--max-series", "10000000",
                "--max-label-bytes", "1GiB", "--timeout", "10m");
        oneLine(top, 4, "top ran out of memory (Java heap", "reading " + base + "/metrics", "--max-series",
                "EXLM_MON_JAVA_OPTS=-Xmx");
        Run query = run("-Xmx96m", "query", "up", "--prometheus-url", base, "--max-series", "10000000",
                "--max-label-bytes", "1GiB", "--timeout", "10m", "-o", "json");
        oneLine(query, 4, "query ran out of memory");
        com.fasterxml.jackson.databind.JsonNode doc = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(query.out());
        assertThat(doc.path("status").asText()).isEqualTo("error");
        assertThat(doc.path("exit_code").asInt()).isEqualTo(4);
        assertThat(doc.path("error").asText()).contains("query ran out of memory");
    }

    @Test
    void secretAndConfigFilesAreSmall() throws Exception {
        for (String file : List.of("/dev/zero", sparse.toString())) {
            oneLine(run("-Xmx256m", "health", "--backend-url", base, "--bearer-token-file", file), 2,
                    "--bearer-token-file", "larger than 64 KiB");
            oneLine(run("-Xmx256m", "health", "--backend-url", base, "--basic-auth-user", "u",
                    "--basic-auth-password-file", file), 2, "--basic-auth-password-file", "larger than 64 KiB");
            oneLine(run("-Xmx256m", "--config", file, "health", "--backend-url", base), 2, "config file",
                    "larger than 1 MiB");
        }
    }

    @Test
    void aTwoGigabyteLineIsAProblemAtItsLine() throws Exception {
        Run r = run("-Xmx256m", "metrics", "check", longLine.toString());
        assertThat(r.out()).contains(longLine + ":1:1: line longer than 1 MiB");
        oneLine(r, 1, "not a valid Prometheus text exposition");
    }
}
