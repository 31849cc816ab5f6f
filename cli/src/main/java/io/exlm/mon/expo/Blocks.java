package io.exlm.mon.expo;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The lines of a body, pulled one at a time ({@link #next}): a body held in memory, or a stream read a block at a
 * time into a buffer kept for the next body. A line longer than {@link ExpositionParser#MAX_LINE_BYTES} is not
 * kept: {@link #next} says so ({@link #tooLong}) and reads past it.
 */
final class Blocks {
    /** The line found by {@link #next}: buf[start, end); {@code lf} when a line feed ended it. */
    byte[] buf;
    int start;
    int end;
    boolean lf;
    /** The line found was longer than the longest kept, and was read past; it has no text. */
    boolean tooLong;
    long bytesRead;

    private byte[] block;
    private InputStream in;
    private int filled;
    private int pos;
    private int scan;
    private boolean eof;
    /** The rest of an over-long line is still to be read past. */
    private boolean skip;

    /** Reads the lines of a body held in memory, without copying it. */
    void reset(byte[] body) {
        in = null;
        buf = body;
        filled = body.length;
        bytesRead = body.length;
        pos = 0;
        scan = 0;
        eof = true;
        skip = false;
    }

    /** Reads the lines of a stream, which is not closed. */
    void reset(InputStream stream) {
        if (block == null) {
            block = new byte[1 << 16];
        }
        in = stream;
        buf = block;
        filled = 0;
        bytesRead = 0;
        pos = 0;
        scan = 0;
        eof = false;
        skip = false;
    }

    /** Finds the next line; false when the body has no more. */
    boolean next() throws IOException {
        int nl = indexOfNewline(buf, scan, filled);
        return nl >= 0 ? found(nl, true) : refill();
    }

    /** The line up to {@code to}, a line feed ({@code lf}) or the end of the body. */
    private boolean found(int to, boolean lf) {
        start = pos;
        end = to;
        this.lf = lf;
        tooLong = false;
        pos = lf ? to + 1 : to;
        scan = pos;
        return true;
    }

    /** No line feed in what is read: reads more, and finds the line there, or the last line, or the end. */
    private boolean refill() throws IOException {
        if (skip) {
            skip = false;
            long skipped = skipLine();
            filled = skipped < 0 ? 0 : (int) skipped;
            eof = skipped < 0;
        }
        while (true) {
            int nl = indexOfNewline(buf, scan, filled);
            if (nl >= 0) {
                return found(nl, true);
            }
            if (eof) {
                return pos < filled && found(filled, false);
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, filled - pos);
                filled -= pos;
                pos = 0;
            }
            if (filled == buf.length) {
                if (buf.length >= ExpositionParser.MAX_LINE_BYTES) {
                    // a line this long is not an exposition's: said first (a lenient parse stops there), then read
                    // past without keeping it, so that a 2 GB line costs no more than this buffer
                    start = 0;
                    end = 0;
                    tooLong = true;
                    filled = 0;
                    pos = 0;
                    scan = 0;
                    skip = true;
                    return true;
                }
                buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the block
                if (buf.length <= 1 << 20) {
                    block = buf;
                }
            }
            scan = filled;
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                eof = true;
            } else {
                filled += r;
                bytesRead += r;
            }
        }
    }

    /**
     * Reads past the rest of an over-long line: returns how many bytes after its line feed are left at the start of
     * {@code buf}, or -1 when the body ended first.
     */
    private long skipLine() throws IOException {
        while (true) {
            int r = in.read(buf, 0, buf.length);
            if (r < 0) {
                return -1;
            }
            bytesRead += r;
            int nl = indexOfNewline(buf, 0, r);
            if (nl >= 0) {
                System.arraycopy(buf, nl + 1, buf, 0, r - nl - 1);
                return r - nl - 1;
            }
        }
    }

    /** The first '\n' in a[from, to), eight bytes at a time. */
    static int indexOfNewline(byte[] a, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long w = (long) Strings.LONGS.get(a, i) ^ 0x0A0A0A0A0A0A0A0AL;
            long t = (w - 0x0101010101010101L) & ~w & 0x8080808080808080L;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
