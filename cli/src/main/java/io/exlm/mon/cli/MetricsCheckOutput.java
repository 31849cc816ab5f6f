package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.expo.ExpositionFormat;
import io.exlm.mon.expo.ExpositionParser;
import io.exlm.mon.expo.Problem;
import java.util.List;

/** What {@code metrics check} writes: one line per problem and a verdict, or {@link Document}. */
final class MetricsCheckOutput {
    private MetricsCheckOutput() {
    }

    /** What a check found: the parser's counts, the problems listed (at most --max-problems), the catalog's. */
    record Verdict(String name, ExpositionFormat format, ExpositionParser parser, List<Problem> problems,
            int problemCount, long samples, List<String> catalogProblems, boolean catalog, boolean valid) {
    }

    /**
     * The document of {@code metrics check -o json}, the contract the README states: {@code problems} lists at most
     * --max-problems of {@code problem_count}, {@code warnings} the same of {@code warning_count}. Fields in record
     * order, snake_case.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Document(String file, String format, boolean valid, long samples, int lines, int problemCount,
            List<Located> problems, int warningCount, List<Located> warnings, List<String> catalogProblems) {
    }

    /** A problem or a warning: where (1-based line and column) and what. */
    record Located(int line, int column, String message) {
    }

    static Document json(Verdict v) {
        ExpositionParser parser = v.parser();
        return new Document(v.name(), v.format().label(), v.valid(), v.samples(), parser.lines(), v.problemCount(),
                located(v.problems()), parser.warningCount(), located(parser.warnings()), v.catalogProblems());
    }

    private static List<Located> located(List<Problem> problems) {
        return problems.stream().map(p -> new Located(p.line(), p.column(), p.message())).toList();
    }

    static void text(Context ctx, Verdict v) {
        ExpositionParser parser = v.parser();
        String name = v.name();
        String what = (v.format() == ExpositionFormat.OPENMETRICS ? "OpenMetrics" : "Prometheus text") + " exposition";
        for (Problem p : v.problems()) {
            ctx.out().println(p);
        }
        for (Problem w : parser.warnings()) {
            ctx.out().println(w.source() + ":" + w.line() + ":" + w.column() + ": warning: " + w.message());
        }
        int unlisted = v.problemCount() - v.problems().size();
        if (unlisted > 0) {
            ctx.out().println(name + ": " + unlisted + " more problems not listed (--max-problems)");
        }
        for (String c : v.catalogProblems()) {
            ctx.out().println(name + ": catalog: " + c);
        }
        if (v.valid()) {
            int w = parser.warningCount();
            ctx.out().println(name + ": valid " + what + " (" + v.samples() + " samples, "
                    + parser.lines() + " lines" + (v.catalog() ? ", the whole catalog" : "")
                    + (w == 0 ? "" : ", " + w + (w == 1 ? " warning" : " warnings")) + ")");
        } else {
            ctx.err().println("exlm-mon: " + name + " is not a valid " + what
                    + (v.catalog() ? " with the whole catalog" : "") + ": " + (v.problemCount()
                    + v.catalogProblems().size()) + " problem" + (v.problemCount()
                    + v.catalogProblems().size() == 1 ? "" : "s"));
        }
    }
}
