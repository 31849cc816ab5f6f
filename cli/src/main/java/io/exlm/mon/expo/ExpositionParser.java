package io.exlm.mon.expo;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * A streaming parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0 text that works on bytes: the body is
 * read in blocks, a line at a time, and never held whole nor turned into a String. Names and label values are
 * decoded only when a handler asks for them (and shared when they repeat); numbers are parsed from the bytes.
 *
 * <p>{@link ParseMode#LENIENT} accepts what Prometheus 2.x ingests and stops at the first thing it refuses, with an
 * {@link ExpositionException} that says where. {@link ParseMode#STRICT} enforces every rule of the specification and
 * reports each violation as a {@link Problem} ({@code FILE:LINE:COL: message}), carrying on with the next line so
 * that one run shows them all.
 *
 * <p>A parser is for one body at a time and is not thread-safe. It can be reused for the next body (a dashboard
 * scraping every second should): its block buffer and its cache of decoded names and label values are kept, so a
 * repeated scrape allocates little beyond what its handler keeps.
 *
 * <p>This class reads the lines ({@link Blocks}) and sends each by its kind: a comment or metadata line to
 * {@link Families}, a sample line to {@link SampleLine} (whose numbers are {@link NumberSyntax}'s and escapes
 * {@link Escapes}'), and in strict mode the sample read to {@link StrictRules}; what they find goes to
 * {@link Problems}.
 */
public final class ExpositionParser {
    /** The longest line read from a stream; what a longer one costs stops here (its bytes are read past). */
    public static final int MAX_LINE_BYTES = 1 << 20;

    private final Line line;
    private final Problems problems;
    private final Blocks blocks = new Blocks();
    private final SampleLine sample;
    private final Families families;
    /** Null in lenient mode. */
    private final StrictRules rules;
    private ExpositionHandler handler;
    private boolean afterEofReported;

    public ExpositionParser(ExpositionFormat format, ParseMode mode, String source) {
        line = new Line(format, mode);
        problems = new Problems(source, line);
        sample = new SampleLine(line);
        families = new Families(line, sample);
        sample.families(families);
        rules = line.strict ? new StrictRules(line, problems, families, sample) : null;
        families.rules(rules);
    }

    /** Stops recording problems (but keeps counting them) after this many; strict mode only. */
    public ExpositionParser maxProblems(int max) {
        problems.max = max;
        return this;
    }

    /** The problems found, up to {@link #maxProblems}, in body order. Empty in lenient mode. */
    public List<Problem> problems() {
        return problems.problems;
    }

    /**
     * What Prometheus ingests and promtool accepts but is unusual enough to say (a quantile outside [0, 1] in the text
     * format, as redis_exporter writes percentiles), up to {@link #maxProblems}; strict mode only.
     */
    public List<Problem> warnings() {
        return problems.warnings;
    }

    public int warningCount() {
        return problems.warningCount;
    }

    /** How many problems were found, including those not recorded. */
    public int problemCount() {
        return problems.problemCount;
    }

    /** The number of lines read. */
    public int lines() {
        return line.no;
    }

    public long bytesRead() {
        return blocks.bytesRead;
    }

    /** Parses a body held in memory, without copying it. */
    public void parse(byte[] body, ExpositionHandler h) throws ExpositionException {
        begin(h);
        blocks.reset(body);
        try {
            readLines();
        } catch (IOException e) {
            throw new AssertionError("a body in memory is not read", e);
        }
        end();
    }

    /** Parses a body as it is read, a block at a time; the stream is not closed. */
    public void parse(InputStream in, ExpositionHandler h) throws IOException, ExpositionException {
        begin(h);
        blocks.reset(in);
        readLines();
        end();
    }

    /** Each line of the body, by its kind. */
    private void readLines() throws IOException, ExpositionException {
        Blocks bl = blocks;
        while (bl.next()) {
            if (bl.tooLong) {
                tooLong();
            } else {
                line(bl.buf, bl.start, bl.end, bl.lf);
            }
        }
    }

    private void begin(ExpositionHandler h) {
        handler = h;
        line.no = 0;
        afterEofReported = false;
        problems.clear();
        families.begin(h);
        if (rules != null) {
            rules.begin();
        }
    }

    private void end() throws ExpositionException {
        if (rules != null) {
            rules.finishFamily();
        }
        if (line.om && !families.eofSeen) {
            line.none();
            problems.report(line.no == 0 ? 1 : line.no, 1, "the exposition does not end with '# EOF' (OpenMetrics"
                    + " requires it; a truncated body?)");
        }
    }

    private void line(byte[] b, int start, int end, boolean lf) throws ExpositionException {
        Line l = line;
        l.next(b, start, end);
        try {
            if (l.om) {
                omLine();
            } else {
                // the text format: blank lines are allowed and ignored, a comment may be metadata
                int p = l.skipBlanks(start);
                if (p < end) {
                    if (b[p] == '#') {
                        families.textComment(p);
                    } else {
                        sample(p);
                    }
                }
            }
        } catch (Line.Error e) {
            lineFailed();
        }
        if (!lf && l.strict && !l.om && start < end) {
            problems.report(l.no, l.column(end), "the last line does not end with a line feed (the text format"
                    + " requires one)");
        }
    }

    /** The parse of the line was given up: the problem that said why. */
    private void lineFailed() throws ExpositionException {
        problems.report(line.no, line.column(line.errPos), line.errMsg);
    }

    private void tooLong() throws ExpositionException {
        line.no++;
        line.none();
        problems.report(line.no, 1, "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB (no exposition writes one;"
                + " the wrong file, or a body without line feeds?)");
    }

    private void omLine() throws ExpositionException {
        if (families.eofSeen) {
            if (!afterEofReported) {
                afterEofReported = true;
                throw line.fail(line.ls, "text after '# EOF' (it must be the last line)");
            }
            return;
        }
        if (line.ls == line.le) {
            throw line.fail(line.ls, "empty line (OpenMetrics allows none)");
        }
        if (line.b[line.ls] == '#') {
            families.omComment();
        } else {
            sample(line.ls);
        }
    }

    private void sample(int p) throws ExpositionException {
        int suffix = sample.read(p);
        if (rules != null) {
            rules.sample(suffix);
        }
        handler.sample(sample);
    }
}
