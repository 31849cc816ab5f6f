package io.exlm.mon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real terminal for tests: a tmux server of its own (its own socket, so a developer's tmux is never touched) with
 * one pane running bash, typed into with send-keys and read with capture-pane. {@link #close()} kills the server and
 * everything in it.
 */
public final class Tmux implements AutoCloseable {
    private final Path tmux;
    private final String socket = "exlm-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    public Tmux(int width, int height) throws Exception {
        this(width, height, "xterm-256color");
    }

    /** @param term the TERM of the pane's shell, and so of the programs it runs (tmux itself draws the same) */
    public Tmux(int width, int height, String term) throws Exception {
        tmux = Tools.require("tmux");
        // started with SIGQUIT unblocked, as a terminal emulator's shell is: every process a JVM starts inherits it
        // blocked (the JVM's threads block it), and a blocked SIGQUIT is never delivered. perl-base is Essential.
        List<String> cmd = new ArrayList<>(List.of(Tools.require("perl").toString(), "-MPOSIX", "-e",
                "sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGQUIT)) or die; exec @ARGV or die",
                tmux.toString(), "-L", socket, "new-session", "-d", "-s", "t", "-x", String.valueOf(width), "-y",
                String.valueOf(height)));
        cmd.add("env -i HOME=" + System.getProperty("java.io.tmpdir") + " PATH=" + System.getenv("PATH") + " TERM="
                + term + " LANG=C.UTF-8 bash --norc --noprofile");
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!server.waitFor(10, TimeUnit.SECONDS) || server.exitValue() != 0) {
            throw new IOException("tmux new-session failed: " + out);
        }
        type("PS1='READY$ '");
        awaitScreen(s -> s.contains("READY$"), Duration.ofSeconds(10));
    }

    /** Types a line and Enter. */
    public void type(String line) throws Exception {
        text(line);
        run("send-keys", "-t", "t", "Enter");
    }

    /** Types text as it is, without Enter. */
    public void text(String text) throws Exception {
        run("send-keys", "-t", "t", "-l", "--", text);
    }

    /** Presses keys without Enter (tmux key names: q, C-c, Tab, Enter, Escape). */
    public void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    /** Resizes the window, as a person dragging the terminal's corner would: the program gets SIGWINCH. */
    public void resize(int width, int height) throws Exception {
        run("resize-window", "-t", "t", "-x", String.valueOf(width), "-y", String.valueOf(height));
    }

    public String screen() throws Exception {
        return run("capture-pane", "-p", "-t", "t");
    }

    /** Everything the pane showed, its history included (what scrolled off, and what was drawn before a clear). */
    public String history() throws Exception {
        return run("capture-pane", "-p", "-S", "-", "-t", "t");
    }

    /**
     * A tmux format of the pane (man tmux, FORMATS), e.g. {@code #{cursor_flag}}: the terminal's state as the
     * programs left it, read from the terminal itself.
     */
    public String format(String format) throws Exception {
        return run("display-message", "-p", "-t", "t", format).strip();
    }

    /** The pid of the pane's shell. */
    public long shellPid() throws Exception {
        return Long.parseLong(run("display-message", "-p", "-t", "t", "#{pane_pid}").strip());
    }

    /** The program the shell is running in the foreground, or -1. */
    public long foregroundPid() throws Exception {
        long shell = shellPid();
        return ProcessHandle.of(shell).flatMap(p -> p.children().findFirst()).map(ProcessHandle::pid).orElse(-1L);
    }

    public String awaitScreen(Predicate<String> ready, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String s = screen();
        while (!ready.test(s)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen did not get there within " + timeout + ":\n" + s);
            }
            Thread.sleep(200);
            s = screen();
        }
        return s;
    }

    @Override
    public void close() throws Exception {
        try {
            for (ProcessHandle p : ProcessHandle.of(shellPid()).map(h -> h.descendants().toList()).orElse(List.of())) {
                p.destroyForcibly();
            }
        } catch (RuntimeException | AssertionError | IOException e) {
            // the server may be gone already
        }
        new ProcessBuilder(tmux.toString(), "-L", socket, "kill-server").start().waitFor(10, TimeUnit.SECONDS);
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(tmux.toString(), "-L", socket));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }
}
