package io.exlm.mon.http;

import java.io.IOException;

/** Thrown from inside a body stream when the response grows past the size cap. */
public final class BodyTooLargeException extends IOException {
    private final long limit;

    public BodyTooLargeException(long limit) {
        super("body larger than " + limit + " bytes");
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
