package io.exlm.mon.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code exlm-mon help [COMMAND...]}: a command's help page, as {@code COMMAND --help} prints it; the root's without
 * one. The root's page points here. Hidden from the command list (it is the pointer, not a command to learn), and it
 * takes no options of its own.
 */
@Command(name = "help", hidden = true, helpCommand = true,
        description = "The help page of a command: exlm-mon help COMMAND [SUBCOMMAND].",
        exitCodeList = {"0:the page was printed", "2:no such command"})
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command (and subcommand) to describe")
    List<String> names = List.of();

    private CommandLine self;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, PrintWriter out,
            PrintWriter err) {
        self = helpCommandLine;
    }

    @Override
    public void run() {
        CommandLine page = self.getParent();
        for (String name : names) {
            CommandLine sub = page.getSubcommands().get(name);
            if (sub == null || sub == self) {
                throw new CommandLine.ParameterException(self, "no command '" + io.exlm.mon.Text.printable(
                        name) + "' under '" + page.getCommandName() + "'; the commands are " + String.join(", ",
                        page.getSubcommands().keySet().stream().filter(k -> !k.equals("help")).toList()));
            }
            page = sub;
        }
        page.usage(page.getOut());
        page.getOut().flush();
    }
}
