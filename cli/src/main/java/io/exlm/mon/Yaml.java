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
    private static final YAMLMapper MAPPER = new YAMLMapper();

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
            super(what + " is not YAML: " + firstLine(e) + where(e.getLocation()), e);
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
