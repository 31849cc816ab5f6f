package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.stack.Readiness;
import io.exlm.mon.stack.StackRuntime;
import io.exlm.mon.stack.StateDir;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status",
        description = {"Say what of the monitoring stack runs, part by part.", "",
            "Each part's state, pid, address, health (its ready endpoint) and version,",
            "as a table or JSON (-o json).",
            "States: running (started by exlm-mon), stopped, skipped (Grafana not",
            "installed), external (answers at its address, but exlm-mon did not",
            "start it)."},
        exitCodeList = {"0:every part that can run here is running and healthy", "1:otherwise"})
public final class StatusCommand extends BaseCommand {
    @Mixin
    LastRuntime runtime = new LastRuntime();

    @Override
    int run(Context ctx) {
        StackSupport.Stack stack = runtime.open(ctx, line -> { });
        StateDir state = stack.state();
        StackRuntime rt = stack.runtime();
        List<PartReport> parts;
        try (HttpLayer http = StackSupport.probeClient(ctx)) {
            parts = rt.status(http);
        }
        List<PartReport> expected = parts.stream().filter(p -> !p.state().equals(PartReport.SKIPPED)).toList();
        long running = expected.stream().filter(p -> p.state().equals(PartReport.RUNNING)).count();
        boolean healthy = expected.stream().allMatch(p -> p.state().equals(PartReport.RUNNING)
                && Readiness.OK.equals(p.health()));
        StackOutput.status(ctx, new StackOutput.Status(rt.name(), rt.topology().id(), state.root().toString(), healthy, running,
                expected.size(), StackOutput.parts(parts)), parts);
        return healthy ? ExitCode.OK : ExitCode.UNHEALTHY;
    }
}
