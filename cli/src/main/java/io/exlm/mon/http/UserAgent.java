package io.exlm.mon.http;

import io.exlm.mon.Version;

/** The User-Agent of every request, so that server logs show who asked. */
final class UserAgent {
    static final String VALUE = "exlm-mon/" + Version.get();

    private UserAgent() {
    }
}
