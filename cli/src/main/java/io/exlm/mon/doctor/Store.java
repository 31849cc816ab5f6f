package io.exlm.mon.doctor;

import io.exlm.mon.config.Durations;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.source.Scraper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the store at prometheus.url is, told by the server itself from the answer to {@code /-/healthy} that the
 * healthy check asks anyway (no request more against a Prometheus): Prometheus answers "Prometheus Server is
 * Healthy.", every VictoriaMetrics program "VictoriaMetrics is Healthy." at its root, and under a path it does not
 * route (vmselect's {@code /select/0/prometheus}, single-node's {@code /prometheus}) its own 400 "unsupported path
 * requested", whereupon its root is asked. For VictoriaMetrics, what its own {@code /metrics} says (one scrape, kept
 * to a few names): its version, its flags, its start.
 *
 * @param kind            which server it is
 * @param root            where its {@code /-/healthy}, {@code /-/ready} and {@code /metrics} are: prometheus.url,
 *                        or for VictoriaMetrics under a path prefix that URL's origin; null when not asked
 * @param healthy         its answer to {@code /-/healthy} there; null when not asked
 * @param version         its version as it says it; null when it does not (Debian's build says "")
 * @param scrapeConfig    VictoriaMetrics' {@code -promscrape.config}: "" when it scrapes nothing itself, null when
 *                        unknown (its /metrics did not answer)
 * @param vmalertProxy    VictoriaMetrics' {@code -vmalert.proxyURL}: "" when not set, null when unknown
 * @param latencyOffset   VictoriaMetrics' {@code -search.latencyOffset}: how long a sample takes to show in queries
 * @param started         when it started (process_start_time_seconds); null when unknown
 * @param scrapeReloaded  VictoriaMetrics' {@code vm_promscrape_config_last_reload_successful}; null when not given
 */
record Store(Kind kind, String root, HttpResponse healthy, String version, String scrapeConfig, String vmalertProxy,
        Duration latencyOffset, Instant started, Double scrapeReloaded) {

    /** The server kinds doctor tells apart. */
    enum Kind {
        PROMETHEUS("Prometheus"), VICTORIA_METRICS("VictoriaMetrics");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** Its name, as a summary writes it. */
        String words() {
            return words;
        }
    }

    /**
     * A Prometheus taken as such without asking: what runs whose facts are known in advance (tests that give
     * Prometheus's answers) speak of, unless they say otherwise. Its /-/healthy is asked when a check needs it.
     */
    static final Store ASSUMED_PROMETHEUS = new Store(Kind.PROMETHEUS, null, null, null, null, null, Duration.ZERO,
            null, null);

    /** VictoriaMetrics' default -search.latencyOffset. */
    static final Duration DEFAULT_LATENCY_OFFSET = Duration.ofSeconds(30);

    /** The store at prometheus.url, asked once per run; a transport failure is the healthy check's to report. */
    static Store of(DoctorEnv env) {
        String url = env.prometheusUrl().replaceAll("/+$", "");
        HttpResponse r = env.prometheus().raw("/-/healthy");
        String root = url;
        if (!r.ok() && unroutedByVictoriaMetrics(r)) {
            String origin = origin(url);
            if (!origin.equals(url)) {
                try {
                    r = env.http().get(origin + "/-/healthy", "text/plain, */*;q=0.5");
                    root = origin;
                } catch (HttpFailure f) {
                    // the origin does not answer either: the prefixed answer stands, and says what it can
                }
            }
        }
        if (!saysVictoriaMetrics(r)) {
            return new Store(Kind.PROMETHEUS, url, r, null, null, null, Duration.ZERO, null, null);
        }
        Scrape m;
        try {
            m = new Scraper(env.http()).scrape(root + "/metrics", n -> n.equals("vm_app_version") || n.equals("flag")
                    || n.equals("process_start_time_seconds") || n.equals("vm_promscrape_config_last_reload_successful"));
        } catch (RuntimeException e) {
            // its /metrics protected (-metricsAuthKey) or elsewhere: what it runs with is unknown, and said so
            return new Store(Kind.VICTORIA_METRICS, root, r, null, null, null, DEFAULT_LATENCY_OFFSET, null, null);
        }
        String version = null;
        for (Sample s : m.samples("vm_app_version")) {
            String v = s.labels().get("short_version");
            v = v == null || v.isBlank() ? s.labels().get("version") : v;
            version = v == null || v.isBlank() ? null : io.exlm.mon.Text.printable(v);
        }
        List<Sample> start = m.samples("process_start_time_seconds");
        List<Sample> reloaded = m.samples("vm_promscrape_config_last_reload_successful");
        String scrape = Sharding.setFlag(m, "promscrape.config");
        String proxy = Sharding.setFlag(m, "vmalert.proxyURL");
        return new Store(Kind.VICTORIA_METRICS, root, r, version, scrape, proxy,
                Durations.parseOr(Sharding.flag(m, "search.latencyOffset"), DEFAULT_LATENCY_OFFSET),
                start.isEmpty() ? null : Instant.ofEpochMilli((long) (start.get(0).value() * 1000)),
                reloaded.isEmpty() ? null : reloaded.get(0).value());
    }

    boolean victoriaMetrics() {
        return kind == Kind.VICTORIA_METRICS;
    }

    /** Its name, as summaries write it. */
    String name() {
        return kind.words();
    }

    /** Whether it scrapes targets itself (-promscrape.config set); null when unknown. */
    Boolean scrapes() {
        return scrapeConfig == null ? null : !scrapeConfig.isBlank();
    }

    /** What a secret flag's value is exported as, set or not (its is_set label tells which). */
    static final String SECRET = "secret";

    /** Whether it passes the rules API on to a vmalert (-vmalert.proxyURL set); null when unknown. */
    Boolean proxiesRules() {
        return vmalertProxy == null ? null : !vmalertProxy.isBlank();
    }

    /** Whether an answer is VictoriaMetrics': its /-/healthy text, or its error for a path it does not serve. */
    static boolean saysVictoriaMetrics(HttpResponse r) {
        String t = head(r);
        return t.startsWith("VictoriaMetrics") || unroutedByVictoriaMetrics(r);
    }

    /** VictoriaMetrics' 400 for a path it does not route (its lib/httpserver writes the same in every program). */
    static boolean unroutedByVictoriaMetrics(HttpResponse r) {
        return r.status() == 400 && head(r).contains("unsupported path requested");
    }

    private static String head(HttpResponse r) {
        String t = r.text();
        return (t.length() > 300 ? t.substring(0, 300) : t).strip();
    }

    /** scheme://host:port of a URL. */
    static String origin(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            return u.getScheme() + "://" + u.getRawAuthority();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
