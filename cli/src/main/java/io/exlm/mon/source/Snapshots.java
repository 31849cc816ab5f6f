package io.exlm.mon.source;

import io.exlm.mon.promql.PromMath;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.expo.MetricFamily;
import io.exlm.mon.expo.MetricType;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.source.Snapshot.Breakdown;
import io.exlm.mon.source.Snapshot.Derived;
import io.exlm.mon.source.Snapshot.Latency;
import io.exlm.mon.source.Snapshot.Reading;
import io.exlm.mon.source.Snapshot.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Snapshots of the catalog from scrapes: one scrape gives current values and lifetime percentiles; a window of
 * scrapes (oldest first, two or more) gives per-second rates and percentiles from the oldest to the newest, each
 * counter's increase summed over the consecutive scrapes as Prometheus's {@code increase()} sums it (a value that went
 * down is a reset, and the increase is the new value: no negative rates), divided by the time from the oldest scrape
 * to the newest, and the percentiles as {@code histogram_quantile(q, sum by (le) (increase(...)))} from the same
 * scrapes. A series counts from the first scrape of the window it is in.
 */
public final class Snapshots {
    static final String LATENCY = "http_request_duration_seconds";
    private static final Catalog.Metric DURATION = Catalog.byName(LATENCY);

    private Snapshots() {
    }

    /** Why a single scrape has no rates, in the words of the {@code metrics} command. */
    public static final String SECOND_SCRAPE = "needs a second scrape for a rate (use --window)";

    /** A single scrape: values and lifetime percentiles; rates need a second scrape. */
    public static Snapshot of(Scrape scrape) {
        return of(scrape, SECOND_SCRAPE);
    }

    /** A single scrape, with the caller's words for why there are no rates yet. */
    public static Snapshot of(Scrape scrape, String noRateReason) {
        return of(scrape, noRateReason, Combination.defaults());
    }

    /** A single scrape, with the gauges combined by {@code combination}. */
    public static Snapshot of(Scrape scrape, String noRateReason, Combination combination) {
        return build(List.of(scrape), noRateReason, combination, null);
    }

    /** Two scrapes of the same target: rates and percentiles over the time between them. */
    public static Snapshot between(Scrape previous, Scrape current) {
        return between(previous, current, Combination.defaults());
    }

    /** Two scrapes, with the gauges combined by {@code combination}. */
    public static Snapshot between(Scrape previous, Scrape current, Combination combination) {
        return over(List.of(previous, current), combination, null);
    }

    /**
     * A window of scrapes of the same target, oldest first, each later than the one before: rates and percentiles
     * from the oldest to the newest; {@code window} (or null) is the window asked for, whose coverage the snapshot
     * then carries when the scrapes span less of it than {@link Snapshot.Coverage#FULL}.
     */
    public static Snapshot over(List<Scrape> scrapes, Combination combination, Duration window) {
        if (scrapes.size() < 2) {
            throw new IllegalArgumentException("a window needs two scrapes or more, not " + scrapes.size());
        }
        for (int i = 1; i < scrapes.size(); i++) {
            if (scrapes.get(i).timeMillis() <= scrapes.get(i - 1).timeMillis()) {
                throw new IllegalArgumentException("the current scrape must be later than the previous one");
            }
        }
        return build(List.copyOf(scrapes), SECOND_SCRAPE, combination, window);
    }

    private static Snapshot build(List<Scrape> scrapes, String noRateReason, Combination combination,
            Duration asked) {
        Scrape cur = scrapes.get(scrapes.size() - 1);
        boolean rates = scrapes.size() > 1;
        Duration window = rates ? Duration.ofMillis(cur.timeMillis() - scrapes.get(0).timeMillis()) : null;
        double seconds = window == null ? 0 : window.toMillis() / 1000.0;
        Set<String> present = cur.names();
        List<Reading> readings = new ArrayList<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            readings.add(read(m, scrapes, seconds, present, noRateReason));
        }
        Latency latency = latency(scrapes, seconds);
        String kind = cur.source().startsWith("http://") || cur.source().startsWith("https://") ? "scrape" : "file";
        Snapshot.Coverage coverage = asked == null || window == null ? null
                : Snapshot.Coverage.of(window, asked, true);
        // a window not yet full is the window asked for, of which the coverage says how much the scrapes span (as
        // the Prometheus source says it); a full one, the time the rates are over
        return new Snapshot(cur.source(), kind, cur.timeMillis(), coverage != null ? asked : window, readings,
                latency, derive(readings, window, noRateReason, combination), coverage);
    }

    /** The samples of a catalog metric in one scrape: a histogram's counts, a counter under either spelling. */
    private static List<Sample> samplesOf(Catalog.Metric m, Scrape s, String exposedAs) {
        if (m.type() == Catalog.Type.HISTOGRAM) {
            List<Sample> counts = s.samples(m.countName());
            return counts.isEmpty() ? infBuckets(s.samples(m.bucketName())) : counts;
        }
        List<Sample> out = s.samples(exposedAs);
        if (out.isEmpty() && m.type() == Catalog.Type.COUNTER) {
            for (String n : m.exposedNames()) {
                if (!s.samples(n).isEmpty()) {
                    return s.samples(n);
                }
            }
        }
        return out;
    }

    /**
     * The increase of each series of the newest scrape over the window, as Prometheus's {@code increase()} sums it
     * from consecutive samples (a value that went down is a reset: the increase is the new value), from the first
     * scrape the series is in; a series only in the newest scrape has none.
     */
    static Map<Labels, Double> increases(List<Scrape> scrapes, java.util.function.Function<Scrape, List<Sample>> of,
            java.util.function.UnaryOperator<Labels> key) {
        Map<Labels, Double> last = new HashMap<>();
        Map<Labels, Double> sum = new HashMap<>();
        int newest = scrapes.size() - 1;
        for (int i = 0; i <= newest; i++) {
            for (Sample x : of.apply(scrapes.get(i))) {
                Labels k = key.apply(x.labels());
                // a series absent from a scrape between (a missed scrape, a process that restarted) keeps its last
                // value, and its increase spans the gap
                Double before = last.put(k, x.value());
                if (before != null) {
                    sum.merge(k, PromMath.increase(before, x.value()), Double::sum);
                } else if (i < newest) {
                    sum.put(k, 0.0);
                }
            }
        }
        Map<Labels, Double> out = new HashMap<>();
        for (Sample x : of.apply(scrapes.get(newest))) {
            Labels k = key.apply(x.labels());
            if (sum.containsKey(k)) {
                out.put(k, sum.get(k));
            }
        }
        return out;
    }

    private static Reading read(Catalog.Metric m, List<Scrape> scrapes, double seconds, Set<String> present,
            String noRateReason) {
        Scrape cur = scrapes.get(scrapes.size() - 1);
        boolean windowed = scrapes.size() > 1;
        String exposedAs = null;
        List<Sample> samples = List.of();
        List<Sample> sums = List.of();
        if (m.type() == Catalog.Type.HISTOGRAM) {
            samples = cur.samples(m.countName());
            sums = cur.samples(m.sumName());
            if (samples.isEmpty()) {
                samples = infBuckets(cur.samples(m.bucketName()));
            }
            exposedAs = samples.isEmpty() ? null : m.name();
        } else {
            for (String n : m.exposedNames()) {
                if (!cur.samples(n).isEmpty()) {
                    samples = cur.samples(n);
                    exposedAs = n;
                    break;
                }
            }
        }
        if (exposedAs == null) {
            for (String n : m.exposedNames()) {
                if (cur.family(n) != null) {
                    return missing(m, m.name() + " is declared by " + cur.source() + " but has no series yet"
                            + " (nothing counted or observed)", List.of());
                }
            }
            List<String> near = NearNames.of(m.name(), present);
            return missing(m, m.name() + " is not exposed by " + cur.source() + nearText(near), near);
        }
        MetricFamily family = cur.familyOf(samples.get(0).name());
        String type = family == null ? "unknown" : family.type().name().toLowerCase(java.util.Locale.ROOT);
        String spelling = exposedAs;
        Map<Labels, Double> increase = windowed && m.type() != Catalog.Type.GAUGE
                ? increases(scrapes, s -> samplesOf(m, s, spelling), l -> l.without("le")) : Map.of();
        Map<Labels, Double> sumByLabels = new HashMap<>();
        for (Sample s : sums) {
            sumByLabels.put(s.labels(), s.value());
        }
        Map<Labels, List<PromMath.Bucket>> buckets = m.type() == Catalog.Type.HISTOGRAM ? bucketsBySeries(scrapes,
                m, seconds) : Map.of();
        List<Series> series = new ArrayList<>();
        Set<String> missingLabels = new LinkedHashSet<>();
        for (Sample s : samples) {
            Labels labels = s.labels().without("le");
            Figure rate;
            if (m.type() == Catalog.Type.GAUGE) {
                rate = Figure.unavailable("a gauge has no rate");
            } else if (!windowed) {
                rate = Figure.unavailable(noRateReason);
            } else if (!increase.containsKey(labels)) {
                rate = Figure.unavailable("the series is new since the previous scrape");
            } else {
                rate = Figure.of(increase.get(labels) / seconds);
            }
            series.add(new Series(labels.asMap(), s.value(), rate, sumByLabels.get(labels), buckets.getOrDefault(
                    labels, List.of())));
            for (String l : m.labels()) {
                if (labels.get(l) == null) {
                    missingLabels.add(l);
                }
            }
        }
        return new Reading(m, true, exposedAs, type, null, List.of(), List.copyOf(series),
                List.copyOf(missingLabels));
    }

    /**
     * Each series' buckets (its labels without {@code le}): their rates over the window as the latency's are taken
     * ({@link #sumByLe} of one series), or their counts from one scrape.
     */
    private static Map<Labels, List<PromMath.Bucket>> bucketsBySeries(List<Scrape> scrapes, Catalog.Metric m,
            double seconds) {
        List<Sample> current = scrapes.get(scrapes.size() - 1).samples(m.bucketName());
        Map<Labels, Double> increases = scrapes.size() > 1 ? increases(scrapes, s -> s.samples(m.bucketName()),
                l -> l) : null;
        Map<Labels, List<Sample>> bySeries = new HashMap<>();
        for (Sample s : current) {
            bySeries.computeIfAbsent(s.labels().without("le"), k -> new ArrayList<>()).add(s);
        }
        Map<Labels, List<PromMath.Bucket>> out = new HashMap<>();
        bySeries.forEach((k, samples) -> out.put(k, List.copyOf(sumByLe(samples, increases, seconds))));
        return out;
    }

    private static List<Sample> infBuckets(List<Sample> buckets) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : buckets) {
            if ("+Inf".equals(s.labels().get("le"))) {
                out.add(s);
            }
        }
        return out;
    }

    static Reading missing(Catalog.Metric m, String reason, List<String> near) {
        return new Reading(m, false, null, null, reason, near, List.of(), List.of());
    }

    static String nearText(List<String> near) {
        return near.isEmpty() ? "" : " (near: " + String.join(", ", near) + ")";
    }

    private static Latency latency(List<Scrape> scrapes, double seconds) {
        Scrape cur = scrapes.get(scrapes.size() - 1);
        boolean windowed = scrapes.size() > 1;
        List<Sample> buckets = cur.samples(DURATION.bucketName());
        String basis = windowed ? "window" : "lifetime";
        if (buckets.isEmpty()) {
            Figure f = Figure.unavailable(LATENCY + " is not exposed by " + cur.source());
            return new Latency(f, f, f, basis);
        }
        List<PromMath.Bucket> summed;
        if (!windowed) {
            summed = sumByLe(buckets, null, 0);
        } else {
            summed = sumByLe(buckets, increases(scrapes, s -> s.samples(DURATION.bucketName()), l -> l), seconds);
            if (summed.isEmpty()) {
                Figure f = Figure.unavailable("no bucket series in two scrapes of the window, so no rate");
                return new Latency(f, f, f, basis);
            }
        }
        Figure[] q = new Figure[Formulas.QUANTILES.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = quantileFigure(PromMath.histogramQuantile(Formulas.QUANTILES[i], summed), windowed);
        }
        return new Latency(q[0], q[1], q[2], basis);
    }

    /** histogram_quantile gives NaN for a histogram without observations: a figure with a reason instead. */
    static Figure quantileFigure(double v, boolean windowed) {
        if (Double.isNaN(v)) {
            return Figure.unavailable(windowed ? "no requests were observed in the window"
                    : "no requests have been observed");
        }
        return Figure.of(v);
    }

    /**
     * {@code sum by (le)} of the bucket values, or (with their increases over the window) of the per-second rates of
     * the series that have one; series whose le is not a number are skipped, as histogram_quantile skips them.
     */
    static List<PromMath.Bucket> sumByLe(List<Sample> buckets, Map<Labels, Double> increases, double seconds) {
        Map<Double, Double> byLe = new TreeMap<>();
        for (Sample s : buckets) {
            Double le = parseLe(s.labels().get("le"));
            if (le == null) {
                continue;
            }
            double v;
            if (increases == null) {
                v = s.value();
            } else {
                Double inc = increases.get(s.labels());
                if (inc == null) {
                    continue;
                }
                v = inc / seconds;
            }
            byLe.merge(le, v, Double::sum);
        }
        List<PromMath.Bucket> out = new ArrayList<>();
        byLe.forEach((le, v) -> out.add(new PromMath.Bucket(le, v)));
        return out;
    }

    static Double parseLe(String le) {
        if (le == null) {
            return null;
        }
        try {
            return switch (le.toLowerCase(java.util.Locale.ROOT)) {
                case "+inf", "inf", "+infinity", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(le);
            };
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------- derived

    /** The derived figures, from readings of any source; rateHint says why there is no rate without a window. */
    static Derived derive(List<Reading> readings, Duration window, String rateHint, Combination combination) {
        return derive(readings, window, rateHint, combination, Map.of());
    }

    /**
     * The derived figures, the gauges in {@code combined} taken as they are (Prometheus combined them) and the others
     * combined here from their series.
     */
    static Derived derive(List<Reading> readings, Duration window, String rateHint, Combination combination,
            Map<String, Combination.Combined> combined) {
        Map<String, Reading> r = new LinkedHashMap<>();
        Map<String, Combination.Combined> gauges = new LinkedHashMap<>();
        for (Reading x : readings) {
            r.put(x.metric().name(), x);
            if (x.present() && x.metric().type() == Catalog.Type.GAUGE) {
                Combination.Combined c = combined.get(x.metric().name());
                gauges.put(x.metric().name(), c != null ? c : combination.combine(x.metric().name(), x.series()));
            }
        }
        java.util.function.Function<String, Figure> gauge = name -> {
            Reading x = r.get(name);
            return x.present() ? Figure.of(gauges.get(name).value()) : Figure.unavailable(x.reason());
        };
        Reading requests = r.get("http_requests_total");
        Figure rps = rateSum(requests, window, rateHint, s -> true);
        Figure errorRatio;
        if (!requests.present()) {
            errorRatio = Figure.unavailable(requests.reason());
        } else if (window == null) {
            List<Double> all = terms(requests, s -> true, false);
            errorRatio = allZero(all) ? Figure.unavailable("no requests have been counted")
                    : Figure.of(share(terms(requests, Snapshots::is5xx, false), all));
        } else {
            Figure all = rateSum(requests, window, rateHint, s -> true);
            List<Double> allRates = terms(requests, s -> true, true);
            if (!all.available()) {
                errorRatio = all;
            } else if (allZero(allRates)) {
                errorRatio = Figure.unavailable("no requests in the window");
            } else {
                errorRatio = Figure.of(share(terms(requests, Snapshots::is5xx, true), allRates));
            }
        }
        Reading errors = r.get("error_count");
        Breakdown errorsByType = by(errors, "type", false, window, rateHint);
        Breakdown errorRatesByType = by(errors, "type", true, window, rateHint);
        Figure cacheHit = cacheHitRatio(r.get("cache_hits"), r.get("cache_misses"), window, rateHint);
        return new Derived(rps, errorRatio, errorsByType, errorRatesByType, cacheHit,
                by(r.get("model_training_total"), "status", false, window, rateHint),
                by(r.get("dataset_processing_total"), "status", false, window, rateHint),
                gauge.apply("celery_tasks_pending"), gauge.apply("celery_tasks_active"),
                gauge.apply("cpu_usage_percent"), gauge.apply("memory_usage_percent"),
                gauge.apply("disk_usage_percent"), gauge.apply("active_users"),
                gauge.apply("active_websocket_connections"), gauge.apply("http_requests_inprogress"),
                java.util.Collections.unmodifiableMap(gauges), combination);
    }

    /** A series of a server error, as {@link Formulas#SERVER_ERROR_MATCHER} selects it in Prometheus. */
    private static boolean is5xx(Series s) {
        return Formulas.serverError(s.labels().get("status"));
    }

    private static Figure rateSum(Reading r, Duration window, String rateHint,
            java.util.function.Predicate<Series> which) {
        if (!r.present()) {
            return Figure.unavailable(r.reason());
        }
        if (window == null) {
            return Figure.unavailable(rateHint);
        }
        boolean any = false;
        String why = null;
        double t = 0;
        for (Series s : r.series()) {
            if (!which.test(s)) {
                continue;
            }
            if (s.rate().available()) {
                any = true;
                t += s.rate().value();
            } else {
                why = s.rate().reason();
            }
        }
        if (!any && why != null) {
            return Figure.unavailable(why);
        }
        return Figure.of(t);
    }

    private static Breakdown by(Reading r, String label, boolean rates, Duration window, String rateHint) {
        if (!r.present()) {
            return new Breakdown(Map.of(), r.reason());
        }
        if (rates && window == null) {
            return new Breakdown(Map.of(), rateHint);
        }
        Map<String, Double> out = new TreeMap<>();
        for (Series s : r.series()) {
            String key = s.labels().getOrDefault(label, "");
            if (rates) {
                if (s.rate().available()) {
                    out.merge(key, s.rate().value(), Double::sum);
                }
            } else {
                out.merge(key, s.value(), Double::sum);
            }
        }
        return new Breakdown(out, null);
    }

    private static Figure cacheHitRatio(Reading hits, Reading misses, Duration window, String rateHint) {
        if (!hits.present()) {
            return Figure.unavailable(hits.reason());
        }
        if (!misses.present()) {
            return Figure.unavailable(misses.reason());
        }
        boolean rates = window != null;
        if (rates) {
            Figure fh = rateSum(hits, window, rateHint, s -> true);
            Figure fm = rateSum(misses, window, rateHint, s -> true);
            if (!fh.available()) {
                return fh;
            }
            if (!fm.available()) {
                return fm;
            }
        }
        List<Double> h = terms(hits, s -> true, rates);
        List<Double> lookups = new ArrayList<>(h);
        lookups.addAll(terms(misses, s -> true, rates));
        if (allZero(lookups)) {
            return Figure.unavailable(window == null ? "no cache lookups have been counted"
                    : "no cache lookups in the window");
        }
        return Figure.of(share(h, lookups));
    }

    /** The series' values, or their rates where they have one. */
    private static List<Double> terms(Reading r, java.util.function.Predicate<Series> which, boolean rates) {
        List<Double> t = new ArrayList<>();
        for (Series s : r.series()) {
            if (which.test(s) && (!rates || s.rate().available())) {
                t.add(rates ? s.rate().value() : s.value());
            }
        }
        return t;
    }

    private static boolean allZero(List<Double> terms) {
        return terms.stream().allMatch(x -> x == 0);
    }

    /**
     * Σ part / Σ whole, each term divided by the largest first: summed as they are, counts near the largest double
     * overflow to infinity, and hits / (hits + misses) of 1e308 and 1e308 comes out 0 instead of 0.5.
     */
    static double share(List<Double> part, List<Double> whole) {
        double max = 0;
        for (double x : whole) {
            max = Math.max(max, Math.abs(x));
        }
        for (double x : part) {
            max = Math.max(max, Math.abs(x));
        }
        double scale = max == 0 || Double.isInfinite(max) ? 1 : max;
        double p = 0;
        for (double x : part) {
            p += x / scale;
        }
        double w = 0;
        for (double x : whole) {
            w += x / scale;
        }
        return p / w;
    }

    /** The family types the catalog's types are exposed as. */
    static boolean typeMatches(Catalog.Type want, MetricType got) {
        return switch (want) {
            case COUNTER -> got == MetricType.COUNTER;
            case GAUGE -> got == MetricType.GAUGE;
            case HISTOGRAM -> got == MetricType.HISTOGRAM;
        };
    }
}
