package io.exlm.mon.cli;

import java.io.PrintWriter;
import java.util.List;

/** {@code -o csv}: RFC 4180 rows, a header first, fields quoted when they hold a comma, a quote or a line break. */
final class Csv {
    private Csv() {
    }

    static void row(PrintWriter out, List<String> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(field(fields.get(i)));
        }
        out.print(sb);
        out.print("\r\n");
    }

    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }
}
