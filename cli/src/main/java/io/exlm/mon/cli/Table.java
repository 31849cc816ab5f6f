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
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], visibleLength(r[c]));
            }
        }
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
