package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.config.Durations;
import io.exlm.mon.promql.AlertmanagerClient.AmAlert;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What {@code alerts silence add|list|expire} write: a few lines, or the documents below (snake_case, nulls kept). */
final class SilenceOutput {
    private SilenceOutput() {
    }

    /** {@code add -o json}: the silence as Alertmanager holds it, and the alerts it silences now (else why unknown). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Added(String url, AlertsOutput.SilenceEntry silence, List<HeldAlert> silencesNow, String silencesNowError) {
    }

    /** An alert a new silence holds. */
    record HeldAlert(String name, Map<String, String> labels) {
    }

    /** {@code list -o json}: the silences shown. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Silences(String url, List<AlertsOutput.SilenceEntry> silences) {
    }

    static int stateRank(String state) {
        return switch (state) {
            case "active" -> 0;
            case "pending" -> 1;
            default -> 2;
        };
    }

    static void added(Context ctx, String url, Silence s, Duration duration, List<AmAlert> held, String heldError) {
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), new Added(url, AlertsOutput.SilenceEntry.of(s),
                    heldError != null ? null : held.stream().map(a -> new HeldAlert(a.name(), a.labels())).toList(),
                    heldError));
            return;
        }
        ctx.out().println(ctx.ansi().green("silenced") + " until " + s.endsAt() + " (" + Durations.format(duration)
                + "): " + matchers(s));
        ctx.out().println("  id " + s.id() + ", by " + s.createdBy() + ": " + s.comment());
        if (heldError != null) {
            ctx.out().println("  which alerts it holds now is unknown: " + heldError);
        } else if (held.isEmpty()) {
            ctx.out().println("  holds none of the alerts Alertmanager has now (it holds those that come while it"
                    + " lasts)");
        } else {
            StringBuilder sb = new StringBuilder();
            for (AmAlert a : held) {
                sb.append(sb.length() == 0 ? "" : ", ").append(a.name())
                        .append(a.labels().containsKey("instance") ? " on " + a.labels().get("instance") : "");
            }
            ctx.out().println("  holds " + held.size() + " of the alerts Alertmanager has now: " + sb);
        }
        ctx.out().println("  end it early: exlm-mon alerts silence expire " + s.id());
        ctx.out().flush();
    }

    static void list(Context ctx, String url, List<Silence> silences) {
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), new Silences(url, silences.stream().map(AlertsOutput.SilenceEntry::of).toList()));
            return;
        }
        if (silences.isEmpty()) {
            ctx.out().println("no silences");
        } else {
            Table t = new Table("ID", "STATE", "ENDS", "MATCHERS", "BY", "COMMENT");
            for (Silence s : silences) {
                t.row(s.id(), s.state(), s.endsAt() == null ? "-" : s.endsAt(), matchers(s), s.createdBy(),
                        s.comment());
            }
            t.lines().forEach(ctx.out()::println);
        }
        ctx.out().flush();
    }

    /** A silence that {@code expire} ended, or found ended already. */
    record Ended(Silence silence, boolean already) {
    }

    /** {@code expire -o json}: each silence named, as Alertmanager holds it now, and whether it had ended already. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Expired(String url, List<ExpiredEntry> silences) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ExpiredEntry(AlertsOutput.SilenceEntry silence, boolean alreadyExpired) {
    }

    static void expired(Context ctx, String url, List<Ended> ended) {
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), new Expired(url, ended.stream()
                    .map(e -> new ExpiredEntry(AlertsOutput.SilenceEntry.of(e.silence()), e.already())).toList()));
            return;
        }
        for (Ended e : ended) {
            Silence s = e.silence();
            ctx.out().println((e.already() ? "already expired (at " + s.endsAt() + ") " : "expired ") + s.id()
                    + (s.matchers().isEmpty() ? "" : ": " + matchers(s)));
        }
        ctx.out().flush();
    }

    private static String matchers(Silence s) {
        return String.join(", ", s.matchers().stream().map(Object::toString).toList());
    }
}
