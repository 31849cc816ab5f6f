package io.exlm.mon.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Text wrapped to a width at its spaces, for reports read at 80 columns and in narrow CI logs: a word (a URL, a
 * PromQL selector, a path) is never split, and one wider than the room stays whole on a line of its own, the only
 * kind of line that may be wider. exlm-mon's own colours do not count towards the width.
 */
final class Wrap {
    private static final Pattern SGR = Pattern.compile("\u001b\\[[0-9;]*m");

    private Wrap() {
    }

    /** The columns {@code s} takes: its characters without exlm-mon's colour sequences. */
    static int columns(String s) {
        String plain = s.indexOf('\u001b') < 0 ? s : SGR.matcher(s).replaceAll("");
        return plain.codePointCount(0, plain.length());
    }

    /**
     * {@code lead} (which ends with the space before the text, and may be coloured) followed by {@code text}'s words,
     * in lines of at most {@code width} columns; every further line starts with {@code indent} spaces, and so does
     * each line of {@code text} after a line break.
     */
    static List<String> lines(String lead, String text, int indent, int width) {
        List<String> out = new ArrayList<>();
        String pad = " ".repeat(indent);
        StringBuilder line = new StringBuilder(lead);
        int used = columns(lead);
        boolean words = false;
        String[] paragraphs = text.split("\n", -1);
        for (int p = 0; p < paragraphs.length; p++) {
            if (p > 0) {
                out.add(strip(line));
                line.setLength(0);
                line.append(pad);
                used = indent;
                words = false;
            }
            for (String word : paragraphs[p].split(" ")) {
                if (word.isEmpty()) {
                    continue;
                }
                int w = columns(word);
                if (used + (words ? 1 : 0) + w > width && used > indent) {
                    out.add(strip(line));
                    line.setLength(0);
                    line.append(pad);
                    used = indent;
                    words = false;
                }
                if (words) {
                    line.append(' ');
                    used++;
                }
                line.append(word);
                used += w;
                words = true;
            }
        }
        out.add(strip(line));
        return out;
    }

    private static String strip(StringBuilder line) {
        int end = line.length();
        while (end > 0 && line.charAt(end - 1) == ' ') {
            end--;
        }
        return line.substring(0, end);
    }
}
