package io.exlm.mon.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How {@code --help} is laid out, for every command: text is wrapped at spaces only (picocli's wrapping breaks
 * {@code http://host} after the colon and {@code ~/.config} after the dot), the global options are described once,
 * on the root's page (a subcommand's page lists its own options and points there in one line), and each page has one
 * list of exit codes: the command's own meanings, completed by the ones every command shares, which the root states.
 *
 * <p>The text of descriptions and footers is written as it should read at 80 columns and reflowed to the width
 * there is: a line at the left margin continues the paragraph of the line before it, unless it ends in ':' (a
 * heading) or follows a blank line; an indented line (an example, a row of a table) stays a line of its own and,
 * when it is too long, wraps with a deeper indent.
 */
public final class HelpLayout {
    /** The section of a subcommand's page that stands for the global options. */
    static final String SECTION_KEY_GLOBAL_OPTIONS = "exlmGlobalOptions";

    /** What the global options are about, in a few words. */
    public static final String GLOBAL_OPTIONS_SUMMARY = "URLs, timeouts, TLS, auth, -o, -v, --config";

    /** That section's one line: the options every command takes are described on the root's page. */
    public static final String GLOBAL_OPTIONS_LINE = "Global options (" + GLOBAL_OPTIONS_SUMMARY
            + "): exlm-mon --help";

    /** The root's command list's heading: where each command's page is. */
    static final String ROOT_COMMANDS_HEADING = "Commands (exlm-mon help COMMAND: its page; exlm-mon -V, --version:"
            + " the version):";

    /**
     * The root's global options' heading: where they go, and the variable and config key each one of a setting also
     * reads, said once for all (the rule {@link GlobalOptions#briefs} relies on), and which of the three wins.
     */
    static final String ROOT_OPTIONS_HEADING = rootOptionsHeading();

    /** The heading's rule names the first and last flag of a setting: they are listed in one run, in their order. */
    private static String rootOptionsHeading() {
        List<String> flags = new ArrayList<>(GlobalOptions.settingFlags().keySet());
        return "Global options, before or after the command [default]; " + flags.get(0) + " to " + flags.get(
                flags.size() - 1) + " also from EXLM_NAME (--max-body: EXLM_MAX_BODY), then the config:";
    }

    /** The root's exit codes that every command shares, whatever it does: its own list adds them. */
    static final List<String> SHARED_EXIT_CODES = List.of("2", "4", "129-143");

    private HelpLayout() {
    }

    /** Lays out the help of {@code root} and of every subcommand it has now (call it after adding them). */
    static void install(CommandLine root) {
        Map<String, String> rootCodes = root.getCommandSpec().usageMessage().exitCodeList();
        List<CommandLine> all = new ArrayList<>(List.of(root));
        for (int i = 0; i < all.size(); i++) {
            all.addAll(all.get(i).getSubcommands().values());
        }
        for (CommandLine cl : all) {
            boolean isRoot = cl == root;
            UsageMessageSpec usage = cl.getCommandSpec().usageMessage();
            // a map of its own: picocli hands a command's map down to the subcommands added after it, and the
            // root's headings below are not theirs
            Map<String, IHelpSectionRenderer> sections = new java.util.LinkedHashMap<>(cl.getHelpSectionMap());
            if (!isRoot) {
                sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, h -> h.optionListHeading());
                sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, h -> h.commandListHeading());
                sections.put(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING, h -> h.footerHeading());
            }
            sections.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, h -> text(h, h.commandSpec().usageMessage()
                    .description()));
            sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, h -> text(h, h.commandSpec().usageMessage().footer()));
            sections.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, HelpLayout::parameters);
            sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
            sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST, HelpLayout::commands);
            sections.put(UsageMessageSpec.SECTION_KEY_EXIT_CODE_LIST, HelpLayout::exitCodes);
            List<String> keys = new ArrayList<>(cl.getHelpSectionKeys());
            keys.remove(SECTION_KEY_GLOBAL_OPTIONS);
            usage.parameterListHeading("%nArguments:%n");
            if (!isRoot) {
                // picocli hands a command's footer down to subcommands that have none: the root's is not theirs
                if (java.util.Arrays.equals(usage.footer(), root.getCommandSpec().usageMessage().footer())) {
                    usage.footer(new String[0]);
                    usage.footerHeading("");
                }
                sections.put(SECTION_KEY_GLOBAL_OPTIONS, h -> "\n" + String.join("\n", wrap(GLOBAL_OPTIONS_LINE, 0,
                        0, width(h))) + "\n");
                keys.add(keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST) + 1, SECTION_KEY_GLOBAL_OPTIONS);
                usage.optionListHeading("%nOptions:%n");
                usage.exitCodeListHeading("%nExit codes:%n");
                usage.exitCodeList(exitCodes(usage.exitCodeList().equals(rootCodes) ? Map.of() : usage.exitCodeList(),
                        rootCodes));
            }
            if (!isRoot) {
                usage.commandListHeading("%nCommands:%n");
            }
            if (isRoot) {
                // the commands first, then the options they all take
                // one screen: the footer (the variables, files and examples) is the man page's; on --help each is
                // on the page of the command it is about (up's variables and state directory, --config's file, every
                // command's examples)
                sections.put(UsageMessageSpec.SECTION_KEY_FOOTER_HEADING, hh -> "");
                sections.put(UsageMessageSpec.SECTION_KEY_FOOTER, hh -> "");
                // the headings say more than a line's worth at 80 columns: wrapped as the text is
                sections.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, hh -> "\n" + layout(List.of(
                        ROOT_OPTIONS_HEADING), width(hh)));
                sections.put(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, hh -> "\n" + layout(List.of(
                        ROOT_COMMANDS_HEADING), width(hh)));
                keys = new ArrayList<>(keys);
                keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
                keys.remove(UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
                int at = keys.indexOf(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING);
                keys.add(at, UsageMessageSpec.SECTION_KEY_COMMAND_LIST);
                keys.add(at, UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING);
            }
            cl.setHelpSectionMap(sections);
            cl.setHelpSectionKeys(keys);
        }
    }

    /** A subcommand's exit codes: its own, then the shared ones of the root it does not state itself. */
    static Map<String, String> exitCodes(Map<String, String> own, Map<String, String> root) {
        Map<String, String> codes = new LinkedHashMap<>();
        own.forEach((k, v) -> codes.put(k.strip(), v));
        for (String shared : SHARED_EXIT_CODES) {
            root.forEach((k, v) -> {
                if (k.strip().equals(shared)) {
                    codes.putIfAbsent(shared, v);
                }
            });
        }
        List<Map.Entry<String, String>> sorted = new ArrayList<>(codes.entrySet());
        sorted.sort(java.util.Comparator.comparingInt(e -> Integer.parseInt(e.getKey().split("-")[0])));
        Map<String, String> out = new LinkedHashMap<>();
        sorted.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /**
     * Whether an option is one of the global ones on a subcommand's page: the root has it (inherited, or picocli's
     * --version, which it adds to every command); --help stays on every page.
     */
    public static boolean global(CommandSpec root, OptionSpec o) {
        return !o.usageHelp() && (o.inherited() || root.findOption(o.longestName()) != null);
    }

    private static int width(Help h) {
        return h.commandSpec().usageMessage().width();
    }

    private static String options(Help h) {
        CommandSpec spec = h.commandSpec();
        if (spec.parent() == null) {
            return rootOptions(h);
        }
        List<ArgSpec> shown = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (!o.hidden() && (spec.parent() == null || !global(spec.root(), o))) {
                shown.add(o);
            }
        }
        return table(h, shown);
    }

    /** The widest option column of the root's page; a longer option has its words on the line below. */
    static final int ROOT_OPTION_COLUMN = 35;

    /**
     * The root's global options, one line each where the width allows: the names at two spaces (long ones too: the
     * column is narrow), their words beside them ({@link GlobalOptions#briefs}: what it is and its default; their
     * variables are said once, in the heading). --help and --version are said in the commands' heading; every other
     * option is here.
     */
    private static String rootOptions(Help h) {
        Map<String, String> briefs = GlobalOptions.briefs();
        Help.ColorScheme scheme = h.colorScheme();
        List<String[]> rows = new ArrayList<>();
        for (OptionSpec o : h.commandSpec().options()) {
            if (o.hidden() || o.usageHelp() || o.versionHelp()) {
                // --help is the pointer's, --version the commands' heading's
                continue;
            }
            String[] names = o.names().clone();
            java.util.Arrays.sort(names, java.util.Comparator.comparingInt(String::length));
            String label = h.parameterLabelRenderer().renderParameterLabel(o, scheme.ansi(), scheme
                    .optionParamStyles()).plainString();
            String plain = "  " + String.join(", ", names) + label;
            StringBuilder styled = new StringBuilder("  ");
            for (int i = 0; i < names.length; i++) {
                styled.append(i > 0 ? ", " : "").append(scheme.optionText(names[i]));
            }
            styled.append(h.parameterLabelRenderer().renderParameterLabel(o, scheme.ansi(), scheme
                    .optionParamStyles()));
            String brief = briefs.get(o.longestName());
            rows.add(new String[] {plain, styled.toString(), brief != null ? brief : String.join(" ",
                    o.renderedDescription())});
        }
        int longest = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        // narrower than 80, the words keep room for their longest (a path, a URL): the names give way
        int word = rows.stream().flatMap(r -> java.util.Arrays.stream(r[2].split(" "))).mapToInt(String::length)
                .max().orElse(0);
        int column = Math.max(4, Math.min(Math.min(longest, ROOT_OPTION_COLUMN - 2) + 2, width(h) - word));
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            row(out, r[0], r[1], List.of(r[2]), column, width(h));
        }
        return out.toString();
    }

    private static String parameters(Help h) {
        List<ArgSpec> shown = new ArrayList<>();
        for (PositionalParamSpec p : h.commandSpec().positionalParameters()) {
            if (!p.hidden()) {
                shown.add(p);
            }
        }
        return table(h, shown);
    }

    /** Options or parameters: the names (coloured) on the left, the description wrapped beside them. */
    private static String table(Help h, List<ArgSpec> args) {
        if (args.isEmpty()) {
            return "";
        }
        Help.ColorScheme scheme = h.colorScheme();
        List<String> plain = new ArrayList<>();
        List<String> styled = new ArrayList<>();
        for (ArgSpec a : args) {
            Help.Ansi.Text label = h.parameterLabelRenderer().renderParameterLabel(a, scheme.ansi(),
                    a.isOption() ? scheme.optionParamStyles() : scheme.parameterStyles());
            String p;
            String s;
            if (a instanceof OptionSpec o) {
                String[] names = o.names().clone();
                java.util.Arrays.sort(names, java.util.Comparator.comparingInt(String::length));
                boolean hasShort = names[0].length() == 2;
                List<String> rest = new ArrayList<>(List.of(names).subList(hasShort ? 1 : 0, names.length));
                StringBuilder ps = new StringBuilder(hasShort ? "  " + names[0] + (rest.isEmpty() ? "" : ", ")
                        : "      ");
                StringBuilder ss = new StringBuilder(hasShort ? "  " + scheme.optionText(names[0])
                        + (rest.isEmpty() ? "" : ", ") : "      ");
                for (int i = 0; i < rest.size(); i++) {
                    ps.append(i > 0 ? ", " : "").append(rest.get(i));
                    ss.append(i > 0 ? ", " : "").append(scheme.optionText(rest.get(i)));
                }
                p = ps + label.plainString();
                s = ss + label.toString();
            } else {
                p = "      " + label.plainString();
                s = "      " + label;
            }
            plain.add(p);
            styled.add(s);
        }
        int width = width(h);
        int longest = plain.stream().mapToInt(String::length).max().orElse(0);
        int column = Math.min(longest, width / 3) + 2;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            List<String> text = new ArrayList<>();
            for (String d : args.get(i).renderedDescription()) {
                text.addAll(lines(d));
            }
            row(out, plain.get(i), styled.get(i), text, column, width);
        }
        return out.toString();
    }

    /** One row of a two-column table: the left text, and each line of the right text wrapped at the column. */
    private static void row(StringBuilder out, String plainLeft, String styledLeft, List<String> right, int column,
            int width) {
        boolean beside = plainLeft.length() + 2 <= column;
        if (!beside) {
            out.append(styledLeft).append('\n');
        }
        boolean first = true;
        for (String r : right) {
            for (String line : wrap(r, column, column, width)) {
                if (first && beside) {
                    out.append(styledLeft).append(line.length() > plainLeft.length()
                            ? line.substring(plainLeft.length()) : "");
                } else {
                    out.append(line);
                }
                out.append('\n');
                first = false;
            }
        }
        if (first && beside) {
            out.append(styledLeft).append('\n');
        }
    }

    private static String commands(Help h) {
        Map<String, Help> subs = h.subcommands();
        if (subs.isEmpty()) {
            return "";
        }
        int longest = subs.keySet().stream().mapToInt(String::length).max().orElse(0);
        int column = Math.min(longest + 4, width(h) / 3);
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Help> e : subs.entrySet()) {
            String[] d = e.getValue().commandSpec().usageMessage().description();
            List<String> summary = d.length == 0 ? List.of() : List.of(lines(d[0]).get(0));
            row(out, "  " + e.getKey(), "  " + h.colorScheme().commandText(e.getKey()), summary, column, width(h));
        }
        return out.toString();
    }

    private static String exitCodes(Help h) {
        Map<String, String> codes = h.commandSpec().usageMessage().exitCodeList();
        if (codes.isEmpty()) {
            return "";
        }
        int longest = codes.keySet().stream().mapToInt(k -> k.strip().length()).max().orElse(0);
        StringBuilder out = new StringBuilder();
        codes.forEach((k, v) -> row(out, "  " + k.strip(), "  " + k.strip(), lines(v), longest + 5, width(h)));
        return out.toString();
    }

    /**
     * A description or footer: its elements' lines (picocli's format, {@code %n} for a line break), paragraphs
     * reflowed to the width, indented lines kept, each wrapped at spaces.
     */
    static String text(Help h, String[] elements) {
        List<String> lines = new ArrayList<>();
        for (String e : elements) {
            lines.addAll(lines(e));
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines.remove(lines.size() - 1);
        }
        return layout(lines, width(h));
    }

    /** {@link #text} at a width, for lines already formatted. */
    static String layout(List<String> lines, int width) {
        StringBuilder out = new StringBuilder();
        StringBuilder paragraph = new StringBuilder();
        for (String line : lines) {
            boolean indented = line.startsWith(" ");
            boolean blank = line.isBlank();
            if ((blank || indented) && paragraph.length() > 0) {
                flush(out, paragraph, width);
            }
            if (blank) {
                out.append('\n');
            } else if (indented) {
                int indent = line.length() - line.stripLeading().length();
                for (String w : wrap(line.stripLeading(), indent, indent + 4, width)) {
                    out.append(w).append('\n');
                }
            } else {
                if (paragraph.length() > 0) {
                    paragraph.append(' ');
                }
                paragraph.append(line.strip());
                if (line.strip().endsWith(":")) {
                    flush(out, paragraph, width);
                }
            }
        }
        if (paragraph.length() > 0) {
            flush(out, paragraph, width);
        }
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder paragraph, int width) {
        for (String w : wrap(paragraph.toString(), 0, 0, width)) {
            out.append(w).append('\n');
        }
        paragraph.setLength(0);
    }

    /** A help text's lines: picocli's String.format (so that %n breaks a line and %% is a percent sign). */
    static List<String> lines(String s) {
        String formatted;
        try {
            formatted = String.format(s);
        } catch (java.util.IllegalFormatException e) {
            formatted = s;
        }
        return List.of(formatted.split("\\r?\\n", -1));
    }

    /**
     * Text wrapped at spaces to {@code width}: the first line indented by {@code first} spaces, the others by
     * {@code rest}. A word never breaks; one longer than a line stands alone on it.
     */
    static List<String> wrap(String text, int first, int rest, int width) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(" ".repeat(first));
        boolean empty = true;
        // each word with the spaces before it, which stay as they are within a line (an example's aligned comment)
        java.util.regex.Matcher m = WORD.matcher(text.strip());
        while (m.find()) {
            String gap = m.group(1);
            String word = m.group(2);
            if (!empty && line.length() + gap.length() + word.length() > width) {
                out.add(line.toString());
                line = new StringBuilder(" ".repeat(rest));
                empty = true;
            }
            if (!empty) {
                line.append(gap);
            }
            line.append(word);
            empty = false;
        }
        if (!empty) {
            out.add(line.toString());
        } else if (out.isEmpty()) {
            out.add("");
        }
        return out;
    }

    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("( *)(\\S+)");
}
