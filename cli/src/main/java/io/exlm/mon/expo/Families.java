package io.exlm.mon.expo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The metadata lines (# HELP, # TYPE, and OpenMetrics's # UNIT and # EOF) and the family they declare: which
 * family a sample belongs to, by its name and the sample names of the family's type, and when a new one begins.
 */
final class Families {
    private final Line line;
    private final SampleLine sample;
    private final ExpositionFormat format;
    private StrictRules rules;
    ExpositionHandler handler;

    /** OpenMetrics: '# EOF' was read. */
    boolean eofSeen;
    /** The current family's name; {@code len} is -1 before the first. */
    byte[] nameBytes = new byte[128];
    int len = -1;
    String name;
    MetricType type = MetricType.UNKNOWN;
    private byte[][] suffixes;
    List<String> suffixNames = List.of("");
    boolean hasSamples;
    boolean help;
    boolean typeSeen;
    boolean unit;
    /** The line that began the family. */
    int firstLine;

    Families(Line line, SampleLine sample) {
        this.line = line;
        this.sample = sample;
        this.format = line.format;
        this.suffixes = suffixBytes(MetricType.UNKNOWN);
    }

    void rules(StrictRules r) {
        this.rules = r;
    }

    void begin(ExpositionHandler h) {
        handler = h;
        len = -1;
        name = null;
        eofSeen = false;
    }

    /** A text-format comment, at its '#': HELP or TYPE, or any other comment (ignored). */
    void textComment(int hash) throws ExpositionException {
        byte[] b = line.b;
        int le = line.le;
        int p = line.skipBlanks(hash + 1);
        ExpositionHandler.Metadata kind;
        if (line.startsWith(p, "HELP") && p + 4 < le && Line.isBlank(b[p + 4])) {
            kind = ExpositionHandler.Metadata.HELP;
        } else if (line.startsWith(p, "TYPE") && p + 4 < le && Line.isBlank(b[p + 4])) {
            kind = ExpositionHandler.Metadata.TYPE;
        } else {
            return; // any other comment
        }
        p = line.skipBlanks(p + 4);
        int ns = p;
        int h = sample.metricName(p, "after # " + kind);
        int ne = sample.nameE;
        p = line.skipBlanks(ne);
        if (p == ne && p < le) {
            throw line.fail(p, "invalid character " + line.quoteChar(p) + " in metric name");
        }
        if (kind == ExpositionHandler.Metadata.HELP) {
            metadata(kind, ns, ne, h, sample.escapes.help(p, le, false), null);
        } else {
            int ts = p;
            while (p < le && !Line.isBlank(b[p])) {
                p++;
            }
            if (ts == p) {
                throw line.fail(p, "expected a type after the metric name (counter, gauge, histogram, summary or"
                        + " untyped)");
            }
            String word = line.ascii(ts, p);
            MetricType t = MetricType.fromWord(word, format);
            if (t == null) {
                throw line.fail(ts, "unknown type '" + Line.printable(word) + "' (the text format has counter,"
                        + " gauge, histogram, summary and untyped)");
            }
            p = line.skipBlanks(p);
            if (p < le) {
                throw line.fail(p, "unexpected text after the type");
            }
            metadata(kind, ns, ne, h, word, t);
        }
    }

    /** An OpenMetrics comment line: # HELP, # TYPE, # UNIT or # EOF, and nothing else. */
    void omComment() throws ExpositionException {
        byte[] b = line.b;
        int ls = line.ls;
        int le = line.le;
        int n = le - ls;
        if (n == 5 && line.startsWith(ls, "# EOF")) {
            eofSeen = true;
            return;
        }
        if (n < 2 || b[ls + 1] != ' ') {
            throw line.fail(ls + 1, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other"
                    + " comments)");
        }
        ExpositionHandler.Metadata kind;
        if (line.startsWith(ls + 2, "HELP ")) {
            kind = ExpositionHandler.Metadata.HELP;
        } else if (line.startsWith(ls + 2, "TYPE ")) {
            kind = ExpositionHandler.Metadata.TYPE;
        } else if (line.startsWith(ls + 2, "UNIT ")) {
            kind = ExpositionHandler.Metadata.UNIT;
        } else if (line.startsWith(ls + 2, "EOF")) {
            throw line.fail(ls + 5, "'# EOF' must be alone on its line");
        } else {
            throw line.fail(ls + 2, "expected '# HELP', '# TYPE', '# UNIT' or '# EOF' (OpenMetrics has no other"
                    + " comments)");
        }
        int p = ls + 7;
        int ns = p;
        int h = sample.metricName(p, "after # " + kind);
        int ne = sample.nameE;
        p = ne;
        boolean hasText = p < le;
        if (hasText && b[p] != ' ') {
            throw line.fail(p, "invalid character " + line.quoteChar(p) + " in metric name");
        }
        if (!hasText && line.strict && kind != ExpositionHandler.Metadata.TYPE) {
            throw line.fail(p, "expected a space after the metric name (OpenMetrics writes '# " + kind + " name '"
                    + " even when the " + (kind == ExpositionHandler.Metadata.HELP ? "help" : "unit")
                    + " is empty)");
        }
        int ts = hasText ? p + 1 : p;
        switch (kind) {
            case HELP -> metadata(kind, ns, ne, h, sample.escapes.help(ts, le, true), null);
            case TYPE -> {
                if (!hasText) {
                    throw line.fail(p, "expected a space and a type after the metric name");
                }
                String word = line.ascii(ts, le);
                MetricType t = MetricType.fromWord(word, format);
                if (t == null) {
                    throw line.fail(ts, "unknown type '" + Line.printable(word) + "' (OpenMetrics has counter,"
                            + " gauge, histogram, gaugehistogram, stateset, info, summary and unknown)");
                }
                metadata(kind, ns, ne, h, word, t);
            }
            default -> {
                for (int i = ts; i < le; i++) {
                    if (!SampleLine.METRIC_CHAR[b[i] & 0xff]) {
                        throw line.fail(i, "invalid character " + line.quoteChar(i) + " in unit");
                    }
                }
                int ul = le - ts;
                if (ul > 0) {
                    // the unit must be a suffix of the family name, after an underscore (Prometheus checks it too)
                    int nl = ne - ns;
                    boolean suffix = nl > ul && b[ne - ul - 1] == '_'
                            && Arrays.equals(b, ne - ul, ne, b, ts, le);
                    if (!suffix) {
                        throw line.fail(ts, "unit '" + line.ascii(ts, le) + "' is not a suffix of the metric name"
                                + " (expected a name ending in _" + line.ascii(ts, le) + ")");
                    }
                }
                metadata(kind, ns, ne, h, line.ascii(ts, le), null);
            }
        }
    }

    private void metadata(ExpositionHandler.Metadata kind, int ns, int ne, int h, String text, MetricType t)
            throws ExpositionException {
        if (!isCurrent(ns, ne)) {
            start(ns, ne, h);
        } else if (rules != null) {
            rules.declaredAgain(kind);
        }
        switch (kind) {
            case HELP -> help = true;
            case TYPE -> {
                typeSeen = true;
                setType(t);
                if (rules != null) {
                    rules.typedClash(line.ls);
                }
            }
            default -> unit = true;
        }
        handler.metadata(kind, name, text);
    }

    private void setType(MetricType t) {
        type = t;
        suffixes = suffixBytes(t);
        suffixNames = t.sampleSuffixes(format);
    }

    private byte[][] suffixBytes(MetricType t) {
        List<String> names = t.sampleSuffixes(format == null ? ExpositionFormat.PROMETHEUS_TEXT : format);
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.get(i).getBytes(StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    private boolean isCurrent(int ns, int ne) {
        return len == ne - ns && Arrays.equals(nameBytes, 0, len, line.b, ns, ne);
    }

    private void start(int ns, int ne, int h) throws ExpositionException {
        if (rules != null) {
            rules.finishFamily();
        }
        int n = ne - ns;
        if (nameBytes.length < n) {
            nameBytes = new byte[Math.max(n, nameBytes.length * 2)];
        }
        System.arraycopy(line.b, ns, nameBytes, 0, n);
        len = n;
        name = sample.strings.get(line.b, ns, n, h);
        setType(MetricType.UNKNOWN);
        hasSamples = false;
        help = false;
        typeSeen = false;
        unit = false;
        firstLine = line.no;
        if (rules != null) {
            rules.familyStarted(ns, ne);
        }
    }

    /**
     * Finds the family of the sample just read, named b[nameS, nameE), starting an untyped one when it is not the
     * current family's; the index of its suffix among the type's, or -1 for the family's own name where the type
     * wants a suffix.
     */
    int resolve(int nameS, int nameE, int nameHash) throws ExpositionException {
        byte[] b = line.b;
        int n = nameE - nameS;
        if (len >= 0 && n >= len && Arrays.equals(nameBytes, 0, len, b, nameS, nameS + len)) {
            byte[][] sfx = suffixes;
            for (int i = 0; i < sfx.length; i++) {
                byte[] s = sfx[i];
                if (n == len + s.length && Arrays.equals(s, 0, s.length, b, nameS + len, nameE)) {
                    hasSamples = true;
                    return i;
                }
            }
            if (n == len) {
                hasSamples = true;
                return -1; // the family's own name, where its type wants a suffix: strict says so
            }
        }
        start(nameS, nameE, nameHash);
        hasSamples = true;
        return 0;
    }
}
