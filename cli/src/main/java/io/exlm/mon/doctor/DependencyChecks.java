package io.exlm.mon.doctor;

import io.exlm.mon.Text;
import io.exlm.mon.promql.QueryResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The backend's dependencies as their exporters see them. An exporter answers its scrape, so its target is UP, even
 * when what it watches is down: then it says so in a series of its own ({@code pg_up 0}, {@code redis_up 0}). That
 * is the first thing on-call wants to know, and the targets page shows it green.
 */
final class DependencyChecks {
    /**
     * A dependency that an exporter of the stack watches.
     *
     * @param upMetric    1 while the exporter reaches it, 0 when not
     * @param errorMetric the exporter's own "last scrape failed" series (its {@code err} label, where it has one,
     *                    says why)
     * @param address     where exlm-mon's stack points the exporter: the config key and its environment variable
     */
    record Watched(String id, String name, String exporter, String upMetric, String errorMetric, String address) {
    }

    static final List<Watched> WATCHED = List.of(
            new Watched("dependencies.postgres", "PostgreSQL", "postgres-exporter", "pg_up",
                    "pg_exporter_last_scrape_error", "postgres.dsn (EXLM_POSTGRES_DSN)"),
            new Watched("dependencies.redis", "Redis", "redis-exporter", "redis_up", "redis_exporter_last_scrape_error",
                    "redis.url (EXLM_REDIS_URL)"));

    private DependencyChecks() {
    }

    static List<Check> all() {
        List<Check> checks = new ArrayList<>();
        for (Watched w : WATCHED) {
            checks.add(new Check(w.id(), w.name() + " answers its exporter (" + w.upMetric() + ")",
                    List.of(PrometheusChecks.READY), env -> check(env, w)));
        }
        return checks;
    }

    static Outcome check(DoctorEnv env, Watched w) {
        QueryResult up = Shared.query(env, w.upMetric());
        if (up.isEmpty()) {
            Warmup young = Shared.warmup(env);
            if (young != null && young.before(young.firstScrapeBy(young.scrapeInterval()))) {
                return Outcome.warming("no " + w.upMetric() + " yet: the " + w.exporter() + " is not scraped yet; "
                        + young.explain(young.firstScrapeBy(young.scrapeInterval())),
                        young.firstScrapeBy(young.scrapeInterval()));
            }
            return Outcome.skip(Shared.storeName(env) + " holds no " + w.upMetric() + ": no " + w.exporter()
                    + " is scraped (or its target is DOWN: prometheus.targets says why)").figure("exporters", 0);
        }
        List<String> down = new ArrayList<>();
        List<String> details = new ArrayList<>();
        for (QueryResult.Series s : up.series()) {
            String instance = s.metric().get("instance");
            String job = s.metric().get("job");
            String where = Text.printable((job == null ? "" : "job " + job + " ") + (instance == null ? "" : instance));
            if (s.value() == 0) {
                down.add(where.strip());
                String why = lastError(env, w, instance);
                details.add(w.name() + " is unreachable for the exporter at " + where.strip() + (why == null ? ""
                        : ": " + why));
            }
        }
        Outcome o = down.isEmpty()
                ? Outcome.ok(w.name() + " answers its exporter" + (up.series().size() == 1 ? "" : "s") + " ("
                        + up.series().size() + " × " + w.upMetric() + " 1)")
                : Outcome.fail(w.name() + " is down: " + down.size() + " of " + up.series().size() + " "
                        + w.exporter() + (up.series().size() == 1 ? "" : "s") + " report " + w.upMetric() + " 0 ("
                        + String.join(", ", down) + ")")
                        .fix("start " + w.name() + ", or give its exporter the right address and credentials ("
                                + w.address() + " for the stack exlm-mon up runs); the exporter's target stays UP"
                                + " while it cannot reach " + w.name() + ", and the backend's readiness"
                                + " (backend.ready) fails with it");
        return o.details(details).figure("exporters", up.series().size()).figure("down", down);
    }

    /** The exporter's own word on its last failure, from its error label, or null. */
    private static String lastError(DoctorEnv env, Watched w, String instance) {
        try {
            for (QueryResult.Series s : Shared.query(env, w.errorMetric() + " == 1").series()) {
                if (instance == null || instance.equals(s.metric().get("instance"))) {
                    String err = s.metric().get("err");
                    return err == null || err.isBlank() ? null : Text.printable(err);
                }
            }
        } catch (RuntimeException e) {
            // the cause is a detail; the verdict stands without it
        }
        return null;
    }
}
