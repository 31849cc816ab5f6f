package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.Text;
import io.exlm.mon.config.Durations;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Catalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The patterns behind "no data" and pages that come and go, over the last {@code --since} of Prometheus's history:
 * targets that flap, scrapes close to their timeout, clocks that disagree, catalog labels whose values grow without
 * bound, and a disk that will not hold the retention at the current ingest rate. The thresholds are
 * {@link OverTime}'s. A young Prometheus is judged on the history it has, and says how much; missing history is
 * never a failure.
 */
final class HistoryChecks {
    static final String FLAPPING = "history.flapping";
    static final String SCRAPE_DURATION = "history.scrape-duration";
    static final String CLOCK_SKEW = "history.clock-skew";
    static final String CARDINALITY = "history.cardinality";
    static final String DISK = "history.disk-capacity";
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private HistoryChecks() {
    }

    static List<Check> all() {
        List<String> ready = List.of(PrometheusChecks.READY);
        return List.of(
                new Check(FLAPPING, "no target went down " + OverTime.FLAPPING_DOWNS + " times or more", ready,
                        HistoryChecks::flapping),
                new Check(SCRAPE_DURATION, "scrapes stay below " + OverTime.percent(OverTime.SCRAPE_DURATION_SHARE)
                        + " of their timeout", ready, HistoryChecks::scrapeDuration),
                new Check(CLOCK_SKEW, "this host, Prometheus and the backend agree on the time within "
                        + Durations.format(OverTime.CLOCK_SKEW), ready, HistoryChecks::clockSkew),
                new Check(CARDINALITY, "no catalog label has more than " + OverTime.LABEL_VALUES + " values", ready,
                        HistoryChecks::cardinality),
                new Check(DISK, "the disk holds the retention at the current ingest rate", ready,
                        HistoryChecks::diskCapacity));
    }

    private static String target(String job, String instance) {
        return Text.printable(job) + " " + Text.printable(instance);
    }

    /** A label's value made safe to print; empty when the series has none. */
    private static String label(io.exlm.mon.expo.Labels l, String name) {
        String v = l.get(name);
        return v == null ? "" : Text.printable(v);
    }

    private static String key(io.exlm.mon.expo.Labels l) {
        return l.get("job") + "\u0000" + l.get("instance");
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    /** When the window holds no scrape yet, because none can have happened yet: warming up until then. */
    private static Outcome warmingUntilFirstScrape(DoctorEnv env, String what) {
        Warmup w = Shared.warmup(env);
        if (w != null && w.before(w.firstScrapeBy(w.scrapeInterval()))) {
            Instant by = w.firstScrapeBy(w.scrapeInterval());
            return Outcome.warming(what + "; " + w.explain(by), by);
        }
        return null;
    }

    private static Outcome withWindow(Outcome o, OverTime.Window win) {
        return o.figure("since_seconds", win.since().toSeconds()).figure("window_seconds", win.range().toSeconds())
                .figure("history_seconds", win.history() == null ? null : win.history().toSeconds());
    }

    // ------------------------------------------------------------------------------------------------ flapping

    /**
     * A target's {@code up} over the window: the output contract of the entries of {@code history.flapping}'s
     * {@code flapping} and {@code went_down} figures. {@code downs} counts its 1-to-0 transitions, {@code samples}
     * its scrapes in the window, {@code availability} the share of those that were UP.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpHistory(String job, String instance, int downs, int samples, double availability) {
    }

    static Outcome flapping(DoctorEnv env) {
        OverTime.Window win = OverTime.window(env);
        String r = win.promql();
        // resets() counts the decreases of a series, and up is 0 or 1: exactly its 1 -> 0 transitions. changes()
        // would count the 0 -> 1 ones too, so a target down at the window's start and up since would count once
        // without having gone down in it.
        QueryResult downs = Shared.query(env, "resets(up" + r + ")");
        QueryResult samples = Shared.query(env, "count_over_time(up" + r + ")");
        QueryResult upSamples = Shared.query(env, "sum_over_time(up" + r + ")");
        if (samples.isEmpty()) {
            Outcome young = warmingUntilFirstScrape(env, "no target scraped yet");
            if (young != null) {
                return withWindow(young, win);
            }
            return withWindow(Outcome.skip("no target was scraped in " + win.words() + ": there is no up history to"
                    + " judge (prometheus.targets says why)"), win);
        }
        Map<String, Double> downsBy = new LinkedHashMap<>();
        downs.series().forEach(s -> downsBy.put(key(s.metric()), s.value()));
        Map<String, Double> upBy = new LinkedHashMap<>();
        upSamples.series().forEach(s -> upBy.put(key(s.metric()), s.value()));
        List<UpHistory> all = new ArrayList<>();
        for (QueryResult.Series s : samples.series()) {
            int n = (int) Math.round(s.value());
            double up = upBy.getOrDefault(key(s.metric()), Double.NaN);
            all.add(new UpHistory(label(s.metric(), "job"), label(s.metric(), "instance"),
                    (int) Math.round(downsBy.getOrDefault(key(s.metric()), 0.0)), n,
                    n == 0 || Double.isNaN(up) ? 0 : round(up / n, 4)));
        }
        all.sort(Comparator.comparingInt(UpHistory::downs).reversed().thenComparing(UpHistory::job)
                .thenComparing(UpHistory::instance));
        List<UpHistory> flapping = all.stream().filter(h -> h.downs() >= OverTime.FLAPPING_DOWNS).toList();
        List<UpHistory> wentDown = all.stream().filter(h -> h.downs() > 0 && h.downs() < OverTime.FLAPPING_DOWNS)
                .toList();
        List<String> details = new ArrayList<>();
        for (UpHistory h : all) {
            if (h.downs() > 0) {
                details.add((h.downs() >= OverTime.FLAPPING_DOWNS ? "flapping: " : "went down: ") + h.job() + " "
                        + h.instance() + " went down " + times(h.downs()) + " in " + h.samples() + " scrapes, UP "
                        + OverTime.percent(h.availability()) + " of them");
            }
        }
        Outcome o;
        if (!flapping.isEmpty()) {
            List<String> names = new ArrayList<>();
            flapping.forEach(h -> names.add(h.job() + " " + h.instance() + " (down " + times(h.downs()) + ")"));
            o = Outcome.warn(flapping.size() + " of " + all.size() + " targets flapping in " + win.words() + ": "
                    + String.join(", ", names)).fix("a target that goes down and comes back by itself: find why it"
                    + " stops answering (its log; restarts and OOM kills: systemctl status, journalctl -k, docker ps"
                    + " -a's restart count), and whether its scrapes time out (history.scrape-duration); its pages"
                    + " fire and resolve on their own until then");
        } else if (!wentDown.isEmpty()) {
            o = Outcome.ok(wentDown.size() + " of " + all.size() + " targets went down in " + win.words() + ", none "
                    + OverTime.FLAPPING_DOWNS + " times (a restart is not flapping)");
        } else {
            o = Outcome.ok("none of " + all.size() + " targets went down in " + win.words());
        }
        return withWindow(o.details(details), win).figure("targets", all.size())
                .figure("threshold_downs", OverTime.FLAPPING_DOWNS).figure("flapping", flapping)
                .figure("went_down", wentDown);
    }

    private static String times(int n) {
        return n == 1 ? "once" : n == 2 ? "twice" : n + " times";
    }

    // ----------------------------------------------------------------------------------------- scrape duration

    /**
     * A target's scrape duration over the window against its timeout: the output contract of the entries of
     * {@code history.scrape-duration}'s {@code slow} figure and of its {@code slowest}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ScrapeTime(String job, String instance, double maxSeconds, double lastSeconds, double timeoutSeconds,
            double share) {
    }

    static Outcome scrapeDuration(DoctorEnv env) {
        OverTime.Window win = OverTime.window(env);
        QueryResult max = Shared.query(env, "max_over_time(scrape_duration_seconds" + win.promql() + ")");
        List<Target> targets = Shared.targets(env);
        if (max.isEmpty()) {
            Outcome young = warmingUntilFirstScrape(env, "no scrape has taken place yet");
            if (young != null) {
                return withWindow(young, win);
            }
            return withWindow(Outcome.skip("no scrape_duration_seconds in " + win.words() + ": no target was"
                    + " scraped (prometheus.targets says why)"), win);
        }
        Map<String, Target> byKey = new LinkedHashMap<>();
        for (Target t : targets) {
            byKey.put(t.labels().getOrDefault("job", t.job()) + "\u0000" + t.labels().getOrDefault("instance",
                    t.instance()), t);
        }
        Duration globalTimeout = globalTimeout(env);
        List<ScrapeTime> judged = new ArrayList<>();
        for (QueryResult.Series s : max.series()) {
            Target t = byKey.get(key(s.metric()));
            if (t == null) {
                continue; // a target gone since: its timeout is not known any more
            }
            Duration timeout = Durations.parseOr(t.scrapeTimeout(), globalTimeout);
            if (timeout == null || timeout.isZero()) {
                continue;
            }
            double seconds = timeout.toMillis() / 1000.0;
            judged.add(new ScrapeTime(label(s.metric(), "job"), label(s.metric(), "instance"), round(s.value(), 4), round(t.lastScrapeDurationSeconds(), 4), seconds,
                    round(s.value() / seconds, 4)));
        }
        judged.sort(Comparator.comparingDouble(ScrapeTime::share).reversed());
        List<ScrapeTime> slow = judged.stream().filter(x -> x.share() >= OverTime.SCRAPE_DURATION_SHARE).toList();
        ScrapeTime slowest = judged.isEmpty() ? null : judged.get(0);
        List<String> details = new ArrayList<>();
        for (ScrapeTime x : slow) {
            details.add((x.share() >= 1 ? "timed out: " : "slow: ") + x.job() + " " + x.instance() + " took up to "
                    + seconds(x.maxSeconds()) + " of its " + seconds(x.timeoutSeconds()) + " timeout ("
                    + OverTime.percent(x.share()) + "; last scrape " + seconds(x.lastSeconds()) + ")");
        }
        Outcome o;
        String limit = OverTime.percent(OverTime.SCRAPE_DURATION_SHARE);
        if (!slow.isEmpty()) {
            List<String> names = new ArrayList<>();
            slow.forEach(x -> names.add(x.job() + " " + x.instance() + " " + seconds(x.maxSeconds()) + " of "
                    + seconds(x.timeoutSeconds()) + " (" + OverTime.percent(x.share()) + ")"));
            o = Outcome.warn(slow.size() + " of " + judged.size() + " targets took " + limit + " of their scrape"
                    + " timeout or more in " + win.words() + ": " + String.join(", ", names))
                    .fix("a scrape that reaches its timeout fails (\"context deadline exceeded\"), the target is DOWN"
                            + " and its samples are lost: make the target answer faster (an exporter's slow"
                            + " collector, a /metrics that computes on request), or raise that job's scrape_timeout"
                            + " in prometheus.yml (at most its scrape_interval) and reload " + Shared.scraperName(env));
        } else {
            o = Outcome.ok("every scrape took less than " + limit + " of its timeout in " + win.words()
                    + (slowest == null ? "" : "; slowest: " + slowest.job() + " " + slowest.instance() + " "
                    + seconds(slowest.maxSeconds()) + " of " + seconds(slowest.timeoutSeconds()) + " ("
                    + OverTime.percent(slowest.share()) + ")"));
        }
        return withWindow(o.details(details), win).figure("targets", judged.size())
                .figure("threshold_share", OverTime.SCRAPE_DURATION_SHARE).figure("slow", slow)
                .figure("slowest", slowest);
    }

    /** Prometheus's global scrape_timeout (10s when not set, at most the global interval). */
    private static Duration globalTimeout(DoctorEnv env) {
        try {
            String yaml = Shared.config(env);
            Duration interval = Durations.parseOr(PrometheusChecks.globalSetting(yaml, "scrape_interval"),
                    Duration.ofMinutes(1));
            Duration timeout = Durations.parseOr(PrometheusChecks.globalSetting(yaml, "scrape_timeout"),
                    Duration.ofSeconds(10));
            return timeout.compareTo(interval) > 0 ? interval : timeout;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String seconds(double s) {
        return io.exlm.mon.Numbers.fixed(s, s < 10 ? 3 : 1) + "s";
    }

    // ---------------------------------------------------------------------------------------------- clock skew

    /**
     * One reading of another clock: this host's time when the request left and when its answer came, and the bounds
     * of the other's time as it answered ({@code [Date, Date + 1 s)} for an HTTP Date, which is to the second).
     */
    record Reading(Instant sent, Instant received, Instant serverLow, Instant serverHigh) {
        /** The least the other clock can be ahead of this host's (negative: behind). */
        double low() {
            return Duration.between(received, serverLow).toNanos() / 1e9;
        }

        /** The most the other clock can be ahead. */
        double high() {
            return Duration.between(sent, serverHigh).toNanos() / 1e9;
        }
    }

    /** An offset known to lie in [low, high] seconds. */
    record Offset(double low, double high) {
        double estimate() {
            return (low + high) / 2;
        }

        double uncertainty() {
            return (high - low) / 2;
        }

        /** Further apart than {@code limit} whatever the measurement's error. */
        boolean beyond(double limit) {
            return low > limit || high < -limit;
        }

        Offset minus(Offset o) {
            return new Offset(low - o.high, high - o.low);
        }

        String words() {
            double e = estimate();
            return (e >= 0 ? "+" : "-") + io.exlm.mon.Numbers.fixed(Math.abs(e), 3) + "s (+/-"
                    + io.exlm.mon.Numbers.fixed(uncertainty(), 3) + "s)";
        }
    }

    /**
     * Prometheus's clock: {@code time()} is its evaluation time, to the millisecond. VictoriaMetrics' {@code time()}
     * is its query time, its -search.latencyOffset (30 s by default) before its clock: there the Date header of its
     * answer, to the second, is its clock.
     */
    static Reading prometheusClock(DoctorEnv env) {
        return env.facts().get("clock.prometheus", () -> {
            if (Shared.sharding(env) != null || Shared.foreignVictoriaMetrics(env) != null) {
                String root = Shared.sharding(env) != null ? env.prometheusUrl().replaceAll("/+$", "")
                        : Shared.store(env).root();
                return dateReading(env, root + "/-/healthy");
            }
            Instant sent = env.clock().instant();
            QueryResult r = env.prometheus().query("time()", null);
            Instant received = env.clock().instant();
            if (r.isEmpty()) {
                throw new IllegalStateException("time() returned nothing");
            }
            Instant at = Instant.ofEpochMilli(Math.round(r.series().get(0).value() * 1000));
            return new Reading(sent, received, at, at.plusMillis(1));
        });
    }

    /** The backend's clock: the Date header of its liveness answer, which is to the second. */
    static Reading backendClock(DoctorEnv env) {
        return env.facts().get("clock.backend", () -> dateReading(env, env.backendUrl().replaceAll("/+$", "")
                + "/api/v1/health/live"));
    }

    /** A server's clock from the Date header of its answer to {@code url}, which is to the second. */
    private static Reading dateReading(DoctorEnv env, String url) {
        Instant sent = env.clock().instant();
        HttpResponse r = env.http().get(url, "application/json, */*;q=0.5");
        Instant received = env.clock().instant();
        String date = r.header("Date");
        if (date == null) {
            throw new IllegalStateException("its answer has no Date header");
        }
        Instant at;
        try {
            at = ZonedDateTime.parse(date.strip(), HTTP_DATE).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalStateException("its Date header is not an HTTP date");
        }
        return new Reading(sent, received, at, at.plusSeconds(1));
    }

    static Outcome clockSkew(DoctorEnv env) {
        double limit = OverTime.CLOCK_SKEW.toMillis() / 1000.0;
        Offset prometheus = null;
        Offset backend = null;
        List<String> details = new ArrayList<>();
        String store = Shared.storeName(env);
        try {
            Reading p = prometheusClock(env);
            prometheus = new Offset(p.low(), p.high());
        } catch (RuntimeException e) {
            details.add(store + "'s clock not read: " + reason(e));
        }
        try {
            Reading b = backendClock(env);
            backend = new Offset(b.low(), b.high());
        } catch (RuntimeException e) {
            details.add("the backend's clock not read (" + Text.printable(env.backendUrl()) + "): " + reason(e));
        }
        Offset between = prometheus != null && backend != null ? backend.minus(prometheus) : null;
        boolean hostProm = prometheus != null && prometheus.beyond(limit);
        boolean hostBackend = backend != null && backend.beyond(limit);
        boolean promBackend = between != null && between.beyond(limit);
        String off = null;
        List<String> said = new ArrayList<>();
        if (prometheus != null) {
            said.add(store + " " + prometheus.words()
                    + (store.equals("Prometheus") ? "" : ", its Date is to the second"));
        }
        if (backend != null) {
            said.add("the backend " + backend.words() + ", its Date is to the second");
        }
        Outcome o;
        if (hostProm || hostBackend || promBackend) {
            List<String> what = new ArrayList<>();
            if (hostBackend && promBackend && !hostProm) {
                off = "backend";
                what.add("the backend's clock is " + ahead(backend) + " this host's and " + ahead(between)
                        + " " + store + "'s");
            } else if (hostProm && hostBackend && !promBackend) {
                off = "host";
                what.add("this host's clock is " + ahead(new Offset(-prometheus.high(), -prometheus.low()))
                        + " " + store + "'s, and the backend agrees with " + store);
            } else if (hostProm && promBackend && !hostBackend) {
                off = "prometheus";
                what.add(store + "'s clock is " + ahead(prometheus) + " this host's and the backend's");
            } else {
                if (hostProm) {
                    what.add(store + " is " + ahead(prometheus) + " this host");
                }
                if (hostBackend) {
                    what.add("the backend is " + ahead(backend) + " this host");
                }
                if (promBackend) {
                    what.add("the backend is " + ahead(between) + " " + store);
                }
            }
            String whose = off == null ? "each host whose clock is off" : switch (off) {
                case "backend" -> "the backend's host";
                case "prometheus" -> store + "'s host";
                default -> "this host";
            };
            o = Outcome.warn(String.join("; ", what) + " (more than " + Durations.format(OverTime.CLOCK_SKEW)
                    + " beyond what the measurement cannot tell)").fix("run NTP on " + whose + " (timedatectl"
                    + " set-ntp true; chronyc tracking or timedatectl timesync-status shows the offset): " + store
                    + " stamps samples and alerts with its clock, the backend its health timestamps and logs with"
                    + " its own, and exlm-mon measures ages on " + store + "'s; clocks apart make them disagree");
        } else if (prometheus == null && backend == null) {
            o = Outcome.skip("no clock could be read besides this host's");
        } else {
            o = Outcome.ok("the clocks agree within " + Durations.format(OverTime.CLOCK_SKEW) + " of this host's: "
                    + String.join("; ", said));
        }
        return o.details(details).figure("threshold_seconds", limit)
                .figure("prometheus_offset_seconds", prometheus == null ? null : round(prometheus.estimate(), 3))
                .figure("prometheus_uncertainty_seconds", prometheus == null ? null
                        : round(prometheus.uncertainty(), 3))
                .figure("backend_offset_seconds", backend == null ? null : round(backend.estimate(), 3))
                .figure("backend_uncertainty_seconds", backend == null ? null : round(backend.uncertainty(), 3))
                .figure("backend_vs_prometheus_seconds", between == null ? null : round(between.estimate(), 3))
                .figure("off", off);
    }

    private static String ahead(Offset o) {
        double e = o.estimate();
        // to the second beyond ten: a Date header's offset is known to a second at best
        long millis = Math.abs(e) >= 10 ? Math.round(Math.abs(e)) * 1000 : Math.round(Math.abs(e) * 1000);
        return Durations.format(Duration.ofMillis(millis)) + (e >= 0 ? " ahead of" : " behind");
    }

    private static String reason(RuntimeException e) {
        return Text.printable(e instanceof HttpFailure f ? f.kind().label() : e.getMessage());
    }

    // --------------------------------------------------------------------------------------------- cardinality

    /**
     * A label of a catalog metric and how many values it took over the window: the output contract of the entries
     * of {@code history.cardinality}'s {@code top} and {@code over} figures; {@code examples} are a few of them.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record LabelValues(String metric, String label, int values, List<String> examples) {
    }

    /** A catalog metric's series over the window, and its label with the most values. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record MetricSeries(String metric, int series, String mostValuesLabel, int mostValues) {
    }

    static Outcome cardinality(DoctorEnv env) {
        OverTime.Window win = OverTime.window(env);
        Set<String> names = new LinkedHashSet<>();
        Map<String, String> familyOf = new LinkedHashMap<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            for (String n : m.sampleNames()) {
                names.add(n);
                familyOf.put(n, m.name());
            }
        }
        String match = "{__name__=~\"" + String.join("|", names) + "\"}";
        List<Map<String, String>> series;
        try {
            series = env.facts().get("prometheus.catalog-series", () -> {
                Warmup w = Shared.warmup(env);
                Instant now = w == null ? env.clock().instant() : w.now();
                return env.prometheus().series(match, now.minus(win.range()), now);
            });
        } catch (HttpFailure f) {
            if (f.kind() == HttpFailure.Kind.TOO_LARGE) {
                return withWindow(Outcome.warn("the catalog metrics' series in " + win.words() + " are more than"
                        + " exlm-mon reads (" + f.kind().label() + "): their cardinality is far above what a"
                        + " bounded label set makes").fix("exlm-mon query 'topk(10, count by (__name__)("
                        + match + "))' names the metrics; then see which label grows (count by (LABEL))"), win);
            }
            throw f;
        }
        // per metric: series, and each label's values
        Map<String, Integer> seriesBy = new TreeMap<>();
        Map<String, Map<String, Set<String>>> valuesBy = new TreeMap<>();
        for (Map<String, String> s : series) {
            String family = familyOf.get(s.get("__name__"));
            if (family == null) {
                continue;
            }
            seriesBy.merge(family, 1, Integer::sum);
            Map<String, Set<String>> labels = valuesBy.computeIfAbsent(family, k -> new TreeMap<>());
            for (Map.Entry<String, String> l : s.entrySet()) {
                if (!l.getKey().equals("__name__")) {
                    labels.computeIfAbsent(l.getKey(), k -> new LinkedHashSet<>()).add(l.getValue());
                }
            }
        }
        if (seriesBy.isEmpty()) {
            Outcome young = warmingUntilFirstScrape(env, "no catalog metric scraped yet");
            if (young != null) {
                return withWindow(young, win);
            }
            return withWindow(Outcome.skip("no catalog metric in " + Shared.storeName(env) + " in " + win.words() + ": nothing to count"
                    + " (nodata.* traces why)"), win);
        }
        List<LabelValues> all = new ArrayList<>();
        List<MetricSeries> metrics = new ArrayList<>();
        int total = 0;
        for (Map.Entry<String, Integer> m : seriesBy.entrySet()) {
            total += m.getValue();
            LabelValues most = null;
            for (Map.Entry<String, Set<String>> l : valuesBy.get(m.getKey()).entrySet()) {
                List<String> examples = new ArrayList<>();
                for (String v : l.getValue()) {
                    if (examples.size() == 3) {
                        break;
                    }
                    String p = Text.printable(v);
                    examples.add(p.length() > 60 ? p.substring(0, 57) + "..." : p);
                }
                LabelValues lv = new LabelValues(m.getKey(), Text.printable(l.getKey()), l.getValue().size(),
                        examples);
                all.add(lv);
                if (most == null || lv.values() > most.values()) {
                    most = lv;
                }
            }
            metrics.add(new MetricSeries(m.getKey(), m.getValue(), most == null ? null : most.label(),
                    most == null ? 0 : most.values()));
        }
        all.sort(Comparator.comparingInt(LabelValues::values).reversed().thenComparing(LabelValues::metric)
                .thenComparing(LabelValues::label));
        List<LabelValues> top = all.subList(0, Math.min(5, all.size()));
        List<LabelValues> over = all.stream().filter(l -> l.values() > OverTime.LABEL_VALUES).toList();
        List<String> details = new ArrayList<>();
        for (LabelValues l : over) {
            details.add(l.metric() + "{" + l.label() + "}: " + l.values() + " values, such as "
                    + String.join(", ", l.examples()));
        }
        String tops = String.join(", ", top.stream().limit(3).map(l -> l.metric() + "{" + l.label() + "} "
                + l.values()).toList());
        Outcome o;
        if (!over.isEmpty()) {
            o = Outcome.warn(over.size() + " catalog label" + (over.size() == 1 ? " has" : "s have") + " more than "
                    + OverTime.LABEL_VALUES + " values in " + win.words() + ": " + String.join(", ", over.stream()
                    .map(l -> l.metric() + "{" + l.label() + "} " + l.values()).toList()) + "; " + total
                    + " series in all").fix("a label that takes a value per URL, user, id or process makes a series"
                    + " per value: label requests by their route template (prometheus-fastapi-instrumentator does,"
                    + " unless should_group_untemplated=False), keep ids out of labels, or drop or rewrite the label"
                    + " in the job's metric_relabel_configs (action: labeldrop, or replace) and reload Prometheus");
        } else {
            o = Outcome.ok(total + " series of " + seriesBy.size() + " catalog metrics in " + win.words()
                    + "; labels with most values: " + tops);
        }
        return withWindow(o.details(details), win).figure("series", total)
                .figure("threshold_values", OverTime.LABEL_VALUES).figure("metrics", metrics).figure("top", top)
                .figure("over", over);
    }

    // ------------------------------------------------------------------------------------------- disk capacity

    static Outcome diskCapacity(DoctorEnv env) {
        if (Shared.sharding(env) != null) {
            return ShardingChecks.notPrometheus("the disk it needs for its retention");
        }
        if (Shared.foreignVictoriaMetrics(env) != null) {
            return VictoriaChecks.notPrometheus(env, "the disk it needs for its retention");
        }
        OverTime.Window win = OverTime.window(env);
        JsonNode rt = Shared.runtimeInfo(env);
        String retentionText = Text.printable(rt.path("storageRetention").asText(""));
        Duration retention = null;
        Long retentionBytes = null;
        for (String part : retentionText.split(" or ")) {
            Duration d = Durations.parseOr(part.strip(), null);
            if (d != null && !d.isZero()) {
                retention = d;
            } else {
                Long b = prometheusBytes(part.strip());
                if (b != null) {
                    retentionBytes = b;
                }
            }
        }
        Warmup w = Shared.warmup(env);
        Duration interval = w == null ? Duration.ofSeconds(15) : w.scrapeInterval();
        // a rate needs two samples of Prometheus's own counter: at least a few intervals of range
        Duration rateRange = win.range().compareTo(interval.multipliedBy(4)) < 0 ? interval.multipliedBy(4)
                : win.range();
        String job = "{job=\"prometheus\"}";
        // the largest of the job's Prometheus servers (an HA pair or a federation scrapes several as job
        // prometheus): one disk holds one server's data, not their sum
        Double rate = Shared.value(env, "max(rate(prometheus_tsdb_head_samples_appended_total" + job + "["
                + Durations.format(rateRange) + "]))");
        if (rate == null || rate.isNaN()) {
            if (w != null && w.before(w.rateBy())) {
                return withWindow(Outcome.warming("no ingest rate yet (it needs two scrapes of Prometheus itself); "
                        + w.explain(w.rateBy()), w.rateBy()), win).figure("retention", retentionText);
            }
            return withWindow(Outcome.skip("no ingest rate: Prometheus does not scrape itself as job prometheus"
                    + " (prometheus_tsdb_head_samples_appended_total)"), win).figure("retention", retentionText);
        }
        Double measured = Shared.value(env, "sum(prometheus_tsdb_compaction_chunk_size_bytes_sum" + job
                + ") / sum(prometheus_tsdb_compaction_chunk_samples_sum" + job + ")");
        boolean assumed = measured == null || measured.isNaN() || measured.isInfinite() || measured <= 0;
        double bytesPerSample = assumed ? OverTime.BYTES_PER_SAMPLE : measured;
        // what the blocks take now (the write-ahead log and the head's chunks, a few hours of data, are not
        // counted: Prometheus 2.42 has no metric of their size)
        Double blocks = Shared.value(env, "max(prometheus_tsdb_storage_blocks_bytes" + job + ")");
        double used = blocks == null || blocks.isNaN() ? 0 : blocks;
        double perSecond = rate * bytesPerSample;
        Double needed = retention == null ? null : perSecond * retention.toSeconds();
        if (retentionBytes != null && (needed == null || needed > retentionBytes)) {
            needed = (double) retentionBytes; // the size retention caps it
        }
        // the file system of the data directory: this machine's, when Prometheus runs here
        Long free = null;
        String freeFrom = null;
        String path = null;
        try {
            path = Shared.flags(env).get("storage.tsdb.path");
        } catch (RuntimeException e) {
            // an API without flags: no data directory known
        }
        // a relative path (Prometheus's default, data/) is relative to Prometheus's working directory, not to
        // this process's: resolved here it could name another disk
        if (path != null && Path.of(path).isAbsolute() && io.exlm.mon.http.Loopback.url(env.prometheusUrl())
                && env.host() != null) {
            HostProbe.Disk d = env.host().disk(Path.of(path));
            if (d != null) {
                free = d.usableBytes();
                freeFrom = "the file system of " + d.mount() + " on this machine";
            }
        }
        Double secondsToFull = free == null || perSecond <= 0 ? null : free / perSecond;
        Double growth = needed == null ? null : Math.max(0, needed - used);
        String figures = Units.bytes(perSecond * 86400) + " a day (" + io.exlm.mon.Numbers.fixed(rate, 0)
                + " samples/s at " + io.exlm.mon.Numbers.fixed(bytesPerSample, 2) + " bytes each"
                + (assumed ? ", assumed: no block compacted yet" : "") + "); retention " + (retentionText.isEmpty()
                ? "?" : retentionText) + (needed == null ? "" : " needs " + Units.bytes(needed)) + ", "
                + Units.bytes(used) + " in blocks" + (free == null ? "; free space not known here"
                : ", " + Units.bytes(free) + " free");
        Outcome o;
        if (free != null && growth != null && growth > free) {
            Duration full = Duration.ofSeconds(Math.round(secondsToFull));
            String when = "full in " + Durations.format(full.compareTo(Duration.ofMinutes(1)) < 0 ? full
                    : full.withSeconds(full.toSeconds() / 60 * 60));
            o = (full.compareTo(OverTime.DISK_FULL_SOON) < 0 ? Outcome.fail(when + ": " + figures)
                    : Outcome.warn(when + ", before the retention of " + retentionText + " is reached: " + figures))
                    .fix("give Prometheus's data directory (" + Text.printable(path) + ") more space, shorten the"
                            + " retention (stack.retention; --storage.tsdb.retention.time), cap it by size"
                            + " (--storage.tsdb.retention.size), or ingest less (drop series with"
                            + " metric_relabel_configs, scrape less often)");
        } else {
            o = Outcome.ok((free == null ? "" : "holds the retention: ") + figures);
        }
        return withWindow(o, win).figure("retention", retentionText)
                .figure("retention_seconds", retention == null ? null : retention.toSeconds())
                .figure("retention_bytes", retentionBytes).figure("samples_per_second", round(rate, 3))
                .figure("bytes_per_sample", round(bytesPerSample, 4)).figure("bytes_per_sample_assumed", assumed)
                .figure("blocks_bytes", Math.round(used)).figure("needed_bytes", needed == null ? null
                        : Math.round(needed))
                .figure("free_bytes", free).figure("free_from", freeFrom)
                .figure("seconds_until_full", secondsToFull == null ? null : Math.round(secondsToFull));
    }

    /** A size as Prometheus writes it ({@code 10GiB}, {@code 512MB}: powers of 1024); null when it is not one. */
    static Long prometheusBytes(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([KMGTPE]?)i?B").matcher(text);
        if (!m.matches()) {
            return null;
        }
        int power = "KMGTPE".indexOf(m.group(2)) + 1;
        return Long.parseLong(m.group(1)) << (10 * power);
    }

    // ------------------------------------------------------------------------------------- Grafana's interval

    static final String GRAFANA_INTERVAL = "grafana.time-interval";
    /** Grafana's scrape interval for a Prometheus datasource that sets no timeInterval. */
    static final Duration GRAFANA_DEFAULT_INTERVAL = Duration.ofSeconds(15);

    /**
     * A Prometheus datasource's {@code timeInterval} against the interval Prometheus scrapes the backend at: Grafana's
     * {@code $__rate_interval} is four times it, so one shorter than the real interval makes rate() panels gappy or
     * empty, and one longer makes them coarser than they need be.
     */
    static Outcome grafanaInterval(DoctorEnv env) {
        Duration real = null;
        String realFrom = null;
        try {
            for (Target t : Shared.targets(env)) {
                if (Catalog.BACKEND_JOB.equals(t.job()) && t.scrapeInterval() != null) {
                    real = Durations.parseOr(t.scrapeInterval(), null);
                    realFrom = "the job " + Catalog.BACKEND_JOB + " of " + Shared.scraperName(env);
                    break;
                }
            }
            if (real == null) {
                real = Durations.parseOr(PrometheusChecks.globalSetting(Shared.config(env), "scrape_interval"),
                        Duration.ofMinutes(1));
                realFrom = "the global scrape_interval of " + Shared.scraperName(env);
            }
        } catch (Unknowable e) {
            // it answered, and cannot tell (a VictoriaMetrics others scrape into): the expected interval is no reading
            return Outcome.skip("the scrape interval Grafana's timeInterval should match cannot be read: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            // Prometheus does not answer (prometheus.healthy says so): the interval it should scrape at
            real = env.expectedScrapeInterval();
            realFrom = env.expectedScrapeIntervalSource() + "; " + Shared.scraperName(env) + " did not answer";
        }
        // where Grafana's setting is read: its API when it answers and a login works, else the file it provisions
        Map<String, String> intervals = new LinkedHashMap<>();
        String from = null;
        try {
            GrafanaChecks.Logins l = GrafanaChecks.logins(env);
            if (l.working() != null) {
                for (io.exlm.mon.promql.GrafanaClient.Datasource d : GrafanaChecks.datasources(env, l.working())) {
                    if ("prometheus".equals(d.type())) {
                        intervals.put(Text.printable(d.name()), d.timeInterval());
                    }
                }
                from = "Grafana's API (" + env.grafanaUrl() + "/api/datasources)";
            }
        } catch (RuntimeException e) {
            // its API does not answer as it should: the provisioning file says what it loaded
        }
        if (from == null) {
            Path generated = env.stateDir() == null ? null : env.stateDir().resolve("local/config/grafana/"
                    + io.exlm.mon.stack.StackFiles.GRAFANA_DATASOURCE.substring("grafana/".length()));
            String yaml = null;
            if (generated != null && java.nio.file.Files.isRegularFile(generated)) {
                try {
                    yaml = java.nio.file.Files.readString(generated);
                    from = generated.toString();
                } catch (java.io.IOException e) {
                    yaml = null;
                }
            } else if ("compose".equals(env.stackRuntime())) {
                yaml = io.exlm.mon.stack.StackFiles.text(io.exlm.mon.stack.StackFiles.GRAFANA_DATASOURCE);
                from = "stack/" + io.exlm.mon.stack.StackFiles.GRAFANA_DATASOURCE + " (mounted by compose)";
            }
            if (yaml == null) {
                return Outcome.skip("no Grafana login works and no datasource provisioning of a stack started"
                        + " here exists: there is no Grafana setting to compare with the scrape interval, "
                        + Durations.format(real) + " (" + realFrom + ")")
                        .figure("scrape_interval", Durations.format(real));
            }
            try {
                for (JsonNode d : io.exlm.mon.Yaml.read(yaml, from).path("datasources")) {
                    if ("prometheus".equals(d.path("type").asText())) {
                        JsonNode ti = d.path("jsonData").path("timeInterval");
                        intervals.put(Text.printable(d.path("name").asText()), ti.isValueNode() ? ti.asText() : null);
                    }
                }
            } catch (io.exlm.mon.Yaml.Malformed e) {
                return Outcome.fail(Text.printable(e.getMessage())).fix("correct the datasource provisioning file,"
                        + " then restart Grafana");
            }
        }
        if (intervals.isEmpty()) {
            return Outcome.skip("no Prometheus datasource in " + from + " (grafana.datasource says more)");
        }
        List<String> off = new ArrayList<>();
        List<String> agree = new ArrayList<>();
        boolean shorter = false;
        for (Map.Entry<String, String> e : intervals.entrySet()) {
            Duration set = e.getValue() == null ? GRAFANA_DEFAULT_INTERVAL : Durations.parseOr(e.getValue(), null);
            String says = "'" + e.getKey() + "' " + (e.getValue() == null ? "not set (Grafana assumes "
                    + Durations.format(GRAFANA_DEFAULT_INTERVAL) + ")" : Text.printable(e.getValue()));
            if (set == null || !set.equals(real)) {
                off.add(says);
                shorter |= set != null && set.compareTo(real) < 0;
            } else {
                agree.add(says);
            }
        }
        String want = Durations.format(real);
        Outcome o;
        if (!off.isEmpty()) {
            o = Outcome.warn("timeInterval " + String.join(", ", off) + ", but the scrape interval is " + want
                    + " (" + realFrom + "); read from " + from)
                    .fix("set jsonData.timeInterval: " + want + " in the datasource's provisioning file (or its"
                            + " \"Scrape interval\" under Connections, Data sources) and restart Grafana: "
                            + (shorter ? "$__rate_interval (four times it) is then too short for two real samples,"
                                    + " and rate() panels show gaps or no data"
                                    : "$__rate_interval and the panels' resolution are then coarser than the data"));
        } else {
            o = Outcome.ok("timeInterval " + String.join(", ", agree) + " is the scrape interval (" + realFrom
                    + "); read from " + from);
        }
        return o.figure("scrape_interval", want).figure("scrape_interval_from", realFrom)
                .figure("time_intervals", intervals).figure("read_from", from);
    }
}
