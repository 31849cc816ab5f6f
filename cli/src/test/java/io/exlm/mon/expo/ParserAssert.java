package io.exlm.mon.expo;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the parser on a body in both modes and returns what a test asserts on. */
final class ParserAssert {
    private ParserAssert() {
    }

    /** Problems as {@code FILE:LINE:COL: message}; error is the lenient failure, null when it parsed. */
    record Outcome(List<String> problems, String error, Scrape scrape) {
    }

    static Outcome strict(ExpositionFormat f, String body) {
        return strict(f, body.getBytes(StandardCharsets.UTF_8));
    }

    static Outcome strict(ExpositionFormat f, byte[] body) {
        ExpositionParser p = new ExpositionParser(f, ParseMode.STRICT, "t.txt");
        Scrape.Builder builder = new Scrape.Builder();
        try {
            p.parse(body, builder);
        } catch (ExpositionException e) {
            throw new AssertionError("strict mode must not throw", e);
        }
        return new Outcome(p.problems().stream().map(Problem::toString).toList(), null,
                builder.build("t.txt", f, 0));
    }

    static Outcome lenient(ExpositionFormat f, String body) {
        return lenient(f, body.getBytes(StandardCharsets.UTF_8));
    }

    static Outcome lenient(ExpositionFormat f, byte[] body) {
        try {
            return new Outcome(List.of(), null, Scrape.read(body, f, ParseMode.LENIENT, "t.txt", 0));
        } catch (ExpositionException e) {
            return new Outcome(List.of(), e.getMessage(), null);
        }
    }
}
