package io.exlm.mon.doctor;

/** A check's verdict. */
public enum Status {
    /** As it should be. */
    OK("ok"),
    /** Works, but something deserves attention; fails the run only with {@code --strict}. */
    WARN("warn"),
    /**
     * No data yet, and none can exist yet: the stack is younger than the data needs (no first scrape, a rate window
     * with one sample, a rule not yet evaluated). Says when the data will exist; fails nothing.
     */
    WARMING("warming_up"),
    /** Broken: the remediation says what to do. */
    FAIL("fail"),
    /** Not run, and the summary says why (a prerequisite failed, or the check does not apply here). */
    SKIP("skip");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    /** The status as JSON and JUnit write it. */
    public String label() {
        return label;
    }

    /** The status in words, as text writes it ("warming up"). */
    public String words() {
        return label.replace('_', ' ');
    }
}
