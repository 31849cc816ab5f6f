package io.exlm.mon.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts what is read and refuses to read past a cap, so that a huge or endless body (or a gzip bomb, since the
 * count is taken after decompression) ends with a clear error instead of an exhausted heap.
 */
public final class CappedInputStream extends FilterInputStream {
    private final long limit;
    private long count;
    private volatile long lastBytesNanos = System.nanoTime();

    public CappedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    public long count() {
        return count;
    }

    /**
     * How long nothing has arrived: since the last read that returned bytes, or since the stream was opened. What
     * tells a stalled body (nothing arrives) from one still arriving when the call's deadline passes.
     */
    public long quietNanos() {
        return System.nanoTime() - lastBytesNanos;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        // ask for one byte beyond the cap at most, so that reaching it exactly is still allowed
        long room = limit - count + 1;
        int n = super.read(buf, off, (int) Math.min(len, Math.max(1, room)));
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(Math.min(n, limit - count + 1));
        add(skipped);
        return skipped;
    }

    private void add(long n) throws BodyTooLargeException {
        if (n > 0) {
            lastBytesNanos = System.nanoTime();
        }
        count += n;
        if (count > limit) {
            throw new BodyTooLargeException(limit);
        }
    }
}
