package io.exlm.mon;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs an external program (promtool, docker compose, a binary's --version) with a deadline that holds: its output
 * is read on a thread of its own, so a program that never ends its output cannot outlast the deadline, and on the
 * deadline or an interrupt the program is killed and waited for, never left behind.
 */
public final class Processes {
    /** How a run ended: the exit code (-1 when it did not end by itself), the output (capped), whether timed out. */
    public record Result(int exitCode, String output, boolean timedOut) {
    }

    /** The most output kept; the rest is still read (so the program is not blocked) and passed to the line sink. */
    static final int MAX_OUTPUT = 1 << 20;

    private Processes() {
    }

    /**
     * @param env   the program's whole environment, or null to inherit this one's
     * @param lines receives each line of output (stdout and stderr together) as it comes; may be null
     */
    public static Result run(List<String> cmd, Map<String, String> env, Duration timeout, Consumer<String> lines)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectInput(new File("/dev/null"));
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Process p = pb.start();
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        if (out.length() < MAX_OUTPUT) {
                            out.append(line).append('\n');
                        }
                    }
                    if (lines != null) {
                        lines.accept(line);
                    }
                }
            } catch (IOException e) {
                // the program was killed, or closed its output
            }
        }, "exlm-process-output");
        reader.setDaemon(true);
        reader.start();
        boolean ended;
        try {
            ended = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            throw e;
        }
        if (!ended) {
            kill(p);
        }
        reader.join(2_000);
        synchronized (out) {
            return new Result(ended ? p.exitValue() : -1, out.toString(), !ended);
        }
    }

    private static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }
}
