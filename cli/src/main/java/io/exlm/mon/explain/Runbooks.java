package io.exlm.mon.explain;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The runbooks: one Markdown file per alert in the repository, {@code docs/runbooks/NAME.md}, bundled in the jar
 * (so that {@code explain} prints them where no checkout is) and linked from each rule by its {@code runbook_url}
 * annotation, {@link #BASE_URL} + {@code NAME.md}. A URL rather than a path, since Alertmanager's receivers and
 * Grafana show it to people who have no checkout; {@code explain} resolves it by the file name against the bundled
 * copy, so a rule file whose base was changed to an internal wiki still gets its steps printed.
 */
public final class Runbooks {
    /** Where the rules' runbook_url annotations point: the runbooks directory of the project's repository. */
    public static final String BASE_URL = "https://github.com/exlm/exlm-mon/blob/main/docs/runbooks/";
    /** The runbooks' directory in the repository. */
    public static final String DIRECTORY = "docs/runbooks";
    /** The heading of the section that {@code explain} prints. */
    public static final String STEPS = "## Steps";
    /** Lines of steps printed at most under an alert's findings. */
    public static final int MAX_STEP_LINES = 6;
    private static final String RESOURCE = "/io/exlm/mon/explain/runbooks/";

    private Runbooks() {
    }

    /** A runbook: where it is in the repository, its URL, and its steps (at most {@link #MAX_STEP_LINES} lines). */
    public record Runbook(String path, String url, List<String> steps) {
    }

    /** The repository path of an alert's runbook. */
    public static String path(String alert) {
        return DIRECTORY + "/" + alert + ".md";
    }

    /** The URL a rule's runbook_url names. */
    public static String url(String alert) {
        return BASE_URL + alert + ".md";
    }

    /**
     * The runbook of an alert: the one its runbook_url names (by file name), else its own; null when the jar has
     * none (an alert of someone else's rules).
     */
    public static Runbook of(String alert, String runbookUrl) {
        String name = alert;
        if (runbookUrl != null && runbookUrl.endsWith(".md")) {
            String file = runbookUrl.substring(runbookUrl.lastIndexOf('/') + 1);
            name = file.substring(0, file.length() - 3);
        }
        String text = text(name);
        if (text == null && !name.equals(alert)) {
            name = alert;
            text = text(name);
        }
        if (text == null) {
            return null;
        }
        return new Runbook(path(name), runbookUrl == null || runbookUrl.isBlank() ? url(name) : runbookUrl,
                steps(text));
    }

    /** The bundled text of a runbook, or null. */
    public static String text(String name) {
        if (!name.matches("[A-Za-z0-9_-]+")) {
            return null;
        }
        try (InputStream in = Runbooks.class.getResourceAsStream(RESOURCE + name + ".md")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** The lines of a runbook's steps section, blank lines dropped, cut at {@link #MAX_STEP_LINES}. */
    public static List<String> steps(String markdown) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : markdown.split("\n", -1)) {
            if (line.startsWith("#")) {
                in = line.strip().equals(STEPS);
                continue;
            }
            if (in && !line.isBlank()) {
                out.add(line.stripTrailing());
            }
        }
        if (out.size() > MAX_STEP_LINES) {
            List<String> cut = new ArrayList<>(out.subList(0, MAX_STEP_LINES - 1));
            cut.add("... (" + (out.size() - MAX_STEP_LINES + 1) + " more lines in the runbook)");
            return cut;
        }
        return out;
    }
}
