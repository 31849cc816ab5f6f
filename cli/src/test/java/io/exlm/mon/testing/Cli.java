package io.exlm.mon.testing;

import io.exlm.mon.cli.ExlmMon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs exlm-mon in-process through the same factory as {@code main}, capturing exit code, stdout and stderr. */
public final class Cli {
    /** What one run produced. */
    public record Result(int exitCode, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];

    public Cli() {
        // a config file of the developer's must never leak into a test
        env.put("HOME", System.getProperty("java.io.tmpdir") + "/exlm-mon-test-home-" + ProcessHandle.current().pid());
    }

    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** What the run reads as standard input. */
    public Cli stdin(byte[] bytes) {
        stdin = bytes.clone();
        return this;
    }

    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ExlmMon.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env),
                false, new java.io.ByteArrayInputStream(stdin)).execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    /** A run on its own thread, whose stderr can be read while it runs. */
    public final class Running {
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final java.util.concurrent.CompletableFuture<Integer> code;

        Running(String... args) {
            Map<String, String> copy = Map.copyOf(env);
            byte[] in = stdin;
            code = java.util.concurrent.CompletableFuture.supplyAsync(() -> ExlmMon.commandLine(new PrintWriter(out,
                    true), new PrintWriter(err, true), copy, false, new java.io.ByteArrayInputStream(in))
                    .execute(args));
        }

        /** What it has written to stderr so far. */
        public String err() {
            return err.toString();
        }

        public boolean done() {
            return code.isDone();
        }

        /** Its result; fails the test when it has not finished within {@code timeout}. */
        public Result await(java.time.Duration timeout) throws Exception {
            int c = code.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return new Result(c, out.toString(), err.toString());
        }
    }

    public Running start(String... args) {
        return new Running(args);
    }

    public static Result exec(String... args) {
        return new Cli().run(args);
    }
}
