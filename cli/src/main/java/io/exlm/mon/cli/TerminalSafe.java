package io.exlm.mon.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;

/**
 * The one boundary between what exlm-mon prints and the terminal: every character a command writes to stdout or
 * stderr passes here, so that no text a server or a file sent can drive the terminal, whichever renderer forgot to
 * clean it. Kept: printable text, line feeds, tabs, CR LF pairs (CSV's record ends), and the SGR sequences of
 * exlm-mon's own colours ({@code ESC [ digits;... m}). Everything else that is a control is replaced by a visible
 * '?': a lone carriage return (which would let one line overwrite another), other escape sequences (titles, screen
 * clears, cursor moves), C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a line shows.
 * JSON is untouched by this, since {@link Json} escapes all of those itself.
 */
public final class TerminalSafe extends FilterWriter {
    private static final int NORMAL = 0;
    private static final int ESC = 1;
    private static final int CSI = 2;
    private static final int CR = 3;
    private static final int MAX_SGR = 64;

    private int state = NORMAL;
    private final StringBuilder pending = new StringBuilder();

    private TerminalSafe(Writer out) {
        super(out);
    }

    /** A writer that makes everything written through it terminal-safe; already-safe writers are returned. */
    public static PrintWriter wrap(PrintWriter w, boolean autoFlush) {
        if (w instanceof Safe) {
            return w;
        }
        return new Safe(new TerminalSafe(w), autoFlush);
    }

    /** The PrintWriter over a TerminalSafe, so that wrapping twice is wrapping once. */
    private static final class Safe extends PrintWriter {
        Safe(Writer w, boolean autoFlush) {
            super(w, autoFlush);
        }
    }

    /** Whether a character is one that must never reach a terminal from outside. */
    public static boolean unsafe(int c) {
        return c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || bidi(c);
    }

    /** The bidirectional embeddings, overrides and isolates, and the directional marks. */
    public static boolean bidi(int c) {
        return c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0x200e || c == 0x200f
                || c == 0x061c;
    }

    @Override
    public void write(int c) throws IOException {
        switch (state) {
            case ESC -> {
                if (c == '[') {
                    pending.append((char) c);
                    state = CSI;
                    return;
                }
                refuse();
                write(c);
            }
            case CSI -> {
                if (c >= '0' && c <= '9' || c == ';') {
                    pending.append((char) c);
                    if (pending.length() > MAX_SGR) {
                        refuse();
                    }
                } else if (c == 'm') {
                    pending.append('m');
                    out.write(pending.toString());
                    pending.setLength(0);
                    state = NORMAL;
                } else {
                    refuse();
                    write(c);
                }
            }
            case CR -> {
                state = NORMAL;
                if (c == '\n') {
                    out.write("\r\n");
                } else {
                    out.write('?');
                    write(c);
                }
            }
            default -> {
                if (c == 0x1b) {
                    pending.setLength(0);
                    pending.append((char) c);
                    state = ESC;
                } else if (c == '\r') {
                    state = CR;
                } else {
                    out.write(unsafe(c) ? '?' : c);
                }
            }
        }
    }

    /** An escape sequence that is not one of exlm-mon's colours: shown, harmlessly, as what it was. */
    private void refuse() throws IOException {
        out.write('?');
        out.write(pending.substring(1));
        pending.setLength(0);
        state = NORMAL;
    }

    /** Whether a character passes as it is in the normal state: neither the start of a sequence nor unsafe. */
    private static boolean plain(char c) {
        return c != 0x1b && c != '\r' && !unsafe(c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        write(java.nio.CharBuffer.wrap(cbuf, off, len), 0, len);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        write((CharSequence) str, off, len);
    }

    /** Runs of plain characters go through in one write (JSON and tables are almost all plain); the rest one by one. */
    private void write(CharSequence s, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (state == NORMAL && plain(s.charAt(i))) {
                int run = i + 1;
                while (run < end && plain(s.charAt(run))) {
                    run++;
                }
                out.append(s, i, run);
                i = run;
            } else {
                write(s.charAt(i++));
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (state == CR) {
            out.write('?');
        } else if (state != NORMAL) {
            refuse();
        }
        state = NORMAL;
        super.close();
    }
}
