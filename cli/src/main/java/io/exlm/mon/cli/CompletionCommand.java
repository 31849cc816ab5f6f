package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion",
        description = {"Print the shell completion script for bash or zsh.",
            "", "Generated from the same command model as --help, so it completes every command, option and fixed"
                + " value."},
        exitCodeList = {"0:the script was printed"},
        footerHeading = "%nExamples:%n",
        footer = {
            "  source <(exlm-mon completion bash)          # this bash session",
            "  exlm-mon completion bash \\",
            "      > ~/.local/share/bash-completion/completions/exlm-mon",
            "  source <(exlm-mon completion zsh)           # zsh, e.g. in ~/.zshrc"})
public final class CompletionCommand extends BaseCommand {
    /** The shells, for help and completion. */
    public static final class Shells implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("bash", "zsh").iterator();
        }
    }

    @Parameters(paramLabel = "SHELL", completionCandidates = Shells.class, description = "bash or zsh")
    String shell;

    @Override
    int run(Context ctx) {
        ctx.requireFormat(OutputFormat.text);
        ctx.out().print(script(shell));
        ctx.out().flush();
        return ExitCode.OK;
    }

    /**
     * The completion script of the whole command tree. picocli's script serves both shells: in zsh it turns on
     * zsh's bash completion support (bashcompinit) itself. The zsh flavour only says so in its header.
     */
    public static String script(String shell) {
        CommandLine full = ExlmMon.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of());
        String bash = AutoComplete.bash("exlm-mon", full);
        return switch (shell) {
            case "bash" -> bash;
            case "zsh" -> "#compdef exlm-mon\n"
                    + "# zsh completion for exlm-mon: picocli's script, which runs through zsh's bash completion\n"
                    + "# support (bashcompinit). Load it with: source <(exlm-mon completion zsh)\n"
                    + bash;
            default -> throw ExitException.usage("completion: '" + shell + "' is not a shell this supports; use bash"
                    + " or zsh");
        };
    }
}
