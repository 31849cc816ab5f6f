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
import java.util.Locale;

/**
 * An exposition named on the command line: a file, or '-' for standard input (copied to a temporary file first, so
 * that its format can be told from its end and nothing holds it in memory). Unreadable input is exit code 3.
 */
final class ExpositionInput implements AutoCloseable {
    final String name;
    final Path path;
    private final boolean temporary;

    private ExpositionInput(String name, Path path, boolean temporary) {
        this.name = name;
        this.path = path;
        this.temporary = temporary;
    }

    static ExpositionInput open(String file, InputStream stdin) {
        if (file.equals("-")) {
            try {
                Path tmp = Files.createTempFile("exlm-mon-stdin", ".txt");
                Files.copy(stdin, tmp, StandardCopyOption.REPLACE_EXISTING);
                return new ExpositionInput("-", tmp, true);
            } catch (IOException e) {
                throw new ExitException(ExitCode.UNREACHABLE, "cannot read standard input: " + e.getMessage(), e);
            }
        }
        Path p = Path.of(file);
        if (Files.isDirectory(p)) {
            throw new ExitException(ExitCode.UNREACHABLE, "cannot read " + file + ": it is a directory; give a file");
        }
        if (!Files.isReadable(p)) {
            throw new ExitException(ExitCode.UNREACHABLE, "cannot read " + file + ": "
                    + (Files.exists(p) ? "permission denied" : "no such file") + "; check the path");
        }
        return new ExpositionInput(file, p, false);
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
        return new ExitException(ExitCode.UNREACHABLE, "cannot read " + name + ": " + e.getMessage(), e);
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
