package io.exlm.mon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every subcommand shares: picocli calls {@link #call}, which hands {@link #run} the context of the run (its
 * writers, environment and settings) that the root command built.
 */
abstract class BaseCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        Context ctx = ExlmMon.context(spec);
        if (ctx.verbose()) {
            LibraryLogging.verbose(ctx.err());
        }
        return run(ctx);
    }

    /** The command with its options set: validate, call, render; the exit code. */
    abstract int run(Context ctx) throws Exception;
}
