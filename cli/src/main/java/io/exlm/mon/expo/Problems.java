package io.exlm.mon.expo;

import java.util.ArrayList;
import java.util.List;

/**
 * What a parse found: in lenient mode the first problem is thrown; in strict mode problems and warnings are
 * recorded (up to a limit, and counted beyond it) and the parse carries on.
 */
final class Problems {
    static final int DEFAULT_MAX = 1000;

    private final String source;
    private final Line line;
    int max = DEFAULT_MAX;
    final List<Problem> problems = new ArrayList<>();
    int problemCount;
    final List<Problem> warnings = new ArrayList<>();
    int warningCount;

    Problems(String source, Line line) {
        this.source = source;
        this.line = line;
    }

    void clear() {
        problems.clear();
        problemCount = 0;
        warnings.clear();
        warningCount = 0;
    }

    /** A problem that does not stop the parse of the line (strict checks of meaning rather than syntax). */
    void problem(int pos, String message) throws ExpositionException {
        report(line.no, line.column(pos), message);
    }

    /** Something valid but unusual, at a position of the current line: a warning in strict mode, else nothing. */
    void warning(int pos, String message) {
        warning(line.no, line.column(pos), message);
    }

    /** A warning at a given line (not necessarily the current one). */
    void warning(int lineNo, int col, String message) {
        if (!line.strict) {
            return;
        }
        warningCount++;
        if (warnings.size() < max) {
            warnings.add(new Problem(source, lineNo, col, message));
        }
    }

    void report(int lineNo, int col, String message) throws ExpositionException {
        Problem p = new Problem(source, lineNo, col, message);
        if (!line.strict) {
            throw new ExpositionException(p);
        }
        problemCount++;
        if (problems.size() < max) {
            problems.add(p);
        }
    }
}
