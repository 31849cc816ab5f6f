package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.stack.StackRuntime;
import io.exlm.mon.stack.StateDir;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "down",
        description = {"Stop what `exlm-mon up` started; keep the data unless --purge.", "",
            "Nothing else is stopped: a local process only",
            "while its pid file still names it (same pid, start time and executable);",
            "with compose, only the exlm-mon project. Data (Prometheus's TSDB,",
            "Alertmanager's silences, the Pushgateway's metrics, Grafana) is kept",
            "unless --purge."},
        exitCodeList = {"0:stopped (or nothing was running)", "1:something could not be stopped or deleted",
            "3:no Docker engine answers (compose runtime)"})
public final class DownCommand extends BaseCommand {
    @Option(names = "--purge", order = 1, description = "Also delete the stack's data, logs and generated files")
    boolean purge;

    @Mixin
    LastRuntime runtime = new LastRuntime();

    @Override
    int run(Context ctx) {
        StackSupport.Stack stack = runtime.open(ctx, StackSupport.progress(ctx));
        StateDir state = stack.state();
        StackRuntime rt = stack.runtime();
        List<PartReport> parts = rt.down(purge);
        long stopped = parts.stream().filter(p -> p.state().equals(PartReport.STOPPED)).count();
        // a part that could not be stopped is still running: that is a failure to say, and to exit 1 for
        int code = parts.stream().anyMatch(p -> p.state().equals(PartReport.FAILED)) ? ExitCode.UNHEALTHY
                : ExitCode.OK;
        StackOutput.down(ctx, new StackOutput.Down(rt.name(), rt.topology().id(), state.root().toString(), stopped, purge,
                StackOutput.parts(parts)), parts);
        return code;
    }
}
