package io.exlm.mon.http;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A response read whole (within the size cap). Health checks and API clients read these; scrapes stream
 * instead, through {@link HttpLayer#stream}.
 */
public record HttpResponse(String url, int status, String contentType, Map<String, String> headers, byte[] body,
        long elapsedMillis) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    public String text() {
        Charset cs = StandardCharsets.UTF_8;
        if (contentType != null) {
            int i = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
            if (i >= 0) {
                try {
                    cs = Charset.forName(contentType.substring(i + 8).replace("\"", "").split(";")[0].strip());
                } catch (RuntimeException ignored) {
                    // an unknown charset is read as UTF-8, which is what nearly every server means anyway
                }
            }
        }
        return new String(body, cs);
    }

    /** The media type without parameters, lower case; empty when the server sent none. */
    public String mediaType() {
        return HttpLayer.mediaType(contentType);
    }
}
