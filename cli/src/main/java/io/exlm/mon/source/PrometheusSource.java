package io.exlm.mon.source;

import io.exlm.mon.ExitException;
import io.exlm.mon.expo.Labels;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Snapshot.Latency;
import io.exlm.mon.source.Snapshot.Reading;
import io.exlm.mon.source.Snapshot.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The catalog snapshot computed by Prometheus, the work done there: one query per panel of the panel specification
 * (the catalog metrics each panel reads, each metric once: {@code PanelId.queryGroups()}, which the command gives
 * it), every figure aggregated on the server, so that what comes back does not grow with the number of instances:
 * counters and histograms summed by their catalog labels (their values, rates over the window and a histogram's
 * sum; a counter's values by its spelling as well, which tells the one a target exposes), gauges combined as {@link Combination} says ({@link Combination.Rule#promql}, the Grafana panels'
 * expression) with their counts of instances and processes and the {@value #TOP_INSTANCES} highest instances, the
 * latency panel's bucket rates summed by {@code le} ({@link Formulas#bucketSum}), of which the three percentiles are
 * taken here as {@link Formulas#quantile} takes them there (PrometheusAgreementIT holds them to the panel's PromQL).
 * Every selector carries the {@link Scope}'s matchers (by default the backend's job). The parts of one query are
 * told apart by the label {@value #PART} that {@code label_replace} gives each.
 * <p>
 * The queries of a frame go out at once, at most {@link #MAX_CONCURRENT_QUERIES} (16) together (below Prometheus's
 * default {@code --query.max-concurrency} of 20, and above a frame's count, so that a frame costs one round trip
 * and not one per query), each with the HTTP layer's timeout, the answers of a frame held to the answer caps
 * together. A query that fails leaves its panel's metrics missing with the failure's words; only when every query
 * fails is the frame a failure.
 */
public final class PrometheusSource implements Source {
    /**
     * The most queries of one frame in flight together: as many connections as the HTTP layer keeps alive, so that a
     * live view's next frame opens none.
     */
    public static final int MAX_CONCURRENT_QUERIES = io.exlm.mon.http.HttpLayer.IDLE_CONNECTIONS;
    /** The instances a gauge's answer lists by name: its highest. */
    public static final int TOP_INSTANCES = 10;
    /** The label that names the part of a query an answer's series belongs to. */
    public static final String PART = "exlm_part";

    private final PrometheusClient client;
    private final Combination combination;
    private final Duration window;
    /** Changed only between snapshots, by the thread that takes them (top's instance filter). */
    private volatile Scope scope;
    private final List<List<String>> panels;
    private java.util.function.Consumer<String> log = line -> { };
    private ExecutorService pool;
    /** The metric names in the scope, asked for once when a metric is missing (for "near" names). */
    private List<String> names;
    /** The fingerprints of the queries that {@value #FRAME_GROUP} records; none until {@link #recordings} is called. */
    private Set<String> recorded = Set.of();
    /**
     * Whether the recordings were absent from the last frame that asked for them (a Prometheus without the rules), and
     * since when (System.nanoTime): the frames then send their queries as they are, and ask again once a {@link
     * #FRAME_INTERVAL} has passed, so that a frame costs one round trip, not two, and a young Prometheus's first recordings are found.
     */
    private boolean recordingsAbsent;
    private long recordingsAbsentSince;

    /** The source of {@link #snapshot()}: rates and percentiles over {@code window}, or lifetime ones when null. */
    public PrometheusSource(PrometheusClient client, Combination combination, Duration window, Scope scope,
            List<List<String>> panels) {
        this.client = client;
        this.combination = combination;
        this.window = window;
        this.scope = scope;
        this.panels = List.copyOf(panels);
    }

    /** The window of the rates and percentiles; null for lifetime figures. */
    public Duration window() {
        return window;
    }

    /** The Prometheus it reads. */
    public PrometheusClient client() {
        return client;
    }

    /** The series the queries read. */
    public Scope scope() {
        return scope;
    }

    /**
     * Reads the series of {@code scope} from the next snapshot on (top's instance filter); call it from the thread
     * that takes the snapshots.
     */
    public void scope(Scope scope) {
        if (!scope.equals(this.scope)) {
            this.scope = scope;
            names = null;
        }
    }

    /**
     * Reads a frame's query from its recording by the rule group {@value #FRAME_GROUP} where there is one: the
     * queries of the default frame over {@code window} (the panels', {@code PanelId.WINDOW}, which the rules were
     * generated for) are recorded; any other (another scope or window, a changed combination) is sent as it is.
     */
    public PrometheusSource recordings(Duration window) {
        Set<String> out = new java.util.HashSet<>();
        for (Query q : queries(Scope.BACKEND, Combination.defaults(), window, panels)) {
            out.add(fingerprint(q.promql()));
        }
        recorded = Set.copyOf(out);
        return this;
    }

    /** Where a line on each frame goes (its queries and their time, for -v); nowhere by default. */
    public PrometheusSource log(java.util.function.Consumer<String> log) {
        this.log = log;
        return this;
    }

    @Override
    public String describe() {
        String m = scope.promql();
        return "PromQL " + client.baseUrl() + (m.isEmpty() ? "" : " {" + m + "}")
                + (window == null ? "" : " " + Formulas.range(window));
    }

    @Override
    public boolean hasWindow() {
        return window != null;
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    // ------------------------------------------------------------------------------------------- the queries

    /** One query of a frame: the catalog metrics it reads (a panel's), and its PromQL. */
    /**
     * One query of a frame: the catalog metrics it reads (a panel's), its PromQL, and what its recording rule
     * evaluates: the same parts, a counter's value part with its metric name kept in {@value #NAME} (only there: a
     * part without a metric name gets no such label, whatever the engine, MetricsQL included).
     */
    public record Query(List<Catalog.Metric> metrics, String promql, String recorded) {
    }

    /**
     * The frame's queries: one per group of catalog metric names ({@code panels}: the panels' metrics in the panel
     * specification's order, each metric in one group, {@code PanelId.queryGroups()}); the latency panel's query holds
     * its bucket sums.
     */
    public static List<Query> queries(Scope scope, Combination combination, Duration window,
            List<List<String>> panels) {
        String m = scope.promql();
        List<Query> out = new ArrayList<>();
        for (List<String> group : panels) {
            List<Catalog.Metric> metrics = new ArrayList<>();
            List<String> parts = new ArrayList<>();
            List<String> recorded = new ArrayList<>();
            for (String name : group) {
                Catalog.Metric metric = Catalog.byName(name);
                metrics.add(metric);
                List<String> own = parts(metric, m, combination, window);
                parts.addAll(own);
                for (int i = 0; i < own.size(); i++) {
                    // a counter's first part is its value by spelling, the one part that keeps __name__
                    recorded.add(metric.type() == Catalog.Type.COUNTER && i == 0 ? "label_replace(" + own.get(i)
                            + ", \"" + NAME + "\", \"$1\", \"__name__\", \"(.+)\")" : own.get(i));
                }
            }
            // and a series that is there whatever the data: an evaluation that found nothing is still a recording,
            // with a time, so that an empty panel (a metric not exposed) is read from it and not asked for again, as
            // long as the same evaluation found other panels' series
            recorded.add(tagged("vector(1)", EVALUATED));
            out.add(new Query(List.copyOf(metrics), String.join(" or ", parts), String.join(" or ", recorded)));
        }
        return out;
    }

    /** The tag of a part: {@code METRIC:PART}. */
    public static String tag(Catalog.Metric metric, String part) {
        return metric.name() + ":" + part;
    }

    /** {@code EXPR} with the label {@value #PART} set to {@code tag}. */
    static String tagged(String expr, String tag) {
        return "label_replace(" + expr + ", \"" + PART + "\", \"" + tag + "\", \"\", \"\")";
    }

    /** The parts of a metric's query; {@link #tag} names each. */
    static List<String> parts(Catalog.Metric metric, String matchers, Combination combination, Duration window) {
        List<String> out = new ArrayList<>();
        String selector = Formulas.selector(metric, matchers);
        String by = metric.labels().isEmpty() ? "sum" : "sum by (" + String.join(", ", metric.labels()) + ") ";
        switch (metric.type()) {
            case GAUGE -> {
                Combination.Rule rule = combination.rule(metric.name());
                String perProcess = "sum by (" + Combination.INSTANCE + ", " + Combination.WORKER + ") (" + selector
                        + ")";
                out.add(tagged(rule.promql(selector), tag(metric, "value")));
                out.add(tagged("count(" + perProcess + ")", tag(metric, "processes")));
                out.add(tagged("count(count by (" + Combination.INSTANCE + ") (" + selector + "))",
                        tag(metric, "instances")));
                out.add(tagged("topk(" + TOP_INSTANCES + ", " + rule.acrossWorkers().promql() + " by ("
                        + Combination.INSTANCE + ") (" + perProcess + "))", tag(metric, "instance")));
            }
            case COUNTER -> {
                // by its spelling too (__name__, which or keeps): which one a target exposes, from the same series
                // as the totals, not from a selection of them all once more
                List<String> named = new ArrayList<>(List.of("__name__"));
                named.addAll(metric.labels());
                out.add(tagged("sum by (" + String.join(", ", named) + ") (" + selector + ")", tag(metric,
                        "value")));
                if (window != null) {
                    out.add(tagged(by + "(" + Formulas.rate(metric, matchers, window) + ")", tag(metric, "rate")));
                }
            }
            case HISTOGRAM -> {
                out.add(tagged(by + "(" + selector + ")", tag(metric, "value")));
                out.add(tagged(by + "(" + metric.sumName() + braces(matchers) + ")", tag(metric, "sum")));
                if (window != null) {
                    out.add(tagged(by + "(" + Formulas.rate(metric, matchers, window) + ")", tag(metric, "rate")));
                }
                if (metric.name().equals(Snapshots.LATENCY)) {
                    out.add(tagged(Formulas.bucketSum(metric, matchers, window), tag(metric, "buckets")));
                }
            }
            default -> throw new IllegalStateException(metric.type().toString());
        }
        return out;
    }

    /**
     * How much of the window Prometheus has data for, from the scope's {@code up} series, aggregated there: the
     * earliest sample the window reaches back to (found at 10 steps of the window, so to within a tenth of it, which
     * is finer than the 90 % below which the window counts as not full), the latest one, and the most samples an
     * instance has in the window. A subquery's steps are aligned to multiples of its step, so data younger than
     * the last step boundary has no coarse step yet: the last step is read again at 1 s ("recent"), or a
     * Prometheus seconds old would read as holding the whole window.
     */
    public static String coverageQuery(Scope scope, Duration window) {
        String up = "up" + braces(scope.promql());
        Duration step = Duration.ofMillis(Math.max(1000, window.toMillis() / 10 / 1000 * 1000));
        return tagged("min(min_over_time(timestamp(" + up + ")[" + io.exlm.mon.config.Durations.format(window) + ":"
                + io.exlm.mon.config.Durations.format(step) + "]))", "first")
                + " or " + tagged("min(min_over_time(timestamp(" + up + ")["
                        + io.exlm.mon.config.Durations.format(step) + ":1s]))", "recent")
                + " or " + tagged("max(timestamp(" + up + "))", "last")
                + " or " + tagged("max(count_over_time(" + up + Formulas.range(window) + "))", "samples");
    }

    private static String braces(String matchers) {
        return matchers.isEmpty() ? "" : "{" + matchers + "}";
    }

    // ------------------------------------------------------------------------------------------- the recordings

    /**
     * The rule group that records the default frame's queries (stack/prometheus/rules/exlm-frame.yml, generated by
     * {@link #frameRules}): Prometheus evaluates each query of the frame every {@link #FRAME_INTERVAL}, so that a frame
     * reads a few dozen recorded series instead of aggregating every raw series of every instance again, and its
     * time does not grow with the number of instances. Each recording carries the fingerprint of the query it
     * records (the label {@value #FINGERPRINT}, a hash of its PromQL), and the source reads a recording only of a
     * query whose PromQL is the one it would send itself, and only when the recording is at most {@link
     * #FRAME_MAX_AGE} old at the frame's time; otherwise it sends the query itself (a Prometheus without the rules or
     * with older ones, one seconds old, a group that stopped, another scope or window). A recording holds the
     * query's answer with two changes it needs to be stored: the metric name is the record's (a counter's spelling,
     * which the query keeps in {@code __name__}, is kept in {@value #NAME}), and the fingerprint is added.
     */
    public static final String FRAME_GROUP = "exlm-frame";
    /** How often {@value #FRAME_GROUP} is evaluated (the group says so itself: the global interval does not count). */
    public static final Duration FRAME_INTERVAL = Duration.ofSeconds(15);
    /** The oldest recording a frame reads: one evaluation missed at most. */
    public static final Duration FRAME_MAX_AGE = FRAME_INTERVAL.multipliedBy(2);
    /** The label of a recording that holds its query's fingerprint. */
    public static final String FINGERPRINT = "exlm_frame";
    /** The label of a recording that holds its series' metric name (a counter's spelling). */
    public static final String NAME = "exlm_name";
    /** The part of a recording's answer that tells when it was evaluated. */
    public static final String RECORDED_AT = "exlm_recorded_at";
    /**
     * The part every recording holds, whatever its query found (its value 1): a recording whose query found nothing
     * still has a time of evaluation, and is read as the empty answer it is when the same evaluation found other
     * panels' series. When none did (an evaluation may come before the store shows samples just written), the
     * queries are sent as they are, as for a recording of rules without this part.
     */
    public static final String EVALUATED = "exlm_evaluated";

    /** The fingerprint of a query: the first 12 hex digits of its PromQL's SHA-256. */
    public static String fingerprint(String promql) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(promql.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record that holds a query's answer: {@code exlm:frame:} and the first metric it reads. */
    public static String recordName(Query q) {
        return "exlm:frame:" + q.metrics().get(0).name();
    }

    /** What the recording rule of {@code q} evaluates: its PromQL, with each series' metric name kept in a label. */
    public static String recordedExpr(Query q) {
        return q.recorded();
    }

    /** The query that reads {@code q}'s recording: its series, and the time of their evaluation. */
    public static String recordedQuery(Query q) {
        String series = recordName(q) + "{" + FINGERPRINT + "=\"" + fingerprint(q.promql()) + "\"}";
        return series + " or " + tagged("min(timestamp(" + series + "))", RECORDED_AT);
    }

    /**
     * The rule file that records the queries of the default frame over {@code window} ({@code panels}: the panels'
     * metrics, as for {@link #queries}): {@code scripts/regenerate-docs} writes it, a test holds it to this.
     */
    public static String frameRules(Duration window, List<List<String>> panels) {
        StringBuilder y = new StringBuilder();
        y.append("# Generated by scripts/regenerate-docs from the panel specification (io.exlm.mon.source.PrometheusSource"
                + ".frameRules): do not edit.\n");
        y.append("# The queries of one frame of `top --source prometheus` and `metrics --source prometheus` (the backend's"
                + " job, over\n# the panels' window of ").append(io.exlm.mon.config.Durations.format(window))
                .append("), each recorded as it is, every ").append(io.exlm.mon.config.Durations.format(
                        FRAME_INTERVAL)).append(": a frame then reads a few dozen recorded series, whatever the\n"
                + "# number of instances, instead of aggregating every raw series again. A recording carries its"
                + " query's fingerprint\n# (" + FINGERPRINT + "), and exlm-mon reads it only for the very query it"
                + " would send, at most ").append(io.exlm.mon.config.Durations.format(FRAME_MAX_AGE))
                .append(" old; else it sends the\n# query itself.\n");
        y.append("groups:\n  - name: ").append(FRAME_GROUP).append("\n    interval: ").append(
                io.exlm.mon.config.Durations.format(FRAME_INTERVAL)).append("\n    rules:\n");
        for (Query q : queries(Scope.BACKEND, Combination.defaults(), window, panels)) {
            y.append("      - record: ").append(recordName(q)).append('\n');
            y.append("        expr: '").append(recordedExpr(q).replace("'", "''")).append("'\n");
            y.append("        labels:\n          ").append(FINGERPRINT).append(": '").append(fingerprint(q.promql()))
                    .append("'\n");
        }
        return y.toString();
    }

    /**
     * Puts in {@code answers}, for each query at the indexes {@code asked} (those whose recording was asked for),
     * its recording in the form of its own answer; the queries whose recording did not serve (none, too old,
     * failed) are sent as they are, at once. Returns the times of evaluation of the recordings that served (epoch
     * milliseconds), one per query served.
     */
    private List<Long> serve(List<Query> queries, List<Integer> asked, List<Object> answers, Instant at,
            io.exlm.mon.config.AnswerLimits.Budget budget) {
        List<Integer> again = new ArrayList<>();
        List<Long> evaluated = new ArrayList<>();
        Map<Integer, QueryResult> empty = new LinkedHashMap<>();
        Map<Integer, Long> emptyAt = new LinkedHashMap<>();
        java.util.Set<Long> held = new java.util.HashSet<>();
        for (int i : asked) {
            Long when = answers.get(i) instanceof QueryResult r ? evaluatedAt(r, at) : null;
            if (answers.get(i) instanceof Failed f && unreachable(f)) {
                continue; // the query itself would not reach it either: its failure is the answer
            }
            QueryResult recorded = when == null ? null : answer((QueryResult) answers.get(i));
            if (recorded == null) {
                again.add(i);
            } else if (recorded.isEmpty()) {
                empty.put(i, recorded);
                emptyAt.put(i, when);
            } else {
                answers.set(i, recorded);
                evaluated.add(when);
                held.add(when);
            }
        }
        // an empty recording is the empty answer it is when the same evaluation found other panels' series; when
        // none of that evaluation's recordings holds any, the evaluation may have come before the store could show
        // the samples (VictoriaMetrics under load shows them seconds after they are written), and a frame of
        // missing panels would be a false red: their queries are sent instead
        for (Map.Entry<Integer, QueryResult> e : empty.entrySet()) {
            Long when = emptyAt.get(e.getKey());
            if (held.contains(when)) {
                answers.set(e.getKey(), e.getValue());
                evaluated.add(when);
            } else {
                again.add(e.getKey());
            }
        }
        if (!again.isEmpty()) {
            List<Object> raw = all(again.stream().map(i -> queries.get(i).promql()).toList(),
                    again.stream().map(i -> what(queries.get(i))).toList(), e -> client.query(e, at, budget));
            for (int k = 0; k < again.size(); k++) {
                answers.set(again.get(k), raw.get(k));
            }
        }
        return evaluated;
    }

    /**
     * A recording's answer in the form of its query's own answer (the record's name and fingerprint taken off, a
     * counter's spelling back in {@code __name__}), or null when it has no evaluation at most {@link #FRAME_MAX_AGE}
     * before {@code at}, or holds no series (whether that is an empty answer, a frame tells from the evaluation's
     * other recordings).
     */
    public static QueryResult fromRecording(QueryResult r, Instant at) {
        QueryResult a = evaluatedAt(r, at) == null ? null : answer(r);
        return a == null || a.isEmpty() ? null : a;
    }

    /**
     * When the recording of {@code r} was evaluated (epoch milliseconds), or null when it has no evaluation at most
     * {@link #FRAME_MAX_AGE} before {@code at}.
     */
    public static Long evaluatedAt(QueryResult r, Instant at) {
        for (QueryResult.Series s : r.series()) {
            if (RECORDED_AT.equals(s.metric().get(PART))) {
                double evaluated = s.value();
                if (Double.isNaN(evaluated)) {
                    return null;
                }
                long millis = Math.round(evaluated * 1000);
                return at.toEpochMilli() - millis > FRAME_MAX_AGE.toMillis() ? null : millis;
            }
        }
        return null;
    }

    /** A recording's answer in the form of its query's own answer. */
    private static QueryResult answer(QueryResult r) {
        List<QueryResult.Series> out = new ArrayList<>();
        for (QueryResult.Series s : r.series()) {
            if (RECORDED_AT.equals(s.metric().get(PART)) || EVALUATED.equals(s.metric().get(PART))) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>(s.metric().asMap());
            labels.remove("__name__");
            labels.remove(FINGERPRINT);
            String name = labels.remove(NAME);
            String part = labels.get(PART);
            if (name != null && !name.isEmpty() && part != null && part.endsWith(":value")) {
                labels.put("__name__", name);
            }
            out.add(new QueryResult.Series(Labels.of(labels), s.points()));
        }
        return new QueryResult(r.resultType(), out);
    }

    // ------------------------------------------------------------------------------------------- the frame

    @Override
    public Snapshot snapshot() {
        return snapshot(Instant.now());
    }

    @Override
    public boolean remembers() {
        return true;
    }

    /**
     * The catalog as Prometheus had it at {@code at}: the frame's instant queries with {@code time=at}. A frame read
     * (in part) from its recordings is the catalog at their time of evaluation, the oldest of those read (up to
     * {@link #FRAME_MAX_AGE} before {@code at}): that is the snapshot's time, its window's coverage is taken then
     * (asked for once more at that time while the window is not full: a young stack), and {@link Snapshot#recorded}
     * says so.
     */
    @Override
    public Snapshot snapshot(Instant at) {
        List<Query> queries = queries(scope, combination, window, panels);
        List<String> exprs = new ArrayList<>();
        List<String> whats = new ArrayList<>();
        boolean ask = !recorded.isEmpty() && (!recordingsAbsent
                || System.nanoTime() - recordingsAbsentSince >= FRAME_INTERVAL.toNanos());
        List<Integer> asked = new ArrayList<>();
        for (Query q : queries) {
            boolean fromRecording = ask && recorded.contains(fingerprint(q.promql()));
            if (fromRecording) {
                asked.add(exprs.size());
            }
            exprs.add(fromRecording ? recordedQuery(q) : q.promql());
            whats.add((fromRecording ? "the recording of " : "the query of ") + names(q));
        }
        if (window != null) {
            exprs.add(coverageQuery(scope, window));
            whats.add("the window's coverage query");
        }
        long start = System.nanoTime();
        io.exlm.mon.config.AnswerLimits.Budget budget = client.budget();
        List<Object> answers = all(exprs, whats, e -> client.query(e, at, budget));
        List<Long> evaluated = List.of();
        if (ask) {
            evaluated = serve(queries, asked, answers, at, budget);
            recordingsAbsent = evaluated.isEmpty();
            recordingsAbsentSince = System.nanoTime();
        }
        long figuresAt = evaluated.stream().mapToLong(Long::longValue).min().orElse(at.toEpochMilli());
        log.accept("PromQL frame: " + exprs.size() + " queries (at most " + MAX_CONCURRENT_QUERIES + " at once; "
                + evaluated.size() + " read from the " + FRAME_GROUP + " recordings"
                + (evaluated.isEmpty() ? "" : ", evaluated up to " + ageText(at.toEpochMilli() - figuresAt)
                        + " before the frame") + ") in " + (System.nanoTime() - start) / 1_000_000 + " ms"
                + failures(answers));
        requireAnswer(answers, "the frame");
        Snapshot.Coverage coverage = null;
        if (window != null && answers.get(answers.size() - 1) instanceof QueryResult r) {
            coverage = coverage(byPart(r), at, window);
            if (coverage != null && figuresAt != at.toEpochMilli()) {
                // a window not yet full (a young stack), and figures older than the frame: its coverage then
                try {
                    coverage = coverage(byPart(client.query(coverageQuery(scope, window), Instant.ofEpochMilli(
                            figuresAt), budget)), Instant.ofEpochMilli(figuresAt), window);
                } catch (ExitException e) {
                    coverage = coverage(byPart(r), Instant.ofEpochMilli(figuresAt), window);
                }
            }
        }
        Snapshot s = frame(queries, answers, Instant.ofEpochMilli(figuresAt), coverage);
        return evaluated.isEmpty() ? s : s.recorded(new Snapshot.Recorded(FRAME_GROUP, evaluated.size(),
                queries.size(), figuresAt, at.toEpochMilli()));
    }

    /** Whether a failure says the server could not be reached at all (refused, no such host, no connection). */
    private static boolean unreachable(Failed f) {
        return f.getCause() instanceof io.exlm.mon.http.HttpFailure h && switch (h.kind()) {
            case REFUSED, DNS, CONNECT_TIMEOUT, TLS -> true;
            default -> false;
        };
    }

    /** An age in seconds, to the tenth: "14.2s". */
    private static String ageText(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }

    /** What a query asks for, in a few words: "the query of cpu_usage_percent". */
    private static String what(Query q) {
        return "the query of " + names(q);
    }

    /** The catalog metrics a query reads: "celery_tasks_pending, celery_tasks_active". */
    private static String names(Query q) {
        return String.join(", ", q.metrics().stream().map(Catalog.Metric::name).toList());
    }

    /**
     * For -v: how many of the frame's queries failed, and the first failure whole, with its URL and query (the
     * error line itself names the query and the server only).
     */
    private static String failures(List<Object> answers) {
        List<Failed> failed = answers.stream().filter(a -> a instanceof Failed).map(a -> (Failed) a).toList();
        if (failed.isEmpty()) {
            return "";
        }
        return "; " + failed.size() + " failed, the first: " + failed.get(0).getCause().getMessage();
    }

    /**
     * The frames of the {@code points} steps of {@code step} up to {@code end}, oldest first: one range query per
     * query of a frame (the same PromQL as {@link #snapshot(Instant)}'s, at most {@link #MAX_CONCURRENT_QUERIES}
     * together, the answers held to the answer caps together), each step's answers made into the frame its instant
     * queries would have made. A step Prometheus has no data for (one before it started) is a frame whose metrics
     * are missing: no point is invented. A step's frame has no coverage (it is for a history, not a rate's note).
     */
    @Override
    public List<Snapshot> history(Instant end, Duration step, int points) {
        List<Query> queries = queries(scope, combination, window, panels);
        Instant first = end.minus(step.multipliedBy(points - 1L));
        long start = System.nanoTime();
        io.exlm.mon.config.AnswerLimits.Budget budget = client.budget();
        List<Object> ranges = all(queries.stream().map(Query::promql).toList(), queries.stream().map(
                q -> "the range query of " + names(q)).toList(), e -> client.queryRange(e, first, end, step, budget));
        log.accept("PromQL history: " + queries.size() + " range queries of " + points + " steps of "
                + io.exlm.mon.config.Durations.format(step) + " in " + (System.nanoTime() - start) / 1_000_000
                + " ms" + failures(ranges));
        requireAnswer(ranges, "the history");
        // each range answer cut into one vector per step: a series' point at a step, where it has one
        List<List<Object>> perStep = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            perStep.add(new ArrayList<>());
        }
        for (Object a : ranges) {
            List<List<QueryResult.Series>> vectors = new ArrayList<>();
            for (int i = 0; i < points; i++) {
                vectors.add(new ArrayList<>());
            }
            if (a instanceof QueryResult r) {
                for (QueryResult.Series s : r.series()) {
                    for (io.exlm.mon.promql.PromMath.Point pt : s.points()) {
                        long k = Math.round((double) (pt.millis() - first.toEpochMilli()) / step.toMillis());
                        if (k >= 0 && k < points) {
                            vectors.get((int) k).add(new QueryResult.Series(s.metric(), List.of(pt)));
                        }
                    }
                }
            }
            for (int i = 0; i < points; i++) {
                perStep.get(i).add(a instanceof QueryResult ? new QueryResult("vector", vectors.get(i)) : a);
            }
        }
        List<Snapshot> out = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            out.add(frame(queries, perStep.get(i), first.plus(step.multipliedBy(i)), null));
        }
        return out;
    }

    /**
     * Throws when no expression was answered (only then is the whole frame a failure): one line, what failed and
     * the first failure's words, the URL without its query.
     */
    private void requireAnswer(List<Object> answers, String of) {
        Failed first = null;
        for (Object a : answers) {
            if (a instanceof Failed e) {
                first = first == null ? e : first;
            } else {
                return;
            }
        }
        if (first != null) {
            throw new ExitException(first.exitCode(), (answers.size() == 1 ? "the PromQL query of " + of
                    : of + "'s " + answers.size() + " PromQL queries") + " failed" + (answers.size() == 1 ? ""
                    : ", the first (" + first.what + ")") + ": " + first.why(), first.getCause());
        }
    }

    /** The snapshot at {@code at} from the answers (or failures) of the frame's queries, in their order. */
    private Snapshot frame(List<Query> queries, List<Object> answers, Instant at, Snapshot.Coverage coverage) {
        Map<String, Reading> byName = new LinkedHashMap<>();
        Map<String, Combination.Combined> gauges = new LinkedHashMap<>();
        Latency latency = null;
        for (int i = 0; i < queries.size(); i++) {
            Query q = queries.get(i);
            Object a = answers.get(i);
            Map<String, List<QueryResult.Series>> parts = a instanceof QueryResult r ? byPart(r) : Map.of();
            for (Catalog.Metric m : q.metrics()) {
                Reading r;
                if (a instanceof Failed e) {
                    r = Snapshots.missing(m, "the query of " + m.name() + " failed: " + e.why(), List.of());
                } else {
                    r = reading(m, parts, gauges);
                }
                byName.put(m.name(), r);
                if (m.name().equals(Snapshots.LATENCY)) {
                    latency = a instanceof Failed e ? latencyUnavailable("the query of the latency"
                            + " percentiles failed: " + e.why()) : latency(m, parts);
                }
            }
        }
        List<Reading> readings = new ArrayList<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            readings.add(byName.get(m.name()));
        }
        return new Snapshot(client.baseUrl(), "prometheus", at.toEpochMilli(), window, readings, latency,
                Snapshots.derive(readings, window, "needs --window for a rate", combination, gauges), coverage);
    }

    /**
     * A query of the frame that failed, in one short line: what was asked ({@code the query of cpu_usage_percent}), the
     * server and the cause, without the URL-encoded PromQL (hundreds of characters); the failure itself, the whole
     * URL with it, is the cause (-v prints it).
     */
    static final class Failed extends ExitException {
        private final String what;
        private final String why;

        Failed(String what, ExitException cause) {
            this(what, cause instanceof io.exlm.mon.http.EndpointFailure f ? f.messageWithoutQuery()
                    : cause.getMessage(), cause);
        }

        private Failed(String what, String why, ExitException cause) {
            super(cause.exitCode(), what + " failed: " + why, cause);
            this.what = what;
            this.why = why;
        }

        /** Why, without what was asked: "GET http://h:9090/api/v1/query: connection refused ...". */
        String why() {
            return why;
        }
    }

    /**
     * Each expression's answer (a {@link QueryResult}) or failure (a {@link Failed}, saying what was asked with
     * {@code whats}), in order.
     */
    private List<Object> all(List<String> exprs, List<String> whats,
            java.util.function.Function<String, QueryResult> ask) {
        if (pool == null) {
            pool = Executors.newFixedThreadPool(MAX_CONCURRENT_QUERIES, r -> {
                Thread t = new Thread(r, "exlm-promql");
                t.setDaemon(true);
                return t;
            });
        }
        List<Future<Object>> futures = new ArrayList<>();
        for (int i = 0; i < exprs.size(); i++) {
            String e = exprs.get(i);
            String what = whats.get(i);
            futures.add(pool.submit(() -> {
                try {
                    return ask.apply(e);
                } catch (ExitException x) {
                    return new Failed(what, x);
                }
            }));
        }
        List<Object> out = new ArrayList<>();
        try {
            for (Future<Object> f : futures) {
                out.add(f.get());
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "interrupted while querying "
                    + client.baseUrl());
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
        return out;
    }

    private static Map<String, List<QueryResult.Series>> byPart(QueryResult r) {
        Map<String, List<QueryResult.Series>> out = new LinkedHashMap<>();
        for (QueryResult.Series s : r.series()) {
            String part = s.metric().get(PART);
            if (part != null) {
                out.computeIfAbsent(part, k -> new ArrayList<>()).add(new QueryResult.Series(s.metric().without(PART),
                        s.points()));
            }
        }
        return out;
    }

    private Reading reading(Catalog.Metric m, Map<String, List<QueryResult.Series>> parts,
            Map<String, Combination.Combined> gauges) {
        List<QueryResult.Series> values = parts.getOrDefault(tag(m, "value"), List.of());
        String exposedAs = m.name();
        if (m.type() == Catalog.Type.COUNTER) {
            // the totals by spelling: the catalog's first spelling among them, and the totals summed across them
            Set<String> spellings = new java.util.HashSet<>();
            Map<Labels, io.exlm.mon.promql.PromMath.Point> totals = new LinkedHashMap<>();
            for (QueryResult.Series s : values) {
                spellings.add(s.metric().get("__name__"));
                io.exlm.mon.promql.PromMath.Point p = s.points().get(s.points().size() - 1);
                totals.merge(s.metric().without("__name__"), p, (a, b) -> new io.exlm.mon.promql.PromMath.Point(
                        a.millis(), a.value() + b.value()));
            }
            exposedAs = m.exposedNames().stream().filter(spellings::contains).findFirst().orElse(m.name());
            List<QueryResult.Series> summed = new ArrayList<>();
            totals.forEach((labels, p) -> summed.add(new QueryResult.Series(labels, List.of(p))));
            values = summed;
        }
        if (values.isEmpty()) {
            String selector = Formulas.selector(m, scope.promql());
            List<String> near = NearNames.of(m.name(), names());
            String hint = names().isEmpty() ? " (it has no series of " + scope.words() + " at all: is --backend-job"
                    + " right?)" : Snapshots.nearText(near);
            return Snapshots.missing(m, "the query " + selector + " returned nothing from " + client.baseUrl() + hint,
                    near);
        }
        if (m.type() == Catalog.Type.GAUGE) {
            double v = values.get(0).value();
            Map<String, Double> per = new LinkedHashMap<>();
            List<QueryResult.Series> top = new ArrayList<>(parts.getOrDefault(tag(m, "instance"), List.of()));
            top.sort((a, b) -> Double.compare(b.value(), a.value()));
            for (QueryResult.Series s : top) {
                per.put(s.metric().get(Combination.INSTANCE) == null ? "" : s.metric().get(Combination.INSTANCE),
                        s.value());
            }
            int instances = count(parts, tag(m, "instances"), 1);
            int processes = count(parts, tag(m, "processes"), 1);
            gauges.put(m.name(), new Combination.Combined(v, java.util.Collections.unmodifiableMap(per), instances,
                    processes));
            return new Reading(m, true, m.name(), null, null, List.of(), List.of(new Series(Map.of(), v,
                    Figure.unavailable("a gauge has no rate"), null)), List.of());
        }
        Map<Labels, Double> rates = new java.util.HashMap<>();
        for (QueryResult.Series s : parts.getOrDefault(tag(m, "rate"), List.of())) {
            rates.put(s.metric(), s.value());
        }
        Map<Labels, Double> sums = new java.util.HashMap<>();
        for (QueryResult.Series s : parts.getOrDefault(tag(m, "sum"), List.of())) {
            sums.put(s.metric(), s.value());
        }
        List<Series> series = new ArrayList<>();
        Set<String> missingLabels = new LinkedHashSet<>();
        List<QueryResult.Series> sorted = new ArrayList<>(values);
        sorted.sort(java.util.Comparator.comparing(s -> new TreeMap<>(s.metric().asMap()).toString()));
        for (QueryResult.Series s : sorted) {
            Labels labels = s.metric();
            Figure rate;
            if (window == null) {
                rate = Figure.unavailable("needs --window for a rate");
            } else if (rates.containsKey(labels)) {
                rate = Figure.of(rates.get(labels));
            } else {
                rate = Figure.unavailable("fewer than two samples in the window");
            }
            series.add(new Series(labels.asMap(), s.value(), rate, sums.get(labels)));
            for (String l : m.labels()) {
                if (labels.get(l) == null) {
                    missingLabels.add(l);
                }
            }
        }
        return new Reading(m, true, exposedAs, null, null, List.of(), List.copyOf(series),
                List.copyOf(missingLabels));
    }

    private static int count(Map<String, List<QueryResult.Series>> parts, String tag, int none) {
        List<QueryResult.Series> s = parts.getOrDefault(tag, List.of());
        return s.isEmpty() ? none : (int) Math.round(s.get(0).value());
    }

    /** The metric names of the scope, asked for once, when a metric is missing. */
    private List<String> names() {
        if (names == null) {
            String m = scope.promql();
            try {
                names = m.isEmpty() ? client.labelValues("__name__") : client.labelValues("__name__", "{" + m + "}");
            } catch (ExitException e) {
                names = List.of();
            }
        }
        return names;
    }

    /** The latency panel's percentiles ({@link Formulas#quantile}) of the bucket sums Prometheus gave. */
    private Latency latency(Catalog.Metric m, Map<String, List<QueryResult.Series>> parts) {
        List<io.exlm.mon.promql.PromMath.Bucket> buckets = new ArrayList<>();
        for (QueryResult.Series s : parts.getOrDefault(tag(m, "buckets"), List.of())) {
            Double le = Snapshots.parseLe(s.metric().get("le"));
            if (le != null) {
                buckets.add(new io.exlm.mon.promql.PromMath.Bucket(le, s.value()));
            }
        }
        Figure[] q = new Figure[Formulas.QUANTILES.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = buckets.isEmpty() ? Figure.unavailable("the query " + Formulas.bucketSum(m, scope.promql(), window)
                    + " returned nothing")
                    : Snapshots.quantileFigure(io.exlm.mon.promql.PromMath.histogramQuantile(Formulas.QUANTILES[i],
                            buckets), window != null);
        }
        return new Latency(q[0], q[1], q[2], window == null ? "lifetime" : "window");
    }

    private Latency latencyUnavailable(String reason) {
        Figure f = Figure.unavailable(reason);
        return new Latency(f, f, f, window == null ? "lifetime" : "window");
    }

    /**
     * How much of {@code window} Prometheus has data for at {@code at}, from the answer of
     * {@link #coverageQuery}: null when the window is full (or the scope's {@code up} is not there to tell).
     */
    public static Snapshot.Coverage coverage(QueryResult answer, Instant at, Duration window) {
        return coverage(byPart(answer), at, window);
    }

    /**
     * How much of the window Prometheus has data for; null when the window is full (or the scope's {@code up} is not
     * there to tell). The first sample is up to one scrape interval after the window's data begins.
     */
    private static Snapshot.Coverage coverage(Map<String, List<QueryResult.Series>> parts, Instant at,
            Duration window) {
        List<QueryResult.Series> first = parts.getOrDefault("first", List.of());
        List<QueryResult.Series> recent = parts.getOrDefault("recent", List.of());
        List<QueryResult.Series> last = parts.getOrDefault("last", List.of());
        List<QueryResult.Series> samples = parts.getOrDefault("samples", List.of());
        if (first.isEmpty() && recent.isEmpty()) {
            return null;
        }
        long firstMillis = Long.MAX_VALUE;
        for (QueryResult.Series s : first.isEmpty() ? recent : first) {
            firstMillis = Math.min(firstMillis, Math.round(s.value() * 1000));
        }
        if (!first.isEmpty() && !recent.isEmpty()) {
            firstMillis = Math.min(firstMillis, Math.round(recent.get(0).value() * 1000));
        }
        long interval = 0;
        if (!last.isEmpty() && !samples.isEmpty() && samples.get(0).value() >= 2) {
            interval = Math.round((last.get(0).value() * 1000 - firstMillis) / (samples.get(0).value() - 1));
        }
        Duration covered = Duration.ofMillis(Math.max(0, at.toEpochMilli() - firstMillis + Math.max(0, interval)));
        return Snapshot.Coverage.of(covered, window, false);
    }
}
