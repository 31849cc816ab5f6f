package io.exlm.mon.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The demo's HTTP/1.1 server: one selector thread reads every request completely, without blocking, before a worker
 * sees it, and writes every answer back the same way. A client that connects and says nothing, or sends half a
 * request, costs a few hundred bytes and no thread, and is closed at its deadline.
 *
 * <p>Why not {@code com.sun.net.httpserver}: it hands a connection to a worker as soon as its first byte arrives and
 * the worker then reads the rest with a blocking read, so 64 clients that each sent one header line hold all 64
 * workers and nothing else is answered. Its only bound on that ({@code sun.net.httpserver.maxReqTime}) is a system
 * property read once per JVM, shared by every server in it, and still leaves a stall of that length per 64 slow
 * clients.
 *
 * <p>Deadlines: a kept-alive connection between requests is closed after {@link Limits#idleTimeout}; a request must
 * arrive whole (head and body) within {@link Limits#requestTimeout} of its first byte, and a new connection must have
 * sent its first request whole within that time of being accepted; an answer must be taken by the client within
 * {@link Limits#writeTimeout}. At {@link Limits#maxConnections} a new connection closes the one that
 * has waited longest without a request under way, so a flood cannot lock new clients (a health probe) out; when
 * every connection is busy answering, the new one is refused.
 */
public final class HttpFront implements AutoCloseable {
    /** The server's bounds; see the class comment. */
    public record Limits(Duration idleTimeout, Duration requestTimeout, Duration writeTimeout, int maxConnections,
            int maxHeadBytes, int maxBodyBytes) {
        public static Limits defaults() {
            // idle: above the 15 s scrape interval of a Prometheus that keeps its connection between scrapes
            return new Limits(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30), 4096,
                    16 * 1024, 1024 * 1024);
        }

        public Limits withIdleTimeout(Duration d) {
            return new Limits(d, requestTimeout, writeTimeout, maxConnections, maxHeadBytes, maxBodyBytes);
        }

        public Limits withRequestTimeout(Duration d) {
            return new Limits(idleTimeout, d, writeTimeout, maxConnections, maxHeadBytes, maxBodyBytes);
        }

        public Limits withMaxConnections(int n) {
            return new Limits(idleTimeout, requestTimeout, writeTimeout, n, maxHeadBytes, maxBodyBytes);
        }
    }

    /** One request, read whole; answered once, from any thread, with {@link #respond}. */
    public static final class Exchange {
        private final Conn conn;
        private final String method;
        private final String path;
        private final Map<String, String> headers;
        private final byte[] body;
        private final boolean keepAlive;
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile java.util.function.IntConsumer onAnswer;

        private Exchange(Conn conn, String method, String path, Map<String, String> headers, byte[] body,
                boolean keepAlive) {
            this.conn = conn;
            this.method = method;
            this.path = path;
            this.headers = headers;
            this.body = body;
            this.keepAlive = keepAlive;
        }

        public String method() {
            return method;
        }

        /** The decoded path, without the query. */
        public String path() {
            return path;
        }

        /** The first value of a request header, by case-insensitive name; null when absent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public byte[] body() {
            return body;
        }

        /**
         * Called with the status just before the answer leaves, so that what the answer's client can see next (the
         * request counted in /metrics) already holds it.
         */
        public void onAnswer(java.util.function.IntConsumer listener) {
            this.onAnswer = listener;
        }

        /** Sends the answer; {@code Content-Length}, {@code Date} and {@code Connection} are added here. */
        public void respond(int status, Map<String, String> responseHeaders, byte[] responseBody) {
            if (answered.compareAndSet(false, true)) {
                java.util.function.IntConsumer l = onAnswer;
                if (l != null) {
                    l.accept(status);
                }
                conn.server().answer(conn, encode(status, responseHeaders, responseBody, method.equals("HEAD"),
                        keepAlive), keepAlive);
            }
        }

        /** Closes the connection when no answer was sent (the handler failed, or the server is stopping). */
        public void finish() {
            if (answered.compareAndSet(false, true)) {
                conn.server().answer(conn, null, false);
            }
        }
    }

    private enum State { READING, HANDLING, WRITING, CLOSED }

    /** A connection; every field but {@code server} is touched by the selector thread only. */
    private static final class Conn {
        final HttpFront owner;
        final SocketChannel channel;
        SelectionKey key;
        State state = State.READING;
        /** Bytes of the request under way (and any pipelined after it); null while there are none. */
        byte[] in;
        int inLen;
        /** How far {@code in} was searched for the end of the head: a request sent byte by byte is scanned once. */
        int scanned;
        /** When the current wait began: the idle start, the request's first byte, or the answer's first write. */
        long since;
        ByteBuffer out;
        boolean closeAfterWrite;
        boolean continueSent;
        /** Whether a request was answered on it: only then is a wait for the next one "idle" rather than "slow". */
        boolean kept;

        Conn(HttpFront owner, SocketChannel channel, long now) {
            this.owner = owner;
            this.channel = channel;
            this.since = now;
        }

        HttpFront server() {
            return owner;
        }
    }

    private record Answer(Conn conn, ByteBuffer bytes, boolean keepAlive) {
    }

    /** RFC 9110's IMF-fixdate: a two-digit day, English names, GMT (RFC_1123_DATE_TIME writes "1 Dec"). */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            java.util.Locale.US).withZone(java.time.ZoneOffset.UTC);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Limits limits;
    private final Executor workers;
    private final Consumer<Exchange> handler;
    /** Told, once, why the front stopped serving when it stopped by itself (the demo command says it on stderr). */
    private volatile Consumer<String> onFailure = why -> { };
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread loop;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(16 * 1024);
    private final Set<Conn> all = new HashSet<>();
    /** Connections with no request being handled, longest waiting first: the ones a new connection may push out. */
    private final LinkedHashSet<Conn> waiting = new LinkedHashSet<>();
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final long tickNanos;
    private final int maxConnections;
    private volatile boolean running = true;
    private volatile int open;
    private volatile int peak;
    private volatile long answered;
    private volatile long accepted;
    private long acceptPausedUntil;

    /**
     * Binds and starts serving; {@code handler} runs on {@code workers} with a whole request.
     *
     * @throws IOException when the address cannot be bound
     */
    public HttpFront(InetSocketAddress address, int backlog, Limits limits, Executor workers,
            Consumer<Exchange> handler) throws IOException {
        this.limits = limits;
        this.workers = workers;
        this.handler = handler;
        long shortest = Math.min(limits.idleTimeout().toNanos(), Math.min(limits.requestTimeout().toNanos(),
                limits.writeTimeout().toNanos()));
        // deadlines are checked a tenth of the shortest one apart (within 10 ms to 250 ms): late by at most that
        this.tickNanos = Math.max(10_000_000L, Math.min(250_000_000L, shortest / 10));
        this.maxConnections = Math.min(limits.maxConnections(), descriptorBudget());
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.bind(address, backlog);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.loop = new Thread(this::run, "exlm-demo-http-selector");
        loop.setDaemon(true);
        loop.start();
    }

    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Connections this process can hold with the descriptors it may open: a limit below the configured bound
     * lowers it, keeping 128 for the JVM's own files and the load generator, so that the bound is met before
     * {@code accept} fails with "too many open files".
     */
    private static int descriptorBudget() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return (int) Math.max(16, Math.min(Integer.MAX_VALUE, unix.getMaxFileDescriptorCount() - 128));
        }
        return Integer.MAX_VALUE;
    }

    /** The bound on open connections in effect: the configured one, or less when descriptors are short. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Answers written whole so far. */
    public long answered() {
        return answered;
    }

    /** Connections accepted so far, closed or not. */
    public long accepted() {
        return accepted;
    }

    /** Who is told why the front stopped serving, when it stops by itself. */
    public void onFailure(Consumer<String> listener) {
        onFailure = listener;
    }

    /** The most connections open at once so far. */
    public int peakConnections() {
        return peak;
    }

    /** Connections open now (accepted and not yet closed). */
    public int openConnections() {
        return open;
    }

    public Limits limits() {
        return limits;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------ selector thread

    private void run() {
        long nextSweep = System.nanoTime() + tickNanos;
        try {
            while (running) {
                long wait = Math.max(1, (nextSweep - System.nanoTime()) / 1_000_000);
                selector.select(wait);
                long now = System.nanoTime();
                for (Answer a; (a = answers.poll()) != null;) {
                    startWriting(a, now);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.channel() == listener) {
                        accept(now);
                    } else {
                        Conn c = (Conn) key.attachment();
                        if (key.isReadable()) {
                            read(c, now);
                        }
                        if (key.isValid() && key.isWritable()) {
                            write(c, now);
                        }
                    }
                }
                if (now - nextSweep >= 0) {
                    // a flood that reaches its deadline at once is closed in batches, answering others in between
                    nextSweep = sweep(now) ? now : now + tickNanos;
                }
            }
        } catch (IOException | RuntimeException e) {
            // the selector itself failed: nothing can be served any more; say so once, and release everything
            if (running) {
                onFailure.accept("the HTTP front stopped serving: " + io.exlm.mon.Text.printable(String.valueOf(e))
                        + " (a bug; please report it)");
            }
        } finally {
            for (Conn c : new ArrayList<>(all)) {
                closeConn(c);
            }
            try {
                listener.close();
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void accept(long now) {
        if (now - acceptPausedUntil < 0) {
            return;
        }
        // a burst of connections is taken in one go, not one per wake-up of the selector
        for (int i = 0; i < 256; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // out of descriptors: make room the same way a full table does, or wait for the next sweep
                if (!evictLongestWaiting()) {
                    pauseAccepting(now);
                }
                return;
            }
            if (ch == null) {
                return;
            }
            if (open >= maxConnections && !evictLongestWaiting()) {
                closeQuietly(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                ch.socket().setTcpNoDelay(true);
                Conn c = new Conn(this, ch, now);
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                all.add(c);
                accepted++; // the selector thread is the only writer
                waiting.add(c);
                open = all.size();
                peak = Math.max(peak, open); // the selector thread is the only writer
            } catch (IOException e) {
                closeQuietly(ch);
            }
        }
    }

    private void pauseAccepting(long now) {
        acceptPausedUntil = now + tickNanos;
        for (SelectionKey k : selector.keys()) {
            if (k.channel() == listener) {
                k.interestOps(0);
            }
        }
    }

    private boolean evictLongestWaiting() {
        Iterator<Conn> it = waiting.iterator();
        if (!it.hasNext()) {
            return false;
        }
        closeConn(it.next());
        return true;
    }

    private void read(Conn c, long now) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            n = -1;
        }
        if (n < 0) {
            closeConn(c);
            return;
        }
        if (n == 0) {
            return;
        }
        if (c.inLen == 0 && c.kept) {
            // the next request's first byte on a kept connection: from here it has requestTimeout to arrive whole
            // (a new connection's time runs from its accept, as the class says)
            c.since = now;
        }
        readBuffer.flip();
        append(c, readBuffer);
        parse(c, now);
    }

    private static void append(Conn c, ByteBuffer b) {
        int n = b.remaining();
        if (c.in == null) {
            c.in = new byte[Math.max(1024, n)];
        } else if (c.inLen + n > c.in.length) {
            c.in = java.util.Arrays.copyOf(c.in, Math.max(c.in.length * 2, c.inLen + n));
        }
        b.get(c.in, c.inLen, n);
        c.inLen += n;
    }

    /** Hands a complete request to a worker; answers a malformed or oversized one itself and closes. */
    private void parse(Conn c, long now) {
        int headEnd = indexOfHeadEnd(c.in, c.scanned, c.inLen);
        if (headEnd < 0) {
            c.scanned = Math.max(0, c.inLen - 3);
            if (c.inLen > limits.maxHeadBytes()) {
                reject(c, 431, "request head larger than " + limits.maxHeadBytes() + " bytes", now);
            }
            return;
        }
        if (headEnd > limits.maxHeadBytes()) {
            reject(c, 431, "request head larger than " + limits.maxHeadBytes() + " bytes", now);
            return;
        }
        String head = new String(c.in, 0, headEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            reject(c, 400, "not an HTTP/1.x request line", now);
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                reject(c, 400, "malformed header line", now);
                return;
            }
            headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        if (headers.containsKey("transfer-encoding")) {
            reject(c, 411, "chunked request bodies are not supported; send Content-Length", now);
            return;
        }
        long length;
        try {
            length = Long.parseLong(headers.getOrDefault("content-length", "0"));
        } catch (NumberFormatException e) {
            reject(c, 400, "Content-Length is not a number", now);
            return;
        }
        if (length < 0 || length > limits.maxBodyBytes()) {
            reject(c, 413, "request body larger than " + limits.maxBodyBytes() + " bytes", now);
            return;
        }
        int bodyStart = headEnd + 4;
        if (c.inLen - bodyStart < length) {
            if (!c.continueSent && "100-continue".equalsIgnoreCase(headers.get("expect"))) {
                c.continueSent = true;
                try {
                    c.channel.write(ByteBuffer.wrap(CONTINUE));
                } catch (IOException e) {
                    closeConn(c);
                }
            }
            return; // the body is still on its way
        }
        String path;
        try {
            path = URI.create(requestLine[1]).getPath();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        if (path == null) {
            reject(c, 400, "not a request target", now);
            return;
        }
        byte[] body = java.util.Arrays.copyOfRange(c.in, bodyStart, bodyStart + (int) length);
        int consumed = bodyStart + (int) length;
        c.scanned = 0;
        if (consumed == c.inLen) {
            c.in = null; // nothing pipelined: an idle connection keeps no buffer
            c.inLen = 0;
        } else {
            System.arraycopy(c.in, consumed, c.in, 0, c.inLen - consumed);
            c.inLen -= consumed;
        }
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = requestLine[2].equals("HTTP/1.0") ? connection.contains("keep-alive")
                : !connection.contains("close");
        c.state = State.HANDLING;
        c.continueSent = false;
        waiting.remove(c);
        c.key.interestOps(0); // a pipelined request waits until this one is answered
        Exchange ex = new Exchange(c, requestLine[0], path, headers, body, keepAlive);
        try {
            // the handler answers, now or later (a delayed answer holds no worker); one that throws closes
            workers.execute(() -> {
                try {
                    handler.accept(ex);
                } catch (RuntimeException e) {
                    ex.finish();
                }
            });
        } catch (RejectedExecutionException e) {
            closeConn(c); // stopping
        }
    }

    private void reject(Conn c, int status, String why, long now) {
        byte[] body = ("{\"detail\":\"" + why + "\"}").getBytes(StandardCharsets.UTF_8);
        c.state = State.HANDLING;
        waiting.remove(c);
        startWriting(new Answer(c, ByteBuffer.wrap(encode(status, Map.of("Content-Type", "application/json"), body,
                false, false)), false), now);
    }

    /** From a worker: the answer (null to just close) goes to the selector thread. */
    private void answer(Conn c, byte[] bytes, boolean keepAlive) {
        answers.add(new Answer(c, bytes == null ? null : ByteBuffer.wrap(bytes), keepAlive));
        selector.wakeup();
    }

    private void startWriting(Answer a, long now) {
        Conn c = a.conn();
        if (c.state == State.CLOSED) {
            return;
        }
        if (a.bytes() == null) {
            closeConn(c);
            return;
        }
        c.state = State.WRITING;
        c.out = a.bytes();
        c.closeAfterWrite = !a.keepAlive();
        c.since = now;
        write(c, now);
    }

    private void write(Conn c, long now) {
        try {
            c.channel.write(c.out);
        } catch (IOException e) {
            closeConn(c);
            return;
        }
        if (c.out.hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return;
        }
        c.out = null;
        answered++; // the selector thread is the only writer
        if (c.closeAfterWrite) {
            closeConn(c);
            return;
        }
        c.state = State.READING;
        c.since = now;
        c.kept = true;
        waiting.add(c);
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.inLen > 0) {
            parse(c, now); // a pipelined request already here
        }
    }

    /** Closes connections past their deadline, at most 128 at a time; whether more are left. */
    private boolean sweep(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            for (SelectionKey k : selector.keys()) {
                if (k.channel() == listener && k.isValid()) {
                    k.interestOps(SelectionKey.OP_ACCEPT);
                }
            }
        }
        List<Conn> late = new ArrayList<>();
        long idle = limits.idleTimeout().toNanos();
        long request = limits.requestTimeout().toNanos();
        long write = limits.writeTimeout().toNanos();
        for (Conn c : all) {
            long allowed = switch (c.state) {
                case READING -> c.inLen == 0 && c.kept ? idle : request;
                case WRITING -> write;
                default -> Long.MAX_VALUE;
            };
            if (allowed != Long.MAX_VALUE && now - c.since >= allowed) {
                late.add(c);
                if (late.size() > 128) {
                    break;
                }
            }
        }
        for (int i = 0; i < Math.min(128, late.size()); i++) {
            closeConn(late.get(i));
        }
        return late.size() > 128;
    }

    private void closeConn(Conn c) {
        if (c.state == State.CLOSED) {
            return;
        }
        c.state = State.CLOSED;
        c.in = null;
        c.inLen = 0;
        c.out = null;
        all.remove(c);
        waiting.remove(c);
        open = all.size();
        if (c.key != null) {
            c.key.cancel();
        }
        closeQuietly(c.channel);
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // gone either way
        }
    }

    private static int indexOfHeadEnd(byte[] b, int from, int len) {
        for (int i = from; i + 3 < len; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static byte[] encode(int status, Map<String, String> headers, byte[] body, boolean head,
            boolean keepAlive) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        sb.append("Date: ").append(HTTP_DATE.format(ZonedDateTime.now(ZoneOffset.UTC))).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Content-Length: ").append(body.length).append("\r\n");
        if (!keepAlive) {
            sb.append("Connection: close\r\n");
        }
        sb.append("\r\n");
        byte[] h = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (head) {
            return h;
        }
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 422 -> "Unprocessable Content";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status";
        };
    }
}
