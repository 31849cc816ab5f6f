package io.exlm.mon.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A throwaway redis-server on a free loopback port, without persistence; {@link #close()} stops it. */
public final class Redis implements AutoCloseable {
    private final Process process;
    private final int port;

    public Redis(Path dir) throws Exception {
        Path server = Tools.require("redis-server");
        port = Ports.free();
        process = new ProcessBuilder(List.of(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile())
                .redirectInput(new File("/dev/null")).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        close();
        throw new IllegalStateException("redis-server did not start on port " + port + "; see " + dir.resolve(
                "redis.log"));
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
