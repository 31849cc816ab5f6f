package io.exlm.mon.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** {@code -o json}: one pretty-printed document on stdout and nothing else. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static {
        // the exact string, escaped: besides the controls JSON escapes anyway, DEL, C1 controls and the bidi
        // overrides are written as \\uXXXX, so that a document printed to a terminal cannot drive it
        MAPPER.getFactory().setCharacterEscapes(new com.fasterxml.jackson.core.io.CharacterEscapes() {
            private final int[] ascii;

            {
                ascii = standardAsciiEscapesForJSON();
                ascii[0x7f] = ESCAPE_STANDARD;
            }

            @Override
            public int[] getEscapeCodesForAscii() {
                return ascii;
            }

            @Override
            public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
                if (ch >= 0x80 && ch < 0xa0 || TerminalSafe.bidi(ch)) {
                    return new com.fasterxml.jackson.core.io.SerializedString(String.format(java.util.Locale.ROOT,
                            "\\u%04x", ch));
                }
                return null;
            }
        });
    }

    private Json() {
    }

    /** A value as JSON on one line, escaped alike: how text output shows a structured figure. */
    static String line(Object value) {
        try {
            return MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    static void write(PrintWriter out, Object document) {
        try {
            out.println(MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
        out.flush();
    }
}
