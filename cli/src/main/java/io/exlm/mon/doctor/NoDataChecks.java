package io.exlm.mon.doctor;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.promql.PrometheusApiException;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.Rule;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Catalog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The guide's "Grafana shows no data", traced end to end for each row of the dashboard: for a panel without data,
 * (1) does the backend expose the metric, (2) is its target UP, (3) does the series exist in Prometheus, (4) does
 * the panel's query return data. The first broken link is the finding.
 */
final class NoDataChecks {
    static final String JOB = io.exlm.mon.source.Catalog.BACKEND_JOB;
    static final String[] LINKS = {"", "the backend exposes the metric", "its target is UP",
        "the series exists in the store", "the panel's query returns data"};

    /** Link {@code n} of 4 as a finding names it: the store's name in link 3 (Prometheus, or VictoriaMetrics). */
    static String link(DoctorEnv env, int n) {
        return n == 3 ? "the series exists in " + Shared.storeName(env) : LINKS[n];
    }

    /**
     * One panel's verdict: whether it shows data, and if not the first broken link (1 to 4) and what broke it; or,
     * when the stack is too young for the data to exist, when it will ({@code expectedAt}, null otherwise).
     * {@code cause} is the check whose failure the broken link is, when another check finds it (the backend's
     * /metrics unreadable, its target DOWN); null otherwise.
     */
    record Trace(String panel, boolean hasData, int brokenLink, String finding, String fix, Instant expectedAt,
            String cause) {
        Trace(String panel, boolean hasData, int brokenLink, String finding, String fix) {
            this(panel, hasData, brokenLink, finding, fix, null, null);
        }

        Trace(String panel, boolean hasData, int brokenLink, String finding, String fix, Instant expectedAt) {
            this(panel, hasData, brokenLink, finding, fix, expectedAt, null);
        }

        boolean warming() {
            return !hasData && expectedAt != null;
        }
    }

    /**
     * One panel in the figure {@code panels} of a row's check, the output contract of that part of
     * {@code doctor -o json}: fields in this order, snake_case, nulls written. {@code broken_link} (1 to 4) only for
     * a panel without data that is not warming up; {@code expected_at} (RFC 3339) only for one warming up.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PanelFigure(String panel, boolean hasData, Integer brokenLink, String finding, String expectedAt) {
        static PanelFigure of(Trace t) {
            return new PanelFigure(t.panel(), t.hasData(), t.hasData() || t.warming() ? null : t.brokenLink(),
                    t.finding(), t.expectedAt() == null ? null : t.expectedAt().toString());
        }
    }

    private NoDataChecks() {
    }

    static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        for (Dashboard.Row row : Dashboard.rows()) {
            checks.add(new Check("nodata." + row.slug(), "dashboard row '" + row.title() + "' shows data",
                    List.of(PrometheusChecks.READY), env -> row(env, row)));
        }
        return checks;
    }

    static Outcome row(DoctorEnv env, Dashboard.Row row) {
        List<Trace> traces = new ArrayList<>();
        for (Dashboard.Panel p : row.panels()) {
            traces.add(trace(env, p));
        }
        List<PanelFigure> panels = new ArrayList<>();
        Map<String, List<String>> byFinding = new LinkedHashMap<>();
        List<String> fixes = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        List<String> young = new ArrayList<>();
        Instant settled = null;
        for (Trace t : traces) {
            panels.add(PanelFigure.of(t));
            if (t.warming()) {
                young.add(t.panel());
                byFinding.computeIfAbsent("warming up: " + t.finding(), k -> new ArrayList<>()).add(t.panel());
                settled = settled == null || t.expectedAt().isAfter(settled) ? t.expectedAt() : settled;
            } else if (!t.hasData()) {
                empty.add(t.panel());
                byFinding.computeIfAbsent("link " + t.brokenLink() + " of 4 (" + link(env, t.brokenLink())
                        + ") is broken: " + t.finding(), k -> new ArrayList<>()).add(t.panel());
                if (!fixes.contains(t.fix())) {
                    fixes.add(t.fix());
                }
            }
        }
        // panels that lost their data to the same broken link are one finding
        List<String> details = new ArrayList<>();
        byFinding.forEach((finding, names) -> details.add(String.join(", ", names) + ": no data; " + finding));
        int with = traces.size() - empty.size() - young.size();
        Outcome o;
        if (!empty.isEmpty()) {
            o = Outcome.fail(empty.size() + " of " + traces.size() + " panels have no data: " + String.join(", ",
                    empty));
            // one check's failure behind every panel without data: the row follows from it
            Set<String> causes = new HashSet<>();
            traces.stream().filter(t -> !t.hasData() && !t.warming()).forEach(t -> causes.add(t.cause()));
            o.followsFrom(causes.size() == 1 ? causes.iterator().next() : null);
        } else if (!young.isEmpty()) {
            o = Outcome.warming(young.size() + " of " + traces.size() + " panels have no data yet, and can have"
                    + " none yet: " + String.join(", ", young) + "; expected by " + Warmup.clock(settled), settled);
        } else {
            o = Outcome.ok("all " + traces.size() + " panels have data");
        }
        return o.details(details).fix(fixes.isEmpty() ? null : String.join("\n", fixes))
                .figure("panels", panels).figure("with_data", with).figure("without_data", empty.size())
                .figure("warming_up", young.size());
    }

    static Trace trace(DoctorEnv env, Dashboard.Panel p) {
        String queryError = null;
        for (String expr : p.exprs()) {
            try {
                if (!Shared.query(env, grafanaVariables(expr, env)).isEmpty()) {
                    return new Trace(p.title(), true, 0, "its query returns data", null);
                }
            } catch (PrometheusApiException e) {
                queryError = io.exlm.mon.Text.printable(e.error());
            }
        }
        // no data: walk the links from the backend to the panel, and report the first that is broken
        Scrape scrape;
        try {
            scrape = Shared.scrape(env);
        } catch (HttpFailure f) {
            return new Trace(p.title(), false, 1, "the backend's /metrics cannot be read (" + f.kind().label() + ")",
                    "get the backend's /metrics answering: see backend.live and backend.metrics", null,
                    BackendChecks.METRICS);
        }
        for (String m : p.metrics()) {
            if (!exposes(scrape, m)) {
                return new Trace(p.title(), false, 1, "the backend does not expose " + m, "instrument the backend so"
                        + " that it exposes " + m + " (exlm-mon metrics check --catalog on its /metrics lists every"
                        + " metric the dashboard needs)");
            }
        }
        List<Target> backend = new ArrayList<>();
        List<Target> targets;
        try {
            targets = Shared.targets(env);
        } catch (Unknowable u) {
            targets = null; // a store that lists no targets (it scrapes nothing itself): its up series say instead
        }
        if (targets == null) {
            Trace t = scrapedByOthers(env, p);
            if (t != null) {
                return t;
            }
        } else {
            for (Target t : targets) {
                if (JOB.equals(t.job())) {
                    backend.add(t);
                }
            }
            Warmup young = Shared.warmup(env);
            if (backend.isEmpty() && young != null && young.before(young.discoveredBy())) {
                return new Trace(p.title(), false, 2, Shared.scraperHas(env) + " no target of job " + JOB
                        + " yet; " + young.explain(young.discoveredBy()), null, young.discoveredBy());
            }
            for (Target t : backend) {
                Instant next = "down".equals(t.health()) ? PrometheusChecks.recoveringBy(env, t) : null;
                if (next != null) {
                    return new Trace(p.title(), false, 2, "the " + JOB + " target was DOWN at its last scrape and"
                            + " answers now; the next scrape is due by " + Warmup.clock(next), null, next);
                }
            }
            if (backend.isEmpty()) {
                return new Trace(p.title(), false, 2, Shared.scraperHas(env) + " no target of job " + JOB,
                        "add the " + JOB + " job and its targets file to prometheus.yml (exlm-mon up writes them from"
                                + " backend.url)");
            }
            if (backend.stream().noneMatch(Target::up)) {
                Target t = backend.get(0);
                Warmup w = Shared.warmup(env);
                if (w != null && backend.stream().allMatch(b -> "unknown".equals(b.health()))) {
                    // at their own intervals, as the targets check
                    Instant by = PrometheusChecks.firstScrapesBy(w, backend);
                    if (w.before(by)) {
                        return new Trace(p.title(), false, 2, "the " + JOB + " target is not scraped yet; "
                                + w.explain(by), null, by);
                    }
                }
                ScrapeErrors.Diagnosis d = ScrapeErrors.diagnose(t.job(), t.scrapeUrl(), t.lastError(),
                        t.scrapeTimeout(), Remedies.runtimeAt(env, env.prometheusUrl()));
                boolean down = "down".equals(t.health());
                return new Trace(p.title(), false, 2, "the " + JOB + " target " + io.exlm.mon.Text.printable(t.instance())
                        + " is " + io.exlm.mon.Text.printable(t.health().toUpperCase(java.util.Locale.ROOT)) + (down ? " (" + d.cause() + ")" : ""),
                        down ? d.fix() : "wait for its first scrape", null,
                        down ? PrometheusChecks.TARGETS : null);
            }
        }
        if (!p.metrics().isEmpty()) {
            Set<String> inPrometheus = seriesNames(env, p.metrics());
            for (String m : p.metrics()) {
                Catalog.Metric cm = Catalog.byName(m);
                boolean found = false;
                for (String n : cm.sampleNames()) {
                    found |= inPrometheus.contains(n);
                }
                if (!found) {
                    // VictoriaMetrics shows a written sample in queries -search.latencyOffset later (the warm-up's
                    // start is shifted by it): until the first scrape shows, none can exist yet
                    Warmup w = Shared.warmup(env);
                    if (w != null && Shared.victoriaMetrics(env) && w.before(w.firstScrapeBy(w.scrapeInterval()))) {
                        Instant by = w.firstScrapeBy(w.scrapeInterval());
                        return new Trace(p.title(), false, 3, "VictoriaMetrics holds no series of " + m + " yet; "
                                + w.explain(by), null, by);
                    }
                    return new Trace(p.title(), false, 3, Shared.storeName(env) + " holds no series of " + m
                            + " for job " + JOB
                            + " although the backend exposes it", "look at job " + JOB + "'s metric_relabel_configs"
                            + " and sample_limit in prometheus.yml; a series also goes stale a few minutes after its"
                            + " target went DOWN");
                }
            }
        }
        for (String rule : p.recordingRules()) {
            String problem = recordingRuleProblem(env, rule);
            if (problem != null) {
                return new Trace(p.title(), false, 4, problem, "load the stack's recording rules"
                        + " (rules/exlm-recording.yml and rules/exlm-alerts.yml) " + Shared.ruleFilesWhere(env)
                        + "; " + (Shared.victoriaMetrics(env) ? "vmalert -dryRun -rule=FILE" : "promtool check rules")
                        + " validates them");
            }
        }
        if (queryError != null) {
            return new Trace(p.title(), false, 4, "the panel's query fails: " + queryError, "correct the panel's"
                    + " query in the dashboard; exlm-mon query 'EXPR' shows the same error");
        }
        Warmup w = Shared.warmup(env);
        if (w != null) {
            // a rate() needs two samples in its range, and a recording rule over one an evaluation after them
            Instant by = p.recordingRules().isEmpty() ? w.rateBy() : w.recordedRateBy();
            if (w.before(by)) {
                return new Trace(p.title(), false, 4, "its series exist, but "
                        + (p.recordingRules().isEmpty() ? "a rate needs two scrapes" : "its recording rule needs two"
                        + " scrapes and an evaluation") + "; " + w.explain(by), null, by);
            }
        }
        return new Trace(p.title(), false, 4, "the query returns nothing although its series exist: "
                + String.join(" | ", p.exprs()), "a rate() or increase() needs two samples in its range and a"
                + " recording rule one evaluation: wait a scrape interval or two; if it stays empty, run the query"
                + " with exlm-mon query and compare its label matchers with the series");
    }

    /**
     * Link 2 where the store lists no targets (a VictoriaMetrics others write into): its {@code up} series of the
     * backend's job say whether the backend is scraped into it and answers. Null when it is scraped and UP.
     */
    private static Trace scrapedByOthers(DoctorEnv env, Dashboard.Panel p) {
        String store = Shared.storeName(env);
        QueryResult up = Shared.query(env, "up{job=\"" + JOB + "\"}");
        if (up.isEmpty()) {
            Warmup w = Shared.warmup(env);
            if (w != null && w.before(w.firstScrapeBy(w.scrapeInterval()))) {
                Instant by = w.firstScrapeBy(w.scrapeInterval());
                return new Trace(p.title(), false, 2, store + " holds no up series of job " + JOB + " yet; "
                        + w.explain(by), null, by);
            }
            return new Trace(p.title(), false, 2, store + " holds no up series of job " + JOB + ": nothing"
                    + " scrapes the backend into it", "scrape the backend into it as job " + JOB + " (the vmagent or"
                    + " Prometheus that writes into it: its scrape configuration and remote write), and point"
                    + " --prometheus-url at that scraper to check its targets");
        }
        if (up.series().stream().noneMatch(s -> s.value() == 1)) {
            String instance = io.exlm.mon.Text.printable(String.valueOf(up.series().get(0).metric().get("instance")));
            return new Trace(p.title(), false, 2, "the " + JOB + " target " + instance + " is DOWN (up is 0 in "
                    + store + ")", "get the backend answering at " + instance + "; the scraper that writes into "
                    + store + " says why its scrape fails (point --prometheus-url at it)");
        }
        return null;
    }

    private static boolean exposes(Scrape s, String metric) {
        for (String n : Catalog.byName(metric).sampleNames()) {
            if (!s.samples(n).isEmpty()) {
                return true;
            }
        }
        return false;
    }


    private static Set<String> seriesNames(DoctorEnv env, List<String> metrics) {
        List<String> names = new ArrayList<>();
        for (String m : metrics) {
            names.addAll(Catalog.byName(m).sampleNames());
        }
        String q = "count by (__name__) ({__name__=~\"" + String.join("|", names) + "\",job=\"" + JOB + "\"})";
        QueryResult r = Shared.query(env, q);
        Set<String> out = new HashSet<>();
        for (QueryResult.Series s : r.series()) {
            out.add(s.metric().get("__name__"));
        }
        return out;
    }

    private static String recordingRuleProblem(DoctorEnv env, String name) {
        List<RuleGroup> groups;
        try {
            groups = Shared.rules(env);
        } catch (Unknowable u) {
            // which rules run cannot be told here, but whether the rule's series are in the store can: the panel
            // is empty either way, and an absent recording is why
            if (!Shared.query(env, "count(" + name + ")").isEmpty()) {
                return null;
            }
            Warmup w = Shared.warmup(env);
            if (w != null && w.before(w.recordedRateBy())) {
                return null; // judged below as a young store's
            }
            return Shared.storeName(env) + " holds no series of the recording rule " + name + " that the panel"
                    + " shows, and cannot tell which rules are evaluated (" + u.getMessage() + ")";
        }
        for (RuleGroup g : groups) {
            for (Rule r : g.rules()) {
                if (r.name().equals(name) && !r.alerting()) {
                    return "err".equals(r.health()) ? "the recording rule " + name + " fails: "
                            + io.exlm.mon.Text.printable(r.lastError()) : null;
                }
            }
        }
        return Shared.evaluatorName(env) + " does not evaluate the recording rule " + name
                + " that the panel shows";
    }

    /** Grafana's built-in variables, as Grafana would fill them in for the dashboard's default hour. */
    static String grafanaVariables(String expr, DoctorEnv env) {
        long s = Math.max(1, env.expectedScrapeInterval().toSeconds());
        return expr.replace("$__rate_interval", (4 * s) + "s").replace("${__rate_interval}", (4 * s) + "s")
                .replace("$__interval", s + "s").replace("${__interval}", s + "s")
                .replace("$__range_s", "3600").replace("$__range", "1h");
    }
}
