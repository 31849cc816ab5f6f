package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Expositions;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.ParseFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 MB exposition parses in a 256 MB heap, strictly (the packaged launcher's {@code metrics check}) and leniently
 * (as a scrape parses, in a child JVM): the parser streams the body a block at a time and keeps none of it.
 */
class LargeBodyIT {
    @TempDir
    Path dir;

    @Test
    void hundredMegabytesInA256MegabyteHeap() throws Exception {
        Path big = dir.resolve("big.txt");
        Expositions.writeFile(big, 100_000_000, 7);
        long size = Files.size(big);
        assertThat(size).isBetween(95_000_000L, 110_000_000L);
        Map<String, String> env = Map.of("EXLM_MON_JAVA_OPTS", "-Xmx256m");

        Cli.Result check = Launcher.run(Duration.ofMinutes(3), env, "metrics", "check", big.toString());
        assertThat(check.exitCode()).as(check.toString()).isZero();
        assertThat(check.out()).startsWith(big + ": valid Prometheus text exposition (");
        long samples = Long.parseLong(check.out().replaceAll("(?s).*\\((\\d+) samples.*", "$1"));
        assertThat(samples).isGreaterThan(1_000_000);

        Process lenient = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), ParseFile.class.getName(), big.toString())
                .redirectErrorStream(true).start();
        String out = new String(lenient.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(lenient.waitFor(3, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(lenient.exitValue()).as(out).isZero();
        assertThat(out.strip()).isEqualTo(samples + " samples");
    }
}
