package io.exlm.mon.expo;

/**
 * Receives what a parse finds, in the order of the body. The {@link SampleView} passed to {@link #sample} is reused
 * for the next sample: read what is needed during the call, keep nothing of it.
 */
public interface ExpositionHandler {
    /** Which metadata line: {@code # HELP}, {@code # TYPE} or {@code # UNIT}. */
    enum Metadata { HELP, TYPE, UNIT }

    /** A metadata line: the family it names, and its text (unescaped HELP, the TYPE word, the unit). */
    default void metadata(Metadata kind, String family, String text) {
    }

    void sample(SampleView sample);
}
