package io.exlm.mon.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * {@code -o junit}: one test suite, a test case per check, in the JUnit XML that CI systems (GitHub Actions, GitLab,
 * Jenkins) render as a test report.
 */
final class JUnitXml {
    /** One check as a test case; {@code failure} null when it passed, {@code skipped} with a reason when skipped. */
    record Case(String className, String name, double seconds, String failure, String failureType, String skipped,
            String output) {
    }

    private JUnitXml() {
    }

    static void write(PrintWriter out, String suite, double seconds, List<Case> cases) {
        long failures = cases.stream().filter(c -> c.failure() != null).count();
        long skipped = cases.stream().filter(c -> c.failure() == null && c.skipped() != null).count();
        out.println("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        out.printf(Locale.ROOT, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\""
                + " time=\"%.3f\">%n", esc(suite), cases.size(), failures, skipped, seconds);
        out.printf(Locale.ROOT, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\" skipped=\"%d\""
                + " time=\"%.3f\">%n", esc(suite), cases.size(), failures, skipped, seconds);
        for (Case c : cases) {
            out.printf(Locale.ROOT, "    <testcase classname=\"%s\" name=\"%s\" time=\"%.3f\"", esc(c.className()),
                    esc(c.name()), c.seconds());
            if (c.failure() == null && c.skipped() == null && c.output() == null) {
                out.println("/>");
                continue;
            }
            out.println(">");
            if (c.failure() != null) {
                out.printf("      <failure message=\"%s\" type=\"%s\">%s</failure>%n", esc(c.failure()),
                        esc(c.failureType()), esc(c.failure()));
            } else if (c.skipped() != null) {
                out.printf("      <skipped message=\"%s\"/>%n", esc(c.skipped()));
            }
            if (c.output() != null) {
                out.printf("      <system-out>%s</system-out>%n", esc(c.output()));
            }
            out.println("    </testcase>");
        }
        out.println("  </testsuite>");
        out.println("</testsuites>");
        out.flush();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    // XML 1.0 forbids most control characters, even escaped
                    if (ch < 0x20 && ch != '\n' && ch != '\t' && ch != '\r') {
                        sb.append('?');
                    } else {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
