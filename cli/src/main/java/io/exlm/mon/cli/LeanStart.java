package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The lean start path: the two invocations whose start-up time is a promise, run without building the picocli model
 * (reading the commands' annotations reflectively is most of a short command's start-up). Only the plainest forms
 * qualify; anything else, help and every error included, goes to the full command line, and a test checks that both
 * paths answer alike.
 * <ul>
 * <li>{@code --version} (or {@code -V}) alone;</li>
 * <li>{@code metrics check FILE} with at most {@code --format F} and {@code --catalog}: validating an exposition in
 * CI, where it is timed against {@code promtool check metrics}.</li>
 * </ul>
 */
public final class LeanStart {
    /** Returned when the arguments need the full command line. */
    public static final int NOT_HANDLED = -1;

    private LeanStart() {
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal,
            InputStream in) {
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println(ExlmMon.VersionProvider.line());
            out.flush();
            return ExitCode.OK;
        }
        if (args.length >= 3 && args[0].equals("metrics") && args[1].equals("check")) {
            return metricsCheck(args, out, err, env, terminal, in);
        }
        return NOT_HANDLED;
    }

    private static int metricsCheck(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean terminal, InputStream in) {
        String file = null;
        String format = "auto";
        boolean catalog = false;
        for (int i = 2; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--catalog")) {
                catalog = true;
            } else if (a.equals("--format") && i + 1 < args.length) {
                format = args[++i];
            } else if (a.startsWith("--format=")) {
                format = a.substring("--format=".length());
            } else if (file == null && (a.equals("-") || !a.startsWith("-"))) {
                file = a;
            } else {
                return NOT_HANDLED;
            }
        }
        if (file == null) {
            return NOT_HANDLED;
        }
        Context ctx = new Context(new GlobalOptions(), out, err, env, terminal, in);
        try {
            return MetricsCheckCommand.check(ctx, file, format, catalog,
                    Integer.parseInt(MetricsCheckCommand.DEFAULT_MAX_PROBLEMS));
        } catch (RuntimeException e) {
            return ExlmMon.failure(e, err, false);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
