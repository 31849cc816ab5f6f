package io.exlm.mon.health;

import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Queries health endpoints (concurrently, so that an unreachable host costs one timeout, not four) and, with
 * {@link #waitUntilHealthy}, polls them until they pass or a deadline comes.
 */
public final class HealthProbe {
    /** One endpoint to check: a name for the table and its URL. */
    public record Target(String name, String url) {
    }

    static final String ACCEPT = "application/health+json, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1";

    private final HttpLayer http;

    public HealthProbe(HttpLayer http) {
        this.http = http;
    }

    public static List<Target> backendTargets(String backendUrl, List<Endpoint> endpoints) {
        List<Target> targets = new ArrayList<>();
        for (Endpoint e : endpoints) {
            targets.add(new Target(e.id(), backendUrl + e.path()));
        }
        return targets;
    }

    /** Runs every check once. */
    public HealthReport check(String label, List<Target> targets) {
        long start = System.nanoTime();
        List<CheckResult> results;
        if (targets.size() == 1) {
            results = List.of(checkOne(targets.get(0)));
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(targets.size(), r -> {
                Thread t = new Thread(r, "exlm-health");
                t.setDaemon(true);
                return t;
            });
            try {
                List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
                for (Target t : targets) {
                    futures.add(CompletableFuture.supplyAsync(() -> checkOne(t), pool));
                }
                results = futures.stream().map(CompletableFuture::join).toList();
            } finally {
                pool.shutdownNow();
            }
        }
        return new HealthReport(label, results, 1, (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * Polls until every check passes or the deadline comes, treating refused connections, timeouts and unhealthy
     * answers alike as "not yet". Returns the last report; {@code progress} hears each change of state.
     */
    public HealthReport waitUntilHealthy(String label, List<Target> targets, Duration wait, Duration interval,
            Consumer<HealthReport> progress) {
        long start = System.nanoTime();
        long deadline = start + wait.toNanos();
        int attempts = 0;
        String lastState = null;
        while (true) {
            HealthReport r = check(label, targets);
            attempts++;
            if (r.healthy()) {
                return new HealthReport(label, r.checks(), attempts, (System.nanoTime() - start) / 1_000_000);
            }
            String state = stateOf(r);
            if (!state.equals(lastState)) {
                progress.accept(new HealthReport(label, r.checks(), attempts, (System.nanoTime() - start) / 1_000_000));
                lastState = state;
            }
            long now = System.nanoTime();
            if (now + interval.toNanos() > deadline) {
                long left = deadline - now;
                if (left > 0) {
                    sleep(left / 1_000_000);
                    r = check(label, targets);
                    attempts++;
                }
                return new HealthReport(label, r.checks(), attempts, (System.nanoTime() - start) / 1_000_000);
            }
            sleep(interval.toMillis());
        }
    }

    private static String stateOf(HealthReport r) {
        StringBuilder sb = new StringBuilder();
        for (CheckResult c : r.checks()) {
            sb.append(c.name()).append('=').append(c.status()).append(':').append(c.failureKind()).append(';');
        }
        return sb.toString();
    }

    CheckResult checkOne(Target target) {
        long start = System.nanoTime();
        try {
            HttpResponse r = http.get(target.url(), ACCEPT);
            HealthDocument.Reading reading = HealthDocument.read(r);
            return new CheckResult(target.name(), r.url(), reading.status(), r.status(), r.elapsedMillis(),
                    reading.format(), reading.summary(), reading.dependencies(), reading.values(), null, null);
        } catch (HttpFailure f) {
            return new CheckResult(target.name(), target.url(), HealthStatus.UNREACHABLE, f.status(),
                    (System.nanoTime() - start) / 1_000_000, null, f.kind().label(), List.of(), Map.of(),
                    f.getMessage(), f.kind());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(Math.max(0, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "interrupted while waiting");
        }
    }
}
