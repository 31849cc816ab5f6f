package io.exlm.mon.stack;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;

/**
 * Grafana's admin password: the one given (EXLM_GRAFANA_PASSWORD or grafana.password-file), else one generated once
 * and kept in the state directory, readable by its owner only. Never the guide's admin/admin unless asked for.
 */
public final class GrafanaPassword implements Supplier<String> {
    private final Supplier<String> given;
    private final Path file;
    private String password;
    private boolean generated;

    public GrafanaPassword(Supplier<String> given, Path file) {
        this.given = given;
        this.file = file;
    }

    @Override
    public synchronized String get() {
        if (password == null) {
            String g = given.get();
            password = g != null ? g : fromFile();
        }
        return password;
    }

    /**
     * The password as it is now, generating none: the given one, else the one kept in the state file, else null;
     * what doctor compares with Grafana's.
     */
    public String existing() {
        String g = given.get();
        if (g != null) {
            return g;
        }
        try {
            return readKept(file);
        } catch (IOException e) {
            throw ExitException.usage("cannot read Grafana's generated password in " + file);
        }
    }

    /**
     * Where {@link #existing} comes from, in words for a report: {@code givenSource} (where a given one is set, null
     * when none is), else the file a generated one is kept in, else null.
     */
    public String source(String givenSource) {
        if (givenSource != null) {
            return givenSource;
        }
        return Files.isRegularFile(file) ? "the password exlm-mon up generated (" + file + ")" : null;
    }

    /** The file of a generated password, when one was used; null when the password was given. */
    public Path generatedFile() {
        return generated ? file : null;
    }

    /** The password kept in a state file, or null when there is none. */
    private static String readKept(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        String s = io.exlm.mon.config.SmallFiles.read(file, 64 * 1024, java.time.Duration.ofSeconds(10)).strip();
        return s.isEmpty() ? null : s;
    }

    /** Writes a secret into a file only its owner reads (mode 600 where the file system has modes). */
    public static void writePrivate(Path file, String secret) throws IOException {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        Files.writeString(file, secret, StandardCharsets.UTF_8);
    }

    private String fromFile() {
        generated = true;
        try {
            String kept = readKept(file);
            if (kept != null) {
                return kept;
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String s = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            writePrivate(file, s + "\n");
            return s;
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot keep Grafana's generated admin password in " + file
                    + " (" + e.getClass().getSimpleName() + "); set EXLM_GRAFANA_PASSWORD instead", e);
        }
    }
}
