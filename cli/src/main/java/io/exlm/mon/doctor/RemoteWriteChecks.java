package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.Yaml;
import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.source.Scraper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether Prometheus's remote write keeps up: for each {@code remote_write} of the configuration it runs, how far the
 * samples sent lag behind the samples it appended, from Prometheus's own metrics (its /metrics, read directly, so
 * that the answer does not wait for Prometheus to scrape itself).
 *
 * <p>A queue is behind when the newest sample it sent is older than the newest appended by more than one batch's
 * deadline ({@code queue_config.batch_send_deadline}, 5 s by default) and two scrape intervals: what batching explains.
 * Behind by more than {@link #FAIL_BEHIND} fails; behind by less fails when the receiver also refuses connections
 * from here, and else warns (a receiver slow for a moment). A queue that has sent nothing is warming up until its
 * first batch can have gone, then fails. Samples the receiver rejected (a 4xx: lost, not retried) warn.
 */
final class RemoteWriteChecks {
    static final String ID = "prometheus.remote-write";
    /** Behind by this much fails whatever the receiver says: Prometheus's own mixin alerts at 2 minutes. */
    static final Duration FAIL_BEHIND = Duration.ofMinutes(2);
    /** Prometheus's default {@code queue_config.batch_send_deadline}. */
    static final Duration DEFAULT_BATCH_DEADLINE = Duration.ofSeconds(5);
    private static final String PREFIX = "prometheus_remote_storage_";

    private RemoteWriteChecks() {
    }

    static List<Check> all() {
        return List.of(new Check(ID, "remote write keeps up with what Prometheus scrapes",
                List.of(PrometheusChecks.READY), RemoteWriteChecks::check));
    }

    /** One {@code remote_write} of the running configuration. */
    record Configured(String url, String name, Duration batchDeadline) {
    }

    /**
     * How one queue stands: the output contract of each entry of the check's {@code queues} figure in
     * {@code doctor -o json}. Jackson writes the fields in component order, snake_case ({@code url}, {@code name},
     * {@code status}, {@code behind_seconds} (null when nothing was sent yet), {@code samples_pending},
     * {@code samples_failed}, {@code samples_retried}, {@code samples_dropped}, {@code receiver},
     * {@code allowed_behind_seconds}: this queue's batch deadline and two scrape intervals), nulls included;
     * {@code receiver} says what a connection to the receiver from here found when the queue was behind, else null.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Queue(String url, String name, String status, Double behindSeconds, double samplesPending,
            double samplesFailed, double samplesRetried, double samplesDropped, String receiver,
            double allowedBehindSeconds) {
    }

    /** What a connection from here to a receiver finds: null when it connects, else why not. */
    @FunctionalInterface
    interface Probe {
        Refusal connect(String url);
    }

    /**
     * Why a connection failed; {@code refused} when the receiver's host said no (nothing listens), which from this
     * machine is evidence, as a name this machine cannot resolve (a container's) is not.
     */
    record Refusal(boolean refused, String reason) {
    }

    static Outcome check(DoctorEnv env) throws IOException {
        if (Shared.sharding(env) != null) {
            return ShardingChecks.remoteWrite(env, Shared.sharding(env));
        }
        if (Shared.foreignVictoriaMetrics(env) != null) {
            return VictoriaChecks.remoteWrite(env);
        }
        List<Configured> configured = configured(Shared.config(env));
        if (configured.isEmpty()) {
            return Outcome.skip("Prometheus has no remote_write in its configuration");
        }
        Scrape metrics;
        try {
            metrics = new Scraper(env.http()).scrape(env.prometheusUrl() + "/metrics", n -> n.startsWith(PREFIX));
        } catch (RuntimeException e) {
            return Outcome.warn("cannot read Prometheus's own /metrics (" + e.getMessage() + "), so whether remote"
                    + " write to " + urls(configured) + " keeps up is unknown")
                    .fix("let exlm-mon read " + env.prometheusUrl() + "/metrics, or look at"
                            + " prometheus_remote_storage_* there");
        }
        Warmup warmup = Shared.warmup(env);
        Duration timeout = env.http().options().connectTimeout();
        // a refusal from here speaks for Prometheus only when both see the same loopback: a receiver on localhost
        // is tried only when Prometheus is on this machine too
        boolean prometheusHere = loopback(env.prometheusUrl());
        Probe probe = url -> !prometheusHere && loopback(url) ? new Refusal(false, "is on loopback, and Prometheus is"
                + " not on this machine: not tried from here") : connect(url, timeout);
        Duration interval = scrapeInterval(env);
        return judge(configured, metrics, warmup, interval, probe, rejections(env, rejectionWindow(interval)));
    }

    /**
     * The samples each queue failed and attempted over {@code window}, from Prometheus's scrape of itself; null when
     * it has none (it does not scrape itself, or not for long enough).
     */
    static java.util.Map<String, Rejections> rejections(DoctorEnv env, Duration window) {
        try {
            String by = " by (remote_name, url) ";
            String w = Durations.format(window);
            io.exlm.mon.promql.QueryResult failed = Shared.query(env, "sum" + by + "(increase(" + PREFIX
                    + "samples_failed_total[" + w + "]))");
            io.exlm.mon.promql.QueryResult attempted = Shared.query(env, "sum" + by + "(increase(" + PREFIX
                    + "samples_total[" + w + "]))");
            if (failed.isEmpty() && attempted.isEmpty()) {
                return null;
            }
            java.util.Map<String, Double> tried = new java.util.HashMap<>();
            for (io.exlm.mon.promql.QueryResult.Series a : attempted.series()) {
                tried.put(a.metric().get("remote_name") + " " + a.metric().get("url"), a.value());
            }
            java.util.Map<String, Rejections> out = new java.util.HashMap<>();
            for (io.exlm.mon.promql.QueryResult.Series f : failed.series()) {
                String name = f.metric().get("remote_name");
                String url = f.metric().get("url");
                Rejections r = new Rejections(f.value(), tried.getOrDefault(name + " " + url, 0.0), window);
                out.put("name " + name, r);
                out.putIfAbsent("url " + url, r);
            }
            return out;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static boolean loopback(String url) {
        try {
            return io.exlm.mon.stack.HostPort.ofUrl(url, "url").loopback();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static Duration scrapeInterval(DoctorEnv env) {
        String global = PrometheusChecks.globalSetting(Shared.config(env), "scrape_interval");
        return global == null ? Duration.ofMinutes(1) : Durations.parseOr(global, Duration.ofMinutes(1));
    }

    /** The remote writes of a configuration as Prometheus reports it (/api/v1/status/config). */
    static List<Configured> configured(String yaml) {
        List<Configured> out = new ArrayList<>();
        JsonNode root;
        try {
            root = Yaml.read(yaml, "the configuration Prometheus reports (/api/v1/status/config)");
        } catch (Yaml.Malformed e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        for (JsonNode w : root.path("remote_write")) {
            String deadline = w.path("queue_config").path("batch_send_deadline").asText(null);
            out.add(new Configured(w.path("url").asText(), w.path("name").asText(null),
                    deadline == null ? DEFAULT_BATCH_DEADLINE : Durations.parseOr(deadline, DEFAULT_BATCH_DEADLINE)));
        }
        return out;
    }

    /**
     * What one queue's receiver rejected lately, from Prometheus's own scrape of itself: the samples it failed for
     * good (a 4xx: lost) and the samples it attempted, over the last {@code window} ({@link #rejectionWindow}).
     */
    record Rejections(double failed, double attempted, Duration window) {
        Rejections(double failed, double attempted) {
            this(failed, attempted, Duration.ofMinutes(1));
        }

        /** The share of the attempts that the receiver rejected; 0 when nothing was attempted. */
        double share() {
            return attempted <= 0 ? (failed > 0 ? 1 : 0) : Math.min(1, failed / attempted);
        }
    }

    /**
     * How far back doctor reads the rejections: four scrapes of Prometheus's own metrics, and at least a minute (a
     * batch or two at the default deadline); short, so that a token that has just expired is not outweighed by the
     * minutes it still worked.
     */
    static Duration rejectionWindow(Duration scrapeInterval) {
        Duration four = scrapeInterval.multipliedBy(4);
        return four.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : four;
    }
    /** Rejected at least this share of the attempts: the receiver takes nothing (a wrong token, a wrong tenant). */
    static final double REJECTED_ALL = 0.5;

    /**
     * The verdict over every queue, from Prometheus's metrics; {@code warmup} null when its age is unknown;
     * {@code rejections} by queue ({@link #key}) over the last minutes, null when Prometheus does not scrape itself
     * (then only the count since it started is known).
     */
    static Outcome judge(List<Configured> configured, Scrape metrics, Warmup warmup, Duration scrapeInterval,
            Probe probe, java.util.Map<String, Rejections> rejections) {
        Double highest = single(metrics, PREFIX + "highest_timestamp_in_seconds", null);
        List<Queue> queues = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        List<String> warning = new ArrayList<>();
        List<String> warming = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        Instant expected = null;
        for (Configured c : configured) {
            Double sent = queueValue(metrics, "queue_highest_sent_timestamp_seconds", c);
            double pending = orZero(queueValue(metrics, "samples_pending", c));
            double failed = orZero(queueValue(metrics, "samples_failed_total", c));
            double retried = orZero(queueValue(metrics, "samples_retried_total", c));
            double dropped = orZero(queueValue(metrics, "samples_dropped_total", c));
            Duration allowed = c.batchDeadline().plus(scrapeInterval.multipliedBy(2));
            String status;
            Double behind = null;
            String receiver = null;
            String what;
            if (sent == null || sent <= 0) {
                Instant by = warmup == null ? null : warmup.firstScrapeBy(scrapeInterval).plus(allowed);
                if ((highest == null || highest <= 0) && (by == null || !warmup.before(by))) {
                    status = Status.OK.label();
                    what = c.url() + ": nothing to send (Prometheus has appended no samples)";
                } else if (highest == null || highest <= 0) {
                    status = Status.WARMING.label();
                    what = c.url() + ": nothing appended yet, so nothing to send";
                } else if (by != null && warmup.before(by)) {
                    status = Status.WARMING.label();
                    what = c.url() + ": no batch sent yet (Prometheus started " + Warmup.clock(warmup.started())
                            + ")";
                } else {
                    // nothing sent yet, past the first batch's time: as far behind as the time since then (a
                    // replay of a long write-ahead log after a restart comes before the first send)
                    Refusal r = probe.connect(c.url());
                    receiver = r == null ? "connects" : r.reason();
                    double late = warmup == null ? Double.NaN
                            : Duration.between(by, warmup.now()).toMillis() / 1000.0 + seconds(allowed);
                    boolean fails = r != null && r.refused() || !(late <= seconds(FAIL_BEHIND));
                    status = fails ? Status.FAIL.label() : Status.WARN.label();
                    what = c.url() + ": nothing sent since Prometheus started" + (warmup == null ? ""
                            : " " + seconds(Duration.between(warmup.started(), warmup.now()).toMillis() / 1000.0)
                                    + " ago") + (pending > 0 ? ", " + count(pending) + " samples waiting" : "")
                            + (r == null ? "" : "; the receiver " + r.reason());
                }
                if (status.equals(Status.WARMING.label()) && by != null && (expected == null || by.isAfter(expected))) {
                    expected = by;
                }
            } else {
                double lag = Math.max(0, highest == null ? 0 : highest - sent);
                behind = lag;
                if (lag <= seconds(allowed)) {
                    status = Status.OK.label();
                    what = c.url() + ": " + seconds(lag) + " behind";
                } else {
                    Refusal r = probe.connect(c.url());
                    receiver = r == null ? "connects" : r.reason();
                    boolean fails = lag > seconds(FAIL_BEHIND) || r != null && r.refused();
                    status = fails ? Status.FAIL.label() : Status.WARN.label();
                    what = c.url() + ": " + seconds(lag) + " behind" + (pending > 0 ? ", " + count(pending)
                            + " samples waiting" : "") + (r == null ? "" : "; the receiver " + r.reason());
                }
            }
            // a receiver that answers 4xx takes nothing, and the queue moves on as if it had been sent: the lag
            // says nothing, the rejections say it all
            Rejections lately = rejections == null ? null : rejections.get(key(c));
            if (lately != null && lately.failed() > 0) {
                boolean all = lately.share() >= REJECTED_ALL;
                if (all) {
                    status = Status.FAIL.label();
                } else if (!status.equals(Status.FAIL.label())) {
                    status = Status.WARN.label();
                }
                what += "; the receiver rejected " + count(lately.failed()) + " of " + count(lately.attempted())
                        + " samples in the last " + Durations.format(lately.window()) + " (HTTP 4xx: lost, not retried)";
            } else if (failed > 0) {
                if (rejections == null && status.equals(Status.OK.label())) {
                    status = Status.WARN.label(); // since start, and whether it goes on is unknown
                }
                what += "; " + count(failed) + " samples rejected by the receiver since Prometheus started (lost)"
                        + (rejections == null ? ", and whether it goes on is unknown (Prometheus does not scrape"
                                + " itself)" : ", none lately");
            }
            queues.add(new Queue(c.url(), c.name(), status, behind, pending, failed, retried, dropped, receiver,
                    seconds(allowed)));
            switch (status) {
                case "fail" -> failing.add(what);
                case "warn" -> warning.add(what);
                case "warming_up" -> warming.add(what);
                default -> fine.add(what);
            }
        }
        Outcome o;
        String n = configured.size() == 1 ? "the receiver" : "receivers";
        if (!failing.isEmpty()) {
            o = Outcome.fail("remote write does not keep up: " + String.join("; ", failing))
                    .fix("start the receiver or mend the way to it (its URL, credentials, TLS); Prometheus retries"
                            + " for as long as its write-ahead log holds the samples (about 2 hours), then they are"
                            + " lost; its log says why each write failed");
        } else if (!warning.isEmpty()) {
            o = Outcome.warn("remote write lags: " + String.join("; ", warning))
                    .fix("a receiver rejecting samples (HTTP 4xx) loses them: read Prometheus's log for the"
                            + " answer; a lag that grows means the receiver is slower than Prometheus's appends"
                            + " (raise queue_config.max_shards, or scale the receiver)");
        } else if (!warming.isEmpty()) {
            o = Outcome.warming("remote write has not sent yet: " + String.join("; ", warming)
                    + (expected == null ? "" : "; expected by " + Warmup.clock(expected)), expected);
        } else {
            o = Outcome.ok("remote write keeps up with " + n + ": " + String.join("; ", fine));
        }
        return o.figure("queues", queues).figure("fail_behind_seconds", seconds(FAIL_BEHIND));
    }

    /** A connection to the receiver's host and port, sending nothing (no credentials go anywhere). */
    static Refusal connect(String url, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return new Refusal(false, "has a URL that does not parse");
        }
        String host = uri.getHost();
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (host == null) {
            return new Refusal(false, "has no host in its URL");
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            return null;
        } catch (UnknownHostException e) {
            return new Refusal(false, "is a host this machine cannot resolve (" + host + ")");
        } catch (java.net.ConnectException e) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            return m.contains("refused") ? new Refusal(true, "refuses connections (" + host + ":" + port + ")")
                    : new Refusal(false, "cannot be reached from here (" + e.getMessage() + ")");
        } catch (IOException e) {
            return new Refusal(false, "cannot be reached from here (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * How a configured remote write's series are told apart: by its name when it has one (two writes to one URL are
     * two queues), else by its URL.
     */
    static String key(Configured c) {
        return c.name() != null ? "name " + c.name() : "url " + c.url();
    }

    /** A queue's sample of a remote-storage metric: by its remote_name when it is named, else by its url. */
    private static Double queueValue(Scrape metrics, String metric, Configured c) {
        for (Sample s : metrics.samples(PREFIX + metric)) {
            if (c.name() != null ? c.name().equals(s.labels().get("remote_name"))
                    : c.url().equals(s.labels().get("url"))) {
                return s.value();
            }
        }
        return null;
    }

    /** The one sample of a remote-storage metric for a queue ({@code url} null: the metric without labels). */
    private static Double single(Scrape metrics, String name, String url) {
        for (Sample s : metrics.samples(name)) {
            if (url == null || url.equals(s.labels().get("url"))) {
                return s.value();
            }
        }
        return null;
    }

    private static double orZero(Double d) {
        return d == null ? 0 : d;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String seconds(double s) {
        return Durations.format(Duration.ofMillis(Math.round(s * 1000)));
    }

    private static String count(double n) {
        return String.format(Locale.ROOT, "%.0f", n);
    }

    private static String urls(List<Configured> configured) {
        return String.join(", ", configured.stream().map(Configured::url).toList());
    }
}
