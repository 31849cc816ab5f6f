package io.exlm.mon.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster (initdb + pg_ctl from /usr/lib/postgresql/VERSION/bin) on a free loopback port,
 * trusting local connections. PostgreSQL refuses to run as root, so as root the cluster belongs to {@code nobody}
 * and its commands run through {@code runuser}. {@link #close()} stops it (immediate shutdown; it is thrown away).
 */
public final class Postgres implements AutoCloseable {
    private final Path bin;
    private final Path data;
    private final Path dir;
    private final int port;
    private final boolean asNobody;
    private boolean started;

    /** Creates the cluster in a directory of its own under the system's temporary directory (deleted by close). */
    public Postgres() throws Exception {
        // its own directory, not a test's @TempDir: nobody must be able to reach it, and /tmp lets every user in
        this.dir = Files.createTempDirectory("exlm-mon-pg");
        this.bin = findBin();
        this.data = dir.resolve("data");
        this.port = Ports.free();
        this.asNobody = "root".equals(System.getProperty("user.name"));
        if (asNobody) {
            Tools.require("runuser");
            UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(dir, nobody);
        }
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--auth=trust",
                "-E", "UTF8", "--no-sync"));
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("postgres.log")
                .toString(), "-w", "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -p " + port + " -k " + dir
                + " -c fsync=off", "start"));
        started = true;
    }

    public int port() {
        return port;
    }

    /** A DSN the postgres exporter understands. */
    public String dsn() {
        return "postgresql://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable";
    }

    @Override
    public void close() throws Exception {
        if (started) {
            started = false;
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"));
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void run(List<String> cmd) throws Exception {
        List<String> full = new ArrayList<>();
        if (asNobody) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(cmd);
        Process p = new ProcessBuilder(full).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", full) + " failed: " + out);
        }
    }

    private static Path findBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> versions = Files.list(root)) {
                Path found = versions.map(v -> v.resolve("bin"))
                        .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                        .max(Comparator.comparing(b -> versionOf(b.getParent().getFileName().toString())))
                        .orElse(null);
                if (found != null) {
                    return found;
                }
            }
        }
        Path initdb = Tools.find("initdb");
        if (initdb != null) {
            return initdb.getParent();
        }
        return Tools.require("initdb").getParent(); // fails under CI=true, skips elsewhere
    }

    private static Integer versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("\\..*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
