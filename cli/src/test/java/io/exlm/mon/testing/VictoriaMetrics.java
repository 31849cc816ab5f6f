package io.exlm.mon.testing;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A single-node VictoriaMetrics (Debian's victoria-metrics) on a free loopback port, its data in a directory of the
 * test's: a remote-write receiver with the Prometheus query API. {@link #stop()} stops it and keeps the data;
 * {@link #start()} starts it again on the same port and data.
 */
public final class VictoriaMetrics implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Path binary;
    private final Path dir;
    private final int port;
    private final java.util.function.IntFunction<List<String>> flags;
    private Process process;

    public VictoriaMetrics(Path dir) throws Exception {
        this(dir, p -> List.of());
    }

    /** With more flags of its own on every start, e.g. {@code -promscrape.config=FILE} to scrape targets itself. */
    public VictoriaMetrics(Path dir, List<String> flags) throws Exception {
        this(dir, port -> List.copyOf(flags));
    }

    /**
     * With more flags on every start, given its port (a -promscrape.config whose targets include itself, a
     * -vmalert.proxyURL).
     */
    public VictoriaMetrics(Path dir, java.util.function.IntFunction<List<String>> flags) throws Exception {
        this.binary = Tools.require("victoria-metrics");
        this.dir = Files.createDirectories(dir);
        this.port = Ports.free();
        this.flags = flags;
        start();
    }

    /** Starts it (again) and waits until /health answers. */
    public void start() throws Exception {
        start(List.of());
    }

    /**
     * Starts it again demanding basic auth of every write (its -httpAuth.* flags): a receiver that answers 401, as
     * one does to a wrong or expired token. /health still answers.
     */
    public void startRequiringAuth() throws Exception {
        start(List.of("-httpAuth.username=exlm", "-httpAuth.password=not-what-prometheus-sends"));
    }

    private void start(List<String> extra) throws Exception {
        // search.latencyOffset: VictoriaMetrics hides the last 30 s from queries by default; the tests measure the
        // path of the samples, not that delay
        List<String> cmd = new java.util.ArrayList<>(List.of(binary.toString(), "-httpListenAddr=127.0.0.1:" + port,
                "-storageDataPath=" + dir.resolve("data"), "-retentionPeriod=1d", "-search.latencyOffset=1s",
                "-loggerLevel=WARN"));
        cmd.addAll(flags.apply(port));
        cmd.addAll(extra);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("vm.log")
                        .toFile())).redirectInput(new File("/dev/null")).start();
        try {
            Polls.await(Duration.ofSeconds(30), () -> {
                try {
                    return get("/health").statusCode() == 200;
                } catch (IOException e) {
                    return false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }, process, "victoria-metrics (log: " + dir.resolve("vm.log") + ")");
        } catch (Throwable t) {
            stop();
            throw t;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Where Prometheus remote-writes to. */
    public String writeUrl() {
        return url() + "/api/v1/write";
    }

    public HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops it, keeping its data. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
