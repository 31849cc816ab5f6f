package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.docs.Docs;
import io.exlm.mon.testing.Tmux;
import io.exlm.mon.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The completion scripts in real shells, and the man pages through man(1). */
class ShellDocsIT {
    private static String run(Map<String, String> env, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void bashAndZshAcceptTheScripts() throws Exception {
        Path bash = Docs.completionsDir().resolve("exlm-mon.bash");
        Path zsh = Docs.completionsDir().resolve("exlm-mon.zsh");
        run(Map.of(), "bash", "-n", bash.toString());
        run(Map.of(), Tools.require("zsh").toString(), "-n", zsh.toString());
        // and zsh actually loads it: the completion function exists afterwards
        String loaded = run(Map.of(), "zsh", "-f", "-c", "source " + zsh + " >/dev/null 2>&1; whence -w"
                + " _complete_exlm-mon");
        assertThat(loaded).contains("_complete_exlm-mon: function");
    }

    @Test
    void tabCompletesCommandsAndCheckNamesInARealBash() throws Exception {
        Path script = Docs.completionsDir().resolve("exlm-mon.bash");
        try (Tmux t = new Tmux(120, 20)) {
            t.type("source " + script);
            t.type("clear");
            t.text("exlm-mon he");
            t.keys("Tab");
            t.awaitScreen(s -> s.contains("READY$ exlm-mon health"), Duration.ofSeconds(10));
            t.text("--check ");
            t.keys("Tab", "Tab");
            String s = t.awaitScreen(x -> x.contains("basic") && x.contains("ready") && x.contains("metrics"),
                    Duration.ofSeconds(10));
            assertThat(s).contains("all", "basic", "live", "metrics", "ready");
            t.keys("C-c");
        }
    }

    @Test
    void everyManPageRendersWithoutWarnings() throws Exception {
        Path man = Tools.require("man");
        List<Path> pages;
        try (Stream<Path> files = Files.list(Docs.manDir())) {
            pages = files.filter(p -> p.toString().endsWith(".1")).sorted().toList();
        }
        assertThat(pages).hasSizeGreaterThanOrEqualTo(10);
        for (Path page : pages) {
            ProcessBuilder pb = new ProcessBuilder(man.toString(), "--warnings", "-l", page.toString())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().putAll(Map.of("MANWIDTH", "80", "LANG", "C.UTF-8", "MANPAGER", "cat", "PAGER", "cat"));
            Process p = pb.start();
            String warnings = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(page + ": " + warnings).isZero();
            assertThat(warnings).as(page.toString()).isEmpty();
        }
        String root = run(Map.of("MANWIDTH", "80", "MANPAGER", "cat"), man.toString(), "-l",
                Docs.manDir().resolve("exlm-mon.1").toString());
        assertThat(root).contains("EXIT CODES", "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO");
    }
}
