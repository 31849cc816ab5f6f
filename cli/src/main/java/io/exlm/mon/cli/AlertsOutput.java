package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.Text;
import io.exlm.mon.promql.AlertClock;
import io.exlm.mon.promql.Pending;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import io.exlm.mon.promql.RuleHealth;
import io.exlm.mon.stack.StackFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What {@code alerts} writes: two tables and a verdict, or {@link Document}. */
final class AlertsOutput {
    private AlertsOutput() {
    }

    /**
     * The document of {@code alerts -o json}, the contract the README states: the clock of the alerts' ages
     * ({@code prometheus} or {@code local}; null from Alertmanager, which gives none), the counts, each alert
     * (firing first, by severity, name and instance), the silences not expired, and why the silences are unknown
     * (else null). Fields in record order, snake_case, nulls included.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Document(String source, String url, String clock, long firing, long pending, long silenced, List<AlertEntry> alerts,
            List<SilenceEntry> silences, String silencesError, RulesEntry rules) {
    }

    /**
     * With Prometheus, whether its alerts can be trusted to say what the guide's would ({@link RuleHealth}): the
     * alerts looked for, those not loaded, the rules of their groups that fail, how many rules are not evaluated
     * yet, and why the rules are unknown (else null). Null with Alertmanager, which holds no rules.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RulesEntry(List<String> expected, List<String> missing, List<RuleHealth.Failing> failing,
            Integer notEvaluated, String error) {
        static RulesEntry of(RuleHealth h, String error) {
            return h == null ? new RulesEntry(StackFiles.alertNames(), null, null, null, Text.printable(error))
                    : new RulesEntry(h.expected(), h.missing(), h.exlmFailing(), h.notEvaluated(), null);
        }
    }

    /**
     * One alert; {@code state} one of {@link Vocabulary}'s alert states, {@code severity} null when it has none;
     * from Prometheus its activeAt, its age on the document's clock and its rule's {@code for:} (as {@code explain}'s
     * document has them), from Alertmanager its startsAt (the others null).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AlertEntry(String name, String state, String severity, Map<String, String> labels,
            Map<String, String> annotations, String activeAt, Long activeSeconds, Long forSeconds, String startsAt,
            String value, List<String> silencedBy, List<String> inhibitedBy) {
    }

    /** One silence, its matchers as Alertmanager's syntax writes them. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SilenceEntry(String id, String state, List<String> matchers, String startsAt, String endsAt,
            String createdBy, String comment) {
        static SilenceEntry of(Silence s) {
            return new SilenceEntry(s.id(), Vocabulary.known("alerts silence state", s.state()),
                    s.matchers().stream().map(Object::toString).toList(), s.startsAt(), s.endsAt(), s.createdBy(),
                    s.comment());
        }
    }

    static Document json(String source, String url, AlertClock clock, List<AlertsCommand.Row> rows,
            List<Silence> silences, long firing, long pending, long held, String silencesError, RuleHealth rules,
            String rulesError) {
        List<AlertEntry> alerts = new ArrayList<>();
        for (AlertsCommand.Row r : rows) {
            alerts.add(new AlertEntry(r.name(), Vocabulary.known("alerts state", r.state()),
                    r.severity().isEmpty() ? null : r.severity(), r.labels(), r.annotations(), r.activeAt(),
                    r.activeSeconds(), r.forSeconds(), r.startsAt(), r.value(), r.silencedBy(), r.inhibitedBy()));
        }
        List<SilenceEntry> sl = silences.stream().map(SilenceEntry::of).toList();
        return new Document(source, url, clock == null ? null : clock.name(), firing, pending, held, alerts, sl, silencesError,
                source.equals("prometheus") ? RulesEntry.of(rules, rulesError) : null);
    }

    /** What SINCE counts from with {@code --source alertmanager}: not the activeAt every other view counts from. */
    static final String STARTS_AT = "SINCE: since Alertmanager's startsAt, when Prometheus first sent the alert"
            + " firing (after its rule's for:), %s; alerts --source prometheus, explain and top count from activeAt,"
            + " when its condition began to hold";

    /**
     * The tables and the verdict. SINCE is an age on {@code clock}, written as top and explain write it: with
     * Prometheus since activeAt, with Alertmanager since its startsAt (the line under the table says which).
     */
    static void text(Context ctx, String source, AlertClock clock, List<AlertsCommand.Row> rows,
            List<Silence> silences, long firing, long pending, long held, String silencesError, String untrusted,
            String warming) {
        Ansi a = ctx.ansi();
        if (!rows.isEmpty()) {
            Table t = new Table("STATE", "ALERT", "SEVERITY", "INSTANCE", "SINCE", "SILENCED", "SUMMARY");
            for (AlertsCommand.Row r : rows) {
                String state = r.state().equals("firing") ? (r.held() ? a.yellow("firing") : a.red("firing"))
                        : a.yellow("pending");
                String silenced = !r.silencedBy().isEmpty() ? "silenced " + shortIds(r.silencedBy())
                        : !r.inhibitedBy().isEmpty() ? "inhibited" : "-";
                t.row(state, r.name(), r.severity().isEmpty() ? "-" : r.severity(),
                        r.labels().getOrDefault("instance", r.labels().getOrDefault("job", "-")),
                        AlertClock.age(r.ageSeconds()), silenced, summary(r));
            }
            // every line fits the terminal (100 columns off one, as doctor's): the summary wraps under itself
            t.lines(ctx.width()).forEach(ctx.out()::println);
            Wrap.lines("", source.equals("prometheus") ? "SINCE: since activeAt, when the condition began to hold, "
                    + clock.words() : String.format(java.util.Locale.ROOT, STARTS_AT, clock.words()), 2,
                    ctx.width()).forEach(l -> ctx.out().println(a.dim(l)));
            ctx.out().println();
        }
        if (!silences.isEmpty()) {
            Table t = new Table("SILENCE", "STATE", "MATCHERS", "ENDS", "BY", "COMMENT");
            for (Silence s : silences) {
                List<String> m = new ArrayList<>();
                s.matchers().forEach(x -> m.add(x.toString()));
                t.row(shortId(s.id()), s.state(), String.join(", ", m), s.endsAt() == null ? "-" : s.endsAt(),
                        s.createdBy(), s.comment());
            }
            t.lines(ctx.width()).forEach(ctx.out()::println);
            ctx.out().println();
        }
        verdict(ctx, firing, pending, held, silences, silencesError, untrusted, warming);
    }

    /**
     * The closing line: how many fire, how many are held, how many pend; and why the silences are unknown. When
     * the guide's rules are not all loaded and evaluating ({@code untrusted}), or not evaluated yet ({@code warming}),
     * "none" is not green, and a second line says why.
     */
    static void verdict(Context ctx, long firing, long pending, long held, List<Silence> silences,
            String silencesError, String untrusted, String warming) {
        Ansi a = ctx.ansi();
        String verdict = firing == 0 && pending == 0 ? (untrusted == null && warming == null
                ? a.green("no alerts firing or pending")
                : a.yellow("no alerts firing or pending"))
                : (firing > 0 ? a.red(firing + " firing") + (held > 0 ? " (" + held + " silenced or inhibited)" : "")
                        : "0 firing") + ", " + (pending > 0 ? a.yellow(pending + " pending") : "0 pending");
        // an Alertmanager that did not answer has an unknown number of silences, not none
        Wrap.lines("", verdict + "; " + (silencesError != null ? a.yellow("silences unknown")
                + " (Alertmanager did not answer)" : silences.size() + " silence" + (silences.size() == 1 ? "" : "s")
                        + " active or pending"), 2, ctx.width()).forEach(ctx.out()::println);
        if (untrusted != null) {
            Wrap.lines("", "warning: " + Text.printable(untrusted), 2, ctx.width()).forEach(l -> ctx.out().println(
                    a.yellow(l)));
        }
        if (warming != null) {
            Wrap.lines("", "note: " + warming, 2, ctx.width()).forEach(l -> ctx.out().println(a.yellow(l)));
        }
        ctx.out().flush();
        if (silencesError != null) {
            ctx.err().println("exlm-mon: silences unknown: " + silencesError);
            ctx.err().flush();
        }
    }

    /**
     * The SUMMARY cell: the rule's summary of a firing alert; of a pending one its state and the summary without the
     * durations it has not been active for ({@link Pending}): "pending for 12s of 5m: 10.84% of requests to ... fail
     * (above 5 %)".
     */
    static String summary(AlertsCommand.Row r) {
        String summary = r.annotations().getOrDefault("summary", "");
        if (!r.state().equals("pending")) {
            return summary;
        }
        String unclaimed = Pending.unclaimed(summary, r.activeSeconds()).strip();
        return Pending.state(r.activeSeconds(), r.forSeconds()) + (unclaimed.isEmpty() ? "" : ": " + unclaimed);
    }

    private static String shortIds(List<String> ids) {
        List<String> s = new ArrayList<>();
        ids.forEach(id -> s.add(shortId(id)));
        return String.join(",", s);
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }
}
