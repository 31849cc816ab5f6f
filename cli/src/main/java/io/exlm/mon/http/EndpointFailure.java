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

    /**
     * The message with the URL's query string left out ({@code GET http://h:9090/api/v1/query: connection refused
     * ...}): a PromQL query, URL-encoded, is hundreds of characters that hide the cause on an error line. The whole
     * URL stays in {@link #url()} (and in the message itself, for -v).
     */
    public final String messageWithoutQuery() {
        String m = getMessage();
        int q = url == null ? -1 : url.indexOf('?');
        return m == null || q < 0 ? m : m.replace(url, url.substring(0, q));
    }

    /** {@code e}'s message, without the URL's query string when it is an endpoint's failure. */
    public static String brief(ExitException e) {
        return e instanceof EndpointFailure f ? f.messageWithoutQuery() : e.getMessage();
    }

    /** The HTTP status, or 0 when no response was received. */
    public final int status() {
        return status;
    }
}
