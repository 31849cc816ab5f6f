package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
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

    @Parameters(arity = "1..*", paramLabel = "ID", description = "A silence's id, as alerts silence list shows it")
    List<String> ids;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        AlertmanagerClient am = new AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
        List<String> wanted = new ArrayList<>();
        for (String id : ids) {
            String trimmed = id.strip();
            if (!UUID.matcher(trimmed).matches()) {
                throw ExitException.usage("'" + id + "' is not a silence id (a UUID, as exlm-mon alerts silence list"
                        + " shows it)");
            }
            // Alertmanager's ids are lower case, and looked up as written
            wanted.add(trimmed.toLowerCase(java.util.Locale.ROOT));
        }
        List<SilenceOutput.Ended> ended = FailureDocument.guard(ctx, "alerts silence expire", () -> {
            // every id is looked up before any silence is ended: one unknown id ends none
            List<Silence> found = new ArrayList<>();
            for (String id : wanted) {
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
}
