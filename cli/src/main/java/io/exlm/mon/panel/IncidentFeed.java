package io.exlm.mon.panel;

import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.QueryResult;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.PrometheusSource;
import io.exlm.mon.source.Snapshot;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What top shows besides the panels when something pages: the alerts panel, the breakdown of the panel Enter opened,
 * and the instances the instance filter chooses from. The poller asks for them after each snapshot, on its own thread
 * (the only one that touches the source); each says in words when it cannot.
 */
public interface IncidentFeed {
    /** The alerts panel; null when the source has none (a scrape: alerts live in Prometheus). */
    AlertsPanel alerts();

    /** The breakdown of {@code id}, from the source or the snapshot just taken. */
    Breakdown breakdown(PanelId id, Snapshot latest);

    /** The instances the filter cycles through; empty when the source reads one instance. */
    List<String> instances();

    /** Every later snapshot and query reads only {@code instance} (null: every instance). */
    void instance(String instance);

    /** Why the filter has nothing to choose from, when {@link #instances()} is empty. */
    String oneInstance();

    /** How long top trusts the rules' health it read: a reload that breaks or mends a rule shows within this. */
    Duration RULES_EVERY = Duration.ofSeconds(30);

    /** A scrape: one instance, its series broken down here, no alerts. */
    static IncidentFeed scrape(String metricsUrl) {
        String instance = hostPort(metricsUrl);
        return new IncidentFeed() {
            @Override
            public AlertsPanel alerts() {
                return null;
            }

            @Override
            public Breakdown breakdown(PanelId id, Snapshot latest) {
                return Breakdowns.fromSnapshot(id, latest, instance);
            }

            @Override
            public List<String> instances() {
                return List.of();
            }

            @Override
            public void instance(String i) {
            }

            @Override
            public String oneInstance() {
                return "a scrape reads one instance, " + instance;
            }
        };
    }

    /**
     * PromQL: the alerts of {@code prometheus} with the silences of {@code am} (null when no Alertmanager URL is
     * known), breakdowns over the source's window and scope, the instances of the scope's {@code up}.
     */
    static IncidentFeed prometheus(PrometheusSource source, PrometheusClient prometheus, AlertmanagerClient am,
            Duration window, Combination combination, Clock clock) {
        // an instance the command line fixed (--backend-instance) is the header's too: the filter keys leave it be
        String fixed = source.scope().instance();
        return new IncidentFeed() {
            /** The rules' health as last read, and when (rules change at a reload, not at every frame). */
            private io.exlm.mon.promql.RuleHealth rules;
            private java.time.Instant rulesAt;

            @Override
            public AlertsPanel alerts() {
                return AlertsPanel.read(prometheus, am, clock, () -> {
                    java.time.Instant now = clock.instant();
                    if (rules == null || !now.isBefore(rulesAt.plus(RULES_EVERY)) || now.isBefore(rulesAt)) {
                        rules = io.exlm.mon.promql.RuleHealth.of(prometheus.rules(),
                                io.exlm.mon.stack.StackFiles.alertNames());
                        rulesAt = now;
                    }
                    return rules;
                });
            }

            @Override
            public Breakdown breakdown(PanelId id, Snapshot latest) {
                return Breakdowns.fromPrometheus(id, prometheus, source.scope(), window, combination);
            }

            @Override
            public List<String> instances() {
                if (fixed != null) {
                    return List.of();
                }
                QueryResult r = prometheus.query("count by (" + Combination.INSTANCE + ") (up"
                        + braces(source.scope().withInstance(null).promql()) + ")", null);
                List<String> out = new ArrayList<>();
                for (QueryResult.Series s : r.series()) {
                    String i = s.metric().get(Combination.INSTANCE);
                    if (i != null && !i.isEmpty()) {
                        out.add(i);
                    }
                }
                out.sort(null);
                return out;
            }

            @Override
            public void instance(String instance) {
                if (fixed == null) {
                    source.scope(source.scope().withInstance(instance));
                }
            }

            @Override
            public String oneInstance() {
                if (fixed != null) {
                    return "--backend-instance fixed the instance: " + fixed;
                }
                return "no instance of " + source.scope().withInstance(null).words() + " in Prometheus's up";
            }
        };
    }

    /** {@code host:port} of a URL, as Prometheus names a target's instance. */
    static String hostPort(String url) {
        try {
            java.net.URI u = java.net.URI.create(url);
            if (u.getHost() == null) {
                return url;
            }
            int port = u.getPort() >= 0 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
            return u.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String braces(String m) {
        return m.isEmpty() ? "" : "{" + m + "}";
    }
}
