package io.exlm.mon.cli;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.expo.ExpositionFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import io.exlm.mon.config.Durations;

/**
 * An exposition named on the command line: a file, or '-' for standard input. Standard input, and anything else that
 * is not a regular file (a pipe, a FIFO, /dev/stdin, a process substitution such as {@code <(curl ...)}), is copied
 * to a temporary file first, so that its format can be told from its end, it can be read twice, and nothing holds it
 * in memory; a named one within the deadline, so that a FIFO nobody writes ends. Unreadable input is exit code 3.
 */
final class ExpositionInput implements AutoCloseable {
    /** An input that could not be read at all (nothing came, no such file): exit 3, and nothing answered. */
    static final class Unreadable extends ExitException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(ExitCode.UNREACHABLE, message);
        }

        Unreadable(String message, Throwable cause) {
            super(ExitCode.UNREACHABLE, message, cause);
        }
    }

    final String name;
    final Path path;
    private final boolean temporary;

    private ExpositionInput(String name, Path path, boolean temporary) {
        this.name = name;
        this.path = path;
        this.temporary = temporary;
    }

    static ExpositionInput open(String file, InputStream stdin, Duration deadline) {
        io.exlm.mon.OutOfMemory.reading(file.equals("-") ? "standard input" : file);
        if (file.equals("-")) {
            return within("-", "standard input", () -> copy(stdin), deadline);
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new Unreadable("cannot read " + file + ": it is a directory; give a file");
        }
        if (!Files.isReadable(p)) {
            throw new Unreadable("cannot read " + file + ": "
                    + (Files.exists(p) ? "permission denied" : "no such file") + "; check the path");
        }
        if (Files.isRegularFile(p)) {
            return new ExpositionInput(file, p, false);
        }
        // opening a FIFO blocks until a writer comes, and reading it until the writer closes: on a thread of its own
        return within(file, file, () -> {
            try (InputStream in = Files.newInputStream(p)) {
                return copy(in);
            }
        }, deadline);
    }

    /**
     * A copy made on a thread of its own within the deadline: a pipe or FIFO whose writer never writes or never
     * closes ends at {@code --timeout} with one line, instead of hanging the check.
     */
    private static ExpositionInput within(String name, String what, java.util.concurrent.Callable<Path> copy,
            Duration deadline) {
        try {
            return new ExpositionInput(name, io.exlm.mon.config.SmallFiles.within("exlm-read-input", deadline, copy),
                    true);
        } catch (TimeoutException e) {
            throw new Unreadable("cannot read " + what + ": it did not end within "
                    + Durations.format(deadline) + " (a pipe or FIFO that nobody writes or closes?); --timeout"
                    + " gives it longer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreadable("interrupted while reading " + what);
        } catch (ExecutionException e) {
            String why = e.getCause() == null ? e.toString() : e.getCause().getMessage();
            throw new Unreadable("cannot read " + what + ": " + why, e.getCause());
        }
    }

    private static Path copy(InputStream in) throws IOException {
        Path tmp = Files.createTempFile("exlm-mon-input", ".txt");
        try {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    InputStream stream() {
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw unreadable(new IOException("no such file"));
        } catch (IOException e) {
            throw unreadable(e);
        }
    }

    ExitException unreadable(IOException e) {
        return new Unreadable("cannot read " + name + ": " + e.getMessage(), e);
    }

    /**
     * The format a {@code --format} word names; for {@code auto}, OpenMetrics when the body ends with {@code # EOF}
     * (and an optional line feed), else the Prometheus text format.
     */
    ExpositionFormat format(String word) {
        switch (word.toLowerCase(Locale.ROOT)) {
            case "prometheus", "text" -> {
                return ExpositionFormat.PROMETHEUS_TEXT;
            }
            case "openmetrics" -> {
                return ExpositionFormat.OPENMETRICS;
            }
            case "auto" -> {
                try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
                    long n = f.length();
                    int k = (int) Math.min(n, 8);
                    byte[] tail = new byte[k];
                    f.seek(n - k);
                    f.readFully(tail);
                    String t = new String(tail, StandardCharsets.ISO_8859_1);
                    return t.endsWith("# EOF") || t.endsWith("# EOF\n") ? ExpositionFormat.OPENMETRICS
                            : ExpositionFormat.PROMETHEUS_TEXT;
                } catch (IOException e) {
                    throw unreadable(e);
                }
            }
            default -> throw ExitException.usage("--format must be auto, prometheus or openmetrics, not '" + word
                    + "'");
        }
    }

    @Override
    public void close() {
        if (temporary) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
