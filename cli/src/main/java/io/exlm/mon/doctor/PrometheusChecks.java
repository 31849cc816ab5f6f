package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.Yaml;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.Alertmanagers;
import io.exlm.mon.promql.PrometheusYaml;
import io.exlm.mon.promql.Rule;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.RuleHealth;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.stack.StackFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The guide's "is Prometheus running; are all targets UP; is its configuration valid", and further. */
final class PrometheusChecks {
    static final String HEALTHY = "prometheus.healthy";
    static final String READY = "prometheus.ready";
    static final String TARGETS = "prometheus.targets";
    /**
     * The scrape errors ({@link ScrapeErrors} kinds) of a target that could not be connected to at all. Not
     * "timeout": Prometheus's is the scrape's (connected, no answer within scrape_timeout: a slow /metrics), whose own
     * fix is the one to show.
     */
    static final Set<String> UNREACHABLE_KINDS = Set.of("refused", "dns");
    /** Above this many head series, Prometheus's memory is the first thing to look at. */
    static final long MANY_HEAD_SERIES = 1_000_000;

    private PrometheusChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check(HEALTHY, "Prometheus is running", List.of(), PrometheusChecks::healthy),
                new Check(READY, "Prometheus is ready to answer queries", List.of(HEALTHY), PrometheusChecks::ready),
                new Check(TARGETS, "every scrape target is UP", List.of(READY), PrometheusChecks::targets),
                new Check("prometheus.config", "the configuration is valid and loaded", List.of(READY),
                        PrometheusChecks::config),
                new Check("prometheus.scrape-interval", "targets are scraped at the expected interval",
                        List.of(READY), PrometheusChecks::scrapeInterval),
                new Check("prometheus.rules", "the five alerts are loaded and no rule fails", List.of(READY),
                        PrometheusChecks::rules),
                new Check("prometheus.alertmanager", "alerts are sent to Alertmanager", List.of(READY),
                        PrometheusChecks::alertmanager),
                new Check("prometheus.tsdb", "retention and head series", List.of(READY), PrometheusChecks::tsdb));
    }

    /** The alert names of the stack's rule file: the guide's five. */
    static List<String> expectedAlerts() {
        return new ArrayList<>(StackFiles.alertNames());
    }

    // ------------------------------------------------------------------------------------------------ running

    static Outcome healthy(DoctorEnv env) {
        String url = env.prometheusUrl();
        return Remedies.answering("Prometheus", Setting.PROMETHEUS_URL, url, Remedies.runtimeAt(env, url),
                () -> {
                    HttpResponse asked = Shared.store(env).healthy();
                    return asked != null ? asked : env.prometheus().raw("/-/healthy");
                }, r -> judgeHealthy(env, url, r));
    }

    private static Outcome judgeHealthy(DoctorEnv env, String url, HttpResponse r) {
        Store store = Shared.store(env);
        if (store.victoriaMetrics()) {
            return judgeVictoriaMetrics(store, r);
        }
        if (!r.ok()) {
            return Outcome.fail(url + "/-/healthy answered HTTP " + r.status() + firstLine(r))
                    .fix(r.status() == 404 ? "this does not look like Prometheus: check --prometheus-url"
                            : "Prometheus reports itself unhealthy: see its log (exlm-mon status names it)")
                    .figure("url", url).figure("http_status", r.status());
        }
        String version = null;
        try {
            version = env.facts().get("prometheus.buildinfo", () -> env.prometheus().buildInfo())
                    .path("version").asText(null);
        } catch (RuntimeException e) {
            // an older or compatible API without buildinfo: the version is only a figure
        }
        return Outcome.ok("Prometheus " + (version == null ? "" : version + " ") + "answers /-/healthy at " + url
                + " (" + r.elapsedMillis() + " ms)").figure("url", url).figure("version", version)
                .figure("latency_ms", r.elapsedMillis());
    }

    /** VictoriaMetrics' /-/healthy, at its root (a path prefix such as vmselect's does not serve it). */
    private static Outcome judgeVictoriaMetrics(Store vm, HttpResponse r) {
        String where = vm.root() + "/-/healthy";
        if (!r.ok()) {
            return Outcome.fail(where + " answered HTTP " + r.status() + firstLine(r)).fix("VictoriaMetrics reports"
                    + " itself unhealthy: see its log").figure("url", vm.root()).figure("http_status", r.status())
                    .figure("server", "victoriametrics");
        }
        return Outcome.ok("VictoriaMetrics " + (vm.version() == null ? "" : vm.version() + " ") + "answers " + where
                + " (" + r.elapsedMillis() + " ms)").figure("url", vm.root()).figure("version", vm.version())
                .figure("latency_ms", r.elapsedMillis()).figure("server", "victoriametrics");
    }

    static Outcome ready(DoctorEnv env) {
        Store store = storeOrNull(env);
        String root = store == null || store.root() == null ? env.prometheusUrl().replaceAll("/+$", "")
                : store.root();
        HttpResponse r = env.http().get(root + "/-/ready", "text/plain, */*;q=0.5");
        String name = store == null ? "Prometheus" : store.name();
        if (!r.ok() && store != null && store.victoriaMetrics()) {
            return Outcome.fail("VictoriaMetrics runs but is not ready: " + root + "/-/ready answered HTTP "
                    + r.status() + firstLine(r)).fix("it is still starting (opening its storage), or it shuts down;"
                    + " see its log").figure("http_status", r.status());
        }
        if (!r.ok()) {
            return Outcome.fail(name + " runs but is not ready: /-/ready answered HTTP " + r.status()
                    + firstLine(r)).fix("it is still starting: replaying its write-ahead log can take minutes after"
                    + " a crash or with many series; wait, and read its log if it stays so")
                    .figure("http_status", r.status());
        }
        return Outcome.ok("/-/ready answered HTTP 200 (" + r.elapsedMillis() + " ms)")
                .figure("latency_ms", r.elapsedMillis());
    }

    /** The store, or null when its /-/healthy did not answer (the healthy check says why). */
    private static Store storeOrNull(DoctorEnv env) {
        try {
            return Shared.store(env);
        } catch (io.exlm.mon.http.HttpFailure e) {
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ targets

    /**
     * A target DOWN at its last scrape: the output contract of each entry of the {@code prometheus.targets} check's
     * {@code down_targets} figure in {@code doctor -o json}. Jackson writes the fields in component order, snake_case
     * ({@code job}, {@code instance}, {@code scrape_url}, {@code error}, {@code cause_kind}, {@code cause},
     * {@code fix}), nulls included; {@code cause_kind}, {@code cause} and {@code fix} are {@link ScrapeErrors}'s
     * diagnosis of {@code error}.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DownTarget(String job, String instance, String scrapeUrl, String error, String causeKind, String cause,
            String fix) {
    }

    /** The port of a {@code host:port} (what follows its last colon), or "" when it has none. */
    static String port(String hostPort) {
        int i = hostPort == null ? -1 : hostPort.lastIndexOf(':');
        return i < 0 ? "" : hostPort.substring(i + 1);
    }

    static Outcome targets(DoctorEnv env) {
        Sharding sh = Shared.sharding(env);
        if (sh != null) {
            try {
                sh.targets(env);
            } catch (ExitException e) {
                // a member not running or not answering: its share of the targets is scraped by no one
                return Outcome.fail(e.getMessage()).fix(Sharding.START);
            }
        }
        Outcome o = prometheusTargets(env);
        return sh == null ? o : ShardingChecks.members(o, env, sh);
    }

    private static Outcome prometheusTargets(DoctorEnv env) {
        List<Target> targets = Shared.targets(env);
        Warmup young = Shared.warmup(env);
        String store = Shared.storeName(env);
        if (targets.isEmpty() && young != null && young.before(young.discoveredBy())) {
            return Outcome.warming(store + " has no scrape targets yet: its discovery hands them over "
                    + Durations.format(Warmup.DISCOVERY) + " after start; " + young.explain(young.discoveredBy()),
                    young.discoveredBy()).figure("targets", 0);
        }
        if (targets.isEmpty()) {
            return Outcome.fail(store + " has no active scrape targets").fix("its scrape_configs discover"
                    + " nothing: check prometheus.yml (the stack's lists " + Catalog.BACKEND_JOB + ", prometheus,"
                    + " node, postgres, redis, alertmanager, pushgateway)").figure("targets", 0);
        }
        int up = 0;
        List<DownTarget> down = new ArrayList<>();
        List<String> details = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        List<Target> notScraped = new ArrayList<>();
        List<Target> recovering = new ArrayList<>();
        Map<String, String> fixes = new LinkedHashMap<>();
        Set<String> jobs = new TreeSet<>();
        List<Target> backend = new ArrayList<>();
        for (Target t : targets) {
            jobs.add(t.job());
            if (Catalog.BACKEND_JOB.equals(t.job())) {
                backend.add(t);
            }
            if (t.up()) {
                up++;
            } else if ("down".equals(t.health()) && recoveringBy(env, t) != null) {
                // DOWN at its last scrape, but it answers now (it started after that scrape): the next one tells
                recovering.add(t);
                details.add("DOWN at its last scrape, answering now: " + t.job() + " " + t.instance());
            } else if ("down".equals(t.health())) {
                ScrapeErrors.Diagnosis d = ScrapeErrors.diagnose(t.job(), t.scrapeUrl(), t.lastError(),
                        t.scrapeTimeout(), Remedies.runtimeAt(env, env.prometheusUrl()));
                down.add(new DownTarget(t.job(), t.instance(), t.scrapeUrl(), t.lastError(), d.kind(), d.cause(),
                        d.fix()));
                details.add("DOWN " + t.job() + " " + t.instance() + ": " + d.cause());
                fixes.putIfAbsent(t.job() + " " + d.kind(), t.job() + ": " + d.fix());
            } else {
                unknown.add(t.job() + " " + t.instance());
                notScraped.add(t);
                details.add("not scraped yet: " + t.job() + " " + t.instance());
            }
        }
        Outcome o;
        List<String> remediation = new ArrayList<>(fixes.values());
        if (!down.isEmpty()) {
            List<String> names = new ArrayList<>();
            for (DownTarget d : down) {
                names.add(d.job() + " " + d.instance() + " (" + d.causeKind() + ")");
            }
            o = Outcome.fail(down.size() + " of " + targets.size() + " targets DOWN: " + String.join(", ", names));
            // every one the backend's, none of which Prometheus can connect to: when exlm-mon cannot reach the
            // backend either, it is not running, and that is the one cause
            // (and at the backend's port: a DOWN target elsewhere is not the one exlm-mon could not reach)
            String backendPort = port(Remedies.hostPort(env.backendUrl()));
            if (down.stream().allMatch(d -> Catalog.BACKEND_JOB.equals(d.job())
                    && UNREACHABLE_KINDS.contains(d.causeKind()) && backendPort.equals(port(d.instance())))) {
                o.followsFromUnreachable(BackendChecks.LIVE);
            }
        } else if (backend.isEmpty() && young != null && young.before(young.discoveredBy())) {
            o = Outcome.warming("no target of job " + Catalog.BACKEND_JOB + " yet; "
                    + young.explain(young.discoveredBy()), young.discoveredBy());
        } else if (backend.isEmpty()) {
            o = Outcome.fail("no target of job " + Catalog.BACKEND_JOB + ": " + store + " does not scrape the backend");
            remediation.add("add the " + Catalog.BACKEND_JOB + " job (stack/prometheus/prometheus.yml) with its"
                    + " targets file; exlm-mon up writes targets/exlm-backend.yml from backend.url");
        } else if (!recovering.isEmpty()) {
            java.time.Instant by = null;
            for (Target t : recovering) {
                java.time.Instant r = recoveringBy(env, t);
                by = by == null || r.isAfter(by) ? r : by;
            }
            o = Outcome.warming(recovering.size() + " of " + targets.size() + " targets DOWN at their last scrape"
                    + " but answering now (started since); the next scrape is due by " + Warmup.clock(by), by);
        } else if (!unknown.isEmpty()) {
            Warmup w = young;
            java.time.Instant by = w == null ? null : firstScrapesBy(w, notScraped);
            String what = unknown.size() + " of " + targets.size() + " targets not scraped yet; " + up + " UP";
            if (by != null && w.before(by)) {
                o = Outcome.warming(what + "; " + w.explain(by), by);
            } else {
                o = Outcome.warn(what + (w == null ? "" : "; " + w.explain(by)));
                remediation.add("a target Prometheus does not scrape long after it started: see its log"
                        + " (component=scrape), and whether the target's scrape pool is overloaded");
            }
        } else {
            o = Outcome.ok("all " + targets.size() + " targets UP (" + String.join(", ", jobs) + ")");
        }
        // the backend that Prometheus scrapes should be the one exlm-mon is pointed at
        String expected = Scraper.metricsUrl(env.backendUrl());
        if (!backend.isEmpty() && backend.stream().noneMatch(t -> sameEndpoint(t.scrapeUrl(), expected))) {
            String scraped = backend.get(0).scrapeUrl();
            details.add(store + " scrapes the backend at " + scraped + ", exlm-mon checks " + expected);
            remediation.add("point both at the same backend: set backend.url (--backend-url) to " + scraped
                    + ", or run " + up(env) + " --backend-url URL to rewrite the target");
            if (o.status() == Status.OK) {
                Outcome w = Outcome.warn("all " + targets.size() + " targets UP, but the backend " + store + " scrapes"
                        + " is not the one exlm-mon checks");
                o = w;
            }
        }
        return o.details(details).fix(remediation.isEmpty() ? null : String.join("\n", remediation))
                .figure("targets", targets.size()).figure("up", up).figure("down", down.size())
                .figure("not_scraped_yet", unknown.size()).figure("jobs", List.copyOf(jobs))
                .figure("down_targets", down);
    }

    /**
     * When the next scrape of a DOWN target will say it is UP, for the backend's target when its /metrics answers
     * now and that scrape is still to come: it was down when last scraped, and started since (a deployment that
     * came up after the stack). Null otherwise: then DOWN is a finding.
     */
    static java.time.Instant recoveringBy(DoctorEnv env, Target t) {
        Warmup w = Shared.warmup(env);
        java.time.Instant last = Warmup.parse(t.lastScrape());
        if (w == null || last == null || !NoDataChecks.JOB.equals(t.job())
                || !sameEndpoint(t.scrapeUrl(), Scraper.metricsUrl(env.backendUrl()))) {
            return null;
        }
        Duration interval = t.scrapeInterval() == null ? w.scrapeInterval()
                : Durations.parseOr(t.scrapeInterval(), Duration.ZERO);
        Duration timeout = t.scrapeTimeout() == null ? interval : Durations.parseOr(t.scrapeTimeout(), Duration.ZERO);
        java.time.Instant next = w.nextScrapeBy(last, interval.isZero() ? w.scrapeInterval() : interval, timeout);
        if (!w.before(next)) {
            return null;
        }
        try {
            Shared.scrape(env);
            return next;
        } catch (RuntimeException e) {
            return null; // it does not answer now either: DOWN it is
        }
    }

    /** When the last of these targets is due its first scrape. */
    static java.time.Instant firstScrapesBy(Warmup w, List<Target> targets) {
        java.time.Instant last = null;
        for (Target t : targets) {
            Duration interval = t.scrapeInterval() == null ? w.scrapeInterval()
                    : Durations.parseOr(t.scrapeInterval(), Duration.ZERO);
            java.time.Instant by = w.firstScrapeBy(interval.isZero() ? w.scrapeInterval() : interval);
            if (last == null || by.isAfter(last)) {
                last = by;
            }
        }
        return last;
    }

    /** Whether two URLs name the same endpoint, counting localhost, 127.0.0.1 and host.docker.internal as one. */
    static boolean sameEndpoint(String a, String b) {
        return normalize(a).equals(normalize(b));
    }

    private static String normalize(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            String host = u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT);
            if (io.exlm.mon.http.Loopback.host(host) || host.equals("host.docker.internal")) {
                host = "loopback";
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            String path = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
            return u.getScheme() + "://" + host + ":" + port + path;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    // ------------------------------------------------------------------------------------------- configuration

    /**
     * up as its advice here says it: with the runtime the last up used, when this Prometheus is that stack's (on this
     * machine, {@link Remedies#runtimeAt}), since a plain up takes stack.runtime instead; plain up otherwise.
     */
    private static String up(DoctorEnv env) {
        String again = io.exlm.mon.stack.StackRuntime.upAgain(Remedies.runtimeAt(env, env.prometheusUrl()));
        return again != null ? again : "exlm-mon up";
    }

    static Outcome config(DoctorEnv env) throws IOException, InterruptedException {
        if (Shared.sharding(env) != null) {
            return ShardingChecks.config(env, Shared.sharding(env));
        }
        Store vm = Shared.foreignVictoriaMetrics(env);
        if (vm != null) {
            return VictoriaChecks.config(env, vm);
        }
        Map<String, String> flags = Shared.flags(env);
        String file = flags.get("config.file");
        JsonNode rt = Shared.runtimeInfo(env);
        boolean reloaded = rt.path("reloadConfigSuccess").asBoolean(true);
        String loadedAt = rt.path("lastConfigTime").asText("");
        String checkedWith;
        Outcome verdict = null;
        if (env.promtool() != null) {
            Path f = file == null ? null : Path.of(file);
            // the file Prometheus names is this machine's only when Prometheus runs here and the path is absolute (a
            // relative one is relative to Prometheus's directory, not ours)
            boolean local = f != null && f.isAbsolute() && io.exlm.mon.http.Loopback.url(env.prometheusUrl()) && Files.isReadable(f);
            Path tmp = null;
            try {
                List<String> cmd = new ArrayList<>(List.of(env.promtool().toString(), "check", "config"));
                if (local) {
                    cmd.add(file);
                    checkedWith = "promtool check config " + file;
                } else {
                    tmp = Files.createTempFile("exlm-mon-prometheus", ".yml");
                    Files.writeString(tmp, Shared.config(env), StandardCharsets.UTF_8);
                    cmd.add("--syntax-only");
                    cmd.add(tmp.toString());
                    checkedWith = "promtool check config --syntax-only on the running configuration (" + file
                            + " is not on this machine)";
                }
                io.exlm.mon.Processes.Result p = io.exlm.mon.Processes.run(cmd, null, Duration.ofSeconds(10), null);
                String out = p.output();
                if (p.timedOut()) {
                    verdict = Outcome.warn("promtool check config did not finish within 10 s, so the configuration"
                            + " was not checked").fix("run " + String.join(" ", cmd) + " by hand");
                } else if (p.exitCode() != 0) {
                    List<String> errors = new ArrayList<>();
                    for (String line : out.split("\n")) {
                        String l = line.strip();
                        if (l.startsWith("FAILED") || l.contains("error") || l.contains("Error")) {
                            errors.add(l);
                        }
                    }
                    verdict = Outcome.fail("promtool finds the configuration invalid: " + (errors.isEmpty()
                            ? "exit " + p.exitCode() : errors.get(0)))
                            .details(errors.size() > 1 ? errors.subList(1, Math.min(errors.size(), 6)) : List.of())
                            .fix((local ? "correct " + file : "correct the configuration") + " where promtool says,"
                                    + " check it again with promtool check config, then reload Prometheus (kill -HUP"
                                    + " its pid, or " + up(env) + ")" + (reloaded ? "; Prometheus still runs the"
                                    + " configuration it loaded at " + loadedAt + ", but its next reload or restart"
                                    + " will fail" : "; its last reload failed, so Prometheus still runs the"
                                    + " configuration it loaded at " + loadedAt));
                }
            } finally {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            }
        } else {
            Shared.config(env); // Prometheus runs it, so it parsed
            checkedWith = "the running configuration (/api/v1/status/config; promtool is not installed)";
        }
        if (verdict == null && !reloaded) {
            verdict = Outcome.fail("the last reload of " + file + " failed: Prometheus still runs the configuration"
                    + " it loaded at " + loadedAt).fix("promtool check config " + file + " shows the error; correct"
                    + " it, then reload (kill -HUP its pid, or " + up(env) + ")");
        }
        if (verdict == null) {
            verdict = Outcome.ok(file + " is valid and loaded (" + loadedAt + ")");
        }
        return verdict.figure("config_file", file).figure("checked_with", checkedWith)
                .figure("reload_success", reloaded).figure("loaded_at", loadedAt);
    }

    static Outcome scrapeInterval(DoctorEnv env) {
        String yaml = Shared.config(env);
        String global = globalSetting(yaml, "scrape_interval");
        String evaluation = globalSetting(yaml, "evaluation_interval");
        Duration expected = env.expectedScrapeInterval();
        String want = Durations.format(expected);
        Map<String, String> byJob = new LinkedHashMap<>();
        try {
            for (Target t : Shared.targets(env)) {
                if (t.scrapeInterval() != null) {
                    byJob.putIfAbsent(t.job(), t.scrapeInterval());
                }
            }
        } catch (RuntimeException e) {
            // the per-job intervals are extra figures; the global one decides
        }
        List<String> off = new ArrayList<>();
        for (Map.Entry<String, String> e : byJob.entrySet()) {
            if (!expected.equals(Durations.parseOr(e.getValue(), Duration.ZERO))) {
                off.add(e.getKey() + " every " + e.getValue());
            }
        }
        // Prometheus's default is 1m
        Duration g = global == null ? Duration.ofMinutes(1) : Durations.parseOr(global, Duration.ZERO);
        String globalText = global == null ? "1m (not set: Prometheus's default)" : global;
        Outcome o;
        if (!expected.equals(g) || !off.isEmpty()) {
            List<String> what = new ArrayList<>();
            if (!expected.equals(g)) {
                what.add("global scrape_interval is " + globalText);
            }
            if (!off.isEmpty()) {
                what.add("jobs scraped at another interval: " + String.join(", ", off));
            }
            o = Outcome.warn(String.join("; ", what) + "; expected " + want + " (" + env.expectedScrapeIntervalSource()
                    + ")").fix("set global.scrape_interval: " + want + " in prometheus.yml" + (off.isEmpty() ? ""
                    : " and remove the jobs' own scrape_interval") + ", then reload Prometheus; a longer interval"
                    + " makes rate() windows and alert durations coarser, a shorter one costs memory");
        } else {
            o = Outcome.ok("every job is scraped every " + want + " (" + env.expectedScrapeIntervalSource() + ")");
        }
        return o.figure("scrape_interval", global).figure("evaluation_interval", evaluation)
                .figure("expected", want).figure("expected_from", env.expectedScrapeIntervalSource())
                .figure("jobs", byJob);
    }

    /**
     * A key of the {@code global:} block of the configuration Prometheus reports, as written; null when not set. A
     * configuration that is not YAML is an answer not understood.
     */
    static String globalSetting(String yaml, String key) {
        try {
            return PrometheusYaml.global(yaml, key, "the configuration Prometheus reports (/api/v1/status/config)");
        } catch (Yaml.Malformed e) {
            throw new ExitException(ExitCode.UNREACHABLE, e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------- rules

    static Outcome rules(DoctorEnv env) {
        List<RuleGroup> groups = Shared.rules(env);
        List<String> expected = expectedAlerts();
        RuleHealth h = RuleHealth.of(groups, expected);
        List<String> missing = h.missing();
        List<RuleHealth.Failing> failing = h.failing();
        List<String> firing = h.firing();
        List<String> pending = h.pending();
        int recording = h.recording();
        int notEvaluated = h.notEvaluated();
        double slowest = h.slowestUnevaluatedSeconds();
        List<String> details = new ArrayList<>();
        for (RuleHealth.Failing f : failing) {
            details.add("failing: " + f.rule() + " (group " + f.group() + "): " + f.error());
        }
        List<String> fixes = new ArrayList<>();
        Outcome o;
        if (!missing.isEmpty() || !failing.isEmpty()) {
            List<String> what = new ArrayList<>();
            if (!missing.isEmpty()) {
                what.add("alerts not loaded: " + String.join(", ", missing));
                fixes.add("load the guide's alert rules: the stack's rules/exlm-alerts.yml "
                        + Shared.ruleFilesWhere(env) + " (promtool check rules validates it)");
            }
            if (!failing.isEmpty()) {
                what.add(failing.size() + " rule" + (failing.size() == 1 ? "" : "s") + " failing");
                fixes.add("a failing rule's query errs at every evaluation: run it with exlm-mon query 'EXPR' to"
                        + " see the error (often a many-to-many match, or a label missing from on(...)), correct"
                        + " the rule file and reload");
            }
            o = Outcome.fail(String.join("; ", what));
        } else {
            String alerts = firing.isEmpty() && pending.isEmpty() ? "" : "; " + (firing.isEmpty() ? ""
                    : "firing: " + String.join(", ", firing)) + (pending.isEmpty() ? ""
                    : (firing.isEmpty() ? "" : ", ") + "pending: " + String.join(", ", pending))
                    + " (exlm-mon alerts)";
            o = Outcome.ok("the " + expected.size() + " alerts and " + recording + " recording rules are loaded in "
                    + groups.size() + " groups, none failing" + alerts);
        }
        if (notEvaluated > 0) {
            details.add(notEvaluated + " rules not evaluated yet (" + Shared.evaluatorName(env)
                    + " evaluates each group at its interval)");
            Warmup w = Shared.warmup(env);
            if (o.status() == Status.OK && w != null) {
                java.time.Instant by = w.firstEvaluationBy(slowest > 0
                        ? Duration.ofMillis(Math.round(slowest * 1000)) : w.evaluationInterval());
                if (w.before(by)) {
                    o = Outcome.warming("the " + expected.size() + " alerts and " + recording + " recording rules are"
                            + " loaded, " + notEvaluated + " not evaluated yet; " + w.explain(by), by);
                }
            }
        }
        return o.details(details).fix(fixes.isEmpty() ? null : String.join("\n", fixes))
                .figure("groups", groups.size()).figure("alerting_rules", h.alerting().size())
                .figure("recording_rules", recording).figure("expected_alerts", expected)
                .figure("missing_alerts", missing).figure("failing_rules", failing)
                .figure("firing", firing).figure("pending", pending);
    }

    // ------------------------------------------------------------------------------------------ alertmanager

    static Outcome alertmanager(DoctorEnv env) {
        if (Shared.sharding(env) != null) {
            return ShardingChecks.alertmanager(env, Shared.sharding(env));
        }
        if (Shared.foreignVictoriaMetrics(env) != null) {
            return VictoriaChecks.alertmanager(env);
        }
        Alertmanagers ams = env.facts().get("prometheus.alertmanagers", () -> env.prometheus().alertmanagers());
        Warmup w = Shared.warmup(env);
        if (ams.active().isEmpty() && w != null && w.before(w.alertmanagersBy()) && configuresAlertmanagers(env)) {
            return Outcome.warming("Prometheus has not discovered the Alertmanager of its configuration yet; "
                    + w.explain(w.alertmanagersBy()), w.alertmanagersBy()).figure("active", ams.active())
                    .figure("dropped", ams.dropped());
        }
        if (ams.active().isEmpty()) {
            return Outcome.fail("Prometheus sends its alerts to no Alertmanager" + (ams.dropped().isEmpty() ? ""
                    : " (dropped: " + String.join(", ", ams.dropped()) + ")"))
                    .fix("add alerting.alertmanagers with the Alertmanager's address to prometheus.yml (the stack's"
                            + " has alertmanager:9093; exlm-mon up sets alertmanager.url) and reload Prometheus")
                    .figure("active", ams.active()).figure("dropped", ams.dropped());
        }
        String configured = env.alertmanagerUrl();
        boolean ours = ams.active().stream().anyMatch(u -> sameEndpoint(origin(u), origin(configured)));
        Double errors = Shared.value(env, "sum(increase(prometheus_notifications_errors_total[5m]))");
        Double dropped = Shared.value(env, "sum(increase(prometheus_notifications_dropped_total[5m]))");
        Outcome o;
        if (errors != null && errors >= 1) {
            o = Outcome.warn("Prometheus sends to " + String.join(", ", ams.active()) + ", but " + Math.round(errors)
                    + " notifications failed in the last 5 minutes").fix("see Prometheus's log (component=notifier)"
                    + " and whether Alertmanager answers (alertmanager.ready)")
                    .followsFromUnreachable(ours ? AlertmanagerChecks.READY : null);
        } else if (!ours) {
            o = Outcome.warn("Prometheus sends to " + String.join(", ", ams.active()) + ", not to " + configured
                    + " (alertmanager.url)").fix("point one at the other: set alertmanager.url (--alertmanager-url)"
                    + " to the Alertmanager Prometheus uses, or change alerting.alertmanagers in prometheus.yml");
        } else {
            o = Outcome.ok("Prometheus sends its alerts to " + String.join(", ", ams.active()));
        }
        return o.figure("active", ams.active()).figure("dropped", ams.dropped())
                .figure("notification_errors_5m", errors).figure("notifications_dropped_5m", dropped);
    }

    /** Whether the running configuration names any Alertmanager (alerting.alertmanagers). */
    private static boolean configuresAlertmanagers(DoctorEnv env) {
        try {
            return PrometheusYaml.configuresAlertmanagers(Shared.config(env));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String origin(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "") + "/";
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    // -------------------------------------------------------------------------------------------------- tsdb

    static Outcome tsdb(DoctorEnv env) {
        if (Shared.sharding(env) != null) {
            return ShardingChecks.notPrometheus("its retention and head series");
        }
        if (Shared.foreignVictoriaMetrics(env) != null) {
            return VictoriaChecks.notPrometheus(env, "its retention and head series");
        }
        JsonNode rt = Shared.runtimeInfo(env);
        JsonNode t = Shared.tsdb(env);
        String retention = rt.path("storageRetention").asText("");
        long head = t.path("headStats").path("numSeries").asLong(-1);
        List<String> top = new ArrayList<>();
        for (JsonNode m : t.path("seriesCountByMetricName")) {
            if (top.size() < 3) {
                top.add(m.path("name").asText() + " (" + m.path("value").asLong() + ")");
            }
        }
        Double rss = Shared.value(env, "max(process_resident_memory_bytes{job=\"prometheus\"})");
        Double blocks = Shared.value(env, "max(prometheus_tsdb_storage_blocks_bytes{job=\"prometheus\"})");
        String figures = "retention " + (retention.isEmpty() ? "?" : retention) + "; " + head + " head series"
                + (rss == null ? "" : "; resident memory " + Units.bytes(rss))
                + (blocks == null ? "" : "; blocks on disk " + Units.bytes(blocks));
        Outcome o;
        if (head > MANY_HEAD_SERIES) {
            o = Outcome.warn(figures + ": many head series cost Prometheus memory")
                    .fix("find what makes them (most series: " + String.join(", ", top) + "), drop or aggregate those"
                            + " series with metric_relabel_configs, and keep retention no longer than needed"
                            + " (stack.retention)");
        } else {
            o = Outcome.ok(figures);
        }
        return o.figure("retention", retention).figure("head_series", head).figure("most_series", top)
                .figure("resident_memory_bytes", rss).figure("blocks_bytes", blocks);
    }

    private static String firstLine(HttpResponse r) {
        String t = r.text().strip();
        int nl = t.indexOf('\n');
        String l = nl < 0 ? t : t.substring(0, nl);
        l = l.length() > 100 ? l.substring(0, 97) + "..." : l;
        // the server's words, never its control bytes
        return l.isEmpty() ? "" : " (" + io.exlm.mon.Text.printable(l) + ")";
    }
}
