package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Setting;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The lean start path: the invocations whose start-up time is a promise, run without building the picocli model
 * (reading the commands' annotations reflectively is most of a short command's start-up). Only the plainest forms
 * qualify; anything else, help and every error included, goes to the full command line, and a test checks that both
 * paths answer alike.
 * <ul>
 * <li>{@code --version} (or {@code -V}) alone;</li>
 * <li>{@code metrics check FILE} with at most {@code --format F} and {@code --catalog}: validating an exposition in
 * CI, where it is timed against {@code promtool check metrics}.</li>
 * <li>{@code health} with the options a smoke check uses ({@code --backend-url}, {@code --url}, {@code --check},
 * {@code --wait}, {@code --timeout}, {@code --connect-timeout}, {@code -o}, {@code --no-color}), each in its plainest
 * spelling: the CI gate, whose start-up is timed by {@code scripts/bench-startup}.</li>
 * </ul>
 */
public final class LeanStart {
    /** Returned when the arguments need the full command line. */
    public static final int NOT_HANDLED = -1;

    private LeanStart() {
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal,
            InputStream in) {
        return run(args, out, err, env, terminal, in, false);
    }

    /**
     * @param fromMain whether this is the process's own run, whose deadlines ({@code --wait}) count from the start of
     *     the process, as on the full command line
     */
    public static int run(String[] args, PrintWriter rawOut, PrintWriter rawErr, Map<String, String> env,
            boolean terminal, InputStream in, boolean fromMain) {
        PrintWriter out = TerminalSafe.wrap(rawOut, false);
        PrintWriter err = TerminalSafe.wrap(rawErr, true);
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println(VersionProvider.line());
            out.flush();
            return ExitCode.OK;
        }
        if (args.length >= 3 && args[0].equals("metrics") && args[1].equals("check")) {
            return metricsCheck(args, out, err, env, terminal, in);
        }
        if (args.length >= 1 && args[0].equals("health")) {
            return health(args, out, err, env, terminal, in, fromMain);
        }
        return NOT_HANDLED;
    }

    private static int health(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean terminal, InputStream in, boolean fromMain) {
        GlobalOptions globals = new GlobalOptions();
        HealthCommand health = new HealthCommand();
        health.interval = Duration.ofSeconds(1);
        health.successThreshold = 1;
        health.demo.scenario = "normal";
        health.push.job = "exlm-mon";
        Set<String> given = new HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            boolean repeatable = name.equals("--check") || name.equals("--url");
            if (name.equals("--no-color")) {
                if (value != null || !given.add(name)) {
                    return NOT_HANDLED;
                }
                globals.noColor = true;
                continue;
            }
            if (!VALUED.contains(name) || (!repeatable && !given.add(name))) {
                return NOT_HANDLED; // help, another option, a misspelling, an argument, or an option given twice
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    return NOT_HANDLED;
                }
                value = args[++i];
            }
            if (value.isEmpty() || value.startsWith("-")) {
                return NOT_HANDLED; // how picocli reads such a word is its business
            }
            switch (name) {
                case "--backend-url" -> globals.give(Setting.BACKEND_URL, value);
                case "--url" -> health.urls.add(value);
                case "--check" -> {
                    for (String c : value.split(",", -1)) {
                        if (c.isEmpty()) {
                            return NOT_HANDLED;
                        }
                        health.checks.add(c);
                    }
                }
                case "--wait" -> {
                    try {
                        health.wait = Durations.parse(value);
                    } catch (IllegalArgumentException e) {
                        return NOT_HANDLED; // the full command line words the usage error
                    }
                }
                case "--timeout" -> globals.give(Setting.TIMEOUT, value);
                case "--connect-timeout" -> globals.give(Setting.CONNECT_TIMEOUT, value);
                default -> { // -o, --output
                    OutputFormat f = FORMATS.get(value);
                    if (f == null) {
                        return NOT_HANDLED;
                    }
                    globals.output = f;
                }
            }
        }
        if (given.contains("-o") && given.contains("--output")) {
            return NOT_HANDLED;
        }
        Context ctx = new Context(globals, out, err, env, terminal, in);
        if (fromMain) {
            ctx.startedWithProcess();
        }
        try {
            return health.run(ctx);
        } catch (RuntimeException e) {
            return Failures.failure(e, err, false, "exlm-mon health");
        } finally {
            ctx.close();
            out.flush();
            err.flush();
        }
    }

    /** The options with a value that the lean {@code health} takes. */
    private static final Set<String> VALUED = Set.of("--backend-url", "--url", "--check", "--wait", "--timeout",
            "--connect-timeout", "-o", "--output");

    private static final Map<String, OutputFormat> FORMATS = Map.of("text", OutputFormat.text, "json",
            OutputFormat.json, "junit", OutputFormat.junit, "csv", OutputFormat.csv);

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
            return Failures.failure(e, err, false, "exlm-mon metrics check");
        } finally {
            out.flush();
            err.flush();
        }
    }
}
