package io.exlm.mon;

/**
 * The exit-code table of the contract: the same for every command, written in the README and man page.
 */
public final class ExitCode {
    /** Everything checked is good. */
    public static final int OK = 0;
    /** Something checked is unhealthy, failed, or is invalid. */
    public static final int UNHEALTHY = 1;
    /** The command line (or the configuration) is wrong. */
    public static final int USAGE = 2;
    /** An endpoint could not be reached, or what it answered could not be understood. */
    public static final int UNREACHABLE = 3;
    /** A bug in exlm-mon. */
    public static final int INTERNAL = 4;

    private ExitCode() {
    }

    /** The worse of two outcomes, so that combining results never hides a failure. */
    public static int worst(int a, int b) {
        return Math.max(a, b);
    }
}
