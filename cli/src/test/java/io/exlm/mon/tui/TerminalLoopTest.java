package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The bytes {@link TerminalLoop} writes on its way out, without a tty: a jline terminal over a byte stream, of a
 * given terminfo type (jline's own copies of screen's and xterm's). {@code TopTerminalIT} checks the same in tmux.
 */
class TerminalLoopTest {
    private static final String ESC = "\033";

    /** The terminfo strings (infocmp -1) of each type: what a terminal shows is these, not jline's names. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // type | rmkx | sgr0 | rmcup | cnorm | cvvis (never written on the way out)
        "screen         | \\E[?1l\\E> | \\E[m\\017 | \\E[?1049l | \\E[34h\\E[?25h   | \\E[34l",
        "xterm-256color | \\E[?1l\\E> | \\E(B\\E[m | \\E[?1049l | \\E[?12l\\E[?25h | \\E[?12;25h"})
    @Timeout(60) // a loop that never ends is a hang, not a verdict
    void everyWayOutWritesKeypadOffAttributesResetAlternateScreenLeftAndTheNormalCursor(String type, String rmkx,
            String sgr0, String rmcup, String cnorm, String cvvis, @TempDir Path dir) throws Exception {
        // rmcup as jline reads it: the system's terminfo, when it has one, may add a title restore after it
        java.util.regex.Pattern restore = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(
                terminfo(rmkx) + terminfo(sgr0) + terminfo(rmcup)) + "[^\033]*(\033\\[[0-9;]*t)?"
                + java.util.regex.Pattern.quote(terminfo(cnorm)));
        for (int key : new int[] {'q', 3, 28}) { // q, Ctrl-C, Ctrl-\ (the keyboard sends no signals: ISIG is off)
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            PipedOutputStream keyboard = new PipedOutputStream();
            Path handOver = dir.resolve("restore-" + type + "-" + key);
            try (ExternalTerminal terminal = new ExternalTerminal("test", type, new PipedInputStream(keyboard),
                    written, StandardCharsets.UTF_8)) {
                terminal.setSize(new Size(120, 40));
                Attributes before = new Attributes(terminal.getAttributes());
                String sequence = TerminalLoop.restoreSequence(terminal);
                assertThat(sequence).matches(restore);

                DashboardState state = new DashboardState("test", 1000);
                // the key once the loop runs (the poller starts after the terminal is set up); the pipe stays open:
                // the key ends the loop, not the end of the input
                try (Poller poller = new Poller(new KeyFeed(keyboard, key), state)) {
                    new TerminalLoop(terminal, state, new FrameRenderer(false, true), poller, handOver).run();
                }

                String out = written.toString(StandardCharsets.UTF_8);
                assertThat(out).as("key %d", key).endsWith(sequence);
                assertThat(out).as("key %d", key).doesNotContain(terminfo(cvvis));
                assertThat(flags(terminal.getAttributes())).isEqualTo(flags(before));
                // the launcher's copy is emptied once the loop has given the terminal back itself
                assertThat(Files.readString(handOver)).isEmpty();
            } finally {
                keyboard.close();
            }
        }
    }

    /** A terminfo string as infocmp writes it: \E is ESC, \NNN octal. */
    private static String terminfo(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && s.charAt(i + 1) == 'E') {
                out.append(ESC);
                i++;
            } else if (c == '\\') {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String flags(Attributes a) {
        return a.getLocalFlags() + " " + a.getInputFlags() + " " + a.getOutputFlags() + " " + a.getControlFlags()
                + " " + a.getControlChars();
    }

    /** A source with no figures that presses a key at its first poll. */
    private static final class KeyFeed implements io.exlm.mon.source.Source {
        private final PipedOutputStream keyboard;
        private final int key;
        private boolean pressed;

        KeyFeed(PipedOutputStream keyboard, int key) {
            this.keyboard = keyboard;
            this.key = key;
        }

        @Override
        public String describe() {
            return "test";
        }

        @Override
        public boolean hasWindow() {
            return false;
        }

        @Override
        public io.exlm.mon.source.Snapshot snapshot() {
            if (!pressed) {
                pressed = true;
                try {
                    keyboard.write(key);
                    keyboard.flush();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return Frames.emptySnapshot();
        }
    }
}
