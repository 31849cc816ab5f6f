package io.exlm.mon.health;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
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
import java.util.function.LongSupplier;

/**
 * Queries health endpoints (concurrently, so that the verdict costs the slowest endpoint's time, not the sum of all)
 * and, with {@link #waitUntilHealthy}, polls them until they pass often enough in a row or the deadline comes.
 */
public final class HealthProbe {
    /** One endpoint to check: a name for the table and its URL. */
    public record Target(String name, String url) {
    }

    /** How a check fetches its URL: the HTTP layer, within a limit (null: the request timeout). */
    @FunctionalInterface
    public interface Fetch {
        HttpResponse get(String url, String accept, Duration limit);
    }

    /** Waits between attempts; tests give one that only moves their clock. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    static final String ACCEPT = "application/health+json, application/json;q=0.9, text/plain;q=0.5, */*;q=0.1";

    private final Fetch fetch;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;

    public HealthProbe(HttpLayer http) {
        this((url, accept, limit) -> limit == null ? http.get(url, accept) : http.get(url, accept, limit),
                System::nanoTime, d -> Thread.sleep(d.toMillis()));
    }

    /** With its own way to fetch, its own clock (in nanoseconds) and its own sleep: for tests. */
    public HealthProbe(Fetch fetch, LongSupplier nanoClock, Sleeper sleeper) {
        this.fetch = fetch;
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
    }

    public static List<Target> backendTargets(String backendUrl, List<Endpoint> endpoints) {
        List<Target> targets = new ArrayList<>();
        for (Endpoint e : endpoints) {
            targets.add(new Target(e.id(), backendUrl + e.path()));
        }
        return targets;
    }

    /** Runs every check once, each within the request timeout. */
    public HealthReport check(String label, List<Target> targets) {
        long start = nanoClock.getAsLong();
        List<CheckResult> results = attempt(targets, null);
        return HealthReport.once(label, results, (nanoClock.getAsLong() - start) / 1_000_000);
    }

    /**
     * Polls until every check passes in {@code policy.successThreshold()} consecutive attempts or the deadline comes,
     * treating refused connections, timeouts and unhealthy answers alike as "not yet". No attempt runs past the
     * deadline (each HTTP call gets what is left of it at most) and no pause either. The wait counts from
     * {@code startedNanos} (on this probe's clock): a command's start-up is part of it. Returns the last attempt with
     * every check's history; {@code progress} hears each change of state.
     */
    public HealthReport waitUntilHealthy(String label, List<Target> targets, WaitPolicy policy, long startedNanos,
            Consumer<HealthReport> progress) {
        long start = Math.min(startedNanos, nanoClock.getAsLong());
        long deadline = start + policy.length().toNanos();
        CheckTrace[] traces = new CheckTrace[targets.size()];
        int attempts = 0;
        int streak = 0;
        int failures = 0;
        String lastState = null;
        while (true) {
            Duration limit = policy.attemptLimit(Duration.ofNanos(deadline - nanoClock.getAsLong()));
            List<CheckResult> results = attempt(targets, limit);
            attempts++;
            for (int i = 0; i < results.size(); i++) {
                boolean pass = results.get(i).status().passes();
                traces[i] = traces[i] == null ? CheckTrace.once(pass) : traces[i].then(attempts, pass);
            }
            boolean passed = results.stream().allMatch(c -> c.status().passes());
            streak = passed ? streak + 1 : 0;
            failures = passed ? 0 : failures + 1;
            HealthReport r = new HealthReport(label, results, List.of(traces), attempts,
                    (nanoClock.getAsLong() - start) / 1_000_000, policy.successThreshold(), streak);
            if (passed && streak >= policy.successThreshold()) {
                return r;
            }
            Duration pause = policy.pause(failures, Duration.ofNanos(deadline - nanoClock.getAsLong()));
            if (pause == null) {
                return r; // the verdict says the rest: no "waiting" line after the last attempt
            }
            String state = stateOf(r);
            if (!state.equals(lastState)) {
                progress.accept(r);
                lastState = state;
            }
            try {
                sleeper.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExitException(ExitCode.UNREACHABLE, "interrupted while waiting");
            }
        }
    }

    private static String stateOf(HealthReport r) {
        StringBuilder sb = new StringBuilder();
        for (CheckResult c : r.checks()) {
            sb.append(c.name()).append('=').append(c.status()).append(':').append(c.failureKind()).append(';');
        }
        return sb.append(r.consecutiveSuccesses()).toString();
    }

    /** Every check once, concurrently; the results in the order of {@code targets}. */
    private List<CheckResult> attempt(List<Target> targets, Duration limit) {
        if (targets.size() == 1) {
            return List.of(checkOne(targets.get(0), limit));
        }
        ExecutorService pool = Executors.newFixedThreadPool(targets.size(), r -> {
            Thread t = new Thread(r, "exlm-health");
            t.setDaemon(true);
            return t;
        });
        try {
            List<CompletableFuture<CheckResult>> futures = new ArrayList<>();
            for (Target t : targets) {
                futures.add(CompletableFuture.supplyAsync(() -> checkOne(t, limit), pool));
            }
            return futures.stream().map(CompletableFuture::join).toList();
        } finally {
            pool.shutdownNow();
        }
    }

    CheckResult checkOne(Target target, Duration limit) {
        long start = nanoClock.getAsLong();
        try {
            HttpResponse r = fetch.get(target.url(), ACCEPT, limit);
            HealthDocument.Reading reading = HealthDocument.read(r);
            return new CheckResult(target.name(), r.url(), reading.status(), r.status(), r.elapsedMillis(),
                    reading.format(), reading.summary(), reading.dependencies(), reading.values(), null, null);
        } catch (HttpFailure f) {
            return new CheckResult(target.name(), target.url(), HealthStatus.UNREACHABLE, f.status(),
                    (nanoClock.getAsLong() - start) / 1_000_000, null, f.kind().label(), List.of(), Map.of(),
                    f.getMessage(), f.kind());
        }
    }
}
