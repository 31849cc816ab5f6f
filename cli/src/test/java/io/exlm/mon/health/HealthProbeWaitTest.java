package io.exlm.mon.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code --wait} on a clock of the test's own: every decision of the loop, and no real time spent. */
class HealthProbeWaitTest {
    private static final List<HealthProbe.Target> ONE = List.of(new HealthProbe.Target("basic", "http://x/health"));

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<Duration> pauses = new ArrayList<>();

    private final HealthProbe.Sleeper sleeper = d -> {
        pauses.add(d);
        clock.addAndGet(d.toNanos());
    };

    private static HttpResponse healthy(String url) {
        return new HttpResponse(url, 200, "application/json", Map.of(),
                "{\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8), 1);
    }

    private static HttpResponse unhealthy(String url) {
        return new HttpResponse(url, 503, "application/json", Map.of(),
                "{\"status\":\"unhealthy\"}".getBytes(StandardCharsets.UTF_8), 1);
    }

    /** A call to a server that accepts and never answers: it lasts its whole limit, then times out. */
    private record Call(long startNanos, Duration limit) {
    }

    @Test
    void noAttemptAndNoPauseRunsPastTheDeadline() {
        long start = clock.get();
        long deadline = start + Duration.ofSeconds(15).toNanos();
        List<Call> calls = new ArrayList<>();
        HealthProbe probe = new HealthProbe((url, accept, limit) -> {
            calls.add(new Call(clock.get(), limit));
            clock.addAndGet(limit.toNanos());
            throw new HttpFailure(HttpFailure.Kind.TIMEOUT, url, 0, "GET " + url + ": no answer", null);
        }, clock::get, sleeper);

        HealthReport r = probe.waitUntilHealthy("x", ONE, new WaitPolicy(Duration.ofSeconds(15),
                Duration.ofSeconds(1), Duration.ofSeconds(10), 1), clock.get(), p -> { });

        // the old loop: a 10 s attempt, a pause, then a last 10 s attempt at 11 s: 21 s in all
        assertThat(calls).isNotEmpty().allSatisfy(c -> assertThat(c.limit())
                .isLessThanOrEqualTo(Duration.ofNanos(deadline - c.startNanos()))
                .isLessThanOrEqualTo(Duration.ofSeconds(10)));
        assertThat(calls.get(0).limit()).isEqualTo(Duration.ofSeconds(10));
        assertThat(clock.get()).isLessThanOrEqualTo(deadline);
        assertThat(r.status()).isEqualTo(HealthStatus.UNREACHABLE);
        assertThat(r.attempts()).isEqualTo(calls.size());
        assertThat(r.elapsedMillis()).isLessThanOrEqualTo(15_000);
    }

    @Test
    void pausesBackOffAndStopShortOfTheDeadline() {
        long start = clock.get();
        HealthProbe probe = new HealthProbe((url, accept, limit) -> {
            throw new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, "GET " + url + ": connection refused", null);
        }, clock::get, sleeper);

        probe.waitUntilHealthy("x", ONE, new WaitPolicy(Duration.ofSeconds(10), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 1), clock.get(), p -> { });

        assertThat(pauses).extracting(Duration::toMillis).containsExactly(1000L, 2000L, 4000L, 2900L);
        assertThat(clock.get() - start).isLessThanOrEqualTo(Duration.ofSeconds(10).toNanos());
    }

    @Test
    void successThresholdCountsPassingAttemptsInARow() {
        String[] script = {"pass", "fail", "pass", "pass", "pass", "fail"};
        int[] n = {0};
        HealthProbe probe = new HealthProbe((url, accept, limit) -> script[n[0]++].equals("pass") ? healthy(url)
                : unhealthy(url), clock::get, sleeper);

        HealthReport r = probe.waitUntilHealthy("x", ONE, new WaitPolicy(Duration.ofMinutes(1),
                Duration.ofSeconds(1), Duration.ofSeconds(10), 3), clock.get(), p -> { });

        assertThat(r.healthy()).isTrue();
        assertThat(r.attempts()).isEqualTo(5);
        assertThat(r.consecutiveSuccesses()).isEqualTo(3);
        // after a passing attempt the pause is the interval itself: no back-off while the check passes
        assertThat(pauses).extracting(Duration::toMillis).containsExactly(1000L, 1000L, 1000L, 1000L);
        assertThat(r.traces().get(0)).isEqualTo(new CheckTrace(5, 4, 1, 2));
        assertThat(r.flapping()).containsExactly("basic");
    }

    @Test
    void passingTooFewTimesInARowByTheDeadlineIsNotHealthy() {
        HealthProbe probe = new HealthProbe((url, accept, limit) -> healthy(url), clock::get, sleeper);

        HealthReport r = probe.waitUntilHealthy("x", ONE, new WaitPolicy(Duration.ofMillis(2500),
                Duration.ofSeconds(1), Duration.ofSeconds(10), 5), clock.get(), p -> { });

        // at 0, 1 s, 2 s and, cut short, 2.4 s: the last one still has its 100 ms
        assertThat(r.attempts()).isEqualTo(4);
        assertThat(pauses).extracting(Duration::toMillis).containsExactly(1000L, 1000L, 400L);
        assertThat(r.belowThreshold()).isTrue();
        assertThat(r.status()).isEqualTo(HealthStatus.UNHEALTHY);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.flapping()).isEmpty();
    }

    @Test
    void theWaitCountsFromTheStartOfTheRun() {
        long startedTwoSecondsAgo = clock.get() - Duration.ofSeconds(2).toNanos();
        List<Duration> limits = new ArrayList<>();
        HealthProbe probe = new HealthProbe((url, accept, limit) -> {
            limits.add(limit);
            clock.addAndGet(limit.toNanos());
            throw new HttpFailure(HttpFailure.Kind.TIMEOUT, url, 0, "GET " + url + ": no answer", null);
        }, clock::get, sleeper);

        HealthReport r = probe.waitUntilHealthy("x", ONE, new WaitPolicy(Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(10), 1), startedTwoSecondsAgo, p -> { });

        // start-up took 2 s of the 5: the first and only attempt gets the other 3
        assertThat(limits).containsExactly(Duration.ofSeconds(3));
        assertThat(r.elapsedMillis()).isEqualTo(5_000);
    }
}
