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

    /** The file of a generated password, when one was used; null when the password was given. */
    public Path generatedFile() {
        return generated ? file : null;
    }

    private String fromFile() {
        generated = true;
        try {
            if (Files.isRegularFile(file)) {
                String s = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!s.isEmpty()) {
                    return s;
                }
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String s = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, s + "\n", StandardCharsets.UTF_8);
            return s;
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot keep Grafana's generated admin password in " + file
                    + " (" + e.getClass().getSimpleName() + "); set EXLM_GRAFANA_PASSWORD instead", e);
        }
    }
}
