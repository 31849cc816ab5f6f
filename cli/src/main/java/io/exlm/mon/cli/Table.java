package io.exlm.mon.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A plain text table: columns as wide as their widest cell, two spaces apart, the last column unpadded. Cells may
 * hold colour codes; widths are measured without them.
 */
public final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    public Table(String... header) {
        this.columns = header.length;
        rows.add(header);
    }

    public Table row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("expected " + columns + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    public List<String> lines() {
        int[] width = widths();
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = r[c] == null ? "" : r[c];
                sb.append(cell);
                if (c < columns - 1) {
                    sb.append(" ".repeat(width[c] - visibleLength(cell) + 2));
                }
            }
            out.add(sb.toString().stripTrailing());
        }
        return out;
    }

    /** The least room the last column keeps beside the others; with less, its text goes under its row. */
    static final int LAST_COLUMN_ROOM = 24;

    /**
     * {@link #lines()} that fit {@code width} columns: the last column (a summary, a comment: free text) wrapped at
     * its spaces by {@link Wrap}, its further lines starting under it; when the columns before it leave it less than
     * {@value #LAST_COLUMN_ROOM}, its text is wrapped under every row (the header's too), indented by 4. Only the columns before it, or a
     * word wider than the room, can make a line wider.
     */
    public List<String> lines(int width) {
        int[] w = widths();
        int offset = 0;
        for (int c = 0; c < columns - 1; c++) {
            offset += w[c] + 2;
        }
        boolean beside = offset + LAST_COLUMN_ROOM <= width;
        List<String> out = new ArrayList<>();
        for (String[] r : rows) {
            String head = prefix(r, w);
            String last = r[columns - 1] == null ? "" : r[columns - 1];
            if (columns == 1 || last.isEmpty() || beside && offset + visibleLength(last) <= width) {
                out.add((head + last).stripTrailing());
            } else if (beside) {
                out.addAll(Wrap.lines(head, last, offset, width));
            } else {
                // every row's alike, the header's too: the last column is always under its row
                out.add(head.stripTrailing());
                out.addAll(Wrap.lines("    ", last, 4, width));
            }
        }
        return out;
    }

    private int[] widths() {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], visibleLength(r[c]));
            }
        }
        return width;
    }

    /** A row's cells but the last, each padded to its column and two spaces after it. */
    private String prefix(String[] r, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < columns - 1; c++) {
            String cell = r[c] == null ? "" : r[c];
            sb.append(cell).append(" ".repeat(width[c] - visibleLength(cell) + 2));
        }
        return sb.toString();
    }

    static int visibleLength(String s) {
        if (s == null) {
            return 0;
        }
        int n = 0;
        boolean esc = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (esc) {
                if (ch == 'm') {
                    esc = false;
                }
            } else if (ch == '\u001b') {
                esc = true;
            } else if (!Character.isLowSurrogate(ch)) {
                n++;
            }
        }
        return n;
    }
}
