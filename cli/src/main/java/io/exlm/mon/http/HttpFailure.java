package io.exlm.mon.http;

/**
 * An endpoint that could not be reached or whose answer could not be understood: always exit code 3, with a
 * one-line message naming the URL, the cause and what to try.
 */
public final class HttpFailure extends EndpointFailure {
    /** What went wrong, in the words a person on call uses. */
    public enum Kind {
        REFUSED("connection refused"),
        DNS("host not found"),
        CONNECT_TIMEOUT("connect timeout"),
        TIMEOUT("timeout"),
        TLS("TLS failure"),
        HTTP_STATUS("HTTP error status"),
        NOT_JSON("not JSON"),
        NOT_EXPOSITION("not a metrics exposition"),
        TOO_LARGE("body too large"),
        TRUNCATED("truncated body"),
        REDIRECTS("too many redirects"),
        PROTOCOL("protocol error"),
        IO("I/O error");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public HttpFailure(Kind kind, String url, int status, String message, Throwable cause) {
        super(url, status, message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
