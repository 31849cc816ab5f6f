package io.exlm.mon.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Reads a JSON tree with jackson-core's streaming parser: the JsonNode API without ObjectMapper's start-up cost. */
public final class JsonTree {
    /**
     * Duplicate keys are refused: {@code {"status":"unhealthy","status":"healthy"}} has no one meaning, and the last
     * one winning would let a body say healthy after saying it is not.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonTree() {
    }

    public static JsonNode read(byte[] body) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            JsonToken t = p.nextToken();
            return t == null ? MissingNode.getInstance() : value(p, t, null);
        }
    }

    /** A parser of a stream, with the same rules (duplicate keys refused); the caller closes it. */
    public static JsonParser parser(java.io.InputStream in) throws IOException {
        return FACTORY.createParser(in);
    }

    /**
     * The value at the parser's current token, counting its values and string bytes against the budget (null: no
     * budget): what a streamed answer can hold once it is a tree is bounded before it fills the heap.
     */
    public static JsonNode value(JsonParser p, io.exlm.mon.config.AnswerLimits.Budget budget) throws IOException {
        return value(p, p.currentToken(), budget);
    }

    /** A string as a server wrote it, with no escape sequences left in it (it may reach a terminal). */
    public static String text(JsonParser p, io.exlm.mon.config.AnswerLimits.Budget budget) throws IOException {
        String s = p.getText();
        if (budget != null) {
            budget.labelBytes(s.length());
        }
        return io.exlm.mon.Text.noEscapes(s);
    }

    private static JsonNode value(JsonParser p, JsonToken t, io.exlm.mon.config.AnswerLimits.Budget budget)
            throws IOException {
        if (budget != null) {
            budget.value();
        }
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken k = p.nextToken(); k == JsonToken.FIELD_NAME; k = p.nextToken()) {
                    String name = p.currentName();
                    if (budget != null) {
                        budget.labelBytes(name.length());
                    }
                    o.set(name, value(p, p.nextToken(), budget));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    a.add(value(p, v, budget));
                }
                return a;
            }
            case VALUE_STRING:
                // what a server wrote reaches a terminal: no escape sequences in it
                return NODES.textNode(text(p, budget));
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected token " + t);
        }
    }
}
