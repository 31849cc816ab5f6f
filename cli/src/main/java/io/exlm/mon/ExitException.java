package io.exlm.mon;

/**
 * A failure that ends a command with a documented exit code and a one-line message. The message says what
 * failed, where (a URL, file:line), and what to try; it never contains a secret.
 */
public class ExitException extends RuntimeException {
    private final int exitCode;

    public ExitException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public ExitException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    public static ExitException usage(String message) {
        return new ExitException(ExitCode.USAGE, message);
    }
}
