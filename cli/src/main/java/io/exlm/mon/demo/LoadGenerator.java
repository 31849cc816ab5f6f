package io.exlm.mon.demo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Sends real HTTP requests to the demo's own API routes, so that request counters and latency histograms record
 * real requests. Requests are asynchronous and bounded: a slow scenario raises concurrency, never the thread count.
 */
final class LoadGenerator implements AutoCloseable {
    static final String[][] ROUTES = {
        {"GET", "/api/v1/models"}, {"GET", "/api/v1/models"}, {"GET", "/api/v1/datasets"},
        {"GET", "/api/v1/datasets"}, {"GET", "/api/v1/users/me"}, {"POST", "/api/v1/predict"},
        {"POST", "/api/v1/predict"}, {"POST", "/api/v1/training/jobs"},
    };
    private static final int MAX_IN_FLIGHT = 256;

    private final HttpClient client;
    private final java.util.concurrent.ExecutorService clientThreads;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final Random random = new Random();
    private final String baseUrl;

    LoadGenerator(String baseUrl, double requestsPerSecond) {
        this.baseUrl = baseUrl;
        this.clientThreads = Executors.newFixedThreadPool(2, DemoServer.daemonThreads("exlm-demo-load"));
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).executor(clientThreads).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DemoServer.daemonThreads("exlm-demo-load-tick"));
        long periodMicros = Math.max(1000, (long) (1_000_000 / requestsPerSecond));
        scheduler.scheduleAtFixedRate(this::send, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void send() {
        if (!inFlight.tryAcquire()) {
            return;
        }
        String[] route = ROUTES[random.nextInt(ROUTES.length)];
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + route[1])).timeout(Duration.ofSeconds(30));
        if (route[0].equals("POST")) {
            b.POST(HttpRequest.BodyPublishers.ofString("{\"input\":[1,2,3]}")).header("Content-Type",
                    "application/json");
        }
        try {
            client.sendAsync(b.build(), HttpResponse.BodyHandlers.discarding())
                    .whenComplete((r, e) -> inFlight.release());
        } catch (RuntimeException e) {
            inFlight.release();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        clientThreads.shutdownNow();
    }
}
