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
            if (args.length > 0) {
                // what BaseCommand does with --verbose
                LibraryLogging.verbose(new java.io.PrintWriter(System.err, true));
            }
            Logger.getLogger("okhttp3.OkHttpClient").info("only said at INFO");
            Logger.getLogger("okhttp3.OkHttpClient").warning("A connection to http://example/ was leaked.\nDid you"
                    + " forget to close a response body?");
            System.out.println("done");
        }
    }

    private static String[] run(String... jvmOptions) throws IOException, InterruptedException {
        return runChild(List.of(jvmOptions), List.of());
    }

    private static String[] runChild(List<String> jvmOptions, List<String> args) throws IOException,
            InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        cmd.addAll(args);
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
    void withVerboseAWarningIsOneLineNamingTheLibrary() throws Exception {
        String[] r = runChild(List.of(), List.of("verbose"));
        assertThat(r[1]).isEqualTo("exlm-mon: okhttp3.OkHttpClient: A connection to http://example/ was leaked. Did"
                + " you forget to close a response body?" + System.lineSeparator());
    }

    @Test
    void aUsersOwnLoggingConfigurationIsKept() throws Exception {
        // the JDK's own file: a console handler at INFO, as without exlm-mon
        Path jdk = Path.of(System.getProperty("java.home"), "conf", "logging.properties");
        String[] r = run("-Djava.util.logging.config.file=" + jdk);
        assertThat(r[1]).contains("WARNING: A connection to http://example/ was leaked");
    }
}
