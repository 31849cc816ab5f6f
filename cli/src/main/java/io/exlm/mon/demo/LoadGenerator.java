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
 *
 * <p>HTTP/1.1 without pipelining needs a connection per request in flight, and the client keeps every connection it
 * opened pooled (for 20 minutes by default). So the bound on requests in flight is the bound on connections: twice
 * what the scenario needs on average (Little's law: rate times mean latency), at least 4. With the old bound of 256,
 * a server stalled for a few seconds made the client open up to 256 connections and keep them all.
 */
final class LoadGenerator implements AutoCloseable {
    static final String[][] ROUTES = {
        {"GET", "/api/v1/models"}, {"GET", "/api/v1/models"}, {"GET", "/api/v1/datasets"},
        {"GET", "/api/v1/datasets"}, {"GET", "/api/v1/users/me"}, {"POST", "/api/v1/predict"},
        {"POST", "/api/v1/predict"}, {"POST", "/api/v1/training/jobs"},
    };
    private static final int MIN_IN_FLIGHT = 4;
    private static final int MAX_IN_FLIGHT = 256;

    private final HttpClient client;
    private final java.util.concurrent.ExecutorService clientThreads;
    private final ScheduledExecutorService scheduler;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Random random = new Random();
    private final String baseUrl;

    LoadGenerator(String baseUrl, Scenario scenario, Duration addedLatency) {
        this.baseUrl = baseUrl;
        this.maxInFlight = maxInFlight(scenario, addedLatency);
        this.inFlight = new Semaphore(maxInFlight);
        this.clientThreads = Executors.newFixedThreadPool(2, DemoServer.daemonThreads("exlm-demo-load"));
        // HTTP/1.1 outright: the default (HTTP/2) sends an h2c upgrade with every first request on a connection
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).executor(clientThreads).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(DemoServer.daemonThreads("exlm-demo-load-tick"));
        long periodMicros = Math.max(1000, (long) (1_000_000 / scenario.requestsPerSecond()));
        scheduler.scheduleAtFixedRate(this::send, periodMicros, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Requests (and so connections) in flight at most: twice the scenario's mean, within 4..256. */
    static int maxInFlight(Scenario s, Duration addedLatency) {
        double meanSeconds = s.latencyMedianMs() / 1000 * Math.exp(s.latencySigma() * s.latencySigma() / 2)
                + addedLatency.toNanos() / 1e9;
        long needed = (long) Math.ceil(2 * s.requestsPerSecond() * meanSeconds);
        return (int) Math.max(MIN_IN_FLIGHT, Math.min(MAX_IN_FLIGHT, needed));
    }

    int maxInFlight() {
        return maxInFlight;
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
