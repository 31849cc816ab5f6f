package io.exlm.mon.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads the small files a user names (secrets, the config file) with a bound on their size and on the time they take:
 * {@code /dev/zero} or a 2 GB file is refused at the cap instead of filling the heap, and a FIFO or a process
 * substitution whose writer never writes ends at the deadline instead of hanging. Their text is UTF-8, a byte-order
 * mark is dropped, and bytes that are not UTF-8 are reported with their line.
 */
public final class SmallFiles {
    /** What {@link #read} refuses, with a message that names the file but never its content. */
    public static final class Refused extends IOException {
        private final boolean timedOut;

        Refused(String message) {
            this(message, false);
        }

        Refused(String message, boolean timedOut) {
            super(message);
            this.timedOut = timedOut;
        }

        /** Whether nothing (or not all) came within the deadline, rather than too much or the wrong bytes. */
        public boolean timedOut() {
            return timedOut;
        }
    }

    private SmallFiles() {
    }

    /**
     * The file's text, read in at most {@code timeout} and at most {@code cap} bytes. Throws {@link Refused} for a
     * larger file, one that does not finish in time, or one that is not UTF-8; {@link java.nio.file.NoSuchFileException}
     * and other IOExceptions as reading throws them.
     */
    public static String read(Path file, long cap, Duration timeout) throws IOException {
        byte[] bytes;
        try {
            bytes = within("exlm-read-" + file.getFileName(), timeout, () -> bytes(file, cap));
        } catch (TimeoutException e) {
            throw new Refused(file + ": nothing came within " + Durations.format(timeout) + " (a pipe or FIFO that"
                    + " nobody writes?)", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while reading " + file);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(e.getCause());
        }
        return text(file, bytes);
    }

    /**
     * What {@code task} gives, run on a daemon thread of its own and waited for at most {@code deadline}: opening a
     * FIFO blocks until a writer comes, and reading it until the writer closes, so that the wait has an end. At the
     * deadline the thread is interrupted and left (it may be stuck in a read no interrupt ends) and this throws.
     */
    public static <T> T within(String thread, Duration deadline, java.util.concurrent.Callable<T> task)
            throws TimeoutException, InterruptedException, ExecutionException {
        FutureTask<T> future = new FutureTask<>(task);
        Thread worker = new Thread(future, thread);
        worker.setDaemon(true);
        worker.start();
        try {
            return future.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            worker.interrupt();
            throw e;
        }
    }

    private static byte[] bytes(Path file, long cap) throws IOException {
        if (Files.isDirectory(file)) {
            throw new Refused(file + " is a directory, not a file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] out = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, cap + 1));
            if (out.length > cap) {
                throw new Refused(file + " is larger than " + ByteSizes.format(cap) + ", more than such a file"
                        + " holds: is it the right file?");
            }
            return out;
        }
    }

    /** UTF-8 without its byte-order mark; a byte that is not UTF-8 is reported with its line. */
    static String text(Path file, byte[] bytes) throws Refused {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int line = 1;
            for (int i = start; i < in.position(); i++) {
                if (bytes[i] == '\n') {
                    line++;
                }
            }
            throw new Refused(file + ":" + line + ": not UTF-8 text (byte 0x"
                    + Integer.toHexString(bytes[in.position()] & 0xff) + ")");
        }
        try {
            CoderResult f = d.flush(out);
            if (f.isError()) {
                f.throwException();
            }
        } catch (CharacterCodingException e) {
            throw new Refused(file + ": not UTF-8 text");
        }
        return out.flip().toString();
    }
}
