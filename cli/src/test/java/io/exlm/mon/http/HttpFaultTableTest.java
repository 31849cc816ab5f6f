package io.exlm.mon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.Ports;
import io.exlm.mon.testing.TlsServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault table of the HTTP layer, run through {@code exlm-mon health}: each fault ends with exit 3 and one line
 * on stderr that names the URL and the cause, never a stack trace.
 */
class HttpFaultTableTest {
    private static final String HEALTHY = "{\"status\":\"healthy\",\"version\":\"0.1.0\",\"service\":\"x\"}";

    /** Holds the connection without a word until the server closes at the end of the test. */
    private static final FaultServer.Handler NEVER = (req, out, sock) -> new CountDownLatch(1).await();

    /**
     * A health check with time to spare: a fault that answers is named whatever the load of this machine (a TLS
     * handshake on two busy cores took longer than 1.5 s).
     */
    private static Cli.Result health(String url, String... extra) {
        return health(new String[] {"--timeout", "60s", "--connect-timeout", "10s"}, url, extra);
    }

    /** A health check that gives up after 1.5 s: for the faults that never answer. */
    private static Cli.Result healthGivingUpAfter1500ms(String url) {
        return health(new String[] {"--timeout", "1500ms", "--connect-timeout", "1s"}, url);
    }

    private static Cli.Result health(String[] timeouts, String url, String... extra) {
        String[] base = {"health", "--check", "basic", "--backend-url", url, timeouts[0], timeouts[1], timeouts[2],
            timeouts[3]};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return Cli.exec(args);
    }

    private static void assertOneLineFailure(Cli.Result r, String url, String... fragments) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.errLines()).as(r.toString()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith("exlm-mon: GET " + url);
        for (String f : fragments) {
            assertThat(line).contains(f);
        }
        assertThat(r.err()).doesNotContain("Exception", "\tat ");
    }

    @Test
    void connectionRefused() {
        String url = "http://127.0.0.1:" + Ports.closed();
        assertOneLineFailure(health(url), url + "/api/v1/health", "connection refused", "is the service running");
    }

    @Test
    void unknownHost() {
        String url = "http://no-such-host.invalid:8000";
        assertOneLineFailure(health(url), url + "/api/v1/health", "host 'no-such-host.invalid' not found (DNS)");
    }

    @Test
    void acceptsAndNeverAnswers() throws Exception {
        try (FaultServer s = new FaultServer(NEVER)) {
            // the server never answers: only the client's own timeout ends the command (a minute would be a hang)
            Cli.Result r = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> healthGivingUpAfter1500ms(s.url()));
            assertOneLineFailure(r, s.url() + "/api/v1/health", "no answer within 1s500ms", "raise --timeout");
        }
    }

    @Test
    void halfBodyThenStall() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            FaultServer.head(out, 200, "application/json", 1000, Map.of());
            out.write("{\"status\":\"heal".getBytes(StandardCharsets.UTF_8));
            out.flush();
            NEVER.handle(req, out, sock);
        })) {
            assertOneLineFailure(healthGivingUpAfter1500ms(s.url()), s.url() + "/api/v1/health",
                    "body stalled after 15 bytes");
        }
    }

    /** A chunked body without end: chunks of {@code size} bytes (JSON whitespace) until the client hangs up. */
    private static FaultServer.Handler endless(int size) {
        return (req, out, sock) -> {
            FaultServer.head(out, 200, "application/json", -1, Map.of("Transfer-Encoding", "chunked"));
            byte[] chunk = (Integer.toHexString(size) + "\r\n" + " ".repeat(size) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            out.write("10\r\n{\"status\":\"heal\r\n".getBytes(StandardCharsets.US_ASCII));
            try {
                while (!sock.isClosed()) {
                    out.write(chunk);
                    out.flush();
                }
            } catch (java.io.IOException hungUp) {
                // the client stopped reading: the end this server waits for
            }
        };
    }

    @Test
    void endlessChunkedBodyUnderTheCapIsStillSendingNotStalled() throws Exception {
        try (FaultServer s = new FaultServer(endless(64))) {
            // bytes arrive all the time: the call's deadline ends it, and the line says the body was still coming
            Cli.Result r = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> health(new String[] {"--timeout",
                "1500ms", "--connect-timeout", "1s"}, s.url(), "--max-body", "1GiB"));
            assertOneLineFailure(r, s.url() + "/api/v1/health", "still sending after 1s500ms", "so far, under"
                    + " --max-body 1 GiB", "endless stream");
            assertThat(r.err()).doesNotContain("stalled");
        }
    }

    @Test
    void endlessChunkedBodyOverTheCapIsTooLarge() throws Exception {
        try (FaultServer s = new FaultServer(endless(8192))) {
            // a minute to spare: only the cap can end it
            Cli.Result r = assertTimeoutPreemptively(Duration.ofMinutes(1), () -> health(s.url(), "--max-body",
                    "64KiB"));
            assertOneLineFailure(r, s.url() + "/api/v1/health", "body larger than --max-body (64 KiB)");
            assertThat(r.err()).doesNotContain("stalled");
        }
    }

    @Test
    void halfBodyThenClose() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            FaultServer.head(out, 200, "application/json", 1000, Map.of());
            out.write("{\"status\":\"heal".getBytes(StandardCharsets.UTF_8));
            out.flush();
        })) {
            assertOneLineFailure(health(s.url()), s.url() + "/api/v1/health", "connection closed after 15 bytes");
        }
    }

    @Test
    void serverError() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 500, "text/html",
                "<html><body>Internal Server Error</body></html>"))) {
            assertOneLineFailure(health(s.url()), s.url() + "/api/v1/health", "HTTP 500 Internal Server Error",
                    "see its logs");
        }
    }

    @Test
    void okWithHtml() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "text/html; charset=utf-8", "<!doctype html><html><title>Login</title></html>"))) {
            assertOneLineFailure(health(s.url()), s.url() + "/api/v1/health", "got an HTML page, not JSON");
        }
    }

    @Test
    void okWithInvalidJson() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                "{\"status\": healthy}"))) {
            assertOneLineFailure(health(s.url()), s.url() + "/api/v1/health", "not valid JSON at line 1 column");
        }
    }

    @Test
    void bodyOverTheCapByDeclaredLength() throws Exception {
        String big = "{\"status\":\"healthy\",\"pad\":\"" + "x".repeat(4096) + "\"}";
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                big))) {
            assertOneLineFailure(health(s.url(), "--max-body", "1KiB"), s.url() + "/api/v1/health",
                    "body larger than --max-body (1 KiB)");
        }
    }

    @Test
    void gzipBombIsCappedAfterDecompression() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(("{\"status\":\"healthy\",\"pad\":\"" + " ".repeat(2 << 20) + "\"}").getBytes(
                    StandardCharsets.UTF_8));
        }
        byte[] body = zipped.toByteArray();
        assertThat(body.length).isLessThan(64 * 1024);
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            FaultServer.head(out, 200, "application/json", body.length, Map.of("Content-Encoding", "gzip"));
            out.write(body);
        })) {
            assertOneLineFailure(health(s.url(), "--max-body", "1MiB"), s.url() + "/api/v1/health",
                    "body larger than --max-body (1 MiB)");
        }
    }

    @Test
    void redirectLoop() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.head(out, 302, null, 0,
                Map.of("Location", req.path().equals("/a") ? "/api/v1/health" : "/a")))) {
            assertOneLineFailure(health(s.url()), s.url() + "/api/v1/health", "redirect loop", s.url() + "/a");
        }
    }

    @Test
    void tooManyRedirects() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.head(out, 302, null, 0,
                Map.of("Location", req.path() + "x")))) {
            assertOneLineFailure(health(s.url(), "--max-redirects", "3"), s.url() + "/api/v1/health",
                    "more than 3 redirects");
        }
    }

    @Test
    void untrustedCertificate(@TempDir Path dir) throws Exception {
        try (TlsServer tls = new TlsServer(dir, HEALTHY)) {
            assertOneLineFailure(health(tls.url()), tls.url() + "/api/v1/health", "TLS certificate is not trusted",
                    "--ca-file");
            Cli.Result trusted = health(tls.url(), "--ca-file", tls.caPem().toString());
            assertThat(trusted.exitCode()).as(trusted.toString()).isZero();
            Cli.Result insecure = health(tls.url(), "--insecure");
            assertThat(insecure.exitCode()).as(insecure.toString()).isZero();
            assertThat(insecure.err()).contains("warning: --insecure");
        }
    }

    @Test
    void plainHttpServerBehindHttpsUrl() throws Exception {
        // what nginx or any HTTP server does with a TLS hello: answer 400 in plain text and close
        try (java.net.ServerSocket plain = new java.net.ServerSocket(0, 5, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = plain.accept()) {
                    s.getInputStream().read(new byte[512]);
                    s.getOutputStream().write("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n".getBytes(
                            StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException ignored) {
                    // the client gave up
                }
            });
            t.setDaemon(true);
            t.start();
            String url = "https://127.0.0.1:" + plain.getLocalPort();
            assertOneLineFailure(health(url), url + "/api/v1/health", "does not speak TLS", "try http://");
        }
    }

    @Test
    void httpsPortThatNeverAnswersTheHandshake() throws Exception {
        try (FaultServer s = new FaultServer(NEVER)) {
            String url = s.url().replace("http://", "https://");
            assertOneLineFailure(healthGivingUpAfter1500ms(url), url + "/api/v1/health", "TLS handshake got no answer",
                    "try http://");
        }
    }

    @Test
    void redirectIsFollowedAndWorks() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> {
            if (req.path().equals("/api/v1/health")) {
                FaultServer.head(out, 301, null, 0, Map.of("Location", "/v2/health"));
            } else {
                FaultServer.respond(out, 200, "application/json", HEALTHY);
            }
        })) {
            Cli.Result r = health(s.url());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(s.requests()).extracting(FaultServer.Request::path).containsExactly("/api/v1/health",
                    "/v2/health");
        }
    }
}
