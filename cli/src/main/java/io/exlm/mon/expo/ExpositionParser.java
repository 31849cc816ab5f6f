package io.exlm.mon.expo;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
 */
public final class ExpositionParser {
    private static final int DEFAULT_MAX_PROBLEMS = 1000;
    /** The longest line read from a stream; what a longer one costs stops here (its bytes are read past). */
    public static final int MAX_LINE_BYTES = 1 << 20;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private static final boolean[] METRIC_START = new boolean[256];
    private static final boolean[] METRIC_CHAR = new boolean[256];
    private static final boolean[] LABEL_START = new boolean[256];
    private static final boolean[] LABEL_CHAR = new boolean[256];

    static {
        for (int c = 0; c < 256; c++) {
            boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            boolean digit = c >= '0' && c <= '9';
            LABEL_START[c] = alpha || c == '_';
            LABEL_CHAR[c] = LABEL_START[c] || digit;
            METRIC_START[c] = LABEL_START[c] || c == ':';
            METRIC_CHAR[c] = METRIC_START[c] || digit;
        }
    }

    /** Unwinds the parse of one line; preallocated and without a stack trace, since a strict check may throw many. */
    private static final class LineError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LineError() {
            super(null, null, false, false);
        }
    }

    private static final LineError LINE_ERROR = new LineError();

    /** Where the labels of a sample or an exemplar are in the line. */
    private static final class Spans {
        int n;
        int[] nameS = new int[8];
        int[] nameE = new int[8];
        int[] nameHash = new int[8];
        int[] valS = new int[8];
        int[] valE = new int[8];
        boolean[] escaped = new boolean[8];
        boolean[] high = new boolean[8];

        void add(int ns, int ne, int nh, int vs, int ve, boolean esc, boolean hi) {
            if (n == nameS.length) {
                int m = n * 2;
                nameS = Arrays.copyOf(nameS, m);
                nameE = Arrays.copyOf(nameE, m);
                nameHash = Arrays.copyOf(nameHash, m);
                valS = Arrays.copyOf(valS, m);
                valE = Arrays.copyOf(valE, m);
                escaped = Arrays.copyOf(escaped, m);
                high = Arrays.copyOf(high, m);
            }
            nameS[n] = ns;
            nameE[n] = ne;
            nameHash[n] = nh;
            valS[n] = vs;
            valE[n] = ve;
            escaped[n] = esc;
            high[n] = hi;
            n++;
        }
    }

    private final ExpositionFormat format;
    private final boolean om;
    private final boolean strict;
    private final String source;
    private int maxProblems = DEFAULT_MAX_PROBLEMS;
    private final List<Problem> problems = new ArrayList<>();
    private int problemCount;
    private final List<Problem> warnings = new ArrayList<>();
    private int warningCount;
    /** The current family was declared again after its samples; said once. */
    private boolean famRedeclared;

    private ExpositionHandler handler;
    private final Strings strings = new Strings();
    private final View view = new View();
    private byte[] scratch = new byte[256];
    private byte[] block;

    // the line being parsed: b[ls, le)
    private byte[] b;
    private int ls;
    private int le;
    private int lineNo;
    private boolean eofSeen;
    private boolean afterEofReported;
    private long bytesRead;

    // the sample being parsed
    private int nameS;
    private int nameE;
    private int nameHash;
    private final Spans labels = new Spans();
    private final Spans exLabels = new Spans();
    private double value;
    private boolean hasTs;
    private long tsMillis;
    private boolean hasExemplar;
    private double exValue;
    private boolean exHasTs;
    private double exTs;
    private int exPos;

    // the current family
    private byte[] famName = new byte[128];
    private int famLen = -1;
    private String famString;
    private MetricType famType = MetricType.UNKNOWN;
    private byte[][] famSuffixes = suffixBytes(MetricType.UNKNOWN);
    private List<String> famSuffixNames = List.of("");
    private boolean famHasSamples;
    private boolean famHelp;
    private boolean famTypeSeen;
    private boolean famUnit;
    private int famLine;
    private long famHash64;

    // strict: what is remembered of earlier families and series (hashes and line numbers only)
    private LongIntMap closedFamilies;
    private LongIntMap closedSampleNames;
    private LongIntMap famSampleNames;
    private LongIntMap famGroups;
    private LongIntMap seriesLines;
    private final Group group = new Group();
    /**
     * The text format only: the histogram and summary groups of the current family that another group interrupted,
     * kept until the family ends, since Prometheus accepts a group in several pieces (prometheus_client's
     * multiprocess mode writes every _sum of a histogram first). At most {@link #MAX_SAVED_GROUPS}: beyond that the
     * oldest is judged at once, so that memory stays bounded.
     */
    private final java.util.LinkedHashMap<Long, Group> famSaved = new java.util.LinkedHashMap<>();
    static final int MAX_SAVED_GROUPS = 65_536;
    /** The interleaving of the current family's groups was warned about. */
    private boolean famInterleaveWarned;
    /** Groups let go of beyond {@link #MAX_SAVED_GROUPS}: not judged whole (which would report false problems). */
    private final LongIntMap famEvicted = new LongIntMap(16);
    private int famUnjudged;

    public ExpositionParser(ExpositionFormat format, ParseMode mode, String source) {
        this.format = format;
        this.om = format == ExpositionFormat.OPENMETRICS;
        this.strict = mode == ParseMode.STRICT;
        this.source = source;
        if (strict) {
            closedFamilies = new LongIntMap(64);
            closedSampleNames = new LongIntMap(64);
            famSampleNames = new LongIntMap(16);
            famGroups = new LongIntMap(16);
            seriesLines = new LongIntMap(1024);
        }
    }

    /** Stops recording problems (but keeps counting them) after this many; strict mode only. */
    public ExpositionParser maxProblems(int max) {
        this.maxProblems = max;
        return this;
    }

    /** The problems found, up to {@link #maxProblems}, in body order. Empty in lenient mode. */
    public List<Problem> problems() {
        return problems;
    }

    /**
     * What Prometheus ingests and promtool accepts but is unusual enough to say (a quantile outside [0, 1] in the text
     * format, as redis_exporter writes percentiles), up to {@link #maxProblems}; strict mode only.
     */
    public List<Problem> warnings() {
        return warnings;
    }

    public int warningCount() {
        return warningCount;
    }

    /** How many problems were found, including those not recorded. */
    public int problemCount() {
        return problemCount;
    }

    /** The number of lines read. */
    public int lines() {
        return lineNo;
    }

    public long bytesRead() {
        return bytesRead;
    }

    /** Parses a body held in memory, without copying it. */
    public void parse(byte[] body, ExpositionHandler h) throws ExpositionException {
        begin(h);
        bytesRead = body.length;
        int pos = 0;
        int n = body.length;
        b = body;
        while (pos < n) {
            int nl = indexOfNewline(body, pos, n);
            if (nl < 0) {
                line(pos, n, false);
                break;
            }
            line(pos, nl, true);
            pos = nl + 1;
        }
        end();
    }

    /** Parses a body as it is read, a block at a time; the stream is not closed. */
    public void parse(InputStream in, ExpositionHandler h) throws IOException, ExpositionException {
        begin(h);
        if (block == null) {
            block = new byte[1 << 16];
        }
        byte[] buf = block;
        int filled = 0;
        int pos = 0;
        int scan = 0;
        boolean eof = false;
        while (true) {
            int nl = indexOfNewline(buf, scan, filled);
            if (nl < 0) {
                if (eof) {
                    if (pos < filled) {
                        b = buf;
                        line(pos, filled, false);
                    }
                    break;
                }
                if (pos > 0) {
                    System.arraycopy(buf, pos, buf, 0, filled - pos);
                    filled -= pos;
                    pos = 0;
                }
                if (filled == buf.length) {
                    if (buf.length >= MAX_LINE_BYTES) {
                        // a line this long is not an exposition's: reported (strict) or thrown (lenient), and
                        // read past without keeping it, so that a 2 GB line costs no more than this buffer
                        lineNo++;
                        ls = 0;
                        le = 0;
                        report(lineNo, 1, "line longer than " + (MAX_LINE_BYTES >> 20) + " MiB (no exposition"
                                + " writes one; the wrong file, or a body without line feeds?)");
                        long skipped = skipLine(in, buf);
                        if (skipped < 0) {
                            filled = 0;
                            pos = 0;
                            scan = 0;
                            eof = true;
                            continue;
                        }
                        filled = (int) skipped;
                        pos = 0;
                        scan = 0;
                        continue;
                    }
                    buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the block
                    if (buf.length <= 1 << 20) {
                        block = buf;
                    }
                }
                scan = filled;
                int r = in.read(buf, filled, buf.length - filled);
                if (r < 0) {
                    eof = true;
                } else {
                    filled += r;
                    bytesRead += r;
                }
                continue;
            }
            b = buf;
            line(pos, nl, true);
            pos = nl + 1;
            scan = pos;
        }
        end();
    }

    /**
     * Reads past the rest of an over-long line: returns how many bytes after its line feed are left at the start of
     * {@code buf}, or -1 when the body ended first.
     */
    private long skipLine(InputStream in, byte[] buf) throws IOException {
        while (true) {
            int r = in.read(buf, 0, buf.length);
            if (r < 0) {
                return -1;
            }
            bytesRead += r;
            int nl = indexOfNewline(buf, 0, r);
            if (nl >= 0) {
                System.arraycopy(buf, nl + 1, buf, 0, r - nl - 1);
                return r - nl - 1;
            }
        }
    }

    private void begin(ExpositionHandler h) {
        this.handler = h;
        lineNo = 0;
        bytesRead = 0;
        eofSeen = false;
        afterEofReported = false;
        famLen = -1;
        famString = null;
        problems.clear();
        problemCount = 0;
        warnings.clear();
        warningCount = 0;
        famSaved.clear();
        group.active = false;
        if (strict) {
            closedFamilies.clear();
            closedSampleNames.clear();
            famSampleNames.clear();
            famGroups.clear();
            seriesLines.clear();
        }
    }

    private void end() throws ExpositionException {
        if (strict) {
            finishFamily();
        }
        if (om && !eofSeen) {
            ls = 0;
            le = 0;
            report(lineNo == 0 ? 1 : lineNo, 1, "the exposition does not end with '# EOF' (OpenMetrics requires it; "
                    + "a truncated body?)");
        }
    }

    /** The first '\n' in b[from, to), eight bytes at a time. */
    private static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONGS.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------------ lines

    private void line(int start, int end, boolean lf) throws ExpositionException {
        lineNo++;
        ls = start;
        le = end;
        try {
            if (om) {
                omLine();
            } else {
                textLine();
            }
        } catch (LineError e) {
            report(lineNo, column(errPos), errMsg);
        }
        if (!lf && strict && !om && start < end) {
            report(lineNo, column(end), "the last line does not end with a line feed (the text format requires one)");
        }
    }

    private int errPos;
    private String errMsg;

    private LineError fail(int pos, String message) {
        errPos = pos;
        errMsg = message;
        return LINE_ERROR;
    }

    /** A problem that does not stop the parse of the line (strict checks of meaning rather than syntax). */
    private void problem(int pos, String message) throws ExpositionException {
        report(lineNo, column(pos), message);
    }

    /** Something valid but unusual: a warning in strict mode, nothing in lenient mode. */
    private void warning(int pos, String message) {
        warning(lineNo, column(pos), message);
    }

    /** A warning at a given line (not necessarily the current one). */
    private void warning(int line, int col, String message) {
        if (!strict) {
            return;
        }
        warningCount++;
        if (warnings.size() < maxProblems) {
            warnings.add(new Problem(source, line, col, message));
        }
    }

    private void report(int line, int col, String message) throws ExpositionException {
        Problem p = new Problem(source, line, col, message);
        if (!strict) {
            throw new ExpositionException(p);
        }
        problemCount++;
        if (problems.size() < maxProblems) {
            problems.add(p);
        }
    }

    /** The column of a position on the current line, counting code points from 1. */
    private int column(int pos) {
        int col = 1;
        int end = Math.min(pos, le);
        for (int i = ls; i < end; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        return col + Math.max(0, pos - le);
    }

    private void textLine() throws ExpositionException {
        int p = ls;
        while (p < le && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        if (p == le) {
            return; // blank lines are allowed and ignored
        }
        if (b[p] == '#') {
            textComment(p);
        } else {
            sample(p);
        }
    }

    private void omLine() throws ExpositionException {
        if (eofSeen) {
            if (!afterEofReported) {
                afterEofReported = true;
                throw fail(ls, "text after '# EOF' (it must be the last line)");
            }
            return;
        }
        if (ls == le) {
            throw fail(ls, "empty line (OpenMetrics allows none)");
        }
        if (b[ls] == '#') {
            omComment();
        } else {
            sample(ls);
        }
    }

    // --------------------------------------------------------------------------------------------- metadata

    private void textComment(int hash) throws ExpositionException {
        int p = hash + 1;
        while (p < le && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        ExpositionHandler.Metadata kind;
        if (startsWith(p, "HELP") && p + 4 < le && isBlank(b[p + 4])) {
            kind = ExpositionHandler.Metadata.HELP;
        } else if (startsWith(p, "TYPE") && p + 4 < le && isBlank(b[p + 4])) {
            kind = ExpositionHandler.Metadata.TYPE;
        } else {
            return; // any other comment
        }
        p = skipBlanks(p + 4);
        int ns = p;
        int h = metricName(p, "after # " + kind);
        int ne = nameE;
        p = skipBlanks(ne);
        if (p == ne && p < le) {
            throw fail(p, "invalid character " + quoteChar(p) + " in metric name");
        }
        if (kind == ExpositionHandler.Metadata.HELP) {
            String text = escapedString(p, le, false);
            metadata(kind, ns, ne, h, text, null);
        } else {
            int ts = p;
            while (p < le && !isBlank(b[p])) {
                p++;
            }
            if (ts == p) {
                throw fail(p, "expected a type after the metric name (counter, gauge, histogram, summary or untyped)");
            }
            String word = new String(b, ts, p - ts, StandardCharsets.ISO_8859_1);
            MetricType type = MetricType.fromWord(word, format);
            if (type == null) {
                throw fail(ts, "unknown type '" + printable(word) + "' (the text format has counter, gauge, histogram,"
                        + " summary and untyped)");
            }
            p = skipBlanks(p);
            if (p < le) {
                throw fail(p, "unexpected text after the type");
            }
            metadata(kind, ns, ne, h, word, type);
        }
    }

    private void omComment() throws ExpositionException {
        int n = le - ls;
        if (n == 5 && startsWith(ls, "# EOF")) {
            eofSeen = true;
            return;
        }
        if (n < 2 || b[ls + 1] != ' ') {
            throw fail(ls + 1, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)");
        }
        ExpositionHandler.Metadata kind;
        if (startsWith(ls + 2, "HELP ")) {
            kind = ExpositionHandler.Metadata.HELP;
        } else if (startsWith(ls + 2, "TYPE ")) {
            kind = ExpositionHandler.Metadata.TYPE;
        } else if (startsWith(ls + 2, "UNIT ")) {
            kind = ExpositionHandler.Metadata.UNIT;
        } else if (startsWith(ls + 2, "EOF")) {
            throw fail(ls + 5, "'# EOF' must be alone on its line");
        } else {
            throw fail(ls + 2, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other comments)");
        }
        int p = ls + 7;
        int ns = p;
        int h = metricName(p, "after # " + kind);
        int ne = nameE;
        p = ne;
        boolean hasText = p < le;
        if (hasText && b[p] != ' ') {
            throw fail(p, "invalid character " + quoteChar(p) + " in metric name");
        }
        if (!hasText && strict && kind != ExpositionHandler.Metadata.TYPE) {
            throw fail(p, "expected a space after the metric name (OpenMetrics writes '# " + kind + " name ' even"
                    + " when the " + (kind == ExpositionHandler.Metadata.HELP ? "help" : "unit") + " is empty)");
        }
        int ts = hasText ? p + 1 : p;
        switch (kind) {
            case HELP -> metadata(kind, ns, ne, h, escapedString(ts, le, true), null);
            case TYPE -> {
                if (!hasText) {
                    throw fail(p, "expected a space and a type after the metric name");
                }
                String word = new String(b, ts, le - ts, StandardCharsets.ISO_8859_1);
                MetricType type = MetricType.fromWord(word, format);
                if (type == null) {
                    throw fail(ts, "unknown type '" + printable(word) + "' (OpenMetrics has counter, gauge, histogram,"
                            + " gaugehistogram, stateset, info, summary and unknown)");
                }
                metadata(kind, ns, ne, h, word, type);
            }
            default -> {
                for (int i = ts; i < le; i++) {
                    if (!METRIC_CHAR[b[i] & 0xff]) {
                        throw fail(i, "invalid character " + quoteChar(i) + " in unit");
                    }
                }
                int ul = le - ts;
                if (ul > 0) {
                    // the unit must be a suffix of the family name, after an underscore (Prometheus checks it too)
                    int nl = ne - ns;
                    boolean suffix = nl > ul && b[ne - ul - 1] == '_'
                            && Arrays.equals(b, ne - ul, ne, b, ts, le);
                    if (!suffix) {
                        throw fail(ts, "unit '" + new String(b, ts, ul, StandardCharsets.ISO_8859_1)
                                + "' is not a suffix of the metric name (expected a name ending in _"
                                + new String(b, ts, ul, StandardCharsets.ISO_8859_1) + ")");
                    }
                }
                metadata(kind, ns, ne, h, new String(b, ts, ul, StandardCharsets.ISO_8859_1), null);
            }
        }
    }

    private void metadata(ExpositionHandler.Metadata kind, int ns, int ne, int h, String text, MetricType type)
            throws ExpositionException {
        if (!isCurrentFamily(ns, ne)) {
            startFamily(ns, ne, h);
        } else if (strict) {
            String what = "# " + kind + " line for " + famString;
            boolean again = kind == ExpositionHandler.Metadata.HELP && famHelp
                    || kind == ExpositionHandler.Metadata.TYPE && famTypeSeen;
            if (famHasSamples && !again) {
                problem(ls, what + " after its samples (metadata comes before a family's samples)");
            } else if (famHasSamples) {
                if (!famRedeclared) {
                    famRedeclared = true;
                    problem(ls, famString + " is declared a second time, after its samples: two metric families"
                            + " share this name" + (om ? " (in OpenMetrics a counter's family name drops _total, so a"
                            + " counter " + famString + "_total clashes with a gauge " + famString + ")" : "")
                            + "; each family is declared once, before its samples");
                }
            } else if (kind == ExpositionHandler.Metadata.HELP && famHelp
                    || kind == ExpositionHandler.Metadata.TYPE && famTypeSeen
                    || kind == ExpositionHandler.Metadata.UNIT && famUnit) {
                problem(ls, "second " + what + " (only one is allowed)");
            }
        }
        switch (kind) {
            case HELP -> famHelp = true;
            case TYPE -> {
                famTypeSeen = true;
                setType(type);
                if (strict) {
                    typedClash(ls);
                }
            }
            default -> famUnit = true;
        }
        handler.metadata(kind, famString, text);
    }

    private void setType(MetricType type) {
        famType = type;
        famSuffixes = suffixBytes(type);
        famSuffixNames = type.sampleSuffixes(format);
    }

    private byte[][] suffixBytes(MetricType type) {
        List<String> names = type.sampleSuffixes(format == null ? ExpositionFormat.PROMETHEUS_TEXT : format);
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    private boolean isCurrentFamily(int ns, int ne) {
        return famLen == ne - ns && Arrays.equals(famName, 0, famLen, b, ns, ne);
    }

    private void startFamily(int ns, int ne, int h) throws ExpositionException {
        if (strict) {
            finishFamily();
        }
        int n = ne - ns;
        if (famName.length < n) {
            famName = new byte[Math.max(n, famName.length * 2)];
        }
        System.arraycopy(b, ns, famName, 0, n);
        famLen = n;
        famString = strings.get(b, ns, n, h);
        setType(MetricType.UNKNOWN);
        famHasSamples = false;
        famRedeclared = false;
        famHelp = false;
        famTypeSeen = false;
        famUnit = false;
        famLine = lineNo;
        if (strict) {
            famHash64 = hash64(b, ns, ne);
            int first = closedFamilies.get(famHash64);
            if (first != 0) {
                problem(ns, "metric family " + famString + " appears again (first at line " + first + "); all lines"
                        + " of a family must be together");
            } else if (closedSampleNames.contains(famHash64)) {
                problem(ns, "metric family " + famString + " clashes with a sample name of an earlier family");
            }
        }
    }

    /** A typed family whose samples would be named like an earlier family (a counter a after a gauge a_created). */
    private void typedClash(int at) throws ExpositionException {
        for (String suffix : famSuffixNames) {
            if (!suffix.isEmpty()) {
                int line = closedFamilies.get(suffixedHash(suffix));
                if (line != 0) {
                    problem(at, "a " + famType.word(format) + " family " + famString + " has samples named "
                            + famString + suffix + ", the name of an earlier family (line " + line + ")");
                    return;
                }
            }
        }
    }

    /** The hash of the current family's name with a suffix, as a sample name's hash is made. */
    private long suffixedHash(String suffix) {
        byte[] name = Arrays.copyOf(famName, famLen + suffix.length());
        for (int i = 0; i < suffix.length(); i++) {
            name[famLen + i] = (byte) suffix.charAt(i);
        }
        return hash64(name, 0, name.length);
    }

    private void finishFamily() throws ExpositionException {
        if (famLen < 0) {
            return;
        }
        finishSavedGroups();
        if (famUnjudged > 0) {
            warning(famLine, 1, famUnjudged + " groups of " + famString + " were not checked as a whole: more than "
                    + MAX_SAVED_GROUPS + " groups came between the pieces of each");
        }
        famUnjudged = 0;
        famEvicted.clear();
        famInterleaveWarned = false;
        if (om && famUnit && (famType == MetricType.INFO || famType == MetricType.STATESET)) {
            report(famLine, 1, "an " + famType.word(format) + " family cannot have a unit (" + famString + ")");
        }
        closedFamilies.putIfAbsent(famHash64, famLine);
        closedSampleNames.putAll(famSampleNames);
        // the names its samples would have are taken too, samples or not: a later family a_created clashes with a
        // counter a that has none
        for (String suffix : famSuffixNames) {
            if (!suffix.isEmpty()) {
                closedSampleNames.putIfAbsent(suffixedHash(suffix), famLine);
            }
        }
        famSampleNames.clear();
        famGroups.clear();
        famLen = -1;
    }

    // ---------------------------------------------------------------------------------------------- samples


    /** Reads a metric name at p (setting nameE) and returns its hash. */
    private int metricName(int p, String where) {
        if (p >= le || !METRIC_START[b[p] & 0xff]) {
            throw fail(p, "expected a metric name " + where + (p >= le ? "" : ", found " + quoteChar(p)));
        }
        int h = b[p++];
        while (p < le && METRIC_CHAR[b[p] & 0xff]) {
            h = 31 * h + b[p++];
        }
        nameE = p;
        return h;
    }

    private void sample(int p) throws ExpositionException {
        nameS = p;
        nameHash = metricName(p, "at the start of a sample line");
        p = nameE;
        labels.n = 0;
        hasExemplar = false;
        hasTs = false;
        if (!om) {
            int q = skipBlanks(p);
            if (q < le && b[q] == '{') {
                p = q;
            }
        }
        if (p < le && b[p] == '{') {
            p = labelSet(p + 1, labels);
        } else if (p < le && !(b[p] == ' ' || !om && b[p] == '\t')) {
            throw fail(p, "invalid character " + quoteChar(p) + " in metric name");
        }
        if (om) {
            if (p >= le || b[p] != ' ') {
                throw fail(p, p >= le ? "expected a space and a value" : "expected a single space before the value");
            }
            p++;
        } else {
            int q = skipBlanks(p);
            if (q >= le) {
                throw fail(q, "expected a value");
            }
            p = q;
        }
        int vs = p;
        while (p < le && b[p] != ' ' && (om || b[p] != '\t')) {
            p++;
        }
        value = number(vs, p, "value", true);
        if (om) {
            if (p < le) {
                p++;
                if (p < le && b[p] == '#') {
                    p = exemplar(p);
                } else {
                    int ts = p;
                    while (p < le && b[p] != ' ') {
                        p++;
                    }
                    double t = number(ts, p, "timestamp", false);
                    tsMillis = (long) (t * 1000); // as Prometheus converts OpenMetrics seconds
                    hasTs = true;
                    if (p < le) {
                        p++;
                        if (p < le && b[p] == '#') {
                            p = exemplar(p);
                        } else {
                            throw fail(p, "expected an exemplar ('# {labels} value') after the timestamp");
                        }
                    }
                }
                if (p < le) {
                    throw fail(p, "unexpected text after the exemplar");
                }
            }
        } else {
            p = skipBlanks(p);
            if (p < le) {
                int ts = p;
                while (p < le && !isBlank(b[p])) {
                    p++;
                }
                tsMillis = timestamp(ts, p);
                hasTs = true;
                p = skipBlanks(p);
                if (p < le) {
                    throw fail(p, b[p] == '#' ? "exemplars exist only in OpenMetrics, not in the text format"
                            : "unexpected text after the timestamp");
                }
            }
        }
        checkLabels(labels);
        int suffix = resolveFamily();
        if (strict) {
            strictSample(suffix);
        }
        handler.sample(view);
    }

    /** Parses labels from p (just after '{') to the closing '}', returning the position after it. */
    private int labelSet(int p, Spans into) {
        into.n = 0;
        boolean afterComma = false;
        while (true) {
            if (!om) {
                p = skipBlanks(p);
            }
            if (p >= le) {
                throw fail(p, "the line ends inside the labels (expected '}')");
            }
            if (b[p] == '}') {
                if (afterComma && om) {
                    throw fail(p, "a comma before '}' (OpenMetrics allows no trailing comma)");
                }
                return p + 1;
            }
            if (!LABEL_START[b[p] & 0xff]) {
                throw fail(p, "expected a label name, found " + quoteChar(p));
            }
            int ns = p;
            int h = b[p++];
            while (p < le && LABEL_CHAR[b[p] & 0xff]) {
                h = 31 * h + b[p++];
            }
            int ne = p;
            if (!om) {
                p = skipBlanks(p);
            }
            if (p >= le || b[p] != '=') {
                throw fail(p, p < le && !om && b[p] != '=' && !isBlank(b[p]) && p == ne
                        ? "invalid character " + quoteChar(p) + " in label name"
                        : "expected '=' after the label name");
            }
            p++;
            if (!om) {
                p = skipBlanks(p);
            }
            if (p >= le || b[p] != '"') {
                throw fail(p, "expected '\"' to start the label value");
            }
            p++;
            int vs = p;
            boolean esc = false;
            boolean hi = false;
            while (true) {
                if (p >= le) {
                    throw fail(vs - 1, "the label value is not closed (a '\"' is missing, or a raw line feed is in it)");
                }
                byte c = b[p];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (p + 1 >= le) {
                        throw fail(p, "the line ends after a backslash in the label value");
                    }
                    byte n = b[p + 1];
                    if (strict && !om && n != '\\' && n != '"' && n != 'n') {
                        throw fail(p, "invalid escape '\\" + (char) (n & 0xff) + "' in label value (allowed: \\\\, \\\""
                                + " and \\n)");
                    }
                    esc = true;
                    p += 2;
                    continue;
                }
                if (c < 0) {
                    hi = true;
                }
                p++;
            }
            into.add(ns, ne, h, vs, p, esc, hi);
            p++;
            if (!om) {
                p = skipBlanks(p);
            }
            if (p < le && b[p] == ',') {
                p++;
                afterComma = true;
                continue;
            }
            if (p < le && b[p] == '}') {
                afterComma = false;
                continue;
            }
            throw fail(p, p >= le ? "the line ends inside the labels (expected '}')" : "expected ',' or '}' after"
                    + " the label value, found " + quoteChar(p));
        }
    }

    /** What Prometheus refuses in a label set: a name twice, a value that is not UTF-8. */
    private void checkLabels(Spans s) {
        for (int i = 0; i < s.n; i++) {
            int li = s.nameE[i] - s.nameS[i];
            for (int j = 0; j < i; j++) {
                if (s.nameE[j] - s.nameS[j] == li && Arrays.equals(b, s.nameS[i], s.nameE[i], b, s.nameS[j],
                        s.nameE[j])) {
                    throw fail(s.nameS[i], "label " + new String(b, s.nameS[i], li, StandardCharsets.ISO_8859_1)
                            + " appears twice in one label set");
                }
            }
            if (s.high[i]) {
                int bad = invalidUtf8(s.valS[i], s.valE[i]);
                if (bad >= 0) {
                    throw fail(bad, "label value is not valid UTF-8");
                }
            }
        }
    }

    private int exemplar(int p) {
        // p is at '#': "# {labels} value [timestamp]"
        exPos = p;
        if (p + 2 >= le || b[p + 1] != ' ' || b[p + 2] != '{') {
            throw fail(p, "expected an exemplar: '# {labels} value [timestamp]'");
        }
        p = labelSet(p + 3, exLabels);
        checkLabels(exLabels);
        if (p >= le || b[p] != ' ') {
            throw fail(p, "expected a space and the exemplar's value");
        }
        p++;
        int vs = p;
        while (p < le && b[p] != ' ') {
            p++;
        }
        exValue = number(vs, p, "exemplar value", true);
        exHasTs = false;
        if (p < le) {
            p++;
            int ts = p;
            while (p < le && b[p] != ' ') {
                p++;
            }
            exTs = number(ts, p, "exemplar timestamp", false);
            exHasTs = true;
        }
        hasExemplar = true;
        return p;
    }

    /** Finds the family of the sample, starting an untyped one when it is not the current family's; its suffix. */
    private int resolveFamily() throws ExpositionException {
        int n = nameE - nameS;
        if (famLen >= 0 && n >= famLen && Arrays.equals(famName, 0, famLen, b, nameS, nameS + famLen)) {
            byte[][] sfx = famSuffixes;
            for (int i = 0; i < sfx.length; i++) {
                byte[] s = sfx[i];
                if (n == famLen + s.length && Arrays.equals(s, 0, s.length, b, nameS + famLen, nameE)) {
                    famHasSamples = true;
                    return i;
                }
            }
            if (n == famLen) {
                famHasSamples = true;
                return -1; // the family's own name, where its type wants a suffix: strict says so
            }
        }
        startFamily(nameS, nameE, nameHash);
        famHasSamples = true;
        return 0;
    }

    // ------------------------------------------------------------------------------------------ strict checks

    /** The state of the current group: the samples of a family that share labels, save le/quantile. */
    private static final class Group {
        boolean active;
        long key;
        int line;
        String desc;
        boolean hasTs;
        long ts;
        // histogram
        boolean histStarted;
        long histTs;
        boolean hasBucket;
        double lastLe;
        double lastBucket;
        boolean hasInf;
        double infValue;
        boolean hasCount;
        double count;
        boolean hasSum;
        boolean hasGsum;
        boolean negativeBucket;
        boolean negativeGsum;
        // summary
        boolean hasQuantile;
        double lastQuantile;
        /** Seen in pieces too far apart to keep: its histogram rules are not checked. */
        boolean unjudged;

        Group copy() {
            Group g = new Group();
            g.copyFrom(this);
            return g;
        }

        void copyFrom(Group o) {
            active = o.active;
            key = o.key;
            line = o.line;
            desc = o.desc;
            hasTs = o.hasTs;
            ts = o.ts;
            histStarted = o.histStarted;
            histTs = o.histTs;
            hasBucket = o.hasBucket;
            lastLe = o.lastLe;
            lastBucket = o.lastBucket;
            hasInf = o.hasInf;
            infValue = o.infValue;
            hasCount = o.hasCount;
            count = o.count;
            hasSum = o.hasSum;
            hasGsum = o.hasGsum;
            negativeBucket = o.negativeBucket;
            negativeGsum = o.negativeGsum;
            hasQuantile = o.hasQuantile;
            lastQuantile = o.lastQuantile;
            unjudged = o.unjudged;
        }

        void resetHistogram() {
            histStarted = false;
            hasBucket = false;
            lastLe = Double.NEGATIVE_INFINITY;
            lastBucket = Double.NEGATIVE_INFINITY;
            hasInf = false;
            hasCount = false;
            hasSum = false;
            hasGsum = false;
            negativeBucket = false;
            negativeGsum = false;
        }
    }

    private void strictSample(int suffixIndex) throws ExpositionException {
        String suffix = suffixIndex >= 0 ? famSuffixNames.get(suffixIndex) : "";
        if (suffixIndex < 0) {
            problem(nameS, "a " + famType.word(format) + " family's samples are named " + famString + " with "
                    + String.join(", ", famSuffixNames.stream().map(s -> s.isEmpty() ? "no suffix" : s).toList())
                    + (om ? " in OpenMetrics" : "") + ", not " + famString);
        }
        long nameKey = hash64(b, nameS, nameE);
        if (closedSampleNames.contains(nameKey)) {
            problem(nameS, "sample name " + view.name() + " clashes with a sample or family of an earlier family");
        }
        famSampleNames.putIfAbsent(nameKey, lineNo);

        // labels: reserved names, and a key for the series and one for its group
        long seriesKey = nameKey * 0x9E3779B97F4A7C15L;
        long groupKey = famHash64;
        int leIndex = -1;
        int quantileIndex = -1;
        int stateIndex = -1;
        for (int i = 0; i < labels.n; i++) {
            int s = labels.nameS[i];
            int e = labels.nameE[i];
            if (om ? b[s] == '_' : e - s >= 2 && b[s] == '_' && b[s + 1] == '_') {
                problem(s, "label name " + new String(b, s, e - s, StandardCharsets.ISO_8859_1) + " is reserved"
                        + (om ? " (names starting with '_' are reserved in OpenMetrics)"
                        : " (names starting with '__' are reserved for internal use)"));
            }
            long pair = mix(hash64(b, s, e) * 31 + hash64(b, labels.valS[i], labels.valE[i]));
            seriesKey += pair;
            boolean grouping = true;
            if (equalsAscii(s, e, "le") && (famType == MetricType.HISTOGRAM || famType == MetricType.GAUGEHISTOGRAM)
                    && suffix.equals("_bucket")) {
                leIndex = i;
                grouping = false;
            } else if (equalsAscii(s, e, "quantile") && famType == MetricType.SUMMARY && suffix.isEmpty()) {
                quantileIndex = i;
                grouping = false;
            } else if (famType == MetricType.STATESET && e - s == famLen
                    && Arrays.equals(b, s, e, famName, 0, famLen)) {
                stateIndex = i;
                grouping = false;
            }
            if (grouping) {
                groupKey += pair;
            }
        }
        // in OpenMetrics a series may have several MetricPoints, each with a timestamp (in order, checked with its
        // group below); without timestamps it is once per exposition
        int first = om && hasTs ? 0 : seriesLines.putIfAbsent(seriesKey, lineNo);
        if (first != 0) {
            problem(nameS, "duplicate series " + view.name() + labelText(-1) + " (first at line " + first + ")");
        }

        // grouping: OpenMetrics wants every group together; the text format wants it of histograms and summaries
        boolean grouped = om || famType == MetricType.HISTOGRAM || famType == MetricType.SUMMARY;
        if (!group.active || group.key != groupKey) {
            // a histogram or summary group is judged whole at its family's end, however it is cut: in the text
            // format pieces are allowed (a warning), in OpenMetrics they are a problem, but only that one
            boolean pieces = famType == MetricType.HISTOGRAM || famType == MetricType.SUMMARY
                    || famType == MetricType.GAUGEHISTOGRAM;
            if (pieces) {
                saveGroup();
            } else {
                finishGroup();
            }
            Group resumed = pieces ? famSaved.remove(groupKey) : null;
            if (grouped && famGroups.putIfAbsent(groupKey, lineNo) != 0) {
                String what = "the samples of " + famString + labelText(leIndex >= 0 ? leIndex : quantileIndex >= 0
                        ? quantileIndex : stateIndex) + " are not together";
                if (om || !pieces) {
                    problem(nameS, what + " (a group must not be interleaved with another)");
                } else if (!famInterleaveWarned) {
                    famInterleaveWarned = true;
                    warning(nameS, what + " (Prometheus accepts a group in pieces in the text format, as"
                            + " prometheus_client's multiprocess mode writes it; OpenMetrics does not)");
                }
            }
            if (resumed != null) {
                group.copyFrom(resumed);
            } else {
            group.active = true;
            group.key = groupKey;
            group.line = lineNo;
            group.desc = null;
            group.hasTs = hasTs;
            group.ts = tsMillis;
            group.resetHistogram();
            group.hasQuantile = false;
            group.unjudged = pieces && famEvicted.contains(groupKey);
            }
        } else if (om) {
            if (hasTs != group.hasTs) {
                problem(nameS, "some samples of a group have a timestamp and others not");
            } else if (hasTs && tsMillis < group.ts && famType != MetricType.INFO) {
                problem(nameS, "timestamps go backwards within a group");
            }
            group.ts = tsMillis;
        }

        double v = value;
        switch (famType) {
            case COUNTER -> {
                if (!om || suffix.equals("_total")) {
                    counterLike(v, false);
                }
            }
            case HISTOGRAM, GAUGEHISTOGRAM -> histogramSample(suffix, leIndex, v);
            case SUMMARY -> {
                if (suffix.isEmpty() && suffixIndex >= 0) {
                    summaryQuantile(quantileIndex, v);
                } else if (suffix.equals("_count")) {
                    counterLike(v, om);
                } else if (suffix.equals("_sum") && om) {
                    counterLike(v, false);
                }
            }
            case INFO -> {
                if (v != 1) {
                    problem(valuePos(), "an info sample's value must be 1, not " + fmt(v));
                }
            }
            case STATESET -> {
                if (stateIndex < 0) {
                    problem(nameS, "a stateset sample needs a label named " + famString);
                }
                if (v != 0 && v != 1) {
                    problem(valuePos(), "a stateset sample's value must be 0 or 1, not " + fmt(v));
                }
            }
            default -> {
            }
        }

        if (hasExemplar) {
            boolean allowed = famType == MetricType.COUNTER && suffix.equals("_total")
                    || (famType == MetricType.HISTOGRAM || famType == MetricType.GAUGEHISTOGRAM)
                    && suffix.equals("_bucket");
            if (!allowed) {
                problem(exPos, "exemplars are allowed only on counter _total samples and histogram buckets");
            }
            int chars = 0;
            for (int i = 0; i < exLabels.n; i++) {
                chars += codePoints(exLabels.nameS[i], exLabels.nameE[i]);
                chars += codePoints(exLabels.valS[i], exLabels.valE[i]);
            }
            if (chars > 128) {
                problem(exPos, "the exemplar's labels are " + chars + " characters long; at most 128 are allowed");
            }
        }
    }

    private void counterLike(double v, boolean integer) throws ExpositionException {
        if (Double.isNaN(v)) {
            if (om) {
                problem(valuePos(), "value " + view.name() + " is NaN; counter-like values cannot be NaN");
            } else {
                // Prometheus ingests it (postgres_exporter writes pg_stat_database_stats_reset NaN before a reset)
                warning(valuePos(), "a counter's value " + view.name() + " is NaN (Prometheus stores it; rate() of"
                        + " it is NaN, and OpenMetrics forbids it)");
            }
        } else if (v < 0) {
            if (om) {
                problem(valuePos(), "value of " + view.name() + " is negative (" + fmt(v) + "); counter-like"
                        + " values cannot be negative");
            } else {
                warning(valuePos(), "a counter's value " + view.name() + " is negative (" + fmt(v) + "; Prometheus"
                        + " stores it, but a counter only goes up from zero, and OpenMetrics forbids it)");
            }
        } else if (integer && v != Math.rint(v) && !Double.isInfinite(v)) {
            problem(valuePos(), "value of " + view.name() + " must be an integer, not " + fmt(v));
        }
    }

    private void histogramSample(String suffix, int leIndex, double v) throws ExpositionException {
        Group g = group;
        if (om && g.histStarted && hasTs && tsMillis != g.histTs) {
            finishHistogram(group); // another MetricPoint of the same series, at another time
            g.resetHistogram();
        }
        g.histStarted = true;
        g.histTs = tsMillis;
        switch (suffix) {
            case "_bucket" -> {
                if (leIndex < 0) {
                    problem(nameS, "a histogram bucket needs an le label");
                    return;
                }
                double bound = labelNumber(leIndex);
                if (Double.isNaN(bound)) {
                    problem(labels.valS[leIndex], "le=\"" + labelValueText(leIndex) + "\" is not a number"
                            + " (an upper bound like 0.5 or +Inf)");
                    return;
                }
                if (om && bound == Double.POSITIVE_INFINITY && !labelValueText(leIndex).equals("+Inf")) {
                    problem(labels.valS[leIndex], "le=\"" + labelValueText(leIndex) + "\" is written +Inf in"
                            + " OpenMetrics (the +Inf bucket is missing otherwise)");
                }
                boolean inOrder = !g.hasBucket || bound > g.lastLe;
                if (!inOrder) {
                    String m = "buckets out of order: le=\"" + labelValueText(leIndex) + "\" after le=\""
                            + fmt(g.lastLe) + "\"";
                    if (om) {
                        problem(labels.valS[leIndex], m + " (buckets go up in le)");
                    } else {
                        // Prometheus sorts them when it reads them, and promtool accepts them
                        warning(labels.valS[leIndex], m + " (Prometheus does not mind; they usually go up in le)");
                    }
                }
                if (inOrder && v < g.lastBucket) {
                    String m = "bucket counts go down: le=\"" + labelValueText(leIndex) + "\" has " + fmt(v)
                            + ", less than the " + fmt(g.lastBucket) + " of the bucket before";
                    if (om) {
                        problem(valuePos(), m + " (buckets are cumulative)");
                    } else {
                        warning(valuePos(), m + " (buckets are cumulative; Prometheus stores them, and"
                                + " histogram_quantile evens them out)");
                    }
                }
                counterLike(v, om);
                if (bound < 0) {
                    g.negativeBucket = true;
                }
                g.hasBucket = true;
                g.lastLe = bound;
                g.lastBucket = v;
                if (bound == Double.POSITIVE_INFINITY) {
                    g.hasInf = true;
                    g.infValue = v;
                }
                if (g.desc == null) {
                    g.desc = famString + labelText(leIndex);
                }
            }
            case "_count", "_gcount" -> {
                counterLike(v, om);
                g.hasCount = true;
                g.count = v;
            }
            case "_sum" -> {
                g.hasSum = true;
                if (om) {
                    counterLike(v, false);
                }
            }
            case "_gsum" -> {
                g.hasGsum = true;
                if (Double.isNaN(v)) {
                    problem(valuePos(), "_gsum cannot be NaN");
                }
                if (v < 0) {
                    g.negativeGsum = true;
                }
            }
            default -> {
                return;
            }
        }
        if (g.desc == null) {
            g.desc = famString + labelText(-1);
        }
    }

    private void summaryQuantile(int quantileIndex, double v) throws ExpositionException {
        if (quantileIndex < 0) {
            problem(nameS, "a summary quantile sample needs a quantile label");
            return;
        }
        double q = labelNumber(quantileIndex);
        if (Double.isNaN(q) || q < 0 || q > 1) {
            String message = "quantile=\"" + labelValueText(quantileIndex) + "\" is not a number between 0 and 1";
            if (om) {
                problem(labels.valS[quantileIndex], message); // the OpenMetrics specification forbids it
            } else {
                // Prometheus ingests it and promtool accepts it (redis_exporter writes percentiles as 50 and 99.9)
                warning(labels.valS[quantileIndex], message + " (Prometheus stores it as it is, but tools that"
                        + " read quantiles as fractions will not understand it)");
            }
            return;
        }
        if (!om && group.hasQuantile && q <= group.lastQuantile) {
            warning(labels.valS[quantileIndex], "quantiles out of order: " + labelValueText(quantileIndex)
                    + " after " + fmt(group.lastQuantile) + " (Prometheus does not mind; they usually go up)");
        }
        if (om && v < 0) {
            problem(valuePos(), "a quantile's value cannot be negative (" + fmt(v) + ")");
        }
        group.hasQuantile = true;
        group.lastQuantile = q;
    }

    private void finishGroup() throws ExpositionException {
        if (group.active && (famType == MetricType.HISTOGRAM || famType == MetricType.GAUGEHISTOGRAM)) {
            finishHistogram(group);
        }
        group.active = false;
    }

    /** The text format: the current group is kept, to be judged when its family ends (it may go on later). */
    private void saveGroup() throws ExpositionException {
        if (!group.active) {
            return;
        }
        if (group.unjudged) {
            group.active = false; // never judged: nothing to keep
            return;
        }
        if (famSaved.size() >= MAX_SAVED_GROUPS) {
            boolean histogram = famType == MetricType.HISTOGRAM || famType == MetricType.GAUGEHISTOGRAM;
            if (!histogram || group.hasInf && !group.unjudged) {
                // nothing to judge at the family's end (a summary), or a histogram that looks whole: judged now,
                // and a later piece of it, if any, is not judged again on its own
                if (histogram) {
                    finishHistogram(group);
                }
                famEvicted.putIfAbsent(group.key, group.line);
                group.active = false;
                return;
            }
            java.util.Iterator<Group> oldest = famSaved.values().iterator();
            Group g = oldest.next();
            oldest.remove();
            if (!g.unjudged) {
                famEvicted.putIfAbsent(g.key, g.line);
                famUnjudged++;
            }
        }
        famSaved.put(group.key, group.copy());
        group.active = false;
    }

    /** The end of a family: its current group and those kept, in body order. */
    private void finishSavedGroups() throws ExpositionException {
        if (famSaved.isEmpty()) {
            finishGroup();
            return;
        }
        if (group.active) {
            famSaved.put(group.key, group.copy());
            group.active = false;
        }
        List<Group> all = new ArrayList<>(famSaved.values());
        famSaved.clear();
        all.sort(java.util.Comparator.comparingInt(g -> g.line));
        if (famType == MetricType.HISTOGRAM || famType == MetricType.GAUGEHISTOGRAM) {
            for (Group g : all) {
                finishHistogram(g);
            }
        }
    }

    private void finishHistogram(Group g) throws ExpositionException {
        if (!g.histStarted || g.unjudged) {
            return;
        }
        String what = g.desc == null ? famString : g.desc;
        if (!g.hasInf) {
            report(g.line, 1, "histogram " + what + " has no le=\"+Inf\" bucket (every histogram needs one)");
        } else if (g.hasCount && g.count != g.infValue) {
            report(g.line, 1, "histogram " + what + ": _count " + fmt(g.count) + " differs from the +Inf bucket's "
                    + fmt(g.infValue) + " (they must be equal)");
        }
        if (om) {
            if (g.hasSum && !g.hasCount) {
                report(g.line, 1, "histogram " + what + " has _sum but no _count (both or neither)");
            }
            if (g.hasGsum && !g.hasCount) {
                report(g.line, 1, "gauge histogram " + what + " has _gsum but no _gcount (both or neither)");
            }
            if (g.hasCount && !g.hasSum && !g.hasGsum) {
                report(g.line, 1, "histogram " + what + " has a count but no sum (both or neither)");
            }
            if (g.negativeBucket && g.hasSum) {
                report(g.line, 1, "histogram " + what + " has negative buckets, so it cannot have _sum");
            }
            if (!g.negativeBucket && g.negativeGsum) {
                report(g.line, 1, "gauge histogram " + what + " has a negative _gsum but no negative buckets");
            }
        }
        g.histStarted = false;
    }

    private int valuePos() {
        // the value follows the labels (or the name) and one or more blanks
        int p = labels.n > 0 ? labels.valE[labels.n - 1] + 1 : nameE;
        while (p < le && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        return skipBlanks(p);
    }

    private String labelText(int skip) {
        if (labels.n == 0 || labels.n == 1 && skip == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < labels.n; i++) {
            if (i == skip) {
                continue;
            }
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(new String(b, labels.nameS[i], labels.nameE[i] - labels.nameS[i], StandardCharsets.ISO_8859_1))
                    .append("=\"").append(labelValueText(i)).append('"');
        }
        return sb.append('}').toString();
    }

    private String labelValueText(int i) {
        return new String(b, labels.valS[i], labels.valE[i] - labels.valS[i], StandardCharsets.UTF_8);
    }

    /** A label value as a number, as Go's ParseFloat reads it; NaN when it is not one (or is "NaN"). */
    private double labelNumber(int i) {
        int s = labels.valS[i];
        int e = labels.valE[i];
        try {
            return number(s, e, "label", true);
        } catch (LineError err) {
            return Double.NaN;
        }
    }

    // ------------------------------------------------------------------------------------------------ numbers

    /**
     * A number as both formats (and Prometheus, which refuses Go's hexadecimal and underscore forms) write it: an
     * optional sign, digits with an optional point and exponent, or Inf/Infinity/NaN in any case.
     */
    private double number(int s, int e, String what, boolean special) {
        if (s == e) {
            throw fail(s, "expected a " + what);
        }
        int p = s;
        byte c = b[p];
        if (c == '+' || c == '-') {
            p++;
        }
        // integers up to 18 digits, the common case, are exact as longs and converted with correct rounding
        if (e - p <= 18 && p < e) {
            long v = 0;
            int q = p;
            while (q < e) {
                int d = b[q] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                v = v * 10 + d;
                q++;
            }
            if (q == e) {
                return c == '-' ? (v == 0 ? -0.0 : -(double) v) : (double) v;
            }
        }
        if (p < e && special) {
            int lc = b[p] | 0x20;
            if (lc == 'i') {
                int n = e - p;
                if (n == 3 && ciEquals(p, "inf") || n == 8 && ciEquals(p, "infinity")) {
                    return c == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                }
            } else if (lc == 'n' && p == s && e - p == 3 && ciEquals(p, "nan")) {
                return Double.NaN;
            }
        }
        int q = p;
        int digits = 0;
        while (q < e && b[q] >= '0' && b[q] <= '9') {
            q++;
            digits++;
        }
        if (q < e && b[q] == '.') {
            q++;
            while (q < e && b[q] >= '0' && b[q] <= '9') {
                q++;
                digits++;
            }
        }
        boolean ok = digits > 0;
        if (ok && q < e && (b[q] | 0x20) == 'e') {
            q++;
            if (q < e && (b[q] == '+' || b[q] == '-')) {
                q++;
            }
            int ed = 0;
            while (q < e && b[q] >= '0' && b[q] <= '9') {
                q++;
                ed++;
            }
            ok = ed > 0;
        }
        if (ok && q == e) {
            return JavaDoubleParser.parseDouble(b, s, e - s);
        }
        if (strict && !om && special) {
            double go = goFloat(s, e);
            if (!Double.isNaN(go)) {
                return go;
            }
        }
        throw fail(s, "invalid " + what + " '" + printable(new String(b, s, e - s, StandardCharsets.UTF_8)) + "'"
                + hint(s, e, special));
    }

    private String hint(int s, int e, boolean special) {
        for (int i = s; i < e; i++) {
            if (b[i] == '\r') {
                return " (a carriage return: CRLF line endings? lines must end with LF alone)";
            }
        }
        if (!special) {
            return om ? " (a timestamp is a number of seconds)" : "";
        }
        return " (expected a number like 12, 0.5, 1e-3, +Inf, -Inf or NaN)";
    }

    /**
     * The text format defers to Go's ParseFloat, which also reads hexadecimal floats (0x1p-3) and underscores
     * between digits (1_000); strict text checks accept them as the specification does (Prometheus itself does not).
     * NaN when the token is not one of those either.
     */
    private double goFloat(int s, int e) {
        String t = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        String body = t.startsWith("+") || t.startsWith("-") ? t.substring(1) : t;
        if (body.indexOf('_') >= 0) {
            // underscores only between digits, or between a base prefix and a digit
            for (int i = 0; i < body.length(); i++) {
                if (body.charAt(i) == '_') {
                    boolean before = i > 0 && (Character.digit(body.charAt(i - 1), 16) >= 0
                            || i == 1 && body.charAt(0) == '0' || (body.charAt(i - 1) | 0x20) == 'x');
                    boolean after = i + 1 < body.length() && Character.digit(body.charAt(i + 1), 16) >= 0;
                    if (!before || !after) {
                        return Double.NaN;
                    }
                }
            }
            t = t.replace("_", "");
            body = body.replace("_", "");
        }
        if (body.length() > 2 && body.charAt(0) == '0' && (body.charAt(1) | 0x20) == 'x') {
            if (!body.matches("0[xX]([0-9a-fA-F]+(\\.[0-9a-fA-F]*)?|\\.[0-9a-fA-F]+)[pP][+-]?[0-9]+")) {
                return Double.NaN;
            }
            return Double.parseDouble(t);
        }
        if (body.matches("([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?")) {
            return Double.parseDouble(t);
        }
        return Double.NaN;
    }

    /** A text-format timestamp: integer milliseconds, as Go's ParseInt reads them. */
    private long timestamp(int s, int e) {
        int p = s;
        boolean neg = false;
        if (b[p] == '+' || b[p] == '-') {
            neg = b[p] == '-';
            p++;
        }
        if (p == e) {
            throw fail(s, "invalid timestamp (expected integer milliseconds)");
        }
        long v = 0;
        for (; p < e; p++) {
            int d = b[p] - '0';
            if (d < 0 || d > 9) {
                throw fail(s, "invalid timestamp '" + printable(new String(b, s, e - s, StandardCharsets.UTF_8))
                        + "' (the text format wants integer milliseconds)" + (b[p] == '\r' ? hint(s, e, false) : ""));
            }
            if (v > (Long.MAX_VALUE - d) / 10) {
                throw fail(s, "timestamp out of range");
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    // ------------------------------------------------------------------------------------------------ strings

    /**
     * Unescapes a HELP text. The text format escapes backslash and line feed; OpenMetrics also the double quote.
     * Strict mode refuses any other escape; lenient keeps it as written, as Prometheus does.
     */
    private String escapedString(int s, int e, boolean quoteEscape) {
        boolean any = false;
        boolean hi = false;
        for (int i = s; i < e; i++) {
            if (b[i] == '\\') {
                any = true;
                if (i + 1 >= e) {
                    if (strict) {
                        throw fail(i, "the help text ends with a lone backslash");
                    }
                    break;
                }
                byte n = b[i + 1];
                // OpenMetrics's ABNF allows a backslash before any other character too (escaped-char =/ BS normal-char)
                if (strict && !om && n != '\\' && n != 'n' && !(quoteEscape && n == '"')) {
                    throw fail(i, "invalid escape '\\" + (char) (n & 0xff) + "' in help text (allowed: \\\\, \\n"
                            + (quoteEscape ? " and \\\"" : "") + ")");
                }
                i++;
            } else if (b[i] < 0) {
                hi = true;
            } else if (strict && om && b[i] == '"') {
                throw fail(i, "a double quote in help text must be escaped as \\\"");
            }
        }
        if (hi && strict) {
            int bad = invalidUtf8(s, e);
            if (bad >= 0) {
                throw fail(bad, "help text is not valid UTF-8");
            }
        }
        if (!any) {
            return Strings.decode(b, s, e - s);
        }
        int n = unescape(s, e, quoteEscape);
        return new String(scratch, 0, n, StandardCharsets.UTF_8);
    }

    /** Unescapes b[s, e) into scratch, returning the length: \\ \n, and \" when asked; others stay as written. */
    private int unescape(int s, int e, boolean quoteEscape) {
        if (scratch.length < e - s) {
            scratch = new byte[Math.max(e - s, scratch.length * 2)];
        }
        int n = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '\\' && i + 1 < e) {
                byte d = b[i + 1];
                if (d == 'n') {
                    scratch[n++] = '\n';
                    i++;
                    continue;
                }
                if (d == '\\' || quoteEscape && d == '"') {
                    scratch[n++] = d;
                    i++;
                    continue;
                }
            }
            scratch[n++] = c;
        }
        return n;
    }

    /** The position of the first byte that breaks UTF-8 in b[s, e), or -1. */
    private int invalidUtf8(int s, int e) {
        int i = s;
        while (i < e) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + n >= e) {
                return i;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                int d = b[i + k] & 0xff;
                if ((d & 0xC0) != 0x80) {
                    return i;
                }
                cp = cp << 6 | d & 0x3F;
            }
            if (cp < min || cp > 0x10FFFF || cp >= 0xD800 && cp <= 0xDFFF) {
                return i;
            }
            i += n + 1;
        }
        return -1;
    }

    private int codePoints(int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) {
            if ((b[i] & 0xC0) != 0x80) {
                n++;
            }
        }
        return n;
    }

    private boolean startsWith(int p, String word) {
        int n = word.length();
        if (p + n > le) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[p + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean equalsAscii(int s, int e, String word) {
        return e - s == word.length() && startsWith(s, word);
    }

    private boolean ciEquals(int p, String lower) {
        for (int i = 0; i < lower.length(); i++) {
            if ((b[p + i] | 0x20) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isBlank(byte c) {
        return c == ' ' || c == '\t';
    }

    private int skipBlanks(int p) {
        while (p < le && (b[p] == ' ' || b[p] == '\t')) {
            p++;
        }
        return p;
    }

    private String quoteChar(int p) {
        if (p >= le) {
            return "the end of the line";
        }
        int c = b[p] & 0xff;
        if (c == '\r') {
            return "a carriage return (CRLF line endings? lines must end with LF alone)";
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format(java.util.Locale.ROOT, "byte 0x%02x", c);
        }
        if (c >= 0x80) {
            int end = p + 1;
            while (end < le && (b[end] & 0xC0) == 0x80) {
                end++;
            }
            return "'" + new String(b, p, end - p, StandardCharsets.UTF_8) + "'";
        }
        return "'" + (char) c + "'";
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 60; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format(java.util.Locale.ROOT, "\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String fmt(double v) {
        if (v == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (v == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /** A 64-bit hash of a byte range, for strict checks' sets. */
    private static long hash64(byte[] a, int s, int e) {
        long h = 0xcbf29ce484222325L ^ (e - s);
        int i = s;
        for (; i + 8 <= e; i += 8) {
            h = (h ^ (long) LONGS.get(a, i)) * 0x100000001b3L;
            h ^= h >>> 29;
        }
        for (; i < e; i++) {
            h = (h ^ a[i]) * 0x100000001b3L;
        }
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    // --------------------------------------------------------------------------------------------- the view

    private final class View implements SampleView {
        @Override
        public String name() {
            return strings.get(b, nameS, nameE - nameS, nameHash);
        }

        @Override
        public String family() {
            return famString;
        }

        @Override
        public MetricType type() {
            return famType;
        }

        @Override
        public int labelCount() {
            return labels.n;
        }

        @Override
        public String labelName(int i) {
            return strings.get(b, labels.nameS[i], labels.nameE[i] - labels.nameS[i], labels.nameHash[i]);
        }

        @Override
        public String labelValue(int i) {
            return value(labels, i);
        }

        private String value(Spans s, int i) {
            int vs = s.valS[i];
            int ve = s.valE[i];
            if (!s.escaped[i]) {
                return strings.get(b, vs, ve - vs, Strings.hash(b, vs, ve));
            }
            int n = unescape(vs, ve, true);
            return new String(scratch, 0, n, StandardCharsets.UTF_8);
        }

        @Override
        public String label(String name) {
            for (int i = 0; i < labels.n; i++) {
                int s = labels.nameS[i];
                if (labels.nameE[i] - s == name.length() && startsWith(s, name)) {
                    return labelValue(i);
                }
            }
            return null;
        }

        @Override
        public double value() {
            return value;
        }

        @Override
        public boolean hasTimestamp() {
            return hasTs;
        }

        @Override
        public long timestampMillis() {
            return tsMillis;
        }

        @Override
        public Exemplar exemplar() {
            if (!hasExemplar) {
                return null;
            }
            String[] n = new String[exLabels.n];
            String[] v = new String[exLabels.n];
            for (int i = 0; i < n.length; i++) {
                n[i] = strings.get(b, exLabels.nameS[i], exLabels.nameE[i] - exLabels.nameS[i], exLabels.nameHash[i]);
                v[i] = value(exLabels, i);
            }
            return new Exemplar(Labels.of(n, v), exValue, exHasTs, exTs);
        }

        @Override
        public int line() {
            return lineNo;
        }
    }
}
