package io.exlm.mon.testing;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTPS server with a self-signed certificate made for this run ({@link SelfSignedCert}): untrusted by the system,
 * so that the TLS failure path is real; its PEM is written out for {@code --ca-file}. It answers every request with
 * the same JSON body and records what it received.
 */
public final class TlsServer implements AutoCloseable {
    private final HttpsServer server;
    private final Path pem;
    private final List<FaultServer.Request> requests = new CopyOnWriteArrayList<>();

    public TlsServer(Path dir, String body) throws Exception {
        SelfSignedCert cert = SelfSignedCert.create(dir);
        pem = cert.caPem();
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.setHttpsConfigurator(new HttpsConfigurator(cert.serverContext()));
        server.createContext("/", ex -> {
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            String received = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(new FaultServer.Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), headers,
                    received));
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    public String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    public Path caPem() {
        return pem;
    }

    /** What it received, in order. */
    public List<FaultServer.Request> requests() {
        return requests;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
