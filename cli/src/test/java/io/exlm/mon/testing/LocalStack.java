package io.exlm.mon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole local stack from Debian's real binaries, brought up by {@code ./exlm-mon up --runtime local --wait}
 * against the demo backend (a process of the packaged jar), a throwaway Redis and a throwaway PostgreSQL, every part
 * on a free loopback port, for one test class. The scrape and evaluation interval is shortened through the test-only
 * setting stack.scrape-interval (the stack files keep 15 s). {@link #close()} stops every process started here, also
 * when a test failed: {@code down --purge}, then whatever still listens on the ports chosen here.
 */
public final class LocalStack implements AutoCloseable {
    private com.sun.net.httpserver.HttpServer receiver;
    private final List<String> notifications = java.util.Collections.synchronizedList(new ArrayList<>());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    /** The parts the local runtime starts here (Grafana cannot be installed here). */
    public static final List<String> PARTS = List.of("pushgateway", "node-exporter", "postgres-exporter",
            "redis-exporter", "alertmanager", "prometheus");
    /** The binaries those parts need. */
    public static final List<String> BINARIES = List.of("prometheus", "prometheus-alertmanager",
            "prometheus-pushgateway", "prometheus-node-exporter", "prometheus-redis-exporter",
            "prometheus-postgres-exporter");

    private final Path dir;
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private Redis redis;
    private Postgres postgres;
    private Launcher.Running demo;
    private int postgresPort;
    private String postgresDsn;
    private int redisPort;
    private int demoPort;
    private Path config;
    private Cli.Result firstUp;
    private long firstUpMillis;

    private LocalStack(Path dir) {
        this.dir = dir;
    }

    /**
     * Starts PostgreSQL, Redis and the demo backend, then the stack with {@code up --wait}. Fails (and stops what it
     * started) when up does not exit 0. Tools.require skips or fails the class when a binary is missing.
     */
    public static LocalStack up(Path dir, String scrapeInterval) throws Exception {
        LocalStack s = prepare(dir, scrapeInterval);
        try {
            s.startStack();
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    /**
     * Everything but the stack: PostgreSQL, Redis, the demo backend and the config file, for a test that runs
     * {@code up} itself. {@code scrapeInterval} null keeps the stack files' 15 s.
     */
    public static LocalStack prepare(Path dir, String scrapeInterval) throws Exception {
        for (String tool : BINARIES) {
            Tools.require(tool);
        }
        LocalStack s = new LocalStack(dir);
        try {
            s.start(scrapeInterval);
        } catch (Throwable t) {
            s.close();
            throw t;
        }
        return s;
    }

    /**
     * Brings the stack up ({@code up --runtime local --wait}, with {@code more} arguments such as
     * {@code --topology sharded}), for a test that {@link #prepare}d it; fails when up does not exit 0.
     */
    public void startStack(String... more) throws Exception {
        long start = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("up", "--runtime", "local", "--wait", "--timeout", "90s"));
        args.addAll(List.of(more));
        firstUp = exlm(Duration.ofSeconds(150), args.toArray(String[]::new));
        firstUpMillis = (System.nanoTime() - start) / 1_000_000;
        if (firstUp.exitCode() != 0) {
            throw new AssertionError("exlm-mon up failed: " + firstUp);
        }
    }

    private void start(String scrapeInterval) throws Exception {
        postgres = new Postgres();
        redis = new Redis(Files.createDirectories(dir.resolve("redis")));
        postgresPort = postgres.port();
        postgresDsn = postgres.dsn();
        redisPort = redis.port();
        demoPort = Ports.free();
        startDemo("normal");
        // the sharded topology's own parts too (up --topology sharded): a single stack does not start them
        for (String part : List.of("prometheus", "alertmanager", "pushgateway", "grafana", "node-exporter",
                "postgres-exporter", "redis-exporter", "vmagent-0", "vmagent-1", "vmalert")) {
            ports.put(part, Ports.free());
        }
        config = dir.resolve("exlm-mon.properties");
        StringBuilder cfg = new StringBuilder();
        cfg.append("backend.url = ").append(demoUrl()).append('\n');
        ports.forEach((part, port) -> cfg.append(part).append(".url = http://127.0.0.1:").append(port).append('\n'));
        cfg.append("postgres.dsn = ").append(postgres.dsn()).append('\n');
        cfg.append("redis.url = ").append(redis.url()).append('\n');
        cfg.append("stack.state-dir = ").append(stateDir()).append('\n');
        // a receiver for Alertmanager's notifications, as a real stack has one: without it every notification
        // fails (the Watchdog's from the first minute) and doctor says so, rightly
        receiver = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/alerts", exchange -> {
            try (exchange) {
                notifications.add(new String(exchange.getRequestBody().readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        cfg.append("alertmanager.webhook-url = http://127.0.0.1:").append(receiver.getAddress().getPort())
                .append("/alerts\n");
        if (scrapeInterval != null) {
            cfg.append("stack.scrape-interval = ").append(scrapeInterval).append('\n'); // test-only: files say 15s
        }
        Files.writeString(config, cfg.toString());
    }

    /** Points the stack at another backend (another stack's demo) instead of its own, before it is brought up. */
    public void useBackend(String url) throws IOException {
        String cfg = Files.readString(config);
        Files.writeString(config, cfg.replace("backend.url = " + demoUrl() + "\n", "backend.url = " + url + "\n"));
    }

    /** (Re)starts the demo backend on its port with a scenario: normal, errors, slow, overload. */
    public void startDemo(String scenario) throws Exception {
        startDemo(scenario, new String[0]);
    }

    /** (Re)starts the demo backend with more options, e.g. --redis-addr for its readiness to check. */
    public void startDemo(String scenario, String... options) throws Exception {
        // readiness independent of the CI host's disk and memory: thresholds of 100 %
        List<String> args = new ArrayList<>(List.of("demo", "--port", String.valueOf(demoPort), "--scenario",
                scenario, "--ready-memory-threshold", "100", "--ready-disk-threshold", "100"));
        args.addAll(List.of(options));
        demo = Launcher.start(Map.of(), args.toArray(String[]::new));
        demo.awaitLine("exlm demo backend on", Duration.ofSeconds(60));
    }

    /** The throwaway Redis's and PostgreSQL's addresses (HOST:PORT), for the demo's readiness; also once stopped. */
    public String redisAddr() {
        return "127.0.0.1:" + redisPort;
    }

    public String postgresAddr() {
        return "127.0.0.1:" + postgresPort;
    }

    /** The same, as the exporters' DSN and URL (postgres.dsn, redis.url). */
    public String postgresDsn() {
        return postgresDsn;
    }

    public String redisUrl() {
        return "redis://" + redisAddr();
    }

    /** Stops the demo backend (SIGTERM); its port is then refused. */
    public void stopDemo() throws InterruptedException {
        if (demo != null) {
            demo.terminate(Duration.ofSeconds(20));
            demo.close();
            demo = null;
        }
    }

    /** Stops the platform's Redis (the one the redis exporter watches); its exporter keeps answering. */
    public void stopRedis() throws InterruptedException {
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    /** Stops the platform's PostgreSQL (the one the postgres exporter watches); its exporter keeps answering. */
    public void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
            postgres = null;
        }
    }

    public Cli.Result firstUp() {
        return firstUp;
    }

    public long firstUpMillis() {
        return firstUpMillis;
    }

    public Path config() {
        return config;
    }

    public Path stateDir() {
        return dir.resolve("state");
    }

    public Map<String, Integer> ports() {
        return ports;
    }

    public String demoUrl() {
        return "http://127.0.0.1:" + demoPort;
    }

    public String prometheus() {
        return "http://127.0.0.1:" + ports.get("prometheus");
    }

    public String alertmanager() {
        return "http://127.0.0.1:" + ports.get("alertmanager");
    }

    public String pushgateway() {
        return "http://127.0.0.1:" + ports.get("pushgateway");
    }

    public String grafana() {
        return "http://127.0.0.1:" + ports.get("grafana");
    }

    /** The pid of a running part, from the pid file up wrote. */
    public long pid(String part) throws IOException {
        return JSON.readTree(stateDir().resolve("local/run/" + part + ".pid").toFile()).path("pid").asLong();
    }

    /** Runs ./exlm-mon with this stack's config file. */
    public Cli.Result exlm(Duration timeout, String... args) throws Exception {
        return exlm(timeout, Map.of(), args);
    }

    public Cli.Result exlm(Duration timeout, Map<String, String> env, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return Launcher.run(timeout, env, all.toArray(String[]::new));
    }

    /** Runs exlm-mon in this JVM (faster than a process, for polling) with this stack's config file. */
    public Cli.Result cli(String... args) {
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return new Cli().run(all.toArray(String[]::new));
    }

    /** Processes whose command line holds one of the stack's listen addresses. */
    public List<ProcessHandle> stackProcesses() {
        List<String> addresses = new ArrayList<>();
        ports.forEach((part, port) -> addresses.add("127.0.0.1:" + port));
        if (addresses.isEmpty()) {
            return List.of();
        }
        return ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).filter(p -> p.info().commandLine()
                .map(cl -> addresses.stream().anyMatch(a -> cl.contains("listen-address=" + a))).orElse(false))
                .toList();
    }

    /** The notifications Alertmanager sent the stack's receiver, as their JSON bodies. */
    public List<String> notifications() {
        return List.copyOf(notifications);
    }

    @Override
    public void close() throws Exception {
        if (receiver != null) {
            receiver.stop(0);
        }
        try {
            if (config != null && Files.exists(config)) {
                Cli.Result down = exlm(Duration.ofSeconds(60), "down", "--purge");
                if (down.exitCode() != 0) {
                    System.err.println("LocalStack: down failed: " + down);
                }
            }
        } finally {
            // whatever down did not stop (a bug under test): stop it anyway, by the ports chosen here
            for (ProcessHandle p : stackProcesses()) {
                p.destroyForcibly();
            }
            if (demo != null) {
                demo.close();
            }
            if (redis != null) {
                redis.close();
            }
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- HTTP helpers

    public String query(String expr) throws Exception {
        return get(prometheus() + "/api/v1/query?query=" + enc(expr));
    }

    public static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    public static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    public static HttpResponse<String> post(String url, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static JsonNode getJson(String url) throws Exception {
        return JSON.readTree(get(url));
    }

    /** A test of a fetched document. */
    public interface Check {
        boolean test(JsonNode doc) throws Exception;
    }

    /** Fetches a document. */
    public interface Fetch {
        String get() throws Exception;
    }

    /** Polls until the check passes; fails with the last document after the timeout. */
    public static JsonNode awaitJson(Duration timeout, String what, Fetch fetch, Check check) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        Exception lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = JSON.readTree(fetch.get());
                if (check.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                lastError = e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no " + what + " within " + timeout + "; last: " + last, lastError);
    }
}
