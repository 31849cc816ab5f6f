package io.exlm.mon.stack;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where the stack's Prometheus sends a copy of every sample it scrapes ({@code remote_write}), and how it signs in:
 * the HTTP layer's settings (bearer token, basic auth, tenant, extra headers, CA file, insecure), the same for every
 * URL. Secrets never appear in prometheus.yml: {@link ConfigWriter} writes them to files beside it, readable by their
 * owner only, and the configuration names those files.
 *
 * @param url           the receiver's write endpoint (Mimir's /api/v1/push, VictoriaMetrics' /api/v1/write, ...)
 * @param bearerToken   sent as {@code Authorization: Bearer}; null for none
 * @param basicUser     basic-auth user; null for none (and null with a bearer token: Prometheus takes one of them)
 * @param basicPassword basic-auth password (with {@code basicUser})
 * @param tenant        sent as {@code X-Scope-OrgID}; null for none
 * @param headers       extra headers sent with every write
 * @param caPem         PEM certificates to trust instead of the system's (the CA file's content); null for the
 *                      system's
 * @param insecure      trust any certificate and host name
 */
public record RemoteWrite(String url, String bearerToken, String basicUser, String basicPassword, String tenant,
        List<Map.Entry<String, String>> headers, String caPem, boolean insecure) {

    /**
     * The headers Prometheus refuses in a remote_write's {@code headers} (its configuration's reserved headers, and
     * Authorization, which has its own settings): a configuration that set one would not load.
     */
    static final Set<String> RESERVED_HEADERS = Set.of("authorization", "host", "content-encoding", "content-length",
            "content-type", "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
            "www-authenticate", "accept-encoding", "x-prometheus-remote-write-version",
            "x-prometheus-remote-read-version");

    public RemoteWrite {
        headers = List.copyOf(headers);
        if (bearerToken != null && basicUser != null) {
            throw new IllegalArgumentException("remote write takes a bearer token or basic auth, not both");
        }
    }

    /**
     * Writes {@link ConfigWriter#remoteWriteFiles}'s files under {@code configDir} (prometheus.yml's directory), with
     * {@code ownerOnly} each readable by its owner only (where the file system has POSIX permissions; the compose
     * runtime, whose Prometheus runs as another user, takes no secrets: {@code ComposeRuntime.preflight}), and removes
     * the ones an earlier up wrote that this configuration no longer names.
     */
    static void writeFiles(java.nio.file.Path configDir, StackConfig config, boolean ownerOnly)
            throws java.io.IOException {
        Map<String, String> files = ConfigWriter.remoteWriteFiles(config);
        java.nio.file.Path dir = configDir.resolve(ConfigWriter.REMOTE_WRITE_DIR);
        if (java.nio.file.Files.isDirectory(dir)) {
            try (var old = java.nio.file.Files.list(dir)) {
                for (java.nio.file.Path f : old.toList()) {
                    if (!files.containsKey(ConfigWriter.REMOTE_WRITE_DIR + "/" + f.getFileName())) {
                        java.nio.file.Files.deleteIfExists(f);
                    }
                }
            }
        }
        if (files.isEmpty()) {
            return;
        }
        java.nio.file.Files.createDirectories(dir);
        for (Map.Entry<String, String> f : files.entrySet()) {
            java.nio.file.Path file = configDir.resolve(f.getKey());
            java.nio.file.Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
            java.nio.file.Files.deleteIfExists(tmp);
            try {
                java.nio.file.Files.createFile(tmp, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString(ownerOnly ? "rw-------"
                                : "rw-r--r--")));
            } catch (UnsupportedOperationException e) {
                java.nio.file.Files.createFile(tmp);
            }
            java.nio.file.Files.writeString(tmp, f.getValue(), java.nio.charset.StandardCharsets.UTF_8);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** The first header Prometheus would refuse in remote_write, or null when it takes them all. */
    public String reservedHeader() {
        for (Map.Entry<String, String> h : headers) {
            if (RESERVED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                return h.getKey();
            }
        }
        return null;
    }
}
