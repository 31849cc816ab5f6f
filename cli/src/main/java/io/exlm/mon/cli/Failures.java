package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** The central mapping of failures to exit codes and their one line on stderr, for every command. */
final class Failures {
    private Failures() {
    }

    /**
     * Maps an exception to its exit code and one line on stderr; only a bug prints a stack trace, with -v. For the
     * command {@code command} ({@code exlm-mon health}; null when not known), a usage error found while the command
     * runs (a setting's value) reads as picocli's do, naming the command and where to read more.
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
    static int usageError(ParameterException ex, String[] args) {
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
            if (suggestions.isEmpty()) {
                suggestions = nearest(u);
            }
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
     * The names nearest to the first unmatched word when picocli's own suggestions (by shared letter pairs) have none:
     * the options within two edits (a swap of neighbours counting one), so that {@code --wiat} finds {@code --wait}.
     * (For a subcommand picocli always has some.)
     */
    static List<String> nearest(CommandLine.UnmatchedArgumentException u) {
        List<String> unmatched = u.getUnmatched();
        if (unmatched.isEmpty()) {
            return List.of();
        }
        String word = unmatched.get(0);
        if (!word.startsWith("-")) {
            return List.of();
        }
        if (word.contains("=")) {
            word = word.substring(0, word.indexOf('='));
        }
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        java.util.Collection<String> names = spec.optionsMap().keySet();
        int best = Math.min(2, Math.max(1, word.replaceFirst("^-+", "").length() / 3));
        List<String> out = new java.util.ArrayList<>();
        for (String n : new java.util.TreeSet<>(names)) {
            int d = editDistance(word, n);
            if (d < best) {
                best = d;
                out.clear();
            }
            if (d == best && d > 0) {
                out.add(n);
            }
        }
        return out.size() > 3 ? List.of() : out;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
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
}
