package io.exlm.mon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The one HTTP client of exlm-mon. Every request has a connect timeout and a deadline for the whole call, reads at
 * most {@link HttpOptions#maxBody()} bytes (after gzip), follows a bounded number of redirects, and carries the same
 * headers and auth. Every failure becomes an {@link HttpFailure}: exit code 3 and one line that names the URL, the
 * cause and what to try.
 */
public final class HttpLayer implements AutoCloseable {
    /** Reads a streamed body; may throw IOException, which is classified like any other transport failure. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(StreamedBody body) throws IOException;
    }

    /** A body being streamed: status, content type, and a capped stream. */
    public record StreamedBody(String url, int status, String contentType, InputStream stream) {
        public String mediaType() {
            return HttpLayer.mediaType(contentType);
        }
    }

    /**
     * Idle connections kept for reuse, per client: as many as the most requests one command sends together (the
     * Prometheus source's frame: its bound on queries in flight is this).
     */
    public static final int IDLE_CONNECTIONS = 16;

    private final HttpOptions options;
    /** Plain HTTP only: building it does not load the platform's trust store, which costs a CLI's start-up. */
    private final OkHttpClient plainClient;
    private OkHttpClient tlsClient;

    public HttpLayer(HttpOptions options) {
        this.options = Objects.requireNonNull(options);
        this.plainClient = new OkHttpClient.Builder()
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.timeout())
                .writeTimeout(options.timeout())
                .callTimeout(Duration.ZERO) // set per call from the deadline, so redirects share one budget
                .followRedirects(false)
                .followSslRedirects(false)
                // a kept-alive connection the server has since closed is retried once on a fresh one
                .retryOnConnectionFailure(true)
                .eventListener(new CallPhase.Listener())
                .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT))
                // kept alive between a live view's frames: as many as a frame's queries in flight together (OkHttp's
                // default keeps 5, and a frame over a distant link would open the others again every time)
                .connectionPool(new okhttp3.ConnectionPool(IDLE_CONNECTIONS, 5, java.util.concurrent.TimeUnit.MINUTES))
                .build();
        if (options.caFile() != null && !options.insecure()) {
            Tls.fromCaFile(options.caFile()); // a bad --ca-file is a usage error now, not at the first https URL
        }
    }

    /**
     * Starts loading and initialising OkHttp in the background, while the command line is still being parsed: its
     * first client costs a short command tens of milliseconds (platform detection looks at every security provider),
     * which then overlap the parsing and each other instead of following them. The client made here is thrown away;
     * what it warmed up (classes, static state) is shared. Harmless when nothing asks for HTTP after all.
     */
    public static void warmUpInBackground() {
        if (Boolean.getBoolean("exlm.no-warm-up")) {
            return;
        }
        // independent pieces, each on a thread of its own, so that on two cores they overlap one another and the
        // parsing of the command line: the security providers (OkHttp's platform detection lists them all; the
        // largest piece), java.util.logging (OkHttp's platform makes a logger), OkHttp's and Kotlin's classes, and
        // Jackson's
        background("exlm-jca-warm-up", java.security.Security::getProviders);
        background("exlm-log-warm-up", () -> java.util.logging.Logger.getLogger(OkHttpClient.class.getName()));
        background("exlm-http-warm-up", () -> {
            OkHttpClient c = new OkHttpClient.Builder().eventListener(new CallPhase.Listener())
                    .connectionSpecs(List.of(ConnectionSpec.CLEARTEXT)).build();
            c.newCall(new Request.Builder().url("http://127.0.0.1/").header("Accept", "*/*").build());
        });
        background("exlm-json-warm-up", () -> {
            try {
                JsonTree.read("{\"status\":\"ok\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                // cannot happen for this text; and a warm-up is only a head start
            }
        });
    }

    private static void background(String name, Runnable r) {
        Thread t = new Thread(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                // only a head start: the real client reports what is wrong
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** The client for a URL: TLS is set up on the first https URL only. */
    private synchronized OkHttpClient clientFor(HttpUrl url) {
        if (!url.isHttps()) {
            return plainClient;
        }
        if (tlsClient == null) {
            OkHttpClient.Builder b = plainClient.newBuilder()
                    .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS, ConnectionSpec.CLEARTEXT));
            if (options.insecure()) {
                Tls.Trust t = Tls.trustAll();
                b.sslSocketFactory(t.context().getSocketFactory(), t.manager()).hostnameVerifier((host, session) -> true);
            } else if (options.caFile() != null) {
                Tls.Trust t = Tls.fromCaFile(options.caFile());
                b.sslSocketFactory(t.context().getSocketFactory(), t.manager());
            }
            tlsClient = b.build();
        }
        return tlsClient;
    }

    public HttpOptions options() {
        return options;
    }

    /** GET, reading the whole body (within the cap). Any status is returned; transport failures throw. */
    public HttpResponse get(String url, String accept) {
        return readWhole(url, "GET", null, accept, Map.of(), options.timeout());
    }

    /**
     * The same within {@code limit} when that is shorter than {@code --timeout}: connect, request and the whole body
     * together, as a caller with a deadline of its own needs (a wait that must end on time).
     */
    public HttpResponse get(String url, String accept, Duration limit) {
        Duration within = limit.compareTo(options.timeout()) < 0 ? limit : options.timeout();
        return readWhole(url, "GET", null, accept, Map.of(), within);
    }

    /** POST a form or JSON body, reading the whole answer (within the cap). */
    public HttpResponse post(String url, String contentType, byte[] body, String accept, Map<String, String> headers) {
        return readWhole(url, "POST", RequestBody.create(body, MediaType.parse(contentType)), accept, headers,
                options.timeout());
    }

    /**
     * PUT a body, reading the whole answer (within the cap): the same timeouts, headers, credentials (to the asked
     * origin only), TLS trust and failure classification as a GET. A redirect keeps the PUT and its body.
     */
    public HttpResponse put(String url, String contentType, byte[] body, String accept) {
        return readWhole(url, "PUT", RequestBody.create(body, MediaType.parse(contentType)), accept, Map.of(),
                options.timeout());
    }

    /** DELETE, reading the whole answer (within the cap): how Alertmanager expires a silence. */
    public HttpResponse delete(String url, String accept) {
        return readWhole(url, "DELETE", null, accept, Map.of(), options.timeout());
    }

    /** GET with extra headers for this request only (for example a different Authorization). */
    public HttpResponse get(String url, String accept, Map<String, String> headers) {
        return readWhole(url, "GET", null, accept, headers, options.timeout());
    }

    /** GET and parse JSON, failing unless the status is 2xx and the body is JSON. */
    public JsonNode getJson(String url) {
        return streamJson(url, body -> {
            if (!body.ok()) {
                throw statusFailure(body.url(), body.status(), body.mediaType(), body.head());
            }
            return JsonTree.value(body.parser(), body.budget());
        });
    }

    /**
     * A JSON answer being parsed as it streams in: the parser stands on the first token, {@code head} holds the first
     * bytes (for the error detail of a failure status), and the budget counts what the reader keeps.
     */
    public record JsonBody(String url, int status, String mediaType, byte[] head,
            com.fasterxml.jackson.core.JsonParser parser, io.exlm.mon.config.AnswerLimits.Budget budget) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** What reads a {@link JsonBody}. */
    public interface JsonReader<T> {
        T read(JsonBody body) throws IOException;
    }

    /**
     * GETs JSON and hands it to the reader as it streams in, so that no answer is ever held whole: not as bytes and
     * not as a tree beyond what the reader keeps, which the answer limits bound. An HTML page, an empty or broken body
     * and an answer over a limit are classified failures naming the URL; a failure status whose body is not JSON is
     * the status's failure.
     */
    public <T> T streamJson(String url, JsonReader<T> reader) {
        return streamJson(url, reader, null);
    }

    /**
     * As {@link #streamJson(String, JsonReader)}, what the reader keeps counted against {@code shared} (several
     * answers held to one budget together), or against a budget of this answer's own when it is null.
     */
    public <T> T streamJson(String url, JsonReader<T> reader, io.exlm.mon.config.AnswerLimits.Budget shared) {
        io.exlm.mon.config.AnswerLimits limits = options.limits();
        return stream(url, "application/json", body -> {
            String media = body.mediaType();
            boolean ok = body.status() >= 200 && body.status() < 300;
            java.io.BufferedInputStream in = new java.io.BufferedInputStream(body.stream(), 8192);
            in.mark(4096);
            byte[] head = in.readNBytes(4096);
            in.reset();
            if (looksLikeHtml(media, head)) {
                if (!ok) {
                    throw statusFailure(body.url(), body.status(), media, head);
                }
                throw htmlNotJson(body.url(), body.status());
            }
            if (!ok && !media.contains("json")) {
                throw statusFailure(body.url(), body.status(), media, head);
            }
            try (com.fasterxml.jackson.core.JsonParser p = JsonTree.parser(in)) {
                if (p.nextToken() == null) {
                    if (!ok) {
                        throw statusFailure(body.url(), body.status(), media, head);
                    }
                    throw emptyNotJson(body.url(), body.status());
                }
                return reader.read(new JsonBody(body.url(), body.status(), media, head, p, shared != null ? shared
                        : limits.budget()));
            } catch (JsonProcessingException e) {
                if (!ok) {
                    throw statusFailure(body.url(), body.status(), media, head);
                }
                throw brokenJson(body.url(), body.status(), e);
            } catch (io.exlm.mon.config.AnswerLimits.Exceeded e) {
                throw new HttpFailure(HttpFailure.Kind.TOO_LARGE, body.url(), body.status(), "GET " + body.url() + ": "
                        + e.getMessage(), null);
            }
        });
    }

    /** Streams a body through a reader, with the cap applied; the status is the reader's to judge. */
    public <T> T stream(String url, String accept, BodyReader<T> reader) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        Response response = execute(url, "GET", null, accept, Map.of(), deadline, options.timeout());
        String finalUrl = response.request().url().toString();
        CappedInputStream in = null;
        try (response) {
            in = cappedBody(response);
            T result = reader.read(new StreamedBody(finalUrl, response.code(), response.header("Content-Type"), in));
            log("GET", finalUrl, response.code(), in.count(), deadline, options.timeout());
            return result;
        } catch (IOException e) {
            throw classifyBody(e, "GET", finalUrl, in, options.timeout());
        }
    }

    /** Fails with a classified error unless the response is 2xx. */
    public static void requireOk(HttpResponse r) {
        if (!r.ok()) {
            throw statusFailure(r.url(), r.status(), r.mediaType(), r.body());
        }
    }

    /** Parses a response as JSON; an HTML page or broken JSON is an exit-3 failure that says which. */
    public static JsonNode json(HttpResponse r) {
        byte[] body = r.body();
        if (looksLikeHtml(r.mediaType(), body)) {
            throw htmlNotJson(r.url(), r.status());
        }
        try {
            JsonNode node = JsonTree.read(body);
            if (node == null || node.isMissingNode()) {
                throw emptyNotJson(r.url(), r.status());
            }
            return node;
        } catch (JsonProcessingException e) {
            throw brokenJson(r.url(), r.status(), e);
        } catch (IOException e) {
            throw new HttpFailure(HttpFailure.Kind.NOT_JSON, r.url(), r.status(), "GET " + r.url()
                    + ": body is not valid JSON; is this the right endpoint?", e);
        }
    }

    public static HttpFailure statusFailure(String url, int status, String mediaType, byte[] body) {
        return statusFailure("GET", url, status, mediaType, body);
    }

    // the three ways a body is not the JSON asked for, worded once for whole and streamed bodies alike

    private static HttpFailure htmlNotJson(String url, int status) {
        return new HttpFailure(HttpFailure.Kind.NOT_JSON, url, status, "GET " + url + ": got an HTML page, not JSON"
                + " (a login page, a proxy, or the wrong path?); check the URL", null);
    }

    private static HttpFailure emptyNotJson(String url, int status) {
        return new HttpFailure(HttpFailure.Kind.NOT_JSON, url, status, "GET " + url + ": empty body where JSON was"
                + " expected; check the URL", null);
    }

    private static HttpFailure brokenJson(String url, int status, JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + " column " + e.getLocation().getColumnNr();
        return new HttpFailure(HttpFailure.Kind.NOT_JSON, url, status, "GET " + url + ": body is not valid JSON"
                + where + " (" + firstLine(e.getOriginalMessage()) + "); is this the right endpoint?", e);
    }

    /** The same for a request of another method (a push is a PUT). */
    public static HttpFailure statusFailure(String method, String url, int status, String mediaType, byte[] body) {
        String hint;
        if (status == 401 || status == 403) {
            hint = "credentials missing or refused; set --bearer-token-file, EXLM_BEARER_TOKEN, or "
                    + "EXLM_BASIC_AUTH_USER with EXLM_BASIC_AUTH_PASSWORD";
        } else if (status == 404) {
            hint = "no such endpoint; check the URL and any path prefix";
        } else if (status == 407) {
            hint = "a proxy wants credentials; check proxy settings";
        } else if (status == 429) {
            hint = "rate limited; try again later or raise --interval";
        } else if (status >= 500) {
            hint = "the server failed; see its logs";
        } else if (status >= 300 && status < 400) {
            hint = "a redirect without a usable Location; check the URL";
        } else {
            hint = "check the URL and the request";
        }
        String detail = errorDetail(mediaType, body);
        String reason = reason(status);
        return new HttpFailure(HttpFailure.Kind.HTTP_STATUS, url, status, method + " " + url + ": HTTP " + status
                + (reason.isEmpty() ? "" : " " + reason) + (detail.isEmpty() ? "" : " (" + detail + ")") + "; " + hint, null);
    }

    @Override
    public void close() {
        // the TLS client shares the plain one's dispatcher and connection pool
        plainClient.dispatcher().executorService().shutdown();
        plainClient.connectionPool().evictAll();
    }

    // ----------------------------------------------------------------------------------------------------------

    private HttpResponse readWhole(String url, String method, RequestBody body, String accept,
            Map<String, String> extra, Duration limit) {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        Response response = execute(url, method, body, accept, extra, deadline, limit);
        String finalUrl = response.request().url().toString();
        CappedInputStream in = null;
        try (response) {
            in = cappedBody(response);
            byte[] bytes = in.readAllBytes();
            Map<String, String> headers = new LinkedHashMap<>();
            for (String name : response.headers().names()) {
                headers.put(name.toLowerCase(Locale.ROOT), response.header(name));
            }
            log(method, finalUrl, response.code(), bytes.length, deadline, limit);
            return new HttpResponse(finalUrl, response.code(), response.header("Content-Type"), headers, bytes,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (IOException e) {
            throw classifyBody(e, method, finalUrl, in, limit);
        }
    }

    /**
     * A response's body, capped at the largest body allowed: a declared length over the cap fails before a byte is
     * read; gzip hides the real size, so the stream is capped too.
     */
    private CappedInputStream cappedBody(Response response) throws BodyTooLargeException {
        ResponseBody body = response.body();
        if (body.contentLength() > options.maxBody()) {
            throw new BodyTooLargeException(options.maxBody());
        }
        return new CappedInputStream(body.byteStream(), options.maxBody());
    }

    private Response execute(String url, String method, RequestBody body, String accept, Map<String, String> extra,
            long deadline, Duration limit) {
        io.exlm.mon.OutOfMemory.reading(url);
        HttpUrl current = HttpUrl.parse(url);
        if (current == null) {
            throw new HttpFailure(HttpFailure.Kind.PROTOCOL, url, 0, url + " is not an http(s) URL", null);
        }
        HttpUrl origin = current;
        List<String> chain = new ArrayList<>();
        chain.add(current.toString());
        String currentMethod = method;
        RequestBody currentBody = body;
        for (int hop = 0; ; hop++) {
            CallPhase phase = new CallPhase();
            Request request = buildRequest(current, currentMethod, currentBody, accept, extra,
                    sameOrigin(origin, current)).newBuilder().tag(CallPhase.class, phase).build();
            Call call = clientFor(current).newCall(request);
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw timeoutFailure(currentMethod, current.toString(), false, 0, limit);
            }
            call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
            Response response;
            try {
                response = call.execute();
            } catch (IOException e) {
                throw classify(e, currentMethod, current.toString(), false, 0, phase.get(), limit);
            }
            if (!response.isRedirect()) {
                return response;
            }
            String location = response.header("Location");
            int code = response.code();
            response.close();
            HttpUrl next = location == null ? null : current.resolve(location);
            if (next == null) {
                throw new HttpFailure(HttpFailure.Kind.PROTOCOL, current.toString(), code, method + " " + current
                        + ": HTTP " + code + " redirect without a usable Location header; check the URL", null);
            }
            if (chain.contains(next.toString())) {
                chain.add(next.toString());
                throw new HttpFailure(HttpFailure.Kind.REDIRECTS, url, code, method + " " + url + ": redirect loop ("
                        + String.join(" -> ", chain) + "); fix the server's redirects or use the final URL", null);
            }
            chain.add(next.toString());
            if (hop + 1 > options.maxRedirects()) {
                throw new HttpFailure(HttpFailure.Kind.REDIRECTS, url, code, method + " " + url + ": more than "
                        + options.maxRedirects() + " redirects (last: " + next + "); use the final URL or raise"
                        + " --max-redirects", null);
            }
            // 307 and 308 keep the method and body; 301 and 302 keep a PUT's and a DELETE's too (only a POST
            // historically becomes a GET); 303 means "GET the answer elsewhere", which for a PUT would drop what it
            // came to put, and would turn a DELETE into a GET that succeeds without deleting anything
            boolean putOrDelete = "PUT".equals(currentMethod) || "DELETE".equals(currentMethod);
            boolean keepsMethod = code == 307 || code == 308 || (code == 301 || code == 302) && putOrDelete;
            if (!keepsMethod && !"GET".equals(currentMethod)) {
                if (putOrDelete) {
                    throw new HttpFailure(HttpFailure.Kind.PROTOCOL, current.toString(), code, currentMethod + " "
                            + current + ": HTTP " + code + " redirect to " + next + ", which would turn the "
                            + currentMethod + " into a GET" + ("PUT".equals(currentMethod) ? " and drop its body" : "")
                            + "; use the final URL", null);
                }
                currentMethod = "GET";
                currentBody = null;
            }
            current = next;
        }
    }

    private Request buildRequest(HttpUrl url, String method, RequestBody body, String accept,
            Map<String, String> extra, boolean sendAuth) {
        Request.Builder b = new Request.Builder().url(url).method(method, body);
        b.header("User-Agent", UserAgent.VALUE);
        if (accept != null) {
            b.header("Accept", accept);
        }
        // credentials and the user's own headers (API keys, cookies) go only to the origin that was asked for, never
        // to where a redirect points elsewhere
        if (sendAuth) {
            for (Map.Entry<String, String> h : options.headers()) {
                b.header(h.getKey(), h.getValue());
            }
            if (options.bearerToken() != null) {
                b.header("Authorization", "Bearer " + options.bearerToken());
            } else if (options.basicUser() != null) {
                b.header("Authorization", Credentials.basic(options.basicUser(),
                        options.basicPassword() == null ? "" : options.basicPassword()));
            }
            if (options.tenant() != null) {
                b.header("X-Scope-OrgID", options.tenant());
            }
        }
        if (sendAuth) {
            extra.forEach(b::header);
        }
        return b.build();
    }

    private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
        return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
    }

    private void log(String method, String url, int status, long bytes, long deadline, Duration limit) {
        long elapsed = limit.toMillis() - Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
        options.log().accept(method + " " + url + " -> " + status + ", " + bytes + " B in " + elapsed + " ms");
    }

    /**
     * A failure while the body was read. A timeout there is one of two things: the body stalled (nothing arrived for
     * at least half the time the call had), or it was still arriving when the call's deadline passed (an endless or
     * very slow body, which the size cap did not stop first); the advice differs.
     */
    private HttpFailure classifyBody(IOException e, String method, String url, CappedInputStream in, Duration limit) {
        boolean timeout = e instanceof SocketTimeoutException || e instanceof InterruptedIOException;
        if (timeout && in != null && in.count() > 0 && in.quietNanos() < limit.toNanos() / 2) {
            return stillSendingFailure(method, url, in.count(), limit);
        }
        return classify(e, method, url, true, in == null ? 0 : in.count(), CallPhase.Phase.BODY, limit);
    }

    private HttpFailure stillSendingFailure(String method, String url, long bytesRead, Duration limit) {
        String t = io.exlm.mon.config.Durations.format(limit);
        String hint = limit.compareTo(options.timeout()) < 0 ? "; the wait's deadline left no more time"
                : "; is this an endless stream (a wrong path)? or raise --timeout for a slow link";
        return new HttpFailure(HttpFailure.Kind.TIMEOUT, url, 0, method + " " + url + ": still sending after " + t
                + " (" + io.exlm.mon.config.ByteSizes.format(bytesRead) + " so far, under --max-body "
                + io.exlm.mon.config.ByteSizes.format(options.maxBody()) + "), the body did not end within the"
                + " call's deadline" + hint, null);
    }

    /**
     * Turns a transport exception into the one-line failure a person can act on; {@code limit} is the time the call
     * had (--timeout, or less when the caller's deadline was nearer).
     */
    HttpFailure classify(IOException e, String method, String url, boolean inBody, long bytesRead, CallPhase.Phase phase,
            Duration limit) {
        String what = method + " " + url + ": ";
        if (e instanceof BodyTooLargeException big) {
            return new HttpFailure(HttpFailure.Kind.TOO_LARGE, url, 0, what + "body larger than --max-body ("
                    + io.exlm.mon.config.ByteSizes.format(big.limit()) + "); raise --max-body if this is expected",
                    e);
        }
        if (e instanceof UnknownHostException) {
            String host = hostOf(url);
            return new HttpFailure(HttpFailure.Kind.DNS, url, 0, what + "host '" + host
                    + "' not found (DNS); check the host name in the URL", e);
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            String msg = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (msg.contains("timed out")) {
                return connectTimeout(method, url, e, limit);
            }
            if (e instanceof NoRouteToHostException || msg.contains("no route") || msg.contains("unreachable")) {
                return new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, what + "network unreachable ("
                        + e.getMessage() + "); check the host and your network", e);
            }
            return new HttpFailure(HttpFailure.Kind.REFUSED, url, 0, what + "connection refused (nothing listens on "
                    + hostPort(url) + "); is the service running? check the URL and port", e);
        }
        boolean timeout = e instanceof SocketTimeoutException || e instanceof InterruptedIOException;
        if (timeout && (phase == CallPhase.Phase.CONNECTING || String.valueOf(e.getMessage())
                .toLowerCase(Locale.ROOT).contains("connect timed out"))) {
            return connectTimeout(method, url, e, limit);
        }
        if (timeout && phase == CallPhase.Phase.TLS_HANDSHAKE) {
            return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "connected, but the TLS handshake got no"
                    + " answer within " + io.exlm.mon.config.Durations.format(limit)
                    + "; is this port serving HTTPS? try http://", e);
        }
        if (timeout) {
            return timeoutFailure(method, url, inBody, bytesRead, limit);
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "TLS certificate does not match host '"
                    + hostOf(url) + "'; use the name the certificate was issued for (or --insecure to skip checks)",
                    e);
        }
        if (e instanceof SSLHandshakeException) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("PKIX") || msg.contains("certification path") || msg.contains("trust")) {
                return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "TLS certificate is not trusted; pass the"
                        + " issuing CA with --ca-file (or --insecure to skip verification)", e);
            }
            return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "TLS handshake failed (" + firstLine(msg)
                    + "); check the server's TLS setup or --ca-file", e);
        }
        if (e instanceof SSLException) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("plaintext") || msg.contains("Unsupported or unrecognized SSL message")) {
                return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "the server does not speak TLS here;"
                        + " try http:// instead of https://", e);
            }
            return new HttpFailure(HttpFailure.Kind.TLS, url, 0, what + "TLS failure (" + firstLine(msg)
                    + "); check the server's TLS setup or --ca-file", e);
        }
        if (inBody && (e instanceof EOFException || e instanceof java.net.ProtocolException
                || String.valueOf(e.getMessage()).contains("unexpected end of stream"))) {
            return new HttpFailure(HttpFailure.Kind.TRUNCATED, url, 0, what + "connection closed after " + bytesRead
                    + " bytes of the body, before its end; the server or a proxy cut it off, see its logs", e);
        }
        if (e instanceof EOFException || e instanceof java.net.ProtocolException
                || String.valueOf(e.getMessage()).contains("unexpected end of stream")) {
            return new HttpFailure(HttpFailure.Kind.PROTOCOL, url, 0, what + "the server closed the connection"
                    + " without a valid HTTP answer (" + firstLine(e.getMessage()) + "); is this an HTTP port?", e);
        }
        return new HttpFailure(HttpFailure.Kind.IO, url, 0, what + firstLine(String.valueOf(e.getMessage()))
                + " (" + e.getClass().getSimpleName() + "); check the URL and the network", e);
    }

    private HttpFailure connectTimeout(String method, String url, Throwable e, Duration limit) {
        Duration t = limit.compareTo(options.connectTimeout()) < 0 ? limit : options.connectTimeout();
        return new HttpFailure(HttpFailure.Kind.CONNECT_TIMEOUT, url, 0, method + " " + url + ": no connection to "
                + hostPort(url) + " within " + io.exlm.mon.config.Durations.format(t)
                + " (a firewall, or a host that is down?); check the address or raise --connect-timeout", e);
    }

    private HttpFailure timeoutFailure(String method, String url, boolean inBody, long bytesRead, Duration limit) {
        String t = io.exlm.mon.config.Durations.format(limit);
        // cut short by the caller's deadline (a --wait running out), raising --timeout would not help
        String hint = limit.compareTo(options.timeout()) < 0 ? "; the server is stuck or overloaded (the wait's"
                + " deadline left no more time)" : "; the server is stuck or overloaded, or raise --timeout";
        String msg = inBody
                ? method + " " + url + ": the body stalled after " + bytesRead + " bytes and did not finish within " + t
                        + hint
                : method + " " + url + ": connected, but no answer within " + t + hint;
        return new HttpFailure(HttpFailure.Kind.TIMEOUT, url, 0, msg, null);
    }

    static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    private static boolean looksLikeHtml(String mediaType, byte[] body) {
        if (mediaType.contains("html")) {
            return true;
        }
        for (byte b : body) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            return b == '<';
        }
        return false;
    }

    private static String errorDetail(String mediaType, byte[] body) {
        if (body == null || body.length == 0 || mediaType.contains("html")) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        if (mediaType.contains("json")) {
            try {
                JsonNode n = JsonTree.read(body);
                for (String f : new String[] {"error", "message", "detail"}) {
                    if (n.hasNonNull(f) && n.get(f).isTextual()) {
                        return abbreviate(n.get(f).asText());
                    }
                }
            } catch (IOException ignored) {
                // fall back to the raw text
            }
        }
        return abbreviate(firstLine(s));
    }

    private static String abbreviate(String s) {
        String t = io.exlm.mon.Text.printable(s).strip();
        return t.length() > 120 ? t.substring(0, 117) + "..." : t;
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    private static String hostOf(String url) {
        HttpUrl u = HttpUrl.parse(url);
        return u == null ? url : u.host();
    }

    private static String hostPort(String url) {
        HttpUrl u = HttpUrl.parse(url);
        return u == null ? url : u.host() + ":" + u.port();
    }

    static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 422 -> "Unprocessable Entity";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "";
        };
    }
}
