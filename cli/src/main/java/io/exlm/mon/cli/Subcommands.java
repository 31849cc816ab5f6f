package io.exlm.mon.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;

/** The top-level commands, and which one a command line names. */
public final class Subcommands {
    /** The subcommands, in the order help lists them (tests hold other places to the same list). */
    public static final List<Class<?>> ALL = List.of(HealthCommand.class, MetricsCommand.class, TopCommand.class,
            DoctorCommand.class, AlertsCommand.class, ExplainCommand.class, QueryCommand.class, UpCommand.class, DownCommand.class,
            StatusCommand.class, RenderCommand.class, DemoCommand.class, CompletionCommand.class);

    private Subcommands() {
    }

    /**
     * The subcommand {@code args} run, when it is sure: the first word that is not an option, or the first one after
     * words that may be options' values, provided it names a subcommand. Null when that is not sure (a misspelt
     * command, no command): then every subcommand is built, for help and suggestions.
     */
    public static String named(String[] args) {
        Set<String> names = new HashSet<>();
        for (Class<?> c : ALL) {
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
}
