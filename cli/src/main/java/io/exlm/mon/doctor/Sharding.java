package io.exlm.mon.doctor;

import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.Target;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.PidFile;
import io.exlm.mon.stack.StateDir;
import io.exlm.mon.stack.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The sharded topology (up --topology sharded) as doctor reads it: the store at prometheus.url is VictoriaMetrics,
 * its targets are listed by the scraping members (each its share, at /api/v1/targets), its rules by vmalert (through
 * the store's -vmalert.proxyURL), and what the members send is in their own /metrics. Known from the state directory:
 * the topology up recorded, and the addresses in the parts' pid files; it applies only when doctor reads that store.
 *
 * @param members   each scraping member's name and URL, in member order
 * @param vmalert   vmalert's URL
 */
record Sharding(List<Member> members, String vmalert) {

    /** What starts a member that is not running. */
    static final String START = "exlm-mon up --runtime local --topology sharded";

    /** One scraping member. */
    record Member(String name, String url) {
    }

    /** The sharding of the stack doctor reads; null when that is a single Prometheus (or not the stack's). */
    static Sharding of(DoctorEnv env) {
        if (env.stateDir() == null || Topology.recorded(env.stateDir()) != Topology.SHARDED) {
            return null;
        }
        StateDir state = new StateDir(env.stateDir());
        PidFile store = PidFile.read(state.pidFile(Component.VICTORIA_METRICS));
        if (store == null || !PrometheusChecks.sameEndpoint(store.url() + "/", env.prometheusUrl() + "/")) {
            return null;
        }
        List<Member> members = new ArrayList<>();
        for (Component m : Component.SCRAPERS) {
            PidFile pf = PidFile.read(state.pidFile(m));
            // a member without a pid file was never started or was stopped: asking its address fails, and says so
            members.add(new Member(m.id(), pf != null ? pf.url() : null));
        }
        PidFile alert = PidFile.read(state.pidFile(Component.VMALERT));
        return new Sharding(List.copyOf(members), alert == null ? null : alert.url());
    }

    /** Each member's targets, by member name (fetched once per run). */
    Map<String, List<Target>> targets(DoctorEnv env) {
        return env.facts().get("sharding.targets", () -> {
            Map<String, List<Target>> out = new LinkedHashMap<>();
            for (Member m : members) {
                if (m.url() == null) {
                    throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "scraping member "
                            + m.name() + " is not running (no pid file under " + env.stateDir() + "): its share of"
                            + " the targets is not scraped; " + START);
                }
                try {
                    out.put(m.name(), new PrometheusClient(env.http(), m.url()).targets());
                } catch (io.exlm.mon.http.HttpFailure f) {
                    throw new io.exlm.mon.ExitException(io.exlm.mon.ExitCode.UNREACHABLE, "scraping member "
                            + m.name() + " does not answer at " + m.url() + " (" + f.kind().label() + "): its share"
                            + " of the targets is not scraped; " + START, f);
                }
            }
            return out;
        });
    }

    /** The members' scrape configuration (the first member's /config; every member has the same). */
    String config(DoctorEnv env) {
        return env.facts().get("sharding.config", () -> new PrometheusClient(env.http(), first()).raw("/config")
                .text());
    }

    /** A part's own /metrics, the samples whose names start with {@code prefix}. */
    static Scrape metrics(DoctorEnv env, String url, String prefix) {
        return env.facts().get("sharding.metrics:" + url + " " + prefix, () -> new Scraper(env.http())
                .scrape(url + "/metrics", n -> n.startsWith(prefix) || n.startsWith("flag")
                        || n.startsWith("process_start_time_seconds")));
    }

    /** A flag's value as a VictoriaMetrics program exports it ({@code flag{name, value} 1}), or null. */
    static String flag(Scrape s, String name) {
        for (Sample f : s.samples("flag")) {
            if (name.equals(f.labels().get("name"))) {
                return f.labels().get("value");
            }
        }
        return null;
    }

    /**
     * A flag as a VictoriaMetrics program exports it, told by its {@code is_set} label where it has one: "" when not
     * set (whatever its value says: a secret flag's value is "secret" set or not, as newer releases write
     * -vmalert.proxyURL), its value when set, null when not exported.
     */
    static String setFlag(Scrape s, String name) {
        for (Sample f : s.samples("flag")) {
            if (name.equals(f.labels().get("name"))) {
                String set = f.labels().get("is_set");
                String value = f.labels().get("value");
                return "false".equals(set) || value == null ? "" : value;
            }
        }
        return null;
    }

    /**
     * How young the topology is: the latest start of the store, the members and vmalert (data exists once the last
     * of them runs), shifted by the store's -search.latencyOffset, the time a written sample takes to show in
     * queries; the scrape interval of the members' configuration and vmalert's evaluation interval.
     */
    Warmup warmup(DoctorEnv env, Instant now) {
        List<String> urls = new ArrayList<>();
        urls.add(env.prometheusUrl());
        members.forEach(m -> urls.add(m.url()));
        urls.add(vmalert);
        Instant latest = null;
        String youngest = null;
        Duration offset = Duration.ZERO;
        Duration evaluation = null;
        for (String u : urls) {
            if (u == null) {
                return null;
            }
            Scrape s = metrics(env, u, "flag");
            List<Sample> start = s.samples("process_start_time_seconds");
            if (start.isEmpty()) {
                return null;
            }
            Instant t = Instant.ofEpochMilli((long) (start.get(0).value() * 1000));
            if (latest == null || t.isAfter(latest)) {
                latest = t;
                youngest = partName(env, u);
            }
            if (u.equals(env.prometheusUrl())) {
                offset = Durations.parseOr(flag(s, "search.latencyOffset"), Duration.ofSeconds(30)); // its default
            }
            if (u.equals(vmalert)) {
                evaluation = Durations.parseOr(flag(s, "evaluationInterval"), Duration.ofMinutes(1)); // its default
            }
        }
        Duration scrape = Durations.parseOr(PrometheusChecks.globalSetting(config(env), "scrape_interval"),
                Duration.ofMinutes(1));
        return new Warmup(now, latest.plus(offset), scrape, evaluation, "the stack's youngest part, " + youngest + ",",
                offset);
    }

    /** A part's name by its URL: VictoriaMetrics, a member's name, or vmalert. */
    private String partName(DoctorEnv env, String url) {
        if (url.equals(env.prometheusUrl())) {
            return Store.Kind.VICTORIA_METRICS.words();
        }
        for (Member m : members) {
            if (url.equals(m.url())) {
                return "scraping member " + m.name();
            }
        }
        return "vmalert";
    }

    private String first() {
        for (Member m : members) {
            if (m.url() != null) {
                return m.url();
            }
        }
        throw new IllegalStateException("no scraping member of the sharded stack runs: exlm-mon up --runtime local"
                + " --topology sharded");
    }
}
