package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.promql.RuleGroup;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Scraper;
import java.util.List;
import java.util.Map;

/** The facts several checks read, each fetched once per run (see {@link Facts}). */
final class Shared {
    private Shared() {
    }

    static List<Target> targets(DoctorEnv env) {
        Sharding sh = sharding(env);
        if (sh != null) {
            return env.facts().get("prometheus.targets", () -> sh.targets(env).values().stream()
                    .flatMap(List::stream).toList());
        }
        return env.facts().get("prometheus.targets", () -> {
            Store vm = foreignVictoriaMetrics(env);
            List<Target> t;
            try {
                t = env.prometheus().targets();
            } catch (io.exlm.mon.http.HttpFailure f) {
                if (vm != null && f.status() == 400) {
                    throw new Unknowable(VictoriaChecks.noTargets(env, vm)); // a vmselect: it scrapes nothing
                }
                throw f;
            }
            if (vm != null && t.isEmpty() && !Boolean.TRUE.equals(vm.scrapes())) {
                throw new Unknowable(VictoriaChecks.noTargets(env, vm));
            }
            return t;
        });
    }

    /** What the store at prometheus.url is (Prometheus, VictoriaMetrics), from its own answer; once per run. */
    static Store store(DoctorEnv env) {
        return env.facts().get(STORE, () -> Store.of(env));
    }

    /** The fact {@link #store} is kept under. */
    static final String STORE = "prometheus.store";

    /**
     * The store when it is a VictoriaMetrics that is not the sharded topology's (whose parts doctor knows from the
     * state directory): one a user points doctor at; null otherwise, and when it does not answer.
     */
    static Store foreignVictoriaMetrics(DoctorEnv env) {
        try {
            if (sharding(env) != null) {
                return null;
            }
            Store s = store(env);
            return s.victoriaMetrics() ? s : null;
        } catch (io.exlm.mon.http.HttpFailure e) {
            return null;
        }
    }

    /** Whether the store is a VictoriaMetrics: the sharded topology's, or one a user points doctor at. */
    static boolean victoriaMetrics(DoctorEnv env) {
        return sharding(env) != null || foreignVictoriaMetrics(env) != null;
    }

    /** The store's name as summaries write it: Prometheus, or VictoriaMetrics. */
    static String storeName(DoctorEnv env) {
        if (sharding(env) != null) {
            return Store.Kind.VICTORIA_METRICS.words();
        }
        try {
            return store(env).name();
        } catch (io.exlm.mon.http.HttpFailure e) {
            return Store.Kind.PROMETHEUS.words();
        }
    }

    /**
     * What scrapes the targets, as summaries name it: "the scraping members" of the sharded topology, else the store's
     * name (a VictoriaMetrics scrapes with its -promscrape.config).
     */
    static String scraperName(DoctorEnv env) {
        return sharding(env) != null ? "the scraping members" : storeName(env);
    }

    /**
     * Where the rule files go, as a fix says it: "in rule_files in prometheus.yml, and reload Prometheus", or beside a
     * VictoriaMetrics "in vmalert's -rule flags, and restart vmalert (or send it SIGHUP)".
     */
    static String ruleFilesWhere(DoctorEnv env) {
        return victoriaMetrics(env) ? "in vmalert's -rule flags, and restart vmalert (or send it SIGHUP)"
                : "in rule_files in prometheus.yml, and reload Prometheus";
    }

    /** {@link #scraperName} with its verb: "Prometheus has", "the scraping members have". */
    static String scraperHas(DoctorEnv env) {
        return sharding(env) != null ? scraperName(env) + " have" : scraperName(env) + " has";
    }

    /** What evaluates the rules, as summaries name it: vmalert beside a VictoriaMetrics, else Prometheus. */
    static String evaluatorName(DoctorEnv env) {
        return victoriaMetrics(env) ? "vmalert" : Store.Kind.PROMETHEUS.words();
    }

    /** The sharded topology doctor reads (members, vmalert); null for a single Prometheus. */
    static Sharding sharding(DoctorEnv env) {
        return env.facts().get("sharding", () -> Sharding.of(env));
    }

    static List<RuleGroup> rules(DoctorEnv env) {
        return env.facts().get("prometheus.rules", () -> {
            Store vm = foreignVictoriaMetrics(env);
            List<RuleGroup> groups;
            try {
                groups = env.prometheus().rules();
            } catch (io.exlm.mon.http.HttpFailure f) {
                if (vm != null && f.status() == 400) {
                    throw new Unknowable(VictoriaChecks.noRules(env, vm));
                }
                if (vm != null && Boolean.TRUE.equals(vm.proxiesRules()) && f.status() >= 500) {
                    throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE,
                            VictoriaChecks.deadProxy(env, vm, f), f);
                }
                throw f;
            }
            // without -vmalert.proxyURL VictoriaMetrics answers an empty list: no rule of its own, not "none loaded"
            if (vm != null && groups.isEmpty() && !Boolean.TRUE.equals(vm.proxiesRules())) {
                throw new Unknowable(VictoriaChecks.noRules(env, vm));
            }
            return groups;
        });
    }

    static JsonNode runtimeInfo(DoctorEnv env) {
        return env.facts().get("prometheus.runtimeinfo", () -> {
            notPrometheus(env, "/api/v1/status/runtimeinfo");
            return env.prometheus().runtimeInfo();
        });
    }

    static Map<String, String> flags(DoctorEnv env) {
        return env.facts().get("prometheus.flags", () -> {
            notPrometheus(env, "/api/v1/status/flags");
            return env.prometheus().flags();
        });
    }

    static JsonNode tsdb(DoctorEnv env) {
        return env.facts().get("prometheus.tsdb", () -> {
            notPrometheus(env, "/api/v1/status/tsdb");
            return env.prometheus().tsdb();
        });
    }

    /** A Prometheus-only status endpoint asked of a VictoriaMetrics: unknowable, and said so. */
    private static void notPrometheus(DoctorEnv env, String endpoint) {
        if (foreignVictoriaMetrics(env) != null) {
            throw new Unknowable("VictoriaMetrics does not serve Prometheus's " + endpoint);
        }
    }

    static String config(DoctorEnv env) {
        Sharding sh = sharding(env);
        if (sh != null) {
            return sh.config(env); // the scrape configuration; rules and alerting are vmalert's flags
        }
        return env.facts().get("prometheus.config", () -> {
            Store vm = foreignVictoriaMetrics(env);
            if (vm != null && Boolean.FALSE.equals(vm.scrapes())) {
                throw new Unknowable(VictoriaChecks.noScrapeConfig(env, vm));
            }
            return env.prometheus().config();
        });
    }

    /**
     * How young Prometheus is (its start time and intervals, against the run's clock); null when it does not say
     * (an API without runtimeinfo): then nothing is taken for warming up, and missing data is judged as before.
     */
    static Warmup warmup(DoctorEnv env) {
        try {
            return env.facts().get("prometheus.warmup", () -> {
                Sharding sh = sharding(env);
                if (sh != null) {
                    return sh.warmup(env, prometheusNow(env));
                }
                Store vm = foreignVictoriaMetrics(env);
                if (vm != null) {
                    return VictoriaChecks.warmup(env, vm, prometheusNow(env));
                }
                java.time.Instant started = Warmup.parse(runtimeInfo(env).path("startTime").asText(null));
                if (started == null) {
                    return null;
                }
                String yaml = config(env);
                java.time.Instant now = prometheusNow(env);
                if (started.isAfter(now.plus(Warmup.SLACK))) {
                    return null; // a start in the future: the clocks disagree, and no age can be told
                }
                java.time.Duration byDefault = java.time.Duration.ofMinutes(1); // Prometheus's, when not set
                return new Warmup(now, started,
                        Durations.parseOr(PrometheusChecks.globalSetting(yaml, "scrape_interval"), byDefault),
                        Durations.parseOr(PrometheusChecks.globalSetting(yaml, "evaluation_interval"), byDefault));
            });
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Prometheus's own time, from the Date header of its answer (to the second; the middle of that second), so that
     * its start time is measured on its own clock: this machine's may be minutes off. The run's clock when it does
     * not say.
     */
    private static java.time.Instant prometheusNow(DoctorEnv env) {
        try {
            String date = env.prometheus().raw("/-/healthy").header("Date");
            if (date != null) {
                return java.time.ZonedDateTime.parse(date, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant().plusMillis(500);
            }
        } catch (RuntimeException e) {
            // no Date, or no answer: this machine's clock it is
        }
        return env.clock().instant();
    }

    /** An instant query, shared when several checks ask the same. */
    static QueryResult query(DoctorEnv env, String promql) {
        return env.facts().get("query:" + promql, () -> env.prometheus().query(promql, null));
    }

    /** The backend's /metrics, every sample kept. */
    static Scrape scrape(DoctorEnv env) {
        return env.facts().get("backend.scrape", () -> new Scraper(env.http())
                .scrape(Scraper.metricsUrl(env.backendUrl())));
    }

    /** The first value of a query, or null when it returns nothing or Prometheus does not answer. */
    static Double value(DoctorEnv env, String promql) {
        try {
            QueryResult r = query(env, promql);
            return r.isEmpty() ? null : r.series().get(0).value();
        } catch (RuntimeException e) {
            return null;
        }
    }
}
