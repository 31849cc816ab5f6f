package io.exlm.mon.doctor;

import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.time.Instant;

/**
 * What the Prometheus checks ask of a VictoriaMetrics that this stack did not start ({@link Store}; the sharded
 * topology's is {@link ShardingChecks}'): where VictoriaMetrics has an equivalent it is used (its own scrape,
 * {@code -promscrape.config}, lists targets at /api/v1/targets; {@code -vmalert.proxyURL} passes the rules on to
 * vmalert); where nothing can be known the check is skipped with the reason, naming what would make it checkable.
 */
final class VictoriaChecks {
    /** vmalert's default -evaluationInterval: what a young VictoriaMetrics' rules are judged by, vmalert unseen. */
    static final Duration VMALERT_EVALUATION = Duration.ofMinutes(1);
    /** VictoriaMetrics' scrape interval where its -promscrape.config sets none (as Prometheus's). */
    static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofMinutes(1);

    private VictoriaChecks() {
    }

    private static String at(DoctorEnv env) {
        return "VictoriaMetrics at " + io.exlm.mon.Text.printable(env.prometheusUrl());
    }

    /** Why its targets cannot be listed. */
    static String noTargets(DoctorEnv env, Store vm) {
        return (vm.scrapes() == null ? at(env) + " lists no targets, and whether it scrapes itself is unknown (its"
                + " /metrics did not answer)" : at(env) + " scrapes nothing itself (-promscrape.config is not set)")
                + ": the targets are those of the vmagent or Prometheus that writes into it; point --prometheus-url"
                + " at that one, or start VictoriaMetrics with -promscrape.config, to check them";
    }

    /** Why its rules cannot be listed. */
    static String noRules(DoctorEnv env, Store vm) {
        return at(env) + " evaluates no rules itself and " + (vm.proxiesRules() == null ? "does not say whether"
                + " -vmalert.proxyURL is set (its /metrics did not answer)" : "-vmalert.proxyURL is not set")
                + ": the rules are vmalert's; start VictoriaMetrics with -vmalert.proxyURL=VMALERT_URL to check them"
                + " here";
    }

    /**
     * Why its rules did not come: it passes the rules API on to a vmalert (-vmalert.proxyURL), and the answer was an
     * error. A 502 or 504 (VictoriaMetrics answers 502 with no body when that vmalert does not run) says it was not
     * reached; another status is that vmalert's own (or what stands in front), and its words are given.
     */
    static String deadProxy(DoctorEnv env, Store vm, io.exlm.mon.http.HttpFailure f) {
        String vmalert = Store.SECRET.equals(vm.vmalertProxy()) ? "its vmalert (-vmalert.proxyURL, whose address it"
                + " keeps secret)" : "vmalert at "
                        + io.exlm.mon.Text.printable(io.exlm.mon.config.Settings.redact(vm.vmalertProxy()))
                        + " (-vmalert.proxyURL)";
        if (f.status() == 502 || f.status() == 504) {
            return at(env) + " passes the rules on to " + vmalert + ", and could not reach it (HTTP " + f.status()
                    + "): start that vmalert, or give -vmalert.proxyURL the address it listens on";
        }
        return at(env) + " passes the rules on to " + vmalert + ", and the answer failed: "
                + io.exlm.mon.Text.printable(f.messageWithoutQuery()) + "; see that vmalert's log";
    }

    /** Why its scrape configuration cannot be read. */
    static String noScrapeConfig(DoctorEnv env, Store vm) {
        return at(env) + " scrapes nothing itself (-promscrape.config is not set): the scrape configuration is that"
                + " of the vmagent or Prometheus that writes into it; point --prometheus-url at that one to check it";
    }

    /**
     * How young it is: its start, shifted by its -search.latencyOffset (a sample shows in queries that long after it
     * was written); its own scrape's interval; vmalert's default evaluation interval. Null when it does not say.
     */
    static Warmup warmup(DoctorEnv env, Store vm, Instant now) {
        if (vm.started() == null) {
            return null;
        }
        Duration scrape = DEFAULT_SCRAPE_INTERVAL;
        if (Boolean.TRUE.equals(vm.scrapes())) {
            scrape = Durations.parseOr(PrometheusChecks.globalSetting(Shared.config(env), "scrape_interval"),
                    DEFAULT_SCRAPE_INTERVAL);
        }
        // a start in the future: the clocks disagree, and no age can be told
        return vm.started().isAfter(now.plus(Warmup.SLACK)) ? null
                : new Warmup(now, vm.started().plus(vm.latencyOffset()), scrape, VMALERT_EVALUATION,
                        Store.Kind.VICTORIA_METRICS.words(), vm.latencyOffset());
    }

    /**
     * The configuration: VictoriaMetrics' own is its -promscrape.config (rules and alerting are vmalert's flags), which
     * parsed when it started (it does not start with an invalid one); a failed reload since fails, where it says so.
     */
    static Outcome config(DoctorEnv env, Store vm) {
        if (!Boolean.TRUE.equals(vm.scrapes())) {
            return Outcome.skip(vm.scrapes() == null ? at(env) + " does not say whether it scrapes (its /metrics did"
                    + " not answer): its configuration is not judged" : noScrapeConfig(env, vm));
        }
        Shared.config(env); // it answers with the configuration it runs
        String file = io.exlm.mon.Text.printable(vm.scrapeConfig());
        Outcome o;
        if (vm.scrapeReloaded() != null && vm.scrapeReloaded() == 0) {
            o = Outcome.fail("the last reload of VictoriaMetrics' -promscrape.config " + file + " failed: it still"
                    + " scrapes with the configuration it had before")
                    .fix("see VictoriaMetrics' log for the error; correct " + file + ", then reload (kill -HUP its pid,"
                            + " or GET /-/reload)");
        } else {
            o = Outcome.ok("VictoriaMetrics runs its -promscrape.config " + file + (vm.scrapeReloaded() == null
                    ? " (it parsed at its start; this version does not say whether a reload since failed)"
                    : " (its last reload succeeded)") + "; its rules and alerting are vmalert's");
        }
        return o.figure("config_file", vm.scrapeConfig()).figure("checked_with", "VictoriaMetrics' /metrics")
                .figure("reload_success", vm.scrapeReloaded() == null ? null : vm.scrapeReloaded() == 1);
    }

    /** VictoriaMetrics sends no alert; vmalert does, and VictoriaMetrics does not say which Alertmanager it uses. */
    static Outcome alertmanager(DoctorEnv env) {
        return Outcome.skip(at(env) + " sends no alerts: vmalert does (its -notifier.url), which VictoriaMetrics does"
                + " not tell; the sharded stack's vmalert is checked (exlm-mon up --runtime local --topology sharded)");
    }

    /** A check of Prometheus's own storage, which VictoriaMetrics does not have. */
    static Outcome notPrometheus(DoctorEnv env, String what) {
        return Outcome.skip(at(env) + " has no Prometheus TSDB: " + what + " is not judged here");
    }

    /** Remote write is Prometheus's (or vmagent's), not the store's. */
    static Outcome remoteWrite(DoctorEnv env) {
        return Outcome.skip(at(env) + " receives remote writes and sends none: the writer's queues are checked by"
                + " pointing --prometheus-url at that Prometheus");
    }
}
