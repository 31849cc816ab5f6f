package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.OutOfMemory;
import java.io.PrintWriter;
import java.util.Map;

public final class Main {
    private Main() {
    }

    /** The commands that make HTTP requests at once: the HTTP client is warmed up while their options are parsed. */
    private static final java.util.Set<String> HTTP_COMMANDS = java.util.Set.of("health", "metrics", "top", "doctor",
            "alerts", "query", "status");

    public static void main(String[] args) {
        LibraryLogging.install();
        for (int i = 0; i < args.length; i++) {
            if (HTTP_COMMANDS.contains(args[i])) {
                // metrics check reads a file
                if (!(args[i].equals("metrics") && i + 1 < args.length && args[i + 1].equals("check"))) {
                    io.exlm.mon.http.HttpLayer.warmUpInBackground();
                }
                break;
            }
        }
        PrintWriter out = new PrintWriter(System.out, false);
        PrintWriter err = new PrintWriter(System.err, true);
        OutOfMemory.install(err);
        Map<String, String> env = System.getenv();
        boolean terminal = System.console() != null;
        int code;
        try {
            OutOfMemory.command(() -> Subcommands.named(args));
            code = LeanStart.run(args, out, err, env, terminal, System.in, true);
            if (code == LeanStart.NOT_HANDLED) {
                code = ExlmMon.forArgs(out, err, env, terminal, System.in, args).execute(args);
            }
        } catch (OutOfMemoryError e) {
            // what filled the heap is garbage now that the call has unwound: there is room for one line
            out.flush();
            err.println("exlm-mon: " + OutOfMemory.line());
            code = ExitCode.INTERNAL;
        }
        out.flush();
        err.flush();
        System.exit(code);
    }
}
