package io.exlm.mon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.testing.Cli;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets and the config file are small: /dev/zero, a 2 GB file or a FIFO nobody writes end with one clear line and
 * the usage exit code instead of filling the heap or hanging; a byte-order mark is dropped, bytes that are not UTF-8
 * are reported with their line.
 */
class SmallFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileLargerThanTheCapIsRefusedWithoutReadingIt() throws Exception {
        Path sparse = dir.resolve("token");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(2L << 30); // 2 GiB, sparse: nothing on disk
        }
        assertThatThrownBy(() -> SmallFiles.read(sparse, 1024, Duration.ofSeconds(10)))
                .isInstanceOf(SmallFiles.Refused.class).hasMessage(sparse + " is larger than 1 KiB, more than such a"
                        + " file holds: is it the right file?");
        assertThatThrownBy(() -> SmallFiles.read(Path.of("/dev/zero"), 1024, Duration.ofSeconds(10)))
                .isInstanceOf(SmallFiles.Refused.class).hasMessageStartingWith("/dev/zero is larger than 1 KiB");
    }

    @Test
    void aFifoThatNobodyWritesEndsAtTheDeadline() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        assertThatThrownBy(() -> SmallFiles.read(fifo, 1024, Duration.ofMillis(200)))
                .isInstanceOf(SmallFiles.Refused.class)
                .hasMessage(fifo + ": nothing came within 200ms (a pipe or FIFO that nobody writes?)");
    }

    @Test
    void aByteOrderMarkIsDroppedAndBytesThatAreNotUtf8AreLocated() throws Exception {
        Path bom = dir.resolve("bom");
        Files.write(bom, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'a', ' ', '=', ' ', 'b', '\n'});
        assertThat(SmallFiles.read(bom, 1024, Duration.ofSeconds(10))).isEqualTo("a = b\n");
        Path latin1 = dir.resolve("latin1");
        Files.write(latin1, "a = 1\nb = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SmallFiles.read(latin1, 1024, Duration.ofSeconds(10)))
                .isInstanceOf(SmallFiles.Refused.class).hasMessage(latin1 + ":2: not UTF-8 text (byte 0xe9)");
    }

    @Test
    void throughTheCommandLineEachIsOneLineAndExitTwo() throws Exception {
        Cli.Result token = Cli.exec("health", "--bearer-token-file", "/dev/zero", "--backend-url",
                "http://127.0.0.1:1");
        assertThat(token.exitCode()).isEqualTo(2);
        assertThat(token.err().strip()).doesNotContain("\n").contains("/dev/zero is larger than 64 KiB");

        Path config = dir.resolve("config.properties");
        Files.write(config, new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
        Files.writeString(config, "backend.url = http://127.0.0.1:1\n", java.nio.file.StandardOpenOption.APPEND);
        Cli.Result bom = Cli.exec("--config", config.toString(), "health", "-o", "json");
        assertThat(bom.err()).doesNotContain("unknown");
        assertThat(bom.exitCode()).isEqualTo(3); // read, and the backend it names is refused

        Cli.Result zero = Cli.exec("--config", "/dev/zero", "health");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err().strip()).doesNotContain("\n").contains("config file /dev/zero is larger than 1 MiB");
    }
}
