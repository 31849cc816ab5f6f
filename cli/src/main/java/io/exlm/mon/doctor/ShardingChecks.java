package io.exlm.mon.doctor;

import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.promql.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the Prometheus checks ask of the sharded topology ({@link Sharding}), where the answer is not Prometheus's:
 * which member scrapes which target, the members' and vmalert's configuration, vmalert's Alertmanager, the members'
 * remote write into VictoriaMetrics.
 */
final class ShardingChecks {
    private ShardingChecks() {
    }

    /**
     * The targets check's verdict with the members: which member scrapes which target (figure {@code members}: member
     * name to its targets as {@code job instance}), and a target listed by two members (scraped twice, its samples
     * written twice) is a finding.
     */
    static Outcome members(Outcome o, DoctorEnv env, Sharding sh) {
        Map<String, List<String>> byMember = new LinkedHashMap<>();
        Map<String, List<String>> scrapedBy = new TreeMap<>();
        sh.targets(env).forEach((member, targets) -> {
            List<String> mine = new ArrayList<>();
            for (Target t : targets) {
                String key = t.job() + " " + t.instance();
                mine.add(key);
                scrapedBy.computeIfAbsent(key, k -> new ArrayList<>()).add(member);
            }
            byMember.put(member, mine);
        });
        List<String> twice = new ArrayList<>();
        scrapedBy.forEach((t, ms) -> {
            if (ms.size() > 1) {
                twice.add(t + " (" + String.join(", ", ms) + ")");
            }
        });
        Outcome out = o;
        if (!twice.isEmpty() && o.status() != Status.FAIL) {
            out = Outcome.warn(twice.size() + " targets scraped by more than one member: " + String.join(", ", twice))
                    .fix("every member must run with the same -promscrape.cluster.membersCount and its own"
                            + " -promscrape.cluster.memberNum: exlm-mon down, then up --topology sharded");
        }
        List<String> lines = new ArrayList<>();
        byMember.forEach((m, ts) -> lines.add(m + " scrapes " + ts.size() + ": " + String.join(", ", ts)));
        if (out != o) {
            out.details(o.details());
        }
        return out.details(lines).figure("members", byMember).figure("scraped_twice", twice);
    }

    /** The configuration: every member runs the same, and vmalert's last reload of the rule files succeeded. */
    static Outcome config(DoctorEnv env, Sharding sh) {
        String first = null;
        List<String> differ = new ArrayList<>();
        for (Sharding.Member m : sh.members()) {
            if (m.url() == null) {
                return Outcome.fail("scraping member " + m.name() + " is not running: its share of the targets is"
                        + " not scraped").fix("exlm-mon up --runtime local --topology sharded");
            }
            String c = new io.exlm.mon.promql.PrometheusClient(env.http(), m.url()).raw("/config").text();
            if (first == null) {
                first = c;
            } else if (!c.equals(first)) {
                differ.add(m.name());
            }
        }
        if (sh.vmalert() == null) {
            return Outcome.fail("vmalert is not running: no rule is evaluated, no alert sent")
                    .fix("exlm-mon up --runtime local --topology sharded");
        }
        Scrape v = Sharding.metrics(env, sh.vmalert(), "vmalert_config_");
        Double loaded = first(v, "vmalert_config_last_reload_successful");
        if (!differ.isEmpty()) {
            return Outcome.fail("the scraping members run different configurations (" + String.join(", ", differ)
                    + " differ from " + sh.members().get(0).name() + "): they split the targets of different lists")
                    .fix("exlm-mon up --runtime local --topology sharded writes one configuration for all; then"
                            + " kill -HUP each member");
        }
        if (loaded == null) {
            return Outcome.warn("vmalert does not say whether its rule files loaded"
                    + " (no vmalert_config_last_reload_successful)");
        }
        if (loaded == 0) {
            return Outcome.fail("vmalert's last reload of the rule files failed: it runs the rules it had before")
                    .fix("see vmalert's log; vmalert -dryRun -rule=FILE checks a rule file");
        }
        return Outcome.ok(sh.members().size() + " scraping members run one configuration; vmalert loaded its rule"
                + " files");
    }

    /** vmalert's Alertmanagers (-notifier.url), with what it sent and failed to send since its start. */
    static Outcome alertmanager(DoctorEnv env, Sharding sh) {
        if (sh.vmalert() == null) {
            return Outcome.fail("vmalert is not running: no alert is sent to Alertmanager")
                    .fix("exlm-mon up --runtime local --topology sharded");
        }
        Scrape v = Sharding.metrics(env, sh.vmalert(), "vmalert_alerts_");
        List<String> addrs = new ArrayList<>();
        double sent = 0;
        double errors = 0;
        for (Sample s : v.samples("vmalert_alerts_sent_total")) {
            addrs.add(s.labels().get("addr"));
            sent += s.value();
        }
        for (Sample s : v.samples("vmalert_alerts_send_errors_total")) {
            errors += s.value();
        }
        // judged over the recent window, as the store scraped them: one failed send at the start is not a finding
        // for ever; since vmalert's start while the store has none of its samples yet
        Double recentErrors = recentIncrease(env, sh.vmalert(), "vmalert_alerts_send_errors_total");
        Double recentSent = recentIncrease(env, sh.vmalert(), "vmalert_alerts_sent_total");
        String span = recentErrors != null ? "in the last " + RECENT_TEXT : "since it started";
        if (recentErrors != null) {
            errors = recentErrors;
            sent = recentSent != null ? recentSent : 0;
        }
        // by is_set: newer vmalert releases export -notifier.url as "secret" (unless -notifier.showURL), set or not
        String notifier = Sharding.setFlag(Sharding.metrics(env, sh.vmalert(), "flag"), "notifier.url");
        if (Store.SECRET.equals(notifier) && !addrs.isEmpty()) {
            // its sends' counters name each Alertmanager (without a password) from the moment it is set up
            List<String> named = new ArrayList<>();
            for (String a : addrs) {
                String base = a == null ? "" : a.replaceFirst("/api/v[12]/alerts/?$", "");
                if (!base.isEmpty() && !named.contains(base)) {
                    named.add(base);
                }
            }
            notifier = named.isEmpty() ? notifier : String.join(",", named);
        }
        boolean secret = Store.SECRET.equals(notifier);
        String configured = env.alertmanagerUrl();
        boolean ours = notifier != null && !secret && java.util.Arrays.stream(notifier.split(","))
                .anyMatch(u -> PrometheusChecks.sameEndpoint(u.strip() + "/", configured.replaceAll("/+$", "") + "/"));
        String shown = notifier == null ? "" : secret ? "an Alertmanager whose address it keeps secret"
                : io.exlm.mon.Text.printable(redactAll(notifier));
        Outcome o;
        if (notifier == null || notifier.isBlank()) {
            o = Outcome.fail("vmalert sends its alerts to no Alertmanager (-notifier.url is not set)")
                    .fix("exlm-mon up --topology sharded starts vmalert with -notifier.url set to alertmanager.url");
        } else if (errors >= 1) {
            o = Outcome.warn("vmalert sends to " + shown + ", but " + Math.round(errors) + " of "
                    + Math.round(errors + sent) + " sends failed " + span).fix("see vmalert's log and"
                    + " whether Alertmanager answers (alertmanager.ready)")
                    .followsFromUnreachable(ours ? AlertmanagerChecks.READY : null);
        } else if (secret) {
            // set, its address not told and not in its counters yet: whether it is alertmanager.url cannot be seen
            o = Outcome.warn("vmalert sends its alerts to " + shown + " (-notifier.url), and names none in its"
                    + " metrics: whether it is " + io.exlm.mon.Text.printable(io.exlm.mon.config.Settings.redact(
                            configured)) + " (alertmanager.url) cannot be seen")
                    .fix("start vmalert with -notifier.showURL, or look at its log for the Alertmanager it sends to");
        } else if (!ours) {
            o = Outcome.warn("vmalert sends to " + shown + ", not to " + io.exlm.mon.Text.printable(
                    io.exlm.mon.config.Settings.redact(configured)) + " (alertmanager.url)");
        } else {
            o = Outcome.ok("vmalert sends its alerts to " + shown);
        }
        return o.figure("active", List.of(notifier == null || secret ? "" : redactAll(notifier))).figure("sent", sent)
                .figure("send_errors", errors);
    }

    /** A flag's comma-separated URLs, each without its password ({@code Settings.redact}). */
    private static String redactAll(String urls) {
        List<String> out = new ArrayList<>();
        for (String u : urls.split(",")) {
            out.add(io.exlm.mon.config.Settings.redact(u.strip()));
        }
        return String.join(",", out);
    }

    /**
     * The members' remote write into VictoriaMetrics: what waits in each member's queue
     * ({@code vmagent_remotewrite_pending_data_bytes}, {@code vm_persistentqueue_bytes_pending}), and what was
     * dropped or failed since its start ({@code vmagent_remotewrite_packets_dropped_total},
     * {@code vmagent_remotewrite_errors_total}). Nothing sent yet is warming up while the stack is young.
     */
    static Outcome remoteWrite(DoctorEnv env, Sharding sh) {
        Map<String, Map<String, Double>> figures = new LinkedHashMap<>();
        List<String> failing = new ArrayList<>();
        List<String> warning = new ArrayList<>();
        List<String> unsent = new ArrayList<>();
        for (Sharding.Member m : sh.members()) {
            if (m.url() == null) {
                failing.add(m.name() + " is not running");
                continue;
            }
            Scrape s = Sharding.metrics(env, m.url(), "v");
            double pending = sum(s, "vmagent_remotewrite_pending_data_bytes")
                    + sum(s, "vm_persistentqueue_bytes_pending");
            double dropped = sum(s, "vmagent_remotewrite_packets_dropped_total")
                    + sum(s, "vm_persistentqueue_bytes_dropped_total");
            double errors = sum(s, "vmagent_remotewrite_errors_total");
            // dropped and failed are judged over the recent window, as the store scraped the member: a blip at its
            // start is not a finding for ever; since its start while the store has none of its samples yet
            Double recentDropped = recentIncrease(env, m.url(), "vmagent_remotewrite_packets_dropped_total");
            Double recentDroppedBytes = recentIncrease(env, m.url(), "vm_persistentqueue_bytes_dropped_total");
            Double recentErrors = recentIncrease(env, m.url(), "vmagent_remotewrite_errors_total");
            String span = recentErrors != null ? "in the last " + RECENT_TEXT : "since it started";
            if (recentErrors != null) {
                errors = recentErrors;
                dropped = (recentDropped == null ? 0 : recentDropped)
                        + (recentDroppedBytes == null ? 0 : recentDroppedBytes);
            }
            double sent = 0;
            for (Sample r : s.samples("vmagent_remotewrite_requests_total")) {
                sent += "2XX".equals(r.labels().get("status_code")) ? r.value() : 0;
            }
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("pending_bytes", pending);
            f.put("dropped", dropped);
            f.put("errors", errors);
            f.put("requests_ok", sent);
            figures.put(m.name(), f);
            if (dropped > 0) {
                failing.add(m.name() + " dropped " + Math.round(dropped) + " blocks or bytes " + span + ": those"
                        + " samples are lost");
            } else if (sent == 0) {
                unsent.add(m.name());
            } else if (errors > 0) {
                warning.add(m.name() + " had " + Math.round(errors) + " failed writes " + span + " (retried)");
            }
            if (pending > 0 && dropped == 0) {
                warning.add(m.name() + " has " + Math.round(pending) + " bytes waiting to be sent");
            }
        }
        Outcome o;
        if (!failing.isEmpty()) {
            o = Outcome.fail(String.join("; ", failing)).fix("see the member's log; is VictoriaMetrics answering at "
                    + env.prometheusUrl() + "/api/v1/write?");
        } else if (!unsent.isEmpty()) {
            Warmup w = Shared.warmup(env);
            java.time.Instant by = w == null ? null : w.firstScrapeBy(w.scrapeInterval()).plusSeconds(1);
            String what = String.join(", ", unsent) + " sent nothing to VictoriaMetrics yet";
            o = by != null && w.before(by) ? Outcome.warming(what + "; " + w.explain(by), by)
                    : Outcome.fail(what).fix("see the member's log (remoteWrite)");
        } else if (!warning.isEmpty()) {
            o = Outcome.warn(String.join("; ", warning));
        } else {
            o = Outcome.ok(sh.members().size() + " scraping members write to VictoriaMetrics: nothing pending, nothing"
                    + " dropped");
        }
        return o.figure("members", figures);
    }

    /** The window over which the members' and vmalert's failure counters are judged. */
    static final java.time.Duration RECENT = java.time.Duration.ofMinutes(5);
    private static final String RECENT_TEXT = io.exlm.mon.config.Durations.format(RECENT);

    /**
     * The increase over {@link #RECENT} of a counter of the part at {@code url}, as the store scraped it (the
     * sharded topology scrapes its members and vmalert: instance is the part's address), summed over its series;
     * null when the store has no sample of it from that part (young, or not scraped).
     */
    static Double recentIncrease(DoctorEnv env, String url, String metric) {
        String instance = url.replaceFirst("^[a-z]+://", "").replaceAll("/.*$", "");
        io.exlm.mon.promql.QueryResult r;
        try {
            r = Shared.query(env, "sum by (instance) (increase(" + metric + "[" + RECENT_TEXT + "]))");
        } catch (RuntimeException e) {
            return null;
        }
        for (io.exlm.mon.promql.QueryResult.Series x : r.series()) {
            if (instance.equals(x.metric().get("instance")) && !x.points().isEmpty()) {
                return x.value();
            }
        }
        return null;
    }

    /** A check of Prometheus's own storage, which the sharded topology does not have. */
    static Outcome notPrometheus(String what) {
        return Outcome.skip("the sharded topology stores in VictoriaMetrics, not Prometheus's TSDB: " + what
                + " is not judged here");
    }

    private static double sum(Scrape s, String name) {
        double t = 0;
        for (Sample x : s.samples(name)) {
            t += x.value();
        }
        return t;
    }

    private static Double first(Scrape s, String name) {
        List<Sample> x = s.samples(name);
        return x.isEmpty() ? null : x.get(0).value();
    }
}
