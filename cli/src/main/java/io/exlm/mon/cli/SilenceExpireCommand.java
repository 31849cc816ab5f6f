package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.Text;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "expire",
        exitCodeList = {"0:done", "2:usage error: a wrong matcher, duration or silence id",
            "3:Alertmanager cannot be reached"},
        description = {"End silences now: their alerts notify again at Alertmanager's next evaluation."})
public final class SilenceExpireCommand extends BaseCommand {
    /** Alertmanager's silence ids are UUIDs; anything else is refused before a request is made. */
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** The beginning of one, as git takes a commit's: at least {@value #SHORTEST} of its characters. */
    private static final java.util.regex.Pattern PREFIX = java.util.regex.Pattern.compile("[0-9a-fA-F][0-9a-fA-F-]*");
    static final int SHORTEST = 4;

    @Parameters(arity = "1..*", paramLabel = "ID", description = "A silence's id, as alerts silence list shows it, or"
            + " its first characters (at least " + SHORTEST + ") when they name one silence")
    List<String> ids;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        AlertmanagerClient am = new AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
        List<String> wanted = new ArrayList<>();
        for (String id : ids) {
            String trimmed = id.strip();
            if (!UUID.matcher(trimmed).matches() && !(PREFIX.matcher(trimmed).matches()
                    && trimmed.length() >= SHORTEST)) {
                throw ExitException.usage("'" + Text.printable(id) + "' is not a silence id (a UUID, as exlm-mon"
                        + " alerts silence list shows it, or at least its first " + SHORTEST + " characters)");
            }
            // Alertmanager's ids are lower case, and looked up as written
            wanted.add(trimmed.toLowerCase(java.util.Locale.ROOT));
        }
        List<SilenceOutput.Ended> ended = FailureDocument.guard(ctx, "alerts silence expire", () -> {
            // every id is looked up before any silence is ended: one unknown id ends none
            List<Silence> found = new ArrayList<>();
            List<Silence> all = null;
            for (String given : wanted) {
                String id = given;
                if (!UUID.matcher(given).matches()) {
                    all = all != null ? all : am.silences();
                    id = whole(given, all, am.baseUrl());
                }
                if (seen(found, id)) {
                    continue; // named twice (an id and its beginning): ended once
                }
                Silence before = am.silence(id);
                if (before == null) {
                    throw ExitException.usage("Alertmanager at " + am.baseUrl() + " has no silence " + id
                            + " (none was expired); list them: exlm-mon alerts silence list --expired");
                }
                found.add(before);
            }
            List<SilenceOutput.Ended> out = new ArrayList<>();
            for (Silence before : found) {
                String id = before.id();
                if (before.state().equals("expired")) {
                    out.add(new SilenceOutput.Ended(before, true));
                    continue;
                }
                if (!am.expireSilence(id)) {
                    throw ExitException.usage("Alertmanager at " + am.baseUrl() + " has no silence " + id);
                }
                Silence after = am.silence(id);
                out.add(new SilenceOutput.Ended(after != null ? after : before, false));
            }
            return out;
        });
        SilenceOutput.expired(ctx, am.baseUrl(), ended);
        return io.exlm.mon.ExitCode.OK;
    }

    private static boolean seen(List<Silence> found, String id) {
        return found.stream().anyMatch(f -> f.id().equalsIgnoreCase(id));
    }

    /** The id of the one silence whose id begins with {@code prefix}; none or several is a usage error. */
    static String whole(String prefix, List<Silence> silences, String url) {
        List<Silence> begun = silences.stream().filter(x -> x.id().toLowerCase(java.util.Locale.ROOT)
                .startsWith(prefix)).toList();
        // one that has not ended is the one meant, beside ended ones Alertmanager still keeps
        List<Silence> current = begun.stream().filter(x -> !x.state().equals("expired")).toList();
        List<String> matching = (current.size() == 1 ? current : begun).stream().map(Silence::id).distinct()
                .sorted().toList();
        if (matching.isEmpty()) {
            throw ExitException.usage("Alertmanager at " + url + " has no silence whose id begins with " + prefix
                    + " (none was expired); list them: exlm-mon alerts silence list --expired");
        }
        if (matching.size() > 1) {
            throw ExitException.usage(prefix + " begins " + matching.size() + " silences' ids ("
                    + Text.printable(String.join(", ", matching.subList(0, Math.min(3, matching.size()))))
                    + (matching.size() > 3 ? ", ..." : "") + "; none was expired): give more of it");
        }
        return matching.get(0);
    }
}
