package io.exlm.mon.doctor;

import io.exlm.mon.Text;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.health.CheckResult;
import io.exlm.mon.health.Dependency;
import io.exlm.mon.health.Endpoint;
import io.exlm.mon.health.HealthProbe;
import io.exlm.mon.health.HealthStatus;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.source.CatalogCheck;
import io.exlm.mon.source.Scraper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The guide's "is the backend running; is /metrics reachable", and the catalog behind every dashboard panel. */
final class BackendChecks {
    static final String LIVE = "backend.live";
    static final String METRICS = "backend.metrics";

    private BackendChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check(LIVE, "the backend is running (/api/v1/health/live)", List.of(), BackendChecks::live),
                new Check("backend.health", "the backend says it is healthy (/api/v1/health)", List.of(LIVE),
                        BackendChecks::health),
                new Check("backend.ready", "every dependency of the backend is ready (/api/v1/health/ready)",
                        List.of(LIVE), BackendChecks::ready),
                // the guide asks "is /metrics reachable" on its own: it is checked whether or not /live answers
                new Check(METRICS, "/metrics is reachable and parses", List.of(), BackendChecks::metrics),
                new Check("backend.catalog", "every catalog metric is exposed with its type", List.of(METRICS),
                        BackendChecks::catalog));
    }

    private static CheckResult probe(DoctorEnv env, Endpoint e) {
        return new HealthProbe(env.http()).check(env.backendUrl(),
                HealthProbe.backendTargets(env.backendUrl(), List.of(e))).checks().get(0);
    }

    static Outcome live(DoctorEnv env) {
        CheckResult c = probe(env, Endpoint.LIVE);
        if (c.status() == HealthStatus.UNREACHABLE) {
            Outcome o = Outcome.fail("the backend does not answer at " + c.url() + " (" + c.summary() + ")")
                    .detail(c.error());
            if (c.failureKind() == HttpFailure.Kind.REFUSED || c.failureKind() == HttpFailure.Kind.DNS
                    || c.failureKind() == HttpFailure.Kind.CONNECT_TIMEOUT) {
                o.fix("the exlm backend is not running at " + env.backendUrl() + ": start it (exlm-mon demo runs a"
                        + " reference one); if it runs elsewhere, set --backend-url or EXLM_BACKEND_URL");
                o.reach(Reach.UNREACHABLE);
            } else if (c.failureKind() == HttpFailure.Kind.TIMEOUT) {
                o.fix("the backend at " + env.backendUrl() + " took the connection but did not answer within the"
                        + " timeout: it is overloaded or stuck (see its log, its CPU, its workers); --timeout gives it"
                        + " longer");
                o.reach(Reach.UNREACHABLE);
            } else {
                o.fix("something answers at " + env.backendUrl() + ", but not the exlm backend's liveness endpoint:"
                        + " check --backend-url (host, port, path prefix)");
                o.reach(c.failureKind() == HttpFailure.Kind.TIMEOUT || c.failureKind() == HttpFailure.Kind.TLS
                        ? Reach.UNREACHABLE : Reach.REACHED);
            }
            return o.figure("url", c.url()).figure("error_kind", kind(c));
        }
        Outcome o = c.status().passes() ? Outcome.ok("live: " + c.summary() + " (" + c.latencyMillis() + " ms)")
                : Outcome.fail("the backend answers but says it is not live: " + c.summary())
                        .fix("the process runs but is stuck or shutting down: see its log; restart it");
        return o.figure("url", c.url()).figure("http_status", c.httpStatus()).figure("latency_ms", c.latencyMillis());
    }

    /**
     * An endpoint that did not answer where /live (its check's prerequisite) did: something runs there, so the fix
     * asks whether it is the exlm backend with that endpoint.
     */
    private static Outcome liveOnly(CheckResult c, String endpoint, String question) {
        return Outcome.fail(c.error()).fix("the backend answers /live but not " + endpoint + ": " + question)
                .figure("url", c.url());
    }

    static Outcome health(DoctorEnv env) {
        CheckResult c = probe(env, Endpoint.BASIC);
        if (c.status() == HealthStatus.UNREACHABLE) {
            return liveOnly(c, "/api/v1/health", "is it the exlm backend, of a version that has the guide's health"
                    + " endpoints?");
        }
        Outcome o = c.status().passes() ? Outcome.ok(c.summary() + " (" + c.latencyMillis() + " ms)")
                : Outcome.fail("the backend says it is " + c.summary()).fix("see the backend's log;"
                        + " exlm-mon health --check all shows each endpoint");
        return o.figure("url", c.url()).figure("http_status", c.httpStatus()).figure("format", c.format());
    }

    static Outcome ready(DoctorEnv env) {
        CheckResult c = probe(env, Endpoint.READY);
        if (c.status() == HealthStatus.UNREACHABLE) {
            return liveOnly(c, "/ready", "is it the exlm backend with the guide's readiness endpoint?");
        }
        Map<String, Object> deps = new LinkedHashMap<>();
        List<String> fixes = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (Dependency d : c.dependencies()) {
            deps.put(d.name(), d.word());
            if (d.failed()) {
                details.add(d.name() + ": " + d.word() + (d.detail().isEmpty() ? "" : " (" + d.detail() + ")"));
                fixes.add(d.name() + ": " + dependencyFix(d.name()));
            }
        }
        Outcome o;
        if (c.status().passes()) {
            o = Outcome.ok("ready: " + c.summary());
        } else if (c.failedDependencies().isEmpty()) {
            o = Outcome.fail("not ready: " + c.summary()).fix("the backend does not say which dependency fails: see"
                    + " its log");
        } else {
            List<String> names = c.failedDependencies().stream().map(Dependency::name).toList();
            o = Outcome.fail("not ready: " + String.join(", ", names) + " failing").fix(String.join("\n", fixes));
        }
        return o.details(details).figure("url", c.url()).figure("http_status", c.httpStatus())
                .figure("dependencies", deps)
                .figure("failed", c.failedDependencies().stream().map(Dependency::name).toList());
    }

    static String dependencyFix(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "database", "db", "postgres", "postgresql" -> "is PostgreSQL running and reachable from the backend"
                    + " (pg_isready -h HOST -p PORT)? check the backend's database address and credentials; the"
                    + " postgres exporter's pg_up says the same from Prometheus";
            case "redis", "cache" -> "is Redis running and reachable (redis-cli -h HOST -p PORT ping)? check the"
                    + " backend's Redis address; the redis exporter's redis_up says the same";
            case "disk" -> "free disk space on the backend's host (old logs, dumps, Prometheus data: see host.disk)";
            case "memory" -> "the backend's host is short of memory: see host.memory for which of the guide's"
                    + " remedies applies";
            default -> "see the backend's log for why " + name + " is not ready";
        };
    }

    static Outcome metrics(DoctorEnv env) {
        String url = Scraper.metricsUrl(env.backendUrl());
        long start = System.nanoTime();
        Scrape s;
        try {
            s = Shared.scrape(env);
        } catch (HttpFailure f) {
            String fix = switch (f.kind()) {
                case NOT_EXPOSITION -> "the backend answers " + url + " with something that is not a metrics"
                        + " exposition: exlm-mon metrics check shows every problem; Prometheus refuses it too";
                case HTTP_STATUS -> f.status() == 404 ? "the backend has no /metrics: mount the Prometheus client's"
                        + " endpoint (prometheus-fastapi-instrumentator, prometheus_client.make_asgi_app)"
                        : Remedies.forFailure(f);
                default -> Remedies.forFailure(f);
            };
            // the same backend unreachable for /live too: one cause, the backend not running there
            return Outcome.fail(f.getMessage()).fix(fix).reach(Remedies.reach(f)).figure("url", url)
                    .followsFromUnreachable(Remedies.reach(f) == Reach.UNREACHABLE ? LIVE : null);
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        return Outcome.ok(s.families().size() + " metric families, " + s.sampleCount() + " samples ("
                + s.format().name().toLowerCase(Locale.ROOT) + ", " + ms + " ms)").figure("url", url)
                .figure("families", s.families().size()).figure("samples", s.sampleCount())
                .figure("format", s.format().name().toLowerCase(Locale.ROOT));
    }

    static Outcome catalog(DoctorEnv env) {
        Scrape s = Shared.scrape(env);
        List<CatalogCheck.Finding> findings = CatalogCheck.check(s);
        List<String> problems = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (CatalogCheck.Finding f : findings) {
            if (!f.ok()) {
                problems.add(f.message());
                if (f.message().contains("is not exposed")) {
                    missing.add(f.metric().name());
                }
            }
        }
        if (problems.isEmpty()) {
            return Outcome.ok("all " + findings.size() + " catalog metrics are exposed with their types and labels")
                    .figure("metrics", findings.size()).figure("missing", missing);
        }
        if (missing.size() == findings.size()) {
            return notTheBackend(env, s).detail("missing: " + String.join(", ", missing))
                    .figure("metrics", findings.size()).figure("missing", missing);
        }
        return Outcome.fail(problems.size() + " of " + findings.size() + " catalog metrics are not as documented")
                .details(problems).fix("instrument the backend as the catalog says (README, metric catalog): the"
                        + " dashboard panels and alerts of a missing or mistyped metric show no data;"
                        + " exlm-mon metrics check --catalog lists the same").figure("metrics", findings.size())
                .figure("missing", missing).figure("problems", problems);
    }

    /**
     * Programs a /metrics may belong to, by the prefix of their own families: what a wrong --backend-url hits. In
     * the order they are tried; the first prefix any family has names the program.
     */
    private static final List<Map.Entry<String, String>> SERVICES = List.of(
            Map.entry("node_", "the node exporter's"),
            Map.entry("redis_", "the redis exporter's"),
            Map.entry("pg_", "the postgres exporter's"),
            Map.entry("alertmanager_", "Alertmanager's"),
            Map.entry("pushgateway_", "the Pushgateway's"),
            Map.entry("prometheus_", "Prometheus's"),
            Map.entry("grafana_", "Grafana's"),
            Map.entry("blackbox_", "the blackbox exporter's"));

    /**
     * A /metrics with none of the catalog: some other service's. Says whose, by its families, and where Prometheus
     * scrapes the exlm backend (when it can be asked), which is the address --backend-url should have.
     */
    private static Outcome notTheBackend(DoctorEnv env, Scrape s) {
        String whose = null;
        for (Map.Entry<String, String> e : SERVICES) {
            long n = s.families().stream().filter(f -> f.name().startsWith(e.getKey())).count();
            if (n > 0) {
                whose = e.getValue() + " (" + n + " " + e.getKey() + "* families)";
                break;
            }
        }
        String url = Scraper.metricsUrl(env.backendUrl());
        String real = null;
        try {
            for (io.exlm.mon.promql.Target t : Shared.targets(env)) {
                if (NoDataChecks.JOB.equals(t.job()) && !PrometheusChecks.sameEndpoint(t.scrapeUrl(), url)) {
                    real = t.scrapeUrl();
                    break;
                }
            }
        } catch (RuntimeException e) {
            // Prometheus is its own check's business: without it, the finding stands without the address
        }
        return Outcome.fail("none of the catalog metrics is exposed: " + url + " is "
                + (whose == null ? "not the exlm backend's /metrics (" + s.families().size() + " other families)"
                        : whose + " /metrics, not the exlm backend's"))
                .fix("point --backend-url (EXLM_BACKEND_URL, backend.url) at the exlm backend" + (real == null ? ""
                        : ": Prometheus scrapes job " + NoDataChecks.JOB + " at " + Text.printable(real)))
                .figure("families", s.families().size()).figure("prometheus_scrapes", real);
    }

    private static String kind(CheckResult c) {
        return c.failureKind() == null ? null : c.failureKind().name().toLowerCase(Locale.ROOT);
    }
}
