package io.exlm.mon.stack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Whether a Docker engine answers: its {@code /_ping} over the socket that {@code DOCKER_HOST} names (default
 * {@code unix:///var/run/docker.sock}, then the rootless one). Asked directly, so that the answer is the same with
 * docker compose v2 and docker-compose v1, and costs no process.
 */
public final class DockerEngine {
    private static final int TIMEOUT_MS = 3000;

    /** Where the engine was looked for, and why it did not answer (null when it did). */
    public record Ping(String address, String problem) {
        public boolean ok() {
            return problem == null;
        }
    }

    private DockerEngine() {
    }

    public static Ping ping(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host == null || host.isBlank()) {
            host = "unix:///var/run/docker.sock";
            String xdg = env.get("XDG_RUNTIME_DIR");
            if (!Files.exists(Path.of("/var/run/docker.sock")) && xdg != null
                    && Files.exists(Path.of(xdg, "docker.sock"))) {
                host = "unix://" + xdg + "/docker.sock";
            }
        }
        String address = host.strip();
        boolean tls = env.get("DOCKER_TLS_VERIFY") != null && !env.get("DOCKER_TLS_VERIFY").isEmpty();
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> ask(address, tls));
        try {
            return new Ping(address, answer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            answer.cancel(true);
            return new Ping(address, "no answer within " + TIMEOUT_MS / 1000 + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Ping(address, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return new Ping(address, String.valueOf(e.getCause()));
        }
    }

    private static String ask(String address, boolean tls) {
        byte[] request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try {
            String head;
            if (address.startsWith("unix://")) {
                Path socket = Path.of(address.substring("unix://".length()));
                if (!Files.exists(socket)) {
                    return "no socket " + socket;
                }
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    ch.write(ByteBuffer.wrap(request));
                    ByteBuffer buf = ByteBuffer.allocate(512);
                    ch.read(buf);
                    head = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
                }
            } else if (address.startsWith("tcp://")) {
                URI uri = URI.create(address);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()),
                            TIMEOUT_MS);
                    if (tls) {
                        return null; // an engine behind TLS: that it accepts the connection is as far as we go
                    }
                    s.setSoTimeout(TIMEOUT_MS);
                    OutputStream out = s.getOutputStream();
                    out.write(request);
                    out.flush();
                    InputStream in = s.getInputStream();
                    head = new String(in.readNBytes(512), StandardCharsets.US_ASCII);
                }
            } else {
                return "DOCKER_HOST " + address + " is neither unix:// nor tcp://; exlm-mon cannot ask it";
            }
            String first = head.lines().findFirst().orElse("");
            return first.contains(" 200") ? null : "it answered '" + first + "'";
        } catch (IOException e) {
            String m = e.getMessage();
            return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.toLowerCase(java.util.Locale.ROOT);
        }
    }
}
