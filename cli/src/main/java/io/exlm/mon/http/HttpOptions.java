package io.exlm.mon.http;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How every request is made: timeouts, the response-size cap, redirects, and the same auth on each request.
 *
 * @param timeout       the whole call, from connect to the last byte of the body
 * @param connectTimeout the TCP (and TLS) connect
 * @param maxBody       the largest body read, after decompression
 * @param maxRedirects  redirects followed before giving up
 * @param headers       extra headers sent on every request
 * @param bearerToken   sent as {@code Authorization: Bearer}; null for none
 * @param basicUser     basic-auth user; null for none
 * @param basicPassword basic-auth password
 * @param tenant        sent as {@code X-Scope-OrgID}; null for none
 * @param caFile        PEM certificates to trust instead of the system's; null for the system's
 * @param insecure      trust any certificate and host name
 * @param log           receives one line per request when verbose; never a secret
 * @param limits        what one answer may hold once parsed (series, label bytes)
 */
public record HttpOptions(
        Duration timeout,
        Duration connectTimeout,
        long maxBody,
        int maxRedirects,
        List<Map.Entry<String, String>> headers,
        String bearerToken,
        String basicUser,
        String basicPassword,
        String tenant,
        Path caFile,
        boolean insecure,
        Consumer<String> log,
        io.exlm.mon.config.AnswerLimits limits) {

    public static final long DEFAULT_MAX_BODY = 64L << 20;

    /** With the default answer limits. */
    public HttpOptions(Duration timeout, Duration connectTimeout, long maxBody, int maxRedirects,
            List<Map.Entry<String, String>> headers, String bearerToken, String basicUser, String basicPassword,
            String tenant, Path caFile, boolean insecure, Consumer<String> log) {
        this(timeout, connectTimeout, maxBody, maxRedirects, headers, bearerToken, basicUser, basicPassword, tenant,
                caFile, insecure, log, io.exlm.mon.config.AnswerLimits.DEFAULT);
    }

    public static HttpOptions defaults() {
        return new HttpOptions(Duration.ofSeconds(10), Duration.ofSeconds(3), DEFAULT_MAX_BODY, 5, List.of(), null,
                null, null, null, null, false, line -> { });
    }

    public HttpOptions withTimeout(Duration t) {
        return new HttpOptions(t, connectTimeout.compareTo(t) > 0 ? t : connectTimeout, maxBody, maxRedirects,
                headers, bearerToken, basicUser, basicPassword, tenant, caFile, insecure, log, limits);
    }

    public HttpOptions withMaxBody(long max) {
        return new HttpOptions(timeout, connectTimeout, max, maxRedirects, headers, bearerToken, basicUser,
                basicPassword, tenant, caFile, insecure, log, limits);
    }

    public HttpOptions withMaxRedirects(int max) {
        return new HttpOptions(timeout, connectTimeout, maxBody, max, headers, bearerToken, basicUser, basicPassword,
                tenant, caFile, insecure, log, limits);
    }

    public HttpOptions withCaFile(Path ca) {
        return new HttpOptions(timeout, connectTimeout, maxBody, maxRedirects, headers, bearerToken, basicUser,
                basicPassword, tenant, ca, insecure, log, limits);
    }

    public HttpOptions withInsecure(boolean yes) {
        return new HttpOptions(timeout, connectTimeout, maxBody, maxRedirects, headers, bearerToken, basicUser,
                basicPassword, tenant, caFile, yes, log, limits);
    }

    public HttpOptions withLimits(io.exlm.mon.config.AnswerLimits l) {
        return new HttpOptions(timeout, connectTimeout, maxBody, maxRedirects, headers, bearerToken, basicUser,
                basicPassword, tenant, caFile, insecure, log, l);
    }

    @Override
    public String toString() {
        // never print secrets, even by accident in a debugger or a log line
        return "HttpOptions[timeout=" + timeout + ", connectTimeout=" + connectTimeout + ", maxBody=" + maxBody
                + ", maxRedirects=" + maxRedirects + ", headers=" + headers.size() + ", bearerToken="
                + (bearerToken == null ? "none" : "***") + ", basicUser=" + (basicUser == null ? "none" : "***")
                + ", tenant=" + tenant + ", caFile=" + caFile + ", insecure=" + insecure + ", limits=" + limits + "]";
    }
}
