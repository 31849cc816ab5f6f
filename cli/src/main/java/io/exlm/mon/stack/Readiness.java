package io.exlm.mon.stack;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Whether the parts of the stack answer their ready (or health, or metrics) endpoint, and waiting until they do. */
public final class Readiness {
    public static final String OK = "ok";
    public static final String FAILING = "failing";
    public static final String UNREACHABLE = "unreachable";

    private Readiness() {
    }

    /** ok when the URL answers 2xx, failing when it answers otherwise, unreachable when it does not answer. */
    public static String probe(HttpLayer http, String url) {
        try {
            HttpResponse r = http.get(url, "*/*");
            return r.ok() ? OK : FAILING;
        } catch (HttpFailure e) {
            return UNREACHABLE;
        }
    }

    /** What a wait ended with: each part's last health. */
    public record Outcome(Map<Component, String> health, long elapsedMillis, boolean allReady) {
    }

    /**
     * Polls every part until each answers its ready URL, a part's process exits, or the timeout passes; tells
     * {@code progress} each time the set of parts still awaited changes.
     */
    public static Outcome await(HttpLayer http, StackRuntime runtime, StackConfig config, List<PartReport> parts,
            Duration timeout, Consumer<String> progress) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Map<Component, String> health = new LinkedHashMap<>();
        String lastWaiting = null;
        while (true) {
            List<String> waiting = new ArrayList<>();
            for (PartReport p : parts) {
                String h = health.get(p.component());
                if (OK.equals(h)) {
                    continue;
                }
                h = probe(http, config.readyUrl(p.component()));
                if (!h.equals(OK) && !runtime.alive(p)) {
                    throw new ExitException(ExitCode.UNHEALTHY, p.name() + " exited while exlm-mon waited for it"
                            + (p.log() == null ? "" : "; see its log: " + p.log()));
                }
                health.put(p.component(), h);
                if (!h.equals(OK)) {
                    waiting.add(p.name() + " " + h);
                }
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            int ready = parts.size() - waiting.size();
            if (waiting.isEmpty()) {
                progress.accept("ready: " + ready + " of " + parts.size() + " parts answer ("
                        + io.exlm.mon.config.Durations.format(Duration.ofMillis(elapsed)) + ")");
                return new Outcome(health, elapsed, true);
            }
            String now = String.join(", ", waiting);
            if (!now.equals(lastWaiting)) {
                progress.accept("waiting: " + ready + " of " + parts.size() + " ready; not yet: " + now + " ("
                        + io.exlm.mon.config.Durations.format(Duration.ofMillis(elapsed)) + " of "
                        + io.exlm.mon.config.Durations.format(timeout) + ")");
                lastWaiting = now;
            }
            if (System.nanoTime() > deadline) {
                return new Outcome(health, elapsed, false);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ExitException(ExitCode.UNHEALTHY, "interrupted while waiting for the stack");
            }
        }
    }
}
