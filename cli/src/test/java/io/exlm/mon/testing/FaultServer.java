package io.exlm.mon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A raw-socket HTTP server for the faults a real server will not produce on demand: a half-sent body, a stalled
 * socket, a connection that is accepted and never answered, a redirect loop. Each connection is handed to a
 * {@link Handler} that writes whatever bytes the test wants.
 */
public final class FaultServer implements AutoCloseable {
    /** A request as received; the body is what its Content-Length declared (a push's), read before the answer. */
    public record Request(String method, String path, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** Answers one request on a raw socket. */
    @FunctionalInterface
    public interface Handler {
        void handle(Request request, OutputStream out, Socket socket) throws IOException, InterruptedException;
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fault-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    public FaultServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(() -> {
            while (!server.isClosed()) {
                Socket s;
                try {
                    s = server.accept();
                } catch (IOException e) {
                    return;
                }
                sockets.add(s);
                pool.submit(() -> serve(s, handler));
            }
        });
    }

    private void serve(Socket s, Handler handler) {
        try (s) {
            Request r = readRequest(s.getInputStream());
            if (r == null) {
                return;
            }
            requests.add(r);
            handler.handle(r, s.getOutputStream(), s);
            s.getOutputStream().flush();
        } catch (IOException | InterruptedException e) {
            // the client went away, as some tests intend
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public List<Request> requests() {
        return requests;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        pool.shutdownNow();
    }

    // ------------------------------------------------------------------------------------------ answers

    public static void respond(OutputStream out, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        head(out, status, contentType, b.length, Map.of());
        out.write(b);
    }

    public static void head(OutputStream out, int status, String contentType, long length,
            Map<String, String> extra) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(" X\r\n");
        if (contentType != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (length >= 0) {
            sb.append("Content-Length: ").append(length).append("\r\n");
        }
        extra.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Connection: close\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static Request readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while ((b = in.read()) >= 0) {
            buf.write(b);
            matched = (b == '\r' || b == '\n') ? matched + 1 : 0;
            if (matched == 4) {
                break;
            }
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            return null;
        }
        String[] first = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).strip().toLowerCase(Locale.ROOT), lines[i].substring(c + 1)
                        .strip());
            }
        }
        // a body is read whole before the handler answers: closing a socket with unread bytes resets the connection,
        // and the client could lose the answer
        String length = headers.get("content-length");
        byte[] body = length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length));
        return new Request(first[0], first.length > 1 ? first[1] : "/", headers, new String(body,
                StandardCharsets.UTF_8));
    }
}
