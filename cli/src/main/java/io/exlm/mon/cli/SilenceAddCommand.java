package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.AlertmanagerClient.AmAlert;
import io.exlm.mon.promql.AlertmanagerClient.Matcher;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "add",
        exitCodeList = {"0:done", "2:usage error: a wrong matcher, duration or silence id",
            "3:Alertmanager cannot be reached"},
        description = {"Create a silence of the alerts whose labels match every MATCHER, from now for --duration,"
            + " and say which of the alerts Alertmanager holds now it silences."})
public final class SilenceAddCommand extends BaseCommand {
    @Parameters(arity = "1..*", paramLabel = "MATCHER",
            description = "A label, an operator (= != =~ !~) and a value or regular expression, such as"
                    + " job=exlm-backend or instance=~\"backend.*\"; an alert's name alone is alertname=NAME")
    List<String> matchers;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "1h", order = 1,
            converter = DurationConverter.class, description = "How long it holds (default: ${DEFAULT-VALUE})")
    Duration duration;

    @Option(names = "--comment", paramLabel = "TEXT", required = true, order = 2,
            description = "Why, for whoever is paged next (required)")
    String comment;

    @Option(names = "--author", paramLabel = "NAME", order = 3,
            description = "Who (default: the user running exlm-mon)")
    String author;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        List<Matcher> parsed = new ArrayList<>();
        for (String m : matchers) {
            try {
                parsed.add(Matcher.parse(m));
            } catch (IllegalArgumentException e) {
                throw ExitException.usage(e.getMessage());
            }
        }
        if (parsed.stream().allMatch(Matcher::matchesEmpty)) {
            throw ExitException.usage("these matchers also match alerts without those labels, so the silence would"
                    + " hold every alert; name at least one label's value (alertname=NAME)");
        }
        if (duration.compareTo(Duration.ofMinutes(1)) < 0) {
            // a shorter one would end before anyone read it, or before Alertmanager stored it
            throw ExitException.usage("--duration must be at least 1m, not " + Durations.format(duration));
        }
        if (comment.isBlank()) {
            throw ExitException.usage("--comment must say why (it is what the next person paged reads)");
        }
        String by = author != null && !author.isBlank() ? author : System.getProperty("user.name", "exlm-mon");
        Instant start = Instant.now();
        AlertmanagerClient am = new AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
        String id = FailureDocument.guard(ctx, "alerts silence add",
                () -> am.createSilence(parsed, start, start.plus(duration), by, comment.strip()));
        // the silence exists from here on: what follows only describes it, and a failure of its own does not fail
        // the command (a retry would make a second silence)
        Silence created;
        try {
            created = am.silence(id);
        } catch (ExitException e) {
            created = null;
        }
        if (created == null) {
            created = new Silence(id, "active", List.copyOf(parsed), start.toString(), start.plus(duration).toString(),
                    by, comment.strip());
        }
        // which alerts it holds now, as Alertmanager says (its own regular expressions decide): best effort
        List<AmAlert> held = new ArrayList<>();
        String heldError = null;
        try {
            for (AmAlert a : am.alerts()) {
                if (a.silencedBy().contains(id)) {
                    held.add(a);
                }
            }
        } catch (ExitException e) {
            heldError = e.getMessage();
        }
        SilenceOutput.added(ctx, am.baseUrl(), created, duration, held, heldError);
        return io.exlm.mon.ExitCode.OK;
    }
}
