package io.exlm.mon.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.ExitException;
import io.exlm.mon.Version;
import io.exlm.mon.source.AlertThresholds;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

/**
 * The reference exlm backend: the four health endpoints, {@code /metrics} with the guide's whole catalog, and a few
 * API routes that a built-in load generator calls, so that every other command has something real to watch.
 */
public final class DemoServer implements AutoCloseable {
    /**
     * How to run the demo. Addresses are {@code host:port}; null means not configured. {@code latency} delays every
     * answer (a backend far away); zero for none.
     */
    public record Config(String host, int port, Scenario scenario, String databaseAddr, String redisAddr,
            boolean generateLoad, double memoryThreshold, double diskThreshold, Duration latency) {
        public Config(String host, int port, Scenario scenario, String databaseAddr, String redisAddr,
                boolean generateLoad, double memoryThreshold, double diskThreshold) {
            this(host, port, scenario, databaseAddr, redisAddr, generateLoad, memoryThreshold, diskThreshold,
                    Duration.ZERO);
        }

        public static Config defaults() {
            AlertThresholds t = AlertThresholds.bundled();
            return new Config("127.0.0.1", 8000, Scenario.NORMAL, null, null, true, t.memoryPercent(),
                    t.diskPercent());
        }

        public Config withPort(int p) {
            return new Config(host, p, scenario, databaseAddr, redisAddr, generateLoad, memoryThreshold,
                    diskThreshold, latency);
        }

        public Config withScenario(Scenario s) {
            return new Config(host, port, s, databaseAddr, redisAddr, generateLoad, memoryThreshold, diskThreshold,
                    latency);
        }

        public Config withLatency(Duration d) {
            return new Config(host, port, scenario, databaseAddr, redisAddr, generateLoad, memoryThreshold,
                    diskThreshold, d);
        }
    }

    /** The service the health document names: the job Prometheus scrapes it as. */
    public static final String SERVICE = io.exlm.mon.source.Catalog.BACKEND_JOB;
    public static final String BACKEND_VERSION = "0.1.0";
    public static final String ENVIRONMENT = "development";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'",
            java.util.Locale.ROOT)
            .withZone(java.time.ZoneOffset.UTC);
    private static final List<String> ROUTES = List.of("/metrics", "/api/v1/health", "/api/v1/health/ready",
            "/api/v1/health/live", "/api/v1/health/metrics", "/api/v1/models", "/api/v1/datasets",
            "/api/v1/users/me", "/api/v1/predict", "/api/v1/training/jobs");

    private final Config config;
    private final HttpFront server;
    private final ExecutorService workers;
    private final ScheduledExecutorService ticker;
    /** Holds delayed requests: a timer, not a sleeping thread each, so that delays overlap instead of queueing. */
    private final ScheduledExecutorService delays;
    private final SystemReadings readings;
    private final DemoMetrics metrics;
    private final Simulation simulation;
    private final Readiness readiness;
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Random random = new Random();
    /** API requests so far and how many of them failed. */
    private final long[] errorBudget = new long[2];
    private final Instant started = Instant.now();
    private final String url;
    private LoadGenerator load;

    private DemoServer(Config config, HttpFront.Limits limits) throws IOException {
        this.config = config;
        AlertThresholds thresholds = AlertThresholds.bundled();
        this.readings = new SystemReadings(config.scenario().syntheticSystem(), new File(System.getProperty(
                "user.dir")), thresholds);
        this.metrics = new DemoMetrics(() -> readings.last().cpuPercent(), () -> readings.last().memoryPercent(),
                () -> readings.last().diskPercent());
        this.simulation = new Simulation(metrics, config.scenario(), thresholds, System.nanoTime());
        for (String[] route : LoadGenerator.ROUTES) {
            metrics.initRoute(route[0], route[1]);
        }
        this.readiness = new Readiness(config.databaseAddr(), config.redisAddr(), config.memoryThreshold(),
                config.diskThreshold());
        this.workers = Executors.newFixedThreadPool(64, daemonThreads("exlm-demo-http"));
        this.delays = config.latency().isZero() ? null
                : Executors.newSingleThreadScheduledExecutor(daemonThreads("exlm-demo-delay"));
        try {
            this.server = new HttpFront(new InetSocketAddress(config.host(), config.port()), 256, limits, workers,
                    this::arrive);
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            if (delays != null) {
                delays.shutdownNow();
            }
            if (e instanceof BindException be) {
                throw new ExitException(io.exlm.mon.ExitCode.USAGE, cannotListen(config, be));
            }
            if (e instanceof java.nio.channels.UnresolvedAddressException) {
                throw new ExitException(io.exlm.mon.ExitCode.USAGE, "--host " + config.host() + " does not resolve"
                        + " to an address; use 127.0.0.1, 0.0.0.0 or an address of this machine");
            }
            throw e;
        }
        int port = server.address().getPort();
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        this.url = "http://" + host + ":" + port;
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("exlm-demo-tick"));
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
        if (config.generateLoad()) {
            this.load = new LoadGenerator(url, config.scenario(), config.latency());
        }
    }

    /** Starts the demo; throws an exit-2 {@link ExitException} when the address is taken. */
    public static DemoServer start(Config config) {
        return start(config, HttpFront.Limits.defaults());
    }

    /** Starts the demo with other bounds than the defaults (a test's short idle timeout). */
    public static DemoServer start(Config config, HttpFront.Limits limits) {
        try {
            return new DemoServer(config, limits);
        } catch (IOException e) {
            throw new ExitException(io.exlm.mon.ExitCode.USAGE, "cannot start the demo backend on " + config.host()
                    + ":" + config.port() + ": " + e.getMessage());
        }
    }

    /**
     * Why the address could not be bound, in one line: an address that is not this machine's is told apart from a
     * port that is taken, since the kernel answers both with a {@link BindException}.
     */
    static String cannotListen(Config config, BindException e) {
        try {
            java.net.InetAddress address = java.net.InetAddress.getByName(config.host());
            if (!address.isAnyLocalAddress() && java.net.NetworkInterface.getByInetAddress(address) == null) {
                return "--host " + config.host() + " is not an address of this machine; use 127.0.0.1, 0.0.0.0 (every"
                        + " address) or one of its interfaces' addresses (ip addr)";
            }
        } catch (IOException ignored) {
            // cannot tell: the general message below
        }
        return "cannot listen on " + config.host() + ":" + config.port() + " (" + e.getMessage()
                + "); is another server there? pick another --port";
    }

    public String url() {
        return url;
    }

    public Config config() {
        return config;
    }

    /** Connections the server holds open now, its own load generator's included. */
    public int openConnections() {
        return server.openConnections();
    }

    /** The most connections open at once so far. */
    public int peakConnections() {
        return server.peakConnections();
    }

    /** Who is told, in one line, why the HTTP front stopped serving when it stops by itself. */
    public void onFailure(java.util.function.Consumer<String> listener) {
        server.onFailure(listener);
    }

    /** Connections accepted so far, closed or not. */
    public long acceptedConnections() {
        return server.accepted();
    }

    /** Answers written whole so far, the load generator's included. */
    public long answered() {
        return server.answered();
    }

    /** Requests the load generator keeps in flight at most (and so connections); 0 without load. */
    public int loadConnectionBound() {
        return load == null ? 0 : load.maxInFlight();
    }

    @Override
    public void close() {
        if (load != null) {
            load.close();
        }
        ticker.shutdownNow();
        if (delays != null) {
            delays.shutdownNow();
        }
        server.close();
        workers.shutdownNow();
    }

    private void tick() {
        try {
            readings.refresh();
            simulation.step();
        } catch (RuntimeException e) {
            // a failed reading must not stop the ticker: the next second tries again
        }
    }

    // ---------------------------------------------------------------------------------------------- routing

    /**
     * A request arrives: answered now, or with a latency after it. The exchange is finished later on a worker (the
     * JDK server lets a handler return first), so a thousand delayed requests hold no thread.
     */
    private void arrive(HttpFront.Exchange ex) {
        long start = System.nanoTime();
        metrics.httpInProgress.inc();
        if (delays == null) {
            dispatch(ex, start);
            return;
        }
        try {
            delays.schedule(() -> {
                try {
                    workers.execute(() -> dispatch(ex, start));
                } catch (RejectedExecutionException e) {
                    ex.finish(); // stopping
                }
            }, config.latency().toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            metrics.httpInProgress.dec();
            ex.finish();
        }
    }

    /** Answers a request that arrived at {@code start}: its measured duration includes any latency added. */
    private void dispatch(HttpFront.Exchange ex, long start) {
        String path = ex.path();
        String handler = ROUTES.contains(path) ? path : "none";
        String method = ex.method();
        int status = 500;
        // counted before the answer leaves: a client that has its answer finds it in the next scrape
        java.util.concurrent.atomic.AtomicBoolean counted = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.function.IntConsumer count = s -> {
            if (counted.compareAndSet(false, true)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                metrics.httpInProgress.dec();
                metrics.httpRequests.labelValues(method, handler, String.valueOf(s)).inc();
                metrics.httpDuration.labelValues(method, handler).observe(seconds);
            }
        };
        ex.onAnswer(count);
        try {
            status = route(ex, path, method);
        } catch (IOException | RuntimeException e) {
            metrics.errors.labelValues("internal").inc();
            status = 500;
            try {
                sendJson(ex, 500, Map.of("detail", "internal error"));
            } catch (IOException | RuntimeException ignored) {
                // the client is gone; nothing left to tell it
            }
        } finally {
            count.accept(status); // no answer was sent
            ex.finish();
        }
    }

    private int route(HttpFront.Exchange ex, String path, String method) throws IOException {
        switch (path) {
            case "/metrics":
                return metrics(ex);
            case "/api/v1/health":
                return sendJson(ex, 200, health());
            case "/api/v1/health/live":
                return sendJson(ex, 200, live());
            case "/api/v1/health/ready":
                return ready(ex);
            case "/api/v1/health/metrics":
                return sendJson(ex, 200, systemMetrics());
            case "/api/v1/models":
            case "/api/v1/datasets":
            case "/api/v1/users/me":
            case "/api/v1/predict":
            case "/api/v1/training/jobs":
                return api(ex, path, method);
            default:
                return sendJson(ex, 404, Map.of("detail", "Not Found"));
        }
    }

    private int metrics(HttpFront.Exchange ex) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(ex.header("Accept"));
        if (!writer.isAvailable()) {
            writer = formats.getPrometheusTextFormatWriter();
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(16 * 1024);
        boolean gzip = accepts(ex, "gzip");
        try (OutputStream out = gzip ? new GZIPOutputStream(buf) : buf) {
            writer.write(out, metrics.registry.scrape());
        }
        ex.respond(200, gzip ? Map.of("Content-Type", writer.getContentType(), "Content-Encoding", "gzip")
                : Map.of("Content-Type", writer.getContentType()), buf.toByteArray());
        return 200;
    }

    private HealthAnswers.Health health() {
        return healthAnswer(now());
    }

    private HealthAnswers.Live live() {
        return liveAnswer(now(), Math.round((Instant.now().toEpochMilli() - started.toEpochMilli()) / 100.0) / 10.0,
                ProcessHandle.current().pid());
    }

    private int ready(HttpFront.Exchange ex) throws IOException {
        HealthAnswers.Ready r = readyAnswer(now(), readiness.run(readings.last()));
        return sendJson(ex, r.failed() == null ? 200 : 503, r);
    }

    private HealthAnswers.SystemMetrics systemMetrics() {
        return metricsAnswer(now(), readings.last(), config.scenario().name());
    }

    /** {@code /api/v1/health}'s answer at the given time. */
    static HealthAnswers.Health healthAnswer(String timestamp) {
        return new HealthAnswers.Health("healthy", timestamp, BACKEND_VERSION, ENVIRONMENT, SERVICE);
    }

    /** {@code /api/v1/health/live}'s answer at the given time, up so long, in this process. */
    static HealthAnswers.Live liveAnswer(String timestamp, double uptimeSeconds, long pid) {
        return new HealthAnswers.Live("alive", timestamp, uptimeSeconds, pid);
    }

    /** {@code /api/v1/health/ready}'s answer at the given time, from the dependency checks (503 when one fails). */
    static HealthAnswers.Ready readyAnswer(String timestamp, Map<String, Readiness.Check> checks) {
        List<String> failed = checks.entrySet().stream().filter(e -> e.getValue().failed()).map(Map.Entry::getKey)
                .toList();
        return new HealthAnswers.Ready(failed.isEmpty() ? "ready" : "not_ready", timestamp, checks,
                failed.isEmpty() ? null : failed);
    }

    /** {@code /api/v1/health/metrics}'s answer at the given time, from a reading, under the named scenario. */
    static HealthAnswers.SystemMetrics metricsAnswer(String timestamp, SystemReadings.Reading r, String scenario) {
        return new HealthAnswers.SystemMetrics(timestamp, round1(r.cpuPercent()), round1(r.memoryPercent()),
                round1(r.diskPercent()), r.diskPath(), r.synthetic(), r.synthetic() ? "synthetic: scenario " + scenario
                        + " simulates an overloaded host" : "host readings (oshi)", scenario);
    }

    /** An answer's body, as the demo sends it. */
    static byte[] body(Object answer) throws IOException {
        return JSON.writeValueAsBytes(answer);
    }

    /**
     * Whether this API request fails: exactly the scenario's share of requests over time, not a dice roll, so that
     * even a short window shows the error rate the scenario promises (and its alert fires reliably).
     */
    private boolean failNext(double ratio) {
        synchronized (errorBudget) {
            errorBudget[0]++;
            if (errorBudget[1] + 1 <= ratio * errorBudget[0]) {
                errorBudget[1]++;
                return true;
            }
            return false;
        }
    }

    /** An API route: simulated work, a simulated cache lookup, and the scenario's share of failures. */
    private int api(HttpFront.Exchange ex, String path, String method) throws IOException {
        Scenario s = config.scenario();
        double latencyMs = s.latencyMedianMs() * Math.exp(random.nextGaussian() * s.latencySigma());
        sleep((long) Math.min(latencyMs, 9_000));
        if (random.nextDouble() < s.cacheHitRatio()) {
            metrics.cacheHits.inc();
        } else {
            metrics.cacheMisses.inc();
        }
        double roll = random.nextDouble();
        if (failNext(s.errorRatio())) {
            double kind = random.nextDouble();
            String type = kind < 0.4 ? "database" : kind < 0.7 ? "timeout" : "internal";
            metrics.errors.labelValues(type).inc();
            int status = type.equals("timeout") ? 504 : 500;
            return sendJson(ex, status, Map.of("detail", type + " error (simulated)"));
        }
        if (method.equals("POST") && roll > 0.985) {
            metrics.errors.labelValues("validation").inc();
            return sendJson(ex, 422, Map.of("detail", "validation error (simulated)"));
        }
        if (path.equals("/api/v1/training/jobs") && method.equals("POST")) {
            simulation.trainingStarted();
            return sendJson(ex, 201, Map.of("job_id", Long.toHexString(random.nextLong()), "status", "started"));
        }
        return sendJson(ex, 200, Map.of("path", path, "items", random.nextInt(50)));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static int sendJson(HttpFront.Exchange ex, int status, Object body) throws IOException {
        ex.respond(status, Map.of("Content-Type", "application/json"), body(body));
        return status;
    }

    private static boolean accepts(HttpFront.Exchange ex, String encoding) {
        String ae = ex.header("Accept-Encoding");
        return ae != null && ae.toLowerCase(java.util.Locale.ROOT).contains(encoding);
    }

    private static String now() {
        return TIMESTAMP.format(Instant.now());
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
