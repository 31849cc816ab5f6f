package io.exlm.mon.tui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Curses;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * The dashboard owning a terminal: raw mode, the alternate screen, the cursor hidden, keys read with a timeout
 * instead of a timer thread, one {@code render()} ending in {@code display.update}. Everything it changes is put back
 * in {@code finally}, and by a shutdown hook on SIGTERM and SIGHUP.
 *
 * <p>The keyboard sends no signals while the dashboard runs (ISIG off): Ctrl-C and Ctrl-\ are keys that quit. A
 * SIGQUIT sent with kill is the JVM's (a thread dump), which Java cannot take over; the launchers run top with
 * {@code -Xrs} under a shell that gives the terminal back when the JVM dies of a signal, and this loop hands that
 * shell the exact bytes of {@link #restoreSequence} through the file {@code handOver} names.
 */
public final class TerminalLoop {
    /** How often the frame is redrawn when nothing else happens: the header's "updated N s ago" moves. */
    static final long TICK_MILLIS = 1000;
    static final long MIN_INTERVAL_MILLIS = 250;
    static final long MAX_INTERVAL_MILLIS = 60_000;

    private final Terminal terminal;
    private final DashboardState state;
    private final FrameRenderer renderer;
    private final Poller poller;
    private final Path handOver;
    private final Object screen = new Object();
    private final AtomicBoolean restored = new AtomicBoolean();
    private volatile boolean quit;
    private Attributes saved;
    private Terminal.SignalHandler previousWinch;
    private Terminal.SignalHandler previousInt;
    private Display display;
    private Size laidOut;

    public TerminalLoop(Terminal terminal, DashboardState state, FrameRenderer renderer, Poller poller) {
        this(terminal, state, renderer, poller, null);
    }

    /**
     * @param handOver where to write {@link #restoreSequence} before the terminal is changed (and to empty it when it
     *     is given back), for the launcher that restores the terminal when the JVM dies of a signal; null for none
     */
    public TerminalLoop(Terminal terminal, DashboardState state, FrameRenderer renderer, Poller poller,
            Path handOver) {
        this.terminal = terminal;
        this.state = state;
        this.renderer = renderer;
        this.poller = poller;
        this.handOver = handOver;
    }

    /**
     * What gives the terminal back, from its terminfo: keypad mode off, attributes reset, the alternate screen left,
     * the cursor normal. {@code cnorm}, not {@code cvvis}: cvvis is "very visible", which is a blinking cursor in
     * xterm and leaves the cursor hidden in screen and tmux (\E[34l). Where the terminfo has no cnorm or sgr0,
     * DECTCEM and SGR 0, which every terminal that hid the cursor or took colours understands.
     */
    public static String restoreSequence(Terminal terminal) {
        StringBuilder out = new StringBuilder();
        capability(out, terminal, Capability.keypad_local, "");
        capability(out, terminal, Capability.exit_attribute_mode, "\033[m");
        capability(out, terminal, Capability.exit_ca_mode, "");
        capability(out, terminal, Capability.cursor_normal, "\033[?25h");
        return out.toString();
    }

    private static void capability(StringBuilder out, Terminal terminal, Capability cap, String fallback) {
        String s = terminal.getStringCapability(cap);
        if (s == null || s.isEmpty()) {
            out.append(fallback);
        } else {
            Curses.tputs(out, s);
        }
    }

    /** Runs until {@code q}, Ctrl-C, Ctrl-\, SIGINT, SIGTERM or SIGHUP. */
    public void run() throws IOException {
        Thread hook = new Thread(this::restore, "exlm-top-restore");
        handOver(restoreSequence(terminal));
        saved = terminal.enterRawMode();
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            // Ctrl-C, Ctrl-\ and Ctrl-Z reach the loop as keys instead of signals
            Attributes raw = terminal.getAttributes();
            raw.setLocalFlag(LocalFlag.ISIG, false);
            terminal.setAttributes(raw);
            previousWinch = terminal.handle(Terminal.Signal.WINCH, s -> resize());
            // kill -INT; under the launchers' -Xrs the JVM cannot take SIGINT, dies of it, and the launcher restores
            previousInt = terminal.handle(Terminal.Signal.INT, s -> quit = true);
            terminal.puts(Capability.enter_ca_mode);
            terminal.puts(Capability.keypad_xmit);
            terminal.puts(Capability.cursor_invisible);
            terminal.flush();
            display = new Display(terminal, true);
            resize();
            poller.start();
            NonBlockingReader reader = terminal.reader();
            while (!quit) {
                render();
                int c = reader.read(TICK_MILLIS);
                if (c == NonBlockingReader.EOF) {
                    break;
                }
                if (c >= 0) {
                    key(c, reader);
                }
            }
        } finally {
            poller.close();
            restore();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is running or has run
            }
        }
    }

    private void render() {
        synchronized (screen) {
            if (restored.get()) {
                return;
            }
            Size size = terminal.getSize();
            if (!size.equals(laidOut)) {
                // no SIGWINCH under the launchers' -Xrs (the JVM then dispatches no signal to Java): the size is
                // read for every frame anyway
                resize();
            }
            List<AttributedString> lines = renderer.render(state.model(System.currentTimeMillis()), size.getColumns(),
                    size.getRows());
            display.update(lines, 0);
            terminal.flush();
        }
    }

    private void resize() {
        synchronized (screen) {
            if (display != null && !restored.get()) {
                Size size = terminal.getSize();
                display.clear();
                display.resize(size.getRows(), size.getColumns());
                laidOut = size;
            }
        }
    }

    private void key(int c, NonBlockingReader reader) throws IOException {
        switch (c) {
            case 'q', 'Q', 3, 28 -> quit = true; // 3 is Ctrl-C, 28 Ctrl-\
            case 'p', 'P', ' ' -> state.togglePause();
            case 'r', 'R' -> poller.refreshNow();
            case '+', '=' -> interval(2);
            case '-', '_' -> interval(-2);
            case '?', 'h' -> state.toggleHelp();
            case '\t' -> focus(1, false);
            case '\r', '\n' -> {
                state.toggleExpand();
                poller.refreshNow(); // the breakdown now, not at the end of the interval
            }
            case 'i' -> {
                state.nextInstance();
                poller.refreshNow();
            }
            case 'I' -> {
                state.clearInstance();
                poller.refreshNow();
            }
            case '[' -> travel(() -> state.stepBack(System.currentTimeMillis()));
            case ']' -> travel(() -> state.stepForward(System.currentTimeMillis()));
            case 'n', 'N' -> travel(state::backToNow);
            case 27 -> escape(reader);
            default -> {
                // other keys do nothing
            }
        }
    }

    /** Esc alone goes back; ESC [ A..D (or ESC O A..D) are the arrow keys, ESC [ Z is Shift-Tab. */
    private void escape(NonBlockingReader reader) throws IOException {
        int next = reader.read(50);
        if (next != '[' && next != 'O') {
            String filter = state.instance();
            state.back();
            if (filter != null && state.instance() == null) {
                poller.refreshNow();
            }
            if (next >= 0) {
                key(next, reader); // a key typed right after Esc is still a key
            }
            return;
        }
        switch (reader.read(50)) {
            case 'A' -> focus(-1, true);
            case 'B' -> focus(1, true);
            case 'C' -> focus(1, false);
            case 'D', 'Z' -> focus(-1, false);
            default -> {
                // an escape sequence we do not use
            }
        }
    }

    /** A key that moves the time shown: the poller reads the new time at once. */
    private void travel(Runnable move) {
        if (state.remembers()) {
            move.run();
            poller.refreshNow();
        }
    }

    /** Moves the focus; with a panel expanded, its breakdown is asked for now. */
    private void focus(int step, boolean row) {
        if (row) {
            state.moveFocusRow(step);
        } else {
            state.moveFocus(step);
        }
        if (state.expanded() != null) {
            poller.refreshNow();
        }
    }

    private void interval(int factor) {
        long now = state.intervalMillis();
        long next = factor > 0 ? now * factor : now / -factor;
        state.interval(Math.max(MIN_INTERVAL_MILLIS, Math.min(MAX_INTERVAL_MILLIS, next)));
        poller.refreshNow();
    }

    /** Puts the terminal back as it was; safe to call twice and from the shutdown hook. */
    private void restore() {
        synchronized (screen) {
            if (!restored.compareAndSet(false, true)) {
                return;
            }
            quit = true;
            terminal.writer().write(restoreSequence(terminal));
            terminal.flush();
            if (saved != null) {
                terminal.setAttributes(saved);
            }
            if (previousWinch != null) {
                terminal.handle(Terminal.Signal.WINCH, previousWinch);
            }
            if (previousInt != null) {
                terminal.handle(Terminal.Signal.INT, previousInt);
            }
            try {
                handOver("");
            } catch (UncheckedIOException e) {
                // the launcher then writes the sequence once more after a signal: harmless
            }
        }
    }

    private void handOver(String bytes) {
        if (handOver == null) {
            return;
        }
        try {
            Files.writeString(handOver, bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the terminal's restore sequence to " + handOver, e);
        }
    }
}
