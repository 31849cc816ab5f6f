package io.exlm.mon.expo;

import java.util.Arrays;

/**
 * The grammar of a sample line, {@code name{labels} value [timestamp] [# {labels} value [timestamp]]} (the exemplar
 * in OpenMetrics only), and the sample it read: where its name and labels are in the line, its value and timestamp.
 * It is also the {@link SampleView} handed to the handler, decoding names and values only when asked.
 */
final class SampleLine implements SampleView {
    static final boolean[] METRIC_START = new boolean[256];
    static final boolean[] METRIC_CHAR = new boolean[256];
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

    /** Where the labels of a sample or an exemplar are in the line. */
    static final class Spans {
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

    private final Line line;
    private final NumberSyntax numbers;
    /** Also the metadata lines' (HELP). */
    final Escapes escapes;
    /** Also the family names'. */
    final Strings strings;
    private Families families;

    int nameS;
    /** The end of the name read last by {@link #metricName} (a sample's, or a metadata line's). */
    int nameE;
    int nameHash;
    final Spans labels = new Spans();
    final Spans exLabels = new Spans();
    double value;
    boolean hasTs;
    long tsMillis;
    boolean hasExemplar;
    private double exValue;
    private boolean exHasTs;
    private double exTs;
    int exPos;

    SampleLine(Line line) {
        this.line = line;
        this.numbers = new NumberSyntax(line);
        this.escapes = new Escapes(line);
        this.strings = new Strings();
    }

    void families(Families f) {
        this.families = f;
    }

    /** Reads a metric name at p (setting nameE) and returns its hash. */
    int metricName(int p, String where) {
        byte[] b = line.b;
        int le = line.le;
        if (p >= le || !METRIC_START[b[p] & 0xff]) {
            throw line.fail(p, "expected a metric name " + where + (p >= le ? "" : ", found " + line.quoteChar(p)));
        }
        int h = b[p++];
        while (p < le && METRIC_CHAR[b[p] & 0xff]) {
            h = 31 * h + b[p++];
        }
        nameE = p;
        return h;
    }

    /**
     * Reads the sample that starts at p, up to the end of the line, checks its labels as Prometheus does, and finds
     * its family ({@link Families#resolve}, whose answer it returns).
     */
    int read(int p) throws ExpositionException {
        byte[] b = line.b;
        int le = line.le;
        boolean om = line.om;
        nameS = p;
        nameHash = metricName(p, "at the start of a sample line");
        p = nameE;
        labels.n = 0;
        hasExemplar = false;
        hasTs = false;
        if (!om) {
            int q = line.skipBlanks(p);
            if (q < le && b[q] == '{') {
                p = q;
            }
        }
        if (p < le && b[p] == '{') {
            p = labelSet(p + 1, labels);
        } else if (p < le && !(b[p] == ' ' || !om && b[p] == '\t')) {
            throw line.fail(p, "invalid character " + line.quoteChar(p) + " in metric name");
        }
        if (om) {
            if (p >= le || b[p] != ' ') {
                throw line.fail(p, p >= le ? "expected a space and a value" : "expected a single space before the"
                        + " value");
            }
            p++;
        } else {
            int q = line.skipBlanks(p);
            if (q >= le) {
                throw line.fail(q, "expected a value");
            }
            p = q;
        }
        int vs = p;
        while (p < le && b[p] != ' ' && (om || b[p] != '\t')) {
            p++;
        }
        value = numbers.number(vs, p, "value", true);
        if (om) {
            if (p < le) {
                p++;
                if (p < le && b[p] == '#') {
                    p = exemplarAt(p);
                } else {
                    int ts = p;
                    p = spaceOrEnd(b, p, le);
                    double t = numbers.number(ts, p, "timestamp", false);
                    tsMillis = (long) (t * 1000); // as Prometheus converts OpenMetrics seconds
                    hasTs = true;
                    if (p < le) {
                        p++;
                        if (p < le && b[p] == '#') {
                            p = exemplarAt(p);
                        } else {
                            throw line.fail(p, "expected an exemplar ('# {labels} value') after the timestamp");
                        }
                    }
                }
                if (p < le) {
                    throw line.fail(p, "unexpected text after the exemplar");
                }
            }
        } else {
            p = line.skipBlanks(p);
            if (p < le) {
                int ts = p;
                while (p < le && !Line.isBlank(b[p])) {
                    p++;
                }
                tsMillis = numbers.millis(ts, p);
                hasTs = true;
                p = line.skipBlanks(p);
                if (p < le) {
                    throw line.fail(p, b[p] == '#' ? "exemplars exist only in OpenMetrics, not in the text format"
                            : "unexpected text after the timestamp");
                }
            }
        }
        checkLabels(labels);
        return families.resolve(nameS, nameE, nameHash);
    }

    /** Parses labels from p (just after '{') to the closing '}', returning the position after it. */
    private int labelSet(int p, Spans into) {
        byte[] b = line.b;
        int le = line.le;
        boolean om = line.om;
        into.n = 0;
        boolean afterComma = false;
        while (true) {
            if (!om) {
                p = line.skipBlanks(p);
            }
            if (p >= le) {
                throw line.fail(p, "the line ends inside the labels (expected '}')");
            }
            if (b[p] == '}') {
                if (afterComma && om) {
                    throw line.fail(p, "a comma before '}' (OpenMetrics allows no trailing comma)");
                }
                return p + 1;
            }
            if (!LABEL_START[b[p] & 0xff]) {
                throw line.fail(p, "expected a label name, found " + line.quoteChar(p));
            }
            int ns = p;
            int h = b[p++];
            while (p < le && LABEL_CHAR[b[p] & 0xff]) {
                h = 31 * h + b[p++];
            }
            int ne = p;
            if (!om) {
                p = line.skipBlanks(p);
            }
            if (p >= le || b[p] != '=') {
                throw line.fail(p, p < le && !om && b[p] != '=' && !Line.isBlank(b[p]) && p == ne
                        ? "invalid character " + line.quoteChar(p) + " in label name"
                        : "expected '=' after the label name");
            }
            p++;
            if (!om) {
                p = line.skipBlanks(p);
            }
            if (p >= le || b[p] != '"') {
                throw line.fail(p, "expected '\"' to start the label value");
            }
            p++;
            int vs = p;
            boolean esc = false;
            boolean hi = false;
            while (true) {
                p = toQuoteBackslashOrHigh(b, p, le);
                if (p >= le) {
                    throw line.fail(vs - 1, "the label value is not closed (a '\"' is missing, or a raw line feed is"
                            + " in it)");
                }
                byte c = b[p];
                if (c == '"') {
                    break;
                }
                if (c == '\\') {
                    if (p + 1 >= le) {
                        throw line.fail(p, "the line ends after a backslash in the label value");
                    }
                    byte n = b[p + 1];
                    if (!om && line.strict && !Escapes.known(n, true)) {
                        throw line.fail(p, "invalid escape '\\" + (char) (n & 0xff) + "' in label value (allowed:"
                                + " \\\\, \\\" and \\n)");
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
                p = line.skipBlanks(p);
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
            throw line.fail(p, p >= le ? "the line ends inside the labels (expected '}')" : "expected ',' or '}'"
                    + " after the label value, found " + line.quoteChar(p));
        }
    }

    /**
     * The first position from p where b holds a '"', a backslash or a byte of a multi-byte UTF-8 character, or the
     * last few bytes of the line (fewer than eight from {@code le}), where the caller goes on a byte at a time. A
     * label value is read eight bytes at a time, as {@link Blocks#indexOfNewline} looks for line feeds: a byte
     * that is none of the three costs no branch of its own.
     */
    static int toQuoteBackslashOrHigh(byte[] b, int p, int le) {
        for (; p + 8 <= le; p += 8) {
            long w = (long) Strings.LONGS.get(b, p);
            long q = w ^ 0x2222222222222222L;
            long s = w ^ 0x5C5C5C5C5C5C5C5CL;
            // a byte of q or s that is zero is a '"' or a backslash; w's high bit is a byte >= 0x80. A borrow can
            // mark a byte above the first one found, never below it, so the lowest mark is exact.
            long t = ((q - 0x0101010101010101L) & ~q | (s - 0x0101010101010101L) & ~s | w) & 0x8080808080808080L;
            if (t != 0) {
                return p + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        return p;
    }

    /** What Prometheus refuses in a label set: a name twice, a value that is not UTF-8. */
    private void checkLabels(Spans s) {
        byte[] b = line.b;
        for (int i = 0; i < s.n; i++) {
            int li = s.nameE[i] - s.nameS[i];
            int hi = s.nameHash[i];
            for (int j = 0; j < i; j++) {
                // the names' hashes first: two names of one set rarely share one, so the bytes are seldom compared
                if (s.nameHash[j] == hi && s.nameE[j] - s.nameS[j] == li && Arrays.equals(b, s.nameS[i], s.nameE[i],
                        b, s.nameS[j], s.nameE[j])) {
                    throw line.fail(s.nameS[i], "label " + line.ascii(s.nameS[i], s.nameE[i])
                            + " appears twice in one label set");
                }
            }
            if (s.high[i]) {
                int bad = Utf8.invalid(b, s.valS[i], s.valE[i]);
                if (bad >= 0) {
                    throw line.fail(bad, "label value is not valid UTF-8");
                }
            }
        }
    }

    /** Reads the exemplar at p, at its '#': "# {labels} value [timestamp]"; the position after it. */
    private int exemplarAt(int p) {
        byte[] b = line.b;
        int le = line.le;
        exPos = p;
        if (p + 2 >= le || b[p + 1] != ' ' || b[p + 2] != '{') {
            throw line.fail(p, "expected an exemplar: '# {labels} value [timestamp]'");
        }
        p = labelSet(p + 3, exLabels);
        checkLabels(exLabels);
        if (p >= le || b[p] != ' ') {
            throw line.fail(p, "expected a space and the exemplar's value");
        }
        p++;
        int vs = p;
        p = spaceOrEnd(b, p, le);
        exValue = numbers.number(vs, p, "exemplar value", true);
        exHasTs = false;
        if (p < le) {
            p++;
            int ts = p;
            p = spaceOrEnd(b, p, le);
            exTs = numbers.number(ts, p, "exemplar timestamp", false);
            exHasTs = true;
        }
        hasExemplar = true;
        return p;
    }

    /** The first space in b[p, le), or le: where an OpenMetrics token ends. */
    private static int spaceOrEnd(byte[] b, int p, int le) {
        while (p < le && b[p] != ' ') {
            p++;
        }
        return p;
    }

    /** Where the value is: after the labels (or the name) and one or more blanks. */
    int valuePos() {
        byte[] b = line.b;
        int le = line.le;
        int p = labels.n > 0 ? labels.valE[labels.n - 1] + 1 : nameE;
        while (p < le && b[p] != ' ' && b[p] != '\t') {
            p++;
        }
        return line.skipBlanks(p);
    }

    /** The labels as written in a message ({a="1",b="2"}), without the one at {@code skip}; "" when none are left. */
    String labelText(int skip) {
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
            sb.append(line.ascii(labels.nameS[i], labels.nameE[i])).append("=\"").append(labelValueText(i))
                    .append('"');
        }
        return sb.append('}').toString();
    }

    /** The label value as written (escapes and all). */
    String labelValueText(int i) {
        return line.utf8(labels.valS[i], labels.valE[i]);
    }

    /** A label value as a number, as Go's ParseFloat reads it; NaN when it is not one (or is "NaN"). */
    double labelNumber(int i) {
        return numbers.numberOrNaN(labels.valS[i], labels.valE[i]);
    }

    // ------------------------------------------------------------------------------------------- the view

    @Override
    public String name() {
        return strings.get(line.b, nameS, nameE - nameS, nameHash);
    }

    @Override
    public String family() {
        return families.name;
    }

    @Override
    public MetricType type() {
        return families.type;
    }

    @Override
    public int labelCount() {
        return labels.n;
    }

    @Override
    public String labelName(int i) {
        return strings.get(line.b, labels.nameS[i], labels.nameE[i] - labels.nameS[i], labels.nameHash[i]);
    }

    @Override
    public String labelValue(int i) {
        return value(labels, i);
    }

    private String value(Spans s, int i) {
        byte[] b = line.b;
        int vs = s.valS[i];
        int ve = s.valE[i];
        if (!s.escaped[i]) {
            return strings.get(b, vs, ve - vs, Strings.hash(b, vs, ve));
        }
        return escapes.unescape(b, vs, ve, true);
    }

    @Override
    public String label(String name) {
        for (int i = 0; i < labels.n; i++) {
            int s = labels.nameS[i];
            if (labels.nameE[i] - s == name.length() && line.startsWith(s, name)) {
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
        byte[] b = line.b;
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
        return line.no;
    }
}
