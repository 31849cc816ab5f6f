package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.AlertClock;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.AlertmanagerClient.AmAlert;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import io.exlm.mon.promql.PrometheusClient;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import io.exlm.mon.promql.RuleHealth;
import io.exlm.mon.stack.StackFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "alerts",
        subcommands = {SilenceCommand.class},
        description = {"The alerts that fire or are pending, with Alertmanager's silences.", "",
            "From Prometheus (default: firing and pending, as its rules evaluate them; SINCE is the time since"
                + " activeAt, on Prometheus's clock, as in explain and top) or from Alertmanager (firing only, with"
                + " what silences or inhibits each; SINCE is then the time since its startsAt, when Prometheus sent"
                + " it firing, on the same clock)."},
        exitCodeList = {"0:read (alerts or none)",
            "1:with --fail-if-firing: an alert fires that no silence or inhibition holds and whose severity is not"
                + " none (the Watchdog fires by design); or one of the guide's alerts is not loaded, or a rule of"
                + " their groups fails, so that it could not fire",
            "3:the source cannot be reached; with --fail-if-firing, also Prometheus's rules"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  exlm-mon alerts",
            "  exlm-mon alerts --source alertmanager -o json",
            "  exlm-mon alerts --fail-if-firing         # CI: exit 1 while an alert fires",
            "  exlm-mon alerts --explain                # each alert's diagnosis and runbook",
            "  exlm-mon alerts silence add HighErrorRate --duration 2h \\",
            "      --comment 'rollback under way'"})
public final class AlertsCommand extends BaseCommand {
    /** The sources, for help and completion. */
    static final class Sources implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("prometheus", "alertmanager").iterator();
        }
    }

    /**
     * One alert as shown: from either source. From Prometheus, {@code activeAt} and its age on the one clock of
     * every view ({@link AlertClock}: {@code activeSeconds}, with the rule's {@code for:} when the rules say it);
     * from Alertmanager, its {@code startsAt} (another instant: when Prometheus first sent it firing) and the age
     * since then on the same clock ({@code startsSeconds}, in the text's SINCE only).
     */
    record Row(String name, String state, String severity, Map<String, String> labels, Map<String, String> annotations,
            String activeAt, Long activeSeconds, Long forSeconds, String startsAt, Long startsSeconds, String value,
            List<String> silencedBy, List<String> inhibitedBy) {
        boolean held() {
            return !silencedBy.isEmpty() || !inhibitedBy.isEmpty();
        }

        /** The age SINCE shows and the paging order reads: since activeAt, or since startsAt from Alertmanager. */
        Long ageSeconds() {
            return activeSeconds != null ? activeSeconds : startsSeconds;
        }
    }

    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "prometheus", order = 1,
            completionCandidates = Sources.class,
            description = "prometheus (default: firing and pending) or alertmanager (firing, silenced, inhibited)")
    String source;

    @Option(names = "--fail-if-firing", order = 2,
            description = "Exit 1 when an alert fires that no silence or inhibition holds (severity none, the"
                    + " Watchdog's, excepted: it always fires)")
    boolean failIfFiring;

    @Option(names = "--explain", order = 3,
            description = "For each firing or pending alert: how long (on Prometheus's clock), what it means, the"
                    + " queries and doctor checks that narrow its cause, and its runbook (as exlm-mon explain)")
    boolean explain;

    /**
     * The severity of an alert that fires by design (the Watchdog, whose arrival proves the alert path): shown and
     * counted as firing, but never a reason for {@code --fail-if-firing} to fail.
     */
    static final String BY_DESIGN = Alert.BY_DESIGN;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        String src = source.strip().toLowerCase(Locale.ROOT);
        if (!src.equals("prometheus") && !src.equals("alertmanager")) {
            throw ExitException.usage("--source must be prometheus or alertmanager, not '" + source + "'");
        }
        if (explain && !src.equals("prometheus")) {
            throw ExitException.usage("--explain reads Prometheus's alerts (their pending time and labels); drop"
                    + " --source alertmanager");
        }
        Fetched fetched = FailureDocument.guard(ctx, "alerts", () -> fetch(ctx, src));
        // with Prometheus, "nothing fires" is only true of rules that are loaded and evaluate
        String untrusted = fetched.rules() != null ? fetched.rules().untrusted() : fetched.rulesError() != null
                ? "Prometheus's rules unknown: " + fetched.rulesError() : null;
        // a young Prometheus: rules not evaluated yet support no "none" either, but fail nothing (warming up)
        String warming = untrusted == null && fetched.rules() != null && fetched.rules().notEvaluated() > 0
                ? fetched.rules().notEvaluated() + " rule" + (fetched.rules().notEvaluated() == 1 ? " is" : "s are")
                        + " not evaluated yet (warming up: Prometheus evaluates them every evaluation_interval)"
                : null;
        List<Row> rows = fetched.rows();
        List<Silence> silences = fetched.silences();
        String silencesError = fetched.silencesError();
        String url = fetched.url();
        rows.sort(Alert.pagingOrder((Row r) -> !r.held() && !Alert.BY_DESIGN.equals(r.severity()), Row::state,
                Row::severity, Row::ageSeconds, Row::name, r -> r.labels().getOrDefault("instance", "")));
        List<Silence> current = silences.stream().filter(s -> !s.state().equals("expired")).toList();
        long firing = rows.stream().filter(r -> r.state().equals("firing")).count();
        long held = rows.stream().filter(r -> r.state().equals("firing") && r.held()).count();
        long pending = rows.stream().filter(r -> r.state().equals("pending")).count();
        if (explain) {
            List<Alert> alerts = rows.stream().map(r -> new Alert(r.labels(), r.annotations(), r.state(),
                    r.activeAt(), r.value())).toList();
            PrometheusClient prom = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
            io.exlm.mon.explain.Explainer.Report report = Explaining.explainer(ctx, prom).explain(alerts);
            if (ctx.format() == OutputFormat.json) {
                Json.write(ctx.out(), ExplainOutput.json(url, report, null, null));
            } else {
                ExplainOutput.text(ctx, report);
                if (!report.alerts().isEmpty()) {
                    ctx.out().println();
                }
                AlertsOutput.verdict(ctx, firing, pending, held, current, silencesError, untrusted, warming);
            }
        } else if (ctx.format() == OutputFormat.json) {
            // the document's clock is that of its active_seconds: none from Alertmanager, which has its starts_at
            Json.write(ctx.out(), AlertsOutput.json(src, url, src.equals("prometheus") ? fetched.clock() : null, rows, current, firing, pending, held,
                    silencesError, fetched.rules(), fetched.rulesError()));
        } else {
            AlertsOutput.text(ctx, src, fetched.clock(), rows, current, firing, pending, held, silencesError, untrusted,
                    warming);
        }
        long gating = rows.stream().filter(r -> r.state().equals("firing") && !r.held()
                && !BY_DESIGN.equals(r.severity())).count();
        if (failIfFiring && gating == 0 && untrusted != null) {
            // a gate that cannot tell is not green: the rules that would fire are missing, failing or unknown
            ctx.err().println("exlm-mon: alerts --fail-if-firing: " + io.exlm.mon.Text.printable(untrusted)
                    + "; exlm-mon doctor --check prometheus.rules says why");
            ctx.err().flush();
            return fetched.rules() == null ? ExitCode.UNREACHABLE : ExitCode.UNHEALTHY;
        }
        return failIfFiring && gating > 0 ? ExitCode.UNHEALTHY : ExitCode.OK;
    }

    /**
     * What the source holds: the alerts, the silences (or why they are unknown), the URL they came from, and, from
     * Prometheus, the clock their ages are on (null from Alertmanager).
     */
    private record Fetched(List<Row> rows, List<Silence> silences, String silencesError, String url,
            RuleHealth rules, String rulesError, AlertClock clock) {
    }

    private static Fetched fetch(Context ctx, String src) {
        AlertmanagerClient am = new AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
        List<Row> rows = new ArrayList<>();
        List<Silence> silences = List.of();
        String silencesError = null;
        String url;
        RuleHealth rules = null;
        String rulesError = null;
        AlertClock clock = null;
        if (src.equals("prometheus")) {
            PrometheusClient prom = new PrometheusClient(ctx.http(), ctx.prometheusUrl());
            url = prom.baseUrl();
            List<Alert> alerts = prom.alerts();
            Map<String, Long> forSeconds = Map.of();
            try {
                List<io.exlm.mon.promql.RuleGroup> groups = prom.rules();
                rules = RuleHealth.of(groups, StackFiles.alertNames());
                forSeconds = AlertClock.forSeconds(groups);
            } catch (ExitException e) {
                rulesError = e.getMessage();
            }
            clock = AlertClock.read(prom, java.time.Clock.systemUTC());
            try {
                silences = am.silences();
            } catch (ExitException e) {
                silencesError = e.getMessage();
            }
            for (Alert a : alerts) {
                List<String> by = new ArrayList<>();
                for (Silence s : silences) {
                    if (s.silences(a.labels())) {
                        by.add(s.id());
                    }
                }
                rows.add(new Row(a.name(), a.state(), a.labels().getOrDefault("severity", ""), a.labels(),
                        a.annotations(), a.activeAt(), clock.activeSeconds(a), forSeconds.get(a.name()), null,
                        null, a.value(), by, List.of()));
            }
        } else {
            url = am.baseUrl();
            List<AmAlert> amAlerts = am.alerts();
            silences = am.silences();
            // startsAt is Prometheus's instant (it stamps the alerts it sends): aged on its clock, as the Prometheus
            // listing is, or on this machine's when Prometheus does not say its time (and the text says so)
            clock = amAlerts.isEmpty() ? null : AlertClock.read(new PrometheusClient(ctx.http(), ctx.prometheusUrl()),
                    java.time.Clock.systemUTC());
            for (AmAlert a : amAlerts) {
                rows.add(new Row(a.name(), "firing", a.labels().getOrDefault("severity", ""), a.labels(),
                        a.annotations(), null, null, null, a.startsAt(), clock.secondsSince(a.startsAt()), null,
                        a.silencedBy(), a.inhibitedBy()));
            }
        }
        return new Fetched(rows, silences, silencesError, url, rules, rulesError, clock);
    }
}
