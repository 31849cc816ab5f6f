package io.exlm.mon.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher, {@code ./exlm-mon}, as a process: the path a user takes, jar, JVM flags and all. Every
 * process started here is stopped by {@link Running#close()}, also when a test fails.
 */
public final class Launcher {
    private Launcher() {
    }

    public static Path root() {
        String r = System.getProperty("exlm.root");
        return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
    }

    public static Path script() {
        return root().resolve("exlm-mon");
    }

    /** Runs to completion (or kills at the timeout) and returns exit code, stdout and stderr. */
    public static Cli.Result run(Duration timeout, Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(script().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.environment().remove("NO_COLOR");
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("exlm-mon " + String.join(" ", args) + " did not finish within " + timeout);
            }
            return new Cli.Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } finally {
            kill(p);
        }
    }

    public static Cli.Result run(String... args) throws Exception {
        return run(Duration.ofSeconds(60), Map.of(), args);
    }

    /** Starts a long-running command (demo, top) and reads its output as it comes. */
    public static Running start(Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(script().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        return new Running(pb.start());
    }

    /** Stops a process and everything it started. */
    public static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Everything a stream gives, as UTF-8; empty when reading fails (the process was stopped). */
    public static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** A process being watched line by line. */
    public static final class Running implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> outLines = new LinkedBlockingQueue<>();
        private final StringBuffer err = new StringBuffer();
        private final StringBuffer out = new StringBuffer();
        private final List<Thread> pumps = new ArrayList<>();

        Running(Process process) {
            this.process = process;
            pump(new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), true);
            pump(new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), false);
        }

        private void pump(BufferedReader r, boolean isOut) {
            Thread t = new Thread(() -> {
                try {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (isOut) {
                            out.append(line).append('\n');
                            outLines.add(line);
                        } else {
                            err.append(line).append('\n');
                        }
                    }
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "launcher-pump");
            t.setDaemon(true);
            t.start();
            pumps.add(t);
        }

        public Process process() {
            return process;
        }

        /** The next stdout line that contains {@code text}, waiting up to the timeout. */
        public String awaitLine(String text, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String line = outLines.poll(100, TimeUnit.MILLISECONDS);
                if (line != null && line.contains(text)) {
                    return line;
                }
                if (line == null && !process.isAlive()) {
                    break;
                }
            }
            throw new AssertionError("no line with '" + text + "' within " + timeout + "; stdout:\n" + out
                    + "\nstderr:\n" + err);
        }

        public String err() {
            return err.toString();
        }

        public String out() {
            return out.toString();
        }

        /** Sends SIGTERM and waits for the exit code. */
        public int terminate(Duration timeout) throws InterruptedException {
            // the launcher execs java, so the process is the JVM itself; Process.destroy() would also close our
            // end of its pipes and lose what it prints while stopping, hence kill(1)
            try {
                new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).start().waitFor();
            } catch (IOException e) {
                throw new AssertionError("cannot run kill", e);
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("did not stop within " + timeout + " of SIGTERM");
            }
            for (Thread t : pumps) {
                t.join(5_000); // all output read, up to the end of both streams
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            kill(process);
        }
    }
}
