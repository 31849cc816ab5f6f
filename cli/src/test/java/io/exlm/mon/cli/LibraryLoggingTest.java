package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * A library's java.util.logging record (OkHttp's, jline's) does not reach stderr raw, unless the user configured
 * java.util.logging. Each case is a JVM of its own: the test's JVM has its logging set up long before.
 */
class LibraryLoggingTest {
    /** Logs a warning as OkHttp does, after what Main does first. */
    public static final class Child {
        public static void main(String[] args) {
            LibraryLogging.install();
            Logger.getLogger("okhttp3.OkHttpClient").warning("A connection to http://example/ was leaked");
            System.out.println("done");
        }
    }

    private static String[] run(String... jvmOptions) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isZero();
        return new String[] {out, err};
    }

    @Test
    void aLibrarysWarningIsNotPrinted() throws Exception {
        String[] r = run();
        assertThat(r[0]).isEqualTo("done" + System.lineSeparator());
        assertThat(r[1]).isEmpty();
    }

    @Test
    void aUsersOwnLoggingConfigurationIsKept() throws Exception {
        // the JDK's own file: a console handler at INFO, as without exlm-mon
        Path jdk = Path.of(System.getProperty("java.home"), "conf", "logging.properties");
        String[] r = run("-Djava.util.logging.config.file=" + jdk);
        assertThat(r[1]).contains("WARNING: A connection to http://example/ was leaked");
    }
}
