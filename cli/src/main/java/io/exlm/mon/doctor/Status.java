package io.exlm.mon.doctor;

/** A check's verdict. */
public enum Status {
    /** As it should be. */
    OK("ok"),
    /** Works, but something deserves attention; fails the run only with {@code --strict}. */
    WARN("warn"),
    /** Broken: the remediation says what to do. */
    FAIL("fail"),
    /** Not run, and the summary says why (a prerequisite failed, or the check does not apply here). */
    SKIP("skip");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
