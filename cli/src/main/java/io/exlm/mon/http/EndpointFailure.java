package io.exlm.mon.http;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;

/**
 * A call to an endpoint that failed, with the URL called and the HTTP status answered: always exit code 3. Either
 * the HTTP layer's classified failure ({@link HttpFailure}) or an API's own error answer (Prometheus's
 * {@code "status": "error"}).
 */
public abstract class EndpointFailure extends ExitException {
    private final String url;
    private final int status;

    protected EndpointFailure(String url, int status, String message, Throwable cause) {
        super(ExitCode.UNREACHABLE, message, cause);
        this.url = url;
        this.status = status;
    }

    public final String url() {
        return url;
    }

    /** The HTTP status, or 0 when no response was received. */
    public final int status() {
        return status;
    }
}
