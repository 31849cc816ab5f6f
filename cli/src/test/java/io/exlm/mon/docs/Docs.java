package io.exlm.mon.docs;

import io.exlm.mon.cli.CompletionCommand;
import io.exlm.mon.cli.ExlmMon;
import io.exlm.mon.testing.Launcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The generated documentation, made from the command model: the shell completion scripts (picocli's AutoComplete)
 * and the man pages' AsciiDoc (picocli-codegen's ManPageGenerator), which asciidoctor's manpage backend turns into
 * man/*.1. Committed, and checked up to date by tests; {@link Regenerate} writes them.
 */
public final class Docs {
    private static final Pattern OUTPUT_TIMESTAMP = Pattern.compile(
            "<project\\.build\\.outputTimestamp>(\\d{4}-\\d{2}-\\d{2})[^<]*</project\\.build\\.outputTimestamp>");

    private Docs() {
    }

    /**
     * The date the man pages carry: the project's release date, the root pom's project.build.outputTimestamp (the
     * property Maven's reproducible builds read), never the day they are generated.
     */
    static String releaseDate() {
        try {
            Matcher m = OUTPUT_TIMESTAMP.matcher(Files.readString(Launcher.root().resolve("pom.xml")));
            if (!m.find()) {
                throw new IllegalStateException("pom.xml has no project.build.outputTimestamp: the man pages' date");
            }
            return m.group(1);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Path completionsDir() {
        return Launcher.root().resolve("completions");
    }

    public static Path manDir() {
        return Launcher.root().resolve("man");
    }

    public static Path adocDir() {
        return manDir().resolve("adoc");
    }

    /** File name to content, for completions/. */
    public static Map<String, String> completions() {
        Map<String, String> m = new TreeMap<>();
        m.put("exlm-mon.bash", CompletionCommand.script("bash"));
        m.put("exlm-mon.zsh", CompletionCommand.script("zsh"));
        return m;
    }

    /** File name to content, for man/adoc/: one page for exlm-mon and one per (sub)subcommand. */
    public static Map<String, String> manPages() throws IOException {
        CommandLine root = ExlmMon.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of());
        Path tmp = Files.createTempDirectory("exlm-mon-man");
        try {
            ManPageGenerator.generateManPage(tmp.toFile(), null, new boolean[0], true, root.getCommandSpec());
            Map<String, String> pages = new TreeMap<>();
            for (CommandLine cl : all(root)) {
                CommandSpec spec = cl.getCommandSpec();
                String name = spec.qualifiedName("-");
                String adoc = Files.readString(tmp.resolve(name + ".adoc"), StandardCharsets.UTF_8);
                pages.put(name + ".adoc", finish(adoc, spec, root));
            }
            return pages;
        } finally {
            try (Stream<Path> files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static List<CommandLine> all(CommandLine root) {
        List<CommandLine> out = new ArrayList<>();
        out.add(root);
        for (int i = 0; i < out.size(); i++) {
            // a hidden command (help, the pointer of the root's page) has no page of its own, as it has no completion
            out.get(i).getSubcommands().values().stream().filter(c -> !c.getCommandSpec().usageMessage().hidden())
                    .forEach(out::add);
        }
        return out;
    }

    /**
     * A man page as the generator wrote it, finished: a fixed date, the footer as proper sections (ENVIRONMENT,
     * FILES, EXAMPLES, ...) instead of one "Footer", and SEE ALSO.
     */
    static String finish(String adoc, CommandSpec spec, CommandLine root) {
        // asciidoctor's manpage backend dates a page by docdate (the file's modification day unless set), so both are
        // set: a page generated on any day is the committed one
        String date = releaseDate();
        String s = adoc.replace(":revnumber:", ":revdate: " + date + "\n:docdate: " + date + "\n:revnumber:")
                .replace(":manmanual: Exlm-mon Manual", ":manmanual: exlm-mon Manual")
                // a heading taken from the help text keeps its spacing and colon: a man page heading has neither
                .replaceAll("(?m)^==\\s+(.*?)(?: \\([^)]*\\))?:\\s*$", "== $1");
        if (spec.parent() != null) {
            s = withoutGlobalOptions(s, spec);
        }
        String begin = "// tag::picocli-generated-man-section-footer[]\n";
        String end = "// end::picocli-generated-man-section-footer[]\n";
        int from = s.indexOf(begin);
        int to = s.indexOf(end);
        StringBuilder footer = new StringBuilder(begin);
        footer.append(sections(spec));
        footer.append("== See also\n\n");
        if (spec.parent() == null) {
            List<String> refs = new ArrayList<>();
            for (CommandLine sub : all(root).subList(1, all(root).size())) {
                refs.add("*" + sub.getCommandSpec().qualifiedName("-") + "*(1)");
            }
            footer.append(String.join(", ", refs)).append("\n\n");
        } else {
            footer.append("*exlm-mon*(1)").append(spec.parent().parent() != null
                    ? ", *" + spec.parent().qualifiedName("-") + "*(1)" : "").append("\n\n");
        }
        return s.substring(0, from) + footer + s.substring(to);
    }

    /**
     * A subcommand's page lists its own options, as its --help does: the global ones are described once, on
     * exlm-mon(1), and the page says so.
     */
    private static String withoutGlobalOptions(String adoc, CommandSpec spec) {
        String begin = "// tag::picocli-generated-man-section-options[]\n";
        String end = "// end::picocli-generated-man-section-options[]\n";
        int from = s(adoc, begin) + begin.length();
        int to = s(adoc, end);
        StringBuilder kept = new StringBuilder();
        // the generator writes one block per option: "*-o*, *--output*=_FORMAT_::", its description, a blank line
        for (String block : adoc.substring(from, to).split("\n\n")) {
            Matcher name = Pattern.compile("^\\*(-[^*]+)\\*").matcher(block);
            if (name.find() && block.contains("::")) {
                String longest = null;
                Matcher names = Pattern.compile("\\*(-[^*]+)\\*").matcher(block.substring(0, block.indexOf("::")));
                while (names.find()) {
                    longest = longest == null || names.group(1).length() > longest.length() ? names.group(1) : longest;
                }
                CommandLine.Model.OptionSpec o = spec.findOption(longest);
                if (o != null && io.exlm.mon.cli.HelpLayout.global(spec.root(), o)) {
                    continue;
                }
            }
            kept.append(block).append("\n\n");
        }
        kept.append("Global options (").append(io.exlm.mon.cli.HelpLayout.GLOBAL_OPTIONS_SUMMARY)
                .append("): see *exlm-mon*(1).\n\n");
        return adoc.substring(0, from) + kept + adoc.substring(to);
    }

    private static int s(String text, String part) {
        int i = text.indexOf(part);
        if (i < 0) {
            throw new IllegalStateException("the generated man page has no " + part.strip());
        }
        return i;
    }

    /** The footer's blocks as sections: a line ending in ':' at the left margin opens one. */
    private static String sections(CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        String heading = String.format(spec.usageMessage().footerHeading()).strip();
        if (!heading.isEmpty()) {
            lines.add(heading);
        }
        for (String f : spec.usageMessage().footer()) {
            lines.addAll(List.of(String.format(f).split("\n", -1)));
        }
        StringBuilder out = new StringBuilder();
        List<String> block = new ArrayList<>();
        String title = "Notes";
        for (String line : lines) {
            boolean opens = !line.startsWith(" ") && line.endsWith(":") && line.length() < 80;
            if (opens) {
                flush(out, title, block);
                title = line.substring(0, line.length() - 1);
                int paren = title.indexOf(" (");
                if (paren > 0) {
                    block.add(title.substring(paren + 2, title.length() - (title.endsWith(")") ? 1 : 0)) + ":");
                    title = title.substring(0, paren);
                }
            } else {
                block.add(line);
            }
        }
        flush(out, title, block);
        return out.toString();
    }

    private static void flush(StringBuilder out, String title, List<String> block) {
        while (!block.isEmpty() && block.get(block.size() - 1).isBlank()) {
            block.remove(block.size() - 1);
        }
        while (!block.isEmpty() && block.get(0).isBlank()) {
            block.remove(0);
        }
        if (block.isEmpty()) {
            return;
        }
        out.append("== ").append(title).append("\n\n....\n");
        for (String l : block) {
            out.append(l.stripTrailing()).append('\n');
        }
        out.append("....\n\n");
        block.clear();
    }
}
