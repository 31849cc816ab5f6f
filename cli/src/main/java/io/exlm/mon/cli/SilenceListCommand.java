package io.exlm.mon.cli;

import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list",
        description = {"The silences Alertmanager holds: active and pending ones (soonest to end first), with"
            + " --expired the expired ones too."})
public final class SilenceListCommand extends BaseCommand {
    @Option(names = "--expired", order = 1, description = "Also the expired silences Alertmanager still keeps")
    boolean expired;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        AlertmanagerClient am = new AlertmanagerClient(ctx.http(), ctx.alertmanagerUrl());
        List<Silence> all = FailureDocument.guard(ctx, "alerts silence list", am::silences);
        List<Silence> shown = all.stream().filter(s -> expired || !s.state().equals("expired"))
                .sorted(Comparator.comparing((Silence s) -> SilenceOutput.stateRank(s.state()))
                        .thenComparing(s -> s.endsAt() == null ? "" : s.endsAt()).thenComparing(Silence::id))
                .toList();
        SilenceOutput.list(ctx, am.baseUrl(), shown);
        return io.exlm.mon.ExitCode.OK;
    }
}
