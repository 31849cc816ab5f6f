package io.exlm.mon.cli;

import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** {@code --runtime} of the commands that act on a stack already up ({@code down}, {@code status}). */
final class LastRuntime {
    @Option(names = "--runtime", paramLabel = "RUNTIME", order = 2, completionCandidates = StackSupport.Runtimes.class,
            description = "compose or local (default: the runtime of the last up)")
    String runtime;

    /** The stack, run by the runtime given, else by the one the last up used. */
    StackSupport.Stack open(Context ctx, Consumer<String> progress) {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        return StackSupport.open(ctx, runtime, false, progress);
    }
}
