package io.exlm.mon;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every YAML file exlm-mon reads is read here, by Jackson's YAML reader: never by regular expressions or by counting
 * spaces, which break on a quoted value, a comment, a flow list or another indentation.
 */
public final class Yaml {
    /** SnakeYAML's default refuses a document of more than 3 MiB: a large generated Prometheus config is still one. */
    private static final YAMLMapper MAPPER = new YAMLMapper(com.fasterxml.jackson.dataformat.yaml.YAMLFactory.builder()
            .loaderOptions(codePoints()).build());

    private static org.yaml.snakeyaml.LoaderOptions codePoints() {
        org.yaml.snakeyaml.LoaderOptions o = new org.yaml.snakeyaml.LoaderOptions();
        // the text is in memory already, within the cap of wherever it came from (a file's, the body's)
        o.setCodePointLimit(Integer.MAX_VALUE);
        return o;
    }

    private Yaml() {
    }

    /** A YAML document as a tree; an empty document is a missing node. */
    public static JsonNode read(String text, String what) {
        try {
            JsonNode n = MAPPER.readTree(text);
            return n == null ? MissingNode.getInstance() : n;
        } catch (JsonProcessingException e) {
            throw new Malformed(what, e);
        }
    }

    /** A scalar as text (a number or a boolean as YAML wrote it), null when absent or not a scalar. */
    public static String text(JsonNode node) {
        return node != null && node.isValueNode() && !node.isNull() ? node.asText() : null;
    }

    /** A document that is not YAML, said in one line: what it is, the reader's first line, and where. */
    public static final class Malformed extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Malformed(String what, JsonProcessingException e) {
            super(what + " is not YAML: " + problem(e), e);
        }

        /**
         * What SnakeYAML found and where it found it (its problem and problem mark: "found character '\t' that cannot
         * start any token", line 2): its first line is only the context ("while scanning for the next token").
         */
        private static String problem(JsonProcessingException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblem() != null) {
                    org.yaml.snakeyaml.error.Mark mark = m.getProblemMark() != null ? m.getProblemMark()
                            : m.getContextMark();
                    return Text.printable(m.getProblem().strip()) + (mark == null ? "" : " (line " + (mark.getLine() + 1)
                            + ", column " + (mark.getColumn() + 1) + ")");
                }
            }
            return firstLine(e) + where(e.getLocation());
        }

        private static String firstLine(JsonProcessingException e) {
            String m = e.getOriginalMessage();
            return m == null ? e.getClass().getSimpleName() : Text.printable(m.strip().lines().findFirst().orElse(m));
        }

        private static String where(JsonLocation l) {
            return l == null || l.getLineNr() < 1 ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")";
        }
    }
}
