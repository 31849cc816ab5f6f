package io.exlm.mon.http;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;

/**
 * A CA file that cannot be used: a usage error, said as "--ca-file FILE ..." unless the caller knows where the
 * setting came from ({@link #from}: its environment variable, a line of the config file).
 */
public final class CaFileException extends ExitException {
    private static final long serialVersionUID = 1L;
    private final String detail;

    CaFileException(String detail) {
        super(ExitCode.USAGE, "--ca-file " + detail);
        this.detail = detail;
    }

    /** The same problem, said as coming from {@code source} ({@code EXLM_CA_FILE}, {@code FILE:LINE}). */
    public ExitException from(String source) {
        return ExitException.usage(source + ": " + detail);
    }
}
