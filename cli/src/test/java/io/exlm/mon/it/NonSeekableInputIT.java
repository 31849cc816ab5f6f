package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Expositions that cannot be seeked or read twice, through a real shell and the launcher: a pipe into '-' and into
 * /dev/stdin, a process substitution, a FIFO with a writer, and a FIFO nobody writes, which ends at --timeout.
 */
class NonSeekableInputIT {
    static final String BODY = "# TYPE http_requests counter\n"
            + "http_requests_total{method=\"GET\",handler=\"/\",status=\"200\"} 3\n# EOF\n";

    @TempDir
    Path dir;

    Cli.Result sh(String script) throws Exception {
        Path bash = Tools.require("bash");
        Process p = new ProcessBuilder(bash.toString(), "-c", script).directory(dir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(dir.resolve("err").toFile()).redirectOutput(dir.resolve("out").toFile())
                .start();
        try {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(script).isTrue();
            return new Cli.Result(p.exitValue(), Files.readString(dir.resolve("out")),
                    Files.readString(dir.resolve("err")));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void pipesFifosAndProcessSubstitutionAreReadOnce() throws Exception {
        Files.writeString(dir.resolve("body"), BODY);
        String exlm = "'" + Launcher.script() + "'";
        assertThat(Launcher.run("--version").exitCode()).isZero(); // built before a pipe feeds it
        for (String script : List.of("cat body | " + exlm + " metrics check -",
                "cat body | " + exlm + " metrics check /dev/stdin",
                exlm + " metrics check <(cat body)",
                "mkfifo fifo1; (cat body > fifo1 &); " + exlm + " metrics check fifo1")) {
            Cli.Result r = sh(script);
            assertThat(r.exitCode()).as(script + "\n" + r).isZero();
            assertThat(r.out()).as(script).contains("valid OpenMetrics exposition (1 samples, 3 lines)");
        }
        Cli.Result metrics = sh(exlm + " metrics --file <(cat body) -o json");
        assertThat(metrics.exitCode()).as(metrics.toString()).isZero();
        assertThat(metrics.out()).contains("\"http_requests_total\"");
    }

    @Test
    void aFifoNobodyWritesEndsAtTheTimeoutWithOneLine() throws Exception {
        String exlm = "'" + Launcher.script() + "'";
        Cli.Result r = sh("mkfifo fifo2; " + exlm + " metrics check --timeout 1s fifo2");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.err().strip()).isEqualTo("exlm-mon: cannot read fifo2: it did not end within 1s (a pipe or FIFO"
                + " that nobody writes or closes?); --timeout gives it longer");

        // as a secret file: the same deadline, and a usage error (the file was the user's to give)
        Cli.Result token = sh("mkfifo fifo3; " + exlm + " health --timeout 1s --backend-url http://127.0.0.1:1"
                + " --bearer-token-file fifo3");
        assertThat(token.exitCode()).as(token.toString()).isEqualTo(2);
        assertThat(token.err().strip()).isEqualTo("exlm-mon health: --bearer-token-file: secret file fifo3: nothing"
                + " came within 1s (a pipe or FIFO that nobody writes?); --timeout gives it longer (see 'exlm-mon"
                + " health --help')");
    }
}
