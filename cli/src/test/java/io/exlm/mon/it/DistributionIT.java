package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball of {@code mvn package}, unpacked into an empty directory far from the checkout, runs. */
class DistributionIT {
    private static Path tarball() {
        Path jar = Path.of(System.getProperty("exlm.jar", "target/exlm-mon.jar"));
        Path dir = jar.toAbsolutePath().getParent();
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().matches("exlm-mon-.*\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no exlm-mon-*.tar.gz in " + dir));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String run(Path dir, List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void unpackedAnywhereItRunsVersionAndTheDemo(@TempDir Path dir) throws Exception {
        run(dir, List.of("tar", "xzf", tarball().toString()));
        Path home;
        try (var entries = Files.list(dir)) {
            home = entries.findFirst().orElseThrow();
        }
        assertThat(home.getFileName().toString()).startsWith("exlm-mon-");
        assertThat(home.resolve("completions/exlm-mon.bash")).exists();
        assertThat(home.resolve("man/man1/exlm-mon.1")).exists();
        Path bin = home.resolve("bin/exlm-mon");
        assertThat(Files.isExecutable(bin)).isTrue();

        assertThat(run(dir, List.of(bin.toString(), "--version")).strip()).matches("exlm-mon \\d+\\.\\d+\\.\\d+.*");
        // reached through a symlink from elsewhere, as from ~/.local/bin
        Path links = Files.createDirectories(dir.resolve("links"));
        Files.createSymbolicLink(links.resolve("exlm-mon"), bin);
        assertThat(run(links, List.of(links.resolve("exlm-mon").toString(), "--version"))).startsWith("exlm-mon ");
        // the first runs made the class-data archive in the background
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(home.resolve("lib/exlm-mon.jsa")) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(home.resolve("lib/exlm-mon.jsa")).exists();
        assertThat(run(dir, List.of(bin.toString(), "--version"))).startsWith("exlm-mon ");

        int port = Ports.free();
        Process demo = new ProcessBuilder(bin.toString(), "demo", "--port", String.valueOf(port))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            assertThat(line).contains("exlm demo backend on http://127.0.0.1:" + port);
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    "http://127.0.0.1:" + port + "/api/v1/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"healthy\"");
        } finally {
            demo.destroy();
            if (!demo.waitFor(10, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
    }
}
