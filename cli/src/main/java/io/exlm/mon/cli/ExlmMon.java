package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.Version;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command. {@link #commandLine} is the one factory that {@code main} and the tests use. */
@Command(name = "exlm-mon",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = ExlmMon.VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Brings up, queries, watches and diagnoses the monitoring of the exlm platform.", ""},
        abbreviateSynopsis = true,
        exitCodeListHeading = "%nExit codes (the same for every command):%n",
        exitCodeList = {
            "0:all good",
            "1:something checked is unhealthy or failed",
            "2:usage error",
            "3:could not reach or could not understand an endpoint",
            "4:internal error (a bug, or the heap ran out; --verbose prints a bug's stack trace)",
            "129-143:ended by a signal: 128 + its number (top on a terminal: HUP 129, INT 130, QUIT 131, TERM 143)"},
        footerHeading = "%n",
        footer = {
            "Environment (a flag wins over its variable, which wins over the config file):",
            "  EXLM_BACKEND_URL  EXLM_PROMETHEUS_URL  EXLM_GRAFANA_URL  EXLM_ALERTMANAGER_URL",
            "  EXLM_TIMEOUT  EXLM_CONNECT_TIMEOUT  EXLM_MAX_BODY  EXLM_MAX_SERIES  EXLM_MAX_LABEL_BYTES",
            "  EXLM_TENANT (sent as X-Scope-OrgID)",
            "  EXLM_BEARER_TOKEN or EXLM_BEARER_TOKEN_FILE; EXLM_BASIC_AUTH_USER with EXLM_BASIC_AUTH_PASSWORD",
            "  EXLM_GRAFANA_USER  EXLM_GRAFANA_PASSWORD (Grafana's admin account)",
            "  EXLM_MON_CONFIG (the config file)  NO_COLOR (no colour)",
            "",
            "Files:",
            "  ~/.config/exlm-mon/config.properties    settings, key = value (see the README)",
            "  ~/.local/state/exlm-mon/                the local stack's config, data, logs, pid files",
            "",
            "Examples:",
            "  exlm-mon top --demo",
            "  exlm-mon health --wait 60s -o junit > health.xml",
            "  exlm-mon metrics check metrics.txt --catalog"})
public final class ExlmMon implements Runnable {
    /** The subcommands, in the order help lists them. */
    static final List<Class<?>> SUBCOMMANDS = List.of(HealthCommand.class, MetricsCommand.class, TopCommand.class,
            DoctorCommand.class, AlertsCommand.class, QueryCommand.class, UpCommand.class, DownCommand.class,
            StatusCommand.class, DemoCommand.class, CompletionCommand.class);

    @Mixin
    GlobalOptions globals;

    @Spec
    CommandSpec spec;

    Context context;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required");
    }

    /** The context of the run that the command of {@code spec} belongs to. */
    static Context context(CommandSpec spec) {
        return ((ExlmMon) spec.root().userObject()).context;
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env) {
        return commandLine(out, err, env, false);
    }

    /**
     * Builds the command line with its writers, environment and the central mapping of failures to exit codes.
     *
     * @param terminal whether stdout is an interactive terminal
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean terminal) {
        return commandLine(out, err, env, terminal, System.in);
    }

    /** The same, with the standard input that '-' reads (tests give their own). */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err, Map<String, String> env,
            boolean terminal, InputStream in) {
        return build(out, err, env, terminal, in, null);
    }

    /**
     * The command line for one run of {@code main}: only the subcommands that {@code args} name are built (all of
     * them when none is named, for help and suggestions). Building a command's model reads its annotations
     * reflectively, and that is most of a short command's start-up.
     */
    public static CommandLine forArgs(PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal,
            InputStream in, String[] args) {
        CommandLine cl = build(out, err, env, terminal, in, args);
        ((ExlmMon) cl.getCommand()).context.startedWithProcess();
        return cl;
    }

    private static CommandLine build(PrintWriter rawOut, PrintWriter rawErr, Map<String, String> env,
            boolean terminal, InputStream in, String[] args) {
        // the one boundary to the terminal: nothing a server sent can drive it, whatever prints it
        PrintWriter out = TerminalSafe.wrap(rawOut, false);
        PrintWriter err = TerminalSafe.wrap(rawErr, true);
        ExlmMon root = new ExlmMon();
        CommandLine cl = new CommandLine(root);
        String command = args == null ? null : commandWord(args);
        for (Class<?> c : SUBCOMMANDS) {
            String name = c.getAnnotation(Command.class).name();
            if (command == null || command.equals(name)) {
                cl.addSubcommand(name, c);
            }
        }
        root.context = new Context(root.globals, out, err, env, terminal, in);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.Help.Ansi ansi = env.containsKey("NO_COLOR") || !terminal ? CommandLine.Help.Ansi.OFF
                : CommandLine.Help.Ansi.AUTO;
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cl.setParameterExceptionHandler(ExlmMon::usageError);
        // the run's HTTP client is closed after every run, not only after a failure
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } finally {
                root.context.close();
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Context ctx = root.context;
            ctx.close();
            return failure(ex, ctx.err(), ctx.verbose(), commandLine.getCommandSpec().qualifiedName());
        });
        return cl;
    }

    /** The top-level commands (for tests that hold other places to the same list). */
    public static List<Class<?>> commands() {
        return SUBCOMMANDS;
    }

    /**
     * The subcommand {@code args} run, when it is sure: the first word that is not an option, or the first one after
     * words that may be options' values, provided it names a subcommand. Null when that is not sure (a misspelt
     * command, no command): then every subcommand is built, for help and suggestions.
     */
    public static String commandWord(String[] args) {
        Set<String> names = new HashSet<>();
        for (Class<?> c : SUBCOMMANDS) {
            names.add(c.getAnnotation(Command.class).name());
        }
        boolean mayBeValue = false;
        for (String a : args) {
            if (names.contains(a)) {
                return a;
            }
            if (a.startsWith("-")) {
                // an option without '=' may take the next word as its value
                mayBeValue = a.indexOf('=') < 0;
                continue;
            }
            if (!mayBeValue) {
                return null;
            }
            mayBeValue = false;
        }
        return null;
    }

    /** Maps an exception to its exit code and one line on stderr; only a bug prints a stack trace, with -v. */
    static int failure(Throwable ex, PrintWriter err, boolean verbose) {
        return failure(ex, err, verbose, null);
    }

    /**
     * The same, for the command {@code command} ({@code exlm-mon health}; null when not known): a usage error found
     * while the command runs (a setting's value) reads as picocli's do, naming the command and where to read more.
     */
    static int failure(Throwable ex, PrintWriter err, boolean verbose, String command) {
        if (ex instanceof ExitException e && e.exitCode() == ExitCode.USAGE && command != null) {
            err.println(command + ": " + io.exlm.mon.Text.printable(e.getMessage()) + " (see '" + command
                    + " --help')");
            err.flush();
            return e.exitCode();
        }
        if (ex instanceof ExitException e) {
            // one line, whatever a server put into the message
            err.println("exlm-mon: " + io.exlm.mon.Text.printable(e.getMessage()));
            if (verbose && e.getCause() != null) {
                err.println("exlm-mon: cause: " + e.getCause());
            }
            err.flush();
            return e.exitCode();
        }
        err.println("exlm-mon: internal error: " + ex + (verbose ? "" : " (a bug; run with --verbose for details)"));
        if (verbose) {
            writeTrace(ex, err);
        }
        err.flush();
        return ExitCode.INTERNAL;
    }

    private static void writeTrace(Throwable ex, PrintWriter err) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t != ex) {
                err.println("Caused by: " + t);
            }
            for (StackTraceElement el : t.getStackTrace()) {
                err.println("\tat " + el);
            }
        }
    }

    /**
     * A usage error is one line on stderr: the command, what is wrong, picocli's suggestions when it has any, and
     * where to read more; for example {@code exlm-mon health: unknown option '--bogus' (see 'exlm-mon health
     * --help')}. The synopsis is left to {@code --help}: a CI log reads the first line of stderr.
     */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(usageLine(ex));
        err.flush();
        return ExitCode.USAGE;
    }

    /** The one line {@link #usageError} prints. */
    static String usageLine(ParameterException ex) {
        String name = ex.getCommandLine().getCommandSpec().qualifiedName();
        StringBuilder line = new StringBuilder(name).append(": ").append(usageMessage(ex.getMessage()));
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append("; did you mean ");
                for (int i = 0; i < suggestions.size(); i++) {
                    line.append(i == 0 ? "" : i == suggestions.size() - 1 ? " or " : ", ");
                    line.append('\'').append(u.isUnknownOption() ? "" : name + " ").append(suggestions.get(i))
                            .append('\'');
                }
                line.append('?');
            }
        }
        line.append(" (see '").append(name).append(" --help')");
        return io.exlm.mon.Text.printable(line.toString());
    }

    /**
     * picocli's message in the words of the rest of exlm-mon's errors: lower case, no colon before the quoted
     * word ("Unknown option: '--bogus'" reads "unknown option '--bogus'"), one line.
     */
    static String usageMessage(String message) {
        String m = message == null ? "invalid usage" : message.strip().replaceAll("\\s*\\R\\s*", " ");
        m = m.replaceFirst("^(Unknown options?|Unmatched arguments?(?: from index \\d+)?(?: at index \\d+)?): '",
                "$1 '");
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }

    /** The version from a resource Maven fills in. */
    public static final class VersionProvider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {line()};
        }

        /** What {@code --version} prints, also on the lean path that skips picocli. */
        public static String line() {
            return "exlm-mon " + Version.get();
        }
    }
}
