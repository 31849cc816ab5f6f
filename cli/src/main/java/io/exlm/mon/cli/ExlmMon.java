package io.exlm.mon.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** The root command. {@link #commandLine} is the one factory that {@code main} and the tests use. */
@Command(name = "exlm-mon",
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {"Brings up, queries, watches and diagnoses the monitoring of the exlm platform."},
        abbreviateSynopsis = true,
        exitCodeListHeading = "%nExit codes (each command's --help says what they mean for it):%n",
        exitCodeList = {
            "0:all good",
            "1:something checked is unhealthy or failed",
            "2:usage error",
            "3:could not reach or could not understand an endpoint",
            "4:internal error: a bug or a full heap (-v: the bug's stack trace)",
            "129-143:ended by a signal: 128 + its number"},
        // the man page's ENVIRONMENT, FILES and EXAMPLES; --help leaves them to the commands' pages (HelpLayout)
        footerHeading = "%n",
        footer = {
            "Environment (a flag wins over its variable, which wins over the config file):",
            "  EXLM_BACKEND_URL  EXLM_PROMETHEUS_URL  EXLM_GRAFANA_URL",
            "  EXLM_ALERTMANAGER_URL  EXLM_PUSHGATEWAY_URL",
            "  EXLM_TIMEOUT  EXLM_CONNECT_TIMEOUT  EXLM_MAX_BODY  EXLM_MAX_REDIRECTS",
            "  EXLM_MAX_SERIES  EXLM_MAX_LABEL_BYTES  EXLM_TENANT (sent as X-Scope-OrgID)",
            "  EXLM_CA_FILE  EXLM_INSECURE",
            "  EXLM_BEARER_TOKEN or EXLM_BEARER_TOKEN_FILE",
            "  EXLM_BASIC_AUTH_USER with EXLM_BASIC_AUTH_PASSWORD or",
            "    EXLM_BASIC_AUTH_PASSWORD_FILE",
            "  EXLM_GRAFANA_USER  EXLM_GRAFANA_PASSWORD (Grafana's admin account)",
            "  EXLM_MON_CONFIG (the config file)  NO_COLOR (no colour)",
            "",
            "Files:",
            "  ~/.config/exlm-mon/config.properties  settings, key = value (see the README)",
            "  ~/.local/state/exlm-mon/  the local stack's config, data, logs and pid files",
            "",
            "Examples:",
            "  exlm-mon top --demo",
            "  exlm-mon health --wait 60s -o junit > health.xml",
            "  exlm-mon metrics check metrics.txt --catalog"})
public final class ExlmMon implements Runnable {
    final GlobalOptions globals = new GlobalOptions();

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
        // the global options, then --help and --version: declared in this order, they are completed and suggested
        // in it; the subcommands inherit all of them as they are added
        cl.getCommandSpec().addMixin("globals", root.globals.mixin()).mixinStandardHelpOptions(true);
        String command = args == null ? null : Subcommands.named(args);
        for (Class<?> c : Subcommands.ALL) {
            String name = c.getAnnotation(Command.class).name();
            if (command == null || command.equals(name)) {
                cl.addSubcommand(name, c);
            }
        }
        if (command == null) {
            // the root's page points to it: exlm-mon help COMMAND (a run of it names no other command)
            cl.addSubcommand("help", HelpCommand.class);
        }
        HelpLayout.install(cl);
        root.context = new Context(root.globals, out, err, env, terminal, in);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.Help.Ansi ansi = env.containsKey("NO_COLOR") || !terminal ? CommandLine.Help.Ansi.OFF
                : CommandLine.Help.Ansi.AUTO;
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
        cl.setParameterExceptionHandler(Failures::usageError);
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
            return Failures.failure(ex, ctx.err(), ctx.verbose(), commandLine.getCommandSpec().qualifiedName());
        });
        return cl;
    }

}
