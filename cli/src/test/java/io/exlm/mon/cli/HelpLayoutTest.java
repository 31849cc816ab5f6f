package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every --help page, rendered as picocli renders it for the terminal, at 80 columns and at a narrow 60: no line over
 * the width, no word or URL broken across lines, the global options described once (on the root's page; a
 * subcommand's page points there in one line), one list of exit codes per page.
 */
class HelpLayoutTest {
    private static final int[] WIDTHS = {80, 60};
    private static final Pattern EXIT_ROW = Pattern.compile("^  (\\d+(?:-\\d+)?) {2,}\\S");

    @Test
    void everyPageFitsItsWidthAndBreaksLinesOnlyBetweenWords() {
        for (CommandLine cl : all()) {
            String name = cl.getCommandSpec().qualifiedName();
            // the same page without a width limit: its words are the words of every narrower rendering, in order
            List<String> words = words(render(cl, 1000));
            for (int width : WIDTHS) {
                String page = render(cl, width);
                String where = name + " --help at " + width + " columns";
                List<String> lines = page.lines().toList();
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.length() > width) {
                        problems.add("over " + width + " columns: " + l);
                    }
                    if ((l.endsWith("http:") || l.endsWith("https:")) || i > 0 && l.strip().startsWith("//")) {
                        problems.add("a URL split after its scheme: " + l);
                    }
                }
                assertThat(problems).as(where).isEmpty();
                assertThat(words(page)).as(where + ": a word broken across lines (or words lost)")
                        .containsExactlyElementsOf(words);
            }
        }
    }

    @Test
    void theGlobalOptionsAreDescribedOnceOnTheRootsPage() {
        List<CommandLine> all = all();
        CommandLine root = all.get(0);
        List<String> globals = new ArrayList<>();
        for (OptionSpec o : root.getCommandSpec().options()) {
            if (!o.usageHelp()) {
                globals.addAll(Arrays.asList(o.names()));
            }
        }
        assertThat(globals).contains("--backend-url", "--timeout", "-o", "--output", "--version", "--config");
        String rootPage = render(root, 80);
        for (String g : globals) {
            if (g.equals("-V") || g.equals("--version")) {
                // said in the commands' heading, beside the pointer to the commands' pages
                assertThat(rootPage.split(Pattern.quote("exlm-mon -V, --version"), -1)).as(g).hasSize(2);
                continue;
            }
            assertThat(rows(rootPage, g)).as("the root's page describes " + g + " once").isEqualTo(1);
        }
        assertThat(rootPage).doesNotContain(HelpLayout.GLOBAL_OPTIONS_LINE);
        for (CommandLine cl : all.subList(1, all.size())) {
            String name = cl.getCommandSpec().qualifiedName();
            String page = render(cl, 80);
            for (String g : globals) {
                assertThat(rows(page, g)).as(name + " --help lists the global option " + g).isZero();
            }
            assertThat(rows(page, "--help")).as(name + " --help lists --help").isEqualTo(1);
            assertThat(page.split(Pattern.quote("Global options ("), -1)).as(name + ": the line that points to the"
                    + " global options, once").hasSize(2);
            assertThat(page.lines()).as(name + ": the pointer is one line").contains(HelpLayout.GLOBAL_OPTIONS_LINE);
            // what a subcommand lists is still what it takes: the global options work on it
            assertThat(cl.getCommandSpec().findOption("--backend-url")).as(name).isNotNull();
        }
    }

    /** The most lines of the root's page at 80 columns: one screen. */
    static final int ROOT_LINES = 50;

    @Test
    void theRootsPageIsOneScreenWithACommandALine() {
        CommandLine root = all().get(0);
        String page = render(root, 80);
        assertThat(page.lines()).as(page).hasSizeLessThanOrEqualTo(ROOT_LINES);
        // the commands one line each, and where each one's page is
        List<String> lines = page.lines().toList();
        int heading = lines.indexOf(lines.stream().filter(l -> l.startsWith("Commands (")).findFirst()
                .orElseThrow());
        assertThat(lines.get(heading)).contains("exlm-mon help COMMAND");
        List<String> commands = new ArrayList<>();
        for (int i = heading + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            commands.add(lines.get(i).strip().split(" +")[0]);
        }
        List<String> names = root.getSubcommands().entrySet().stream().filter(e -> !e.getValue()
                .getCommandSpec().usageMessage().hidden()).map(java.util.Map.Entry::getKey).toList();
        assertThat(commands).as("a line per command").containsExactlyElementsOf(names);
        // the global options one line each (a name too long for the column has its words under it)
        int options = lines.indexOf(lines.stream().filter(l -> l.startsWith("Global options")).findFirst()
                .orElseThrow());
        while (!lines.get(options).endsWith(":")) {
            options++;
        }
        for (int i = options + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
            String l = lines.get(i);
            assertThat(l.startsWith("  -") || l.startsWith(" ".repeat(HelpLayout.ROOT_OPTION_COLUMN))).as(l)
                    .isTrue();
        }
        // every variable a global option reads is the rule's, EXLM_ and its name (GlobalOptions.briefs)
        GlobalOptions.settingFlags().forEach((flag, setting) -> assertThat(setting.env()).as(flag).isEqualTo(
                "EXLM_" + flag.substring(2).toUpperCase(java.util.Locale.ROOT).replace('-', '_')));
    }

    @Test
    void theRootsHeadingsAreOnlyOnTheRootsPage() {
        for (String[] page : new String[][] {{"top"}, {"health"}, {"alerts"}, {"alerts", "silence"}, {"up"},
            {"metrics", "check"}}) {
            String[] args = java.util.Arrays.copyOf(page, page.length + 1);
            args[page.length] = "--help";
            String out = io.exlm.mon.testing.Cli.exec(args).out();
            assertThat(out).as(String.join(" ", args)).doesNotContain("Global options, before or after")
                    .doesNotContain("exlm-mon help COMMAND: its page").contains("Options:");
        }
        assertThat(io.exlm.mon.testing.Cli.exec("--help").out()).contains("exlm-mon help COMMAND: its page");
    }

    @Test
    void helpCommandPrintsTheCommandsPage() {
        io.exlm.mon.testing.Cli.Result viaHelp = io.exlm.mon.testing.Cli.exec("help", "metrics", "check");
        io.exlm.mon.testing.Cli.Result viaFlag = io.exlm.mon.testing.Cli.exec("metrics", "check", "--help");
        assertThat(viaHelp.exitCode()).as(viaHelp.toString()).isZero();
        assertThat(viaHelp.out()).isEqualTo(viaFlag.out()).startsWith("Usage: exlm-mon metrics check");
        assertThat(io.exlm.mon.testing.Cli.exec("help").out()).isEqualTo(io.exlm.mon.testing.Cli.exec("--help")
                .out());
        io.exlm.mon.testing.Cli.Result none = io.exlm.mon.testing.Cli.exec("help", "nosuch");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.errLines()).first().asString().contains("no command 'nosuch'").contains("health, metrics");
    }

    @Test
    void everyPageListsItsExitCodesOnce() {
        List<CommandLine> all = all();
        for (CommandLine cl : all) {
            String name = cl.getCommandSpec().qualifiedName();
            String page = render(cl, 80);
            List<String> lines = page.lines().toList();
            assertThat(lines.stream().filter(l -> l.startsWith("Exit codes")).count()).as(name + ": one list of"
                    + " exit codes").isEqualTo(1);
            assertThat(page).as(name + ": exit codes outside their list").doesNotContainPattern("(?im)^\\s*exit:");
            int start = 0;
            while (!lines.get(start).startsWith("Exit codes")) {
                start++;
            }
            List<String> codes = new ArrayList<>();
            for (int i = start + 1; i < lines.size() && !lines.get(i).isEmpty(); i++) {
                Matcher m = EXIT_ROW.matcher(lines.get(i));
                if (m.find()) {
                    codes.add(m.group(1));
                }
            }
            assertThat(codes).as(name + "'s exit codes, each once, in order").doesNotHaveDuplicates()
                    .isSortedAccordingTo((a, b) -> Integer.parseInt(a.split("-")[0]) - Integer.parseInt(b.split(
                            "-")[0]));
            // the codes every command shares, with the root's words unless the command has its own
            assertThat(codes).as(name).contains("2", "4", "129-143");
            if (cl.getCommandSpec().parent() != null) {
                assertThat(cl.getCommandSpec().usageMessage().exitCodeList()).as(name + " states its own exit codes")
                        .isNotEqualTo(all.get(0).getCommandSpec().usageMessage().exitCodeList());
            }
        }
    }

    @Test
    void wrappingKeepsWordsWholeAndTheSpacesBetweenThem() {
        assertThat(HelpLayout.wrap("default http://localhost:8000 and ~/.config/exlm-mon/config.properties", 4, 6,
                30)).containsExactly("    default", "      http://localhost:8000", "      and",
                "      ~/.config/exlm-mon/config.properties");
        assertThat(HelpLayout.wrap("exlm-mon top --demo    # watch it", 2, 6, 80))
                .containsExactly("  exlm-mon top --demo    # watch it");
        assertThat(HelpLayout.layout(List.of("A paragraph written", "over two lines:", "  an example  # kept",
                "", "Next."), 80)).isEqualTo("A paragraph written over two lines:\n  an example  # kept\n\nNext.\n");
    }

    /** The rows of a page that describe an option: the name at an option row's start, or after the short name. */
    private static long rows(String page, String option) {
        Pattern row = Pattern.compile("^ {2}(?:-\\S, )?" + Pattern.quote(option) + "(?:[=,\\[ ]|$)|^ {6}"
                + Pattern.quote(option) + "(?:[=,\\[ ]|$)|^ {2}-\\S, " + Pattern.quote(option) + "(?:[=,\\[ ]|$)");
        return page.lines().filter(l -> row.matcher(l).find()).count();
    }

    private static List<String> words(String page) {
        return Arrays.stream(page.split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static String render(CommandLine cl, int width) {
        cl.getCommandSpec().usageMessage().autoWidth(false).width(width);
        StringWriter out = new StringWriter();
        cl.usage(new PrintWriter(out), CommandLine.Help.Ansi.OFF);
        return out.toString();
    }

    /** The command line as main builds it for help (every command), root first. */
    private static List<CommandLine> all() {
        CommandLine root = ExlmMon.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of());
        List<CommandLine> all = new ArrayList<>(List.of(root));
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values());
        }
        return all;
    }
}
