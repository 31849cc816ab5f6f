package io.exlm.mon.stack;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
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

    /**
     * Whether data flows through Prometheus: every active target scraped once, every rule group evaluated once, and
     * an Alertmanager discovered; {@code waiting} says what is still awaited (empty when it flows).
     */
    public record DataFlow(boolean flowing, List<String> waiting, long elapsedMillis) {
    }

    /** What is still awaited before data flows, as one line each; empty when it flows. */
    public static List<String> dataAwaited(PrometheusClient prometheus) {
        return dataAwaited(prometheus, List.of());
    }

    /**
     * {@link #dataAwaited(PrometheusClient)} for a store whose targets are scraped by {@code scrapers} (the sharded
     * topology's members, each listing its share at /api/v1/targets); empty for a Prometheus that scrapes itself.
     * vmalert's Alertmanager is a flag, not discovered: it is not awaited.
     */
    public static List<String> dataAwaited(PrometheusClient prometheus, List<PrometheusClient> scrapers) {
        List<String> waiting = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        if (scrapers.isEmpty()) {
            targets.addAll(prometheus.targets());
        } else {
            for (PrometheusClient s : scrapers) {
                targets.addAll(s.targets());
            }
        }
        List<String> unscraped = new ArrayList<>();
        for (Target t : targets) {
            if (PrometheusClient.isZeroTime(t.lastScrape()) && "unknown".equals(t.health())) {
                unscraped.add(t.job());
            }
        }
        if (targets.isEmpty()) {
            waiting.add("no scrape target discovered yet");
        } else if (!unscraped.isEmpty()) {
            waiting.add(unscraped.size() + " of " + targets.size() + " targets not scraped yet ("
                    + String.join(", ", unscraped) + ")");
        }
        List<RuleGroup> groups = prometheus.rules();
        List<String> unevaluated = new ArrayList<>();
        for (RuleGroup g : groups) {
            // an API that does not say when it evaluated: its rules' health tells (unknown until evaluated)
            boolean notYet = g.lastEvaluation() != null ? PrometheusClient.isZeroTime(g.lastEvaluation())
                    : g.rules().stream().allMatch(r -> "unknown".equals(r.health()));
            if (notYet && !g.rules().isEmpty()) {
                unevaluated.add(g.name());
            }
        }
        if (!unevaluated.isEmpty()) {
            waiting.add(unevaluated.size() + " of " + groups.size() + " rule groups not evaluated yet ("
                    + String.join(", ", unevaluated) + ")");
        }
        // an Alertmanager is awaited only when the configuration names one: without, none will come
        if (scrapers.isEmpty() && prometheus.alertmanagers().active().isEmpty()
                && io.exlm.mon.promql.PrometheusYaml.configuresAlertmanagers(prometheus.config())) {
            waiting.add("no Alertmanager discovered yet");
        }
        return waiting;
    }

    /**
     * Polls Prometheus until data flows (see {@link #dataAwaited}) or the deadline passes; tells {@code progress}
     * when what is awaited changes. A Prometheus that stops answering is awaited too.
     */
    public static DataFlow awaitData(HttpLayer http, String prometheusUrl, Duration timeout,
            Consumer<String> progress) {
        return awaitData(http, prometheusUrl, List.of(), timeout, progress);
    }

    /** {@link #awaitData}, the targets listed by {@code scraperUrls} (the sharded members) when not empty. */
    public static DataFlow awaitData(HttpLayer http, String prometheusUrl, List<String> scraperUrls, Duration timeout,
            Consumer<String> progress) {
        PrometheusClient prometheus = new PrometheusClient(http, prometheusUrl);
        List<PrometheusClient> scrapers = scraperUrls.stream().map(u -> new PrometheusClient(http, u)).toList();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String last = null;
        while (true) {
            List<String> waiting;
            try {
                waiting = dataAwaited(prometheus, scrapers);
            } catch (RuntimeException e) {
                String why = io.exlm.mon.Text.printable(String.valueOf(e.getMessage()));
                waiting = List.of("Prometheus's API does not answer (" + (why.length() > 160 ? why.substring(0, 157)
                        + "..." : why) + ")");
            }
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (waiting.isEmpty()) {
                progress.accept("data flows: every target scraped, every rule group evaluated, Alertmanager"
                        + " discovered (" + io.exlm.mon.config.Durations.human(Duration.ofMillis(elapsed)) + ")");
                return new DataFlow(true, waiting, elapsed);
            }
            String now = String.join("; ", waiting);
            if (!now.equals(last)) {
                progress.accept("waiting for data: " + now);
                last = now;
            }
            if (System.nanoTime() > deadline) {
                return new DataFlow(false, waiting, elapsed);
            }
            pause();
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
                        + io.exlm.mon.config.Durations.human(Duration.ofMillis(elapsed)) + ")");
                return new Outcome(health, elapsed, true);
            }
            String now = String.join(", ", waiting);
            if (!now.equals(lastWaiting)) {
                progress.accept("waiting: " + ready + " of " + parts.size() + " ready; not yet: " + now + " ("
                        + io.exlm.mon.config.Durations.human(Duration.ofMillis(elapsed)) + " of "
                        + io.exlm.mon.config.Durations.format(timeout) + ")");
                lastWaiting = now;
            }
            if (System.nanoTime() > deadline) {
                return new Outcome(health, elapsed, false);
            }
            pause();
        }
    }

    /** Between two polls of a wait. */
    private static void pause() {
        try {
            Thread.sleep(250);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCode.UNHEALTHY, "interrupted while waiting for the stack");
        }
    }
}
