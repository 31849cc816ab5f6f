package io.exlm.mon.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed completions and man pages are what the current command model generates: a new option without
 * scripts/regenerate-docs fails here.
 */
class GeneratedDocsTest {
    private static final String HINT = " is stale: run scripts/regenerate-docs and commit the result";

    @Test
    void completionsAreUpToDate() throws Exception {
        for (Map.Entry<String, String> f : Docs.completions().entrySet()) {
            Path committed = Docs.completionsDir().resolve(f.getKey());
            assertThat(committed).as("completions/" + f.getKey() + HINT).exists();
            assertThat(Files.readString(committed)).as("completions/" + f.getKey() + HINT).isEqualTo(f.getValue());
        }
    }

    @Test
    void manPageSourcesAreUpToDate() throws Exception {
        Map<String, String> pages = Docs.manPages();
        assertThat(pages).containsKeys("exlm-mon.adoc", "exlm-mon-health.adoc", "exlm-mon-metrics-check.adoc",
                "exlm-mon-top.adoc", "exlm-mon-completion.adoc");
        try (Stream<Path> files = Files.list(Docs.adocDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).as("man/adoc/" + HINT)
                    .containsExactlyInAnyOrderElementsOf(pages.keySet());
        }
        for (Map.Entry<String, String> p : pages.entrySet()) {
            assertThat(Files.readString(Docs.adocDir().resolve(p.getKey()))).as("man/adoc/" + p.getKey() + HINT)
                    .isEqualTo(p.getValue());
        }
        String root = pages.get("exlm-mon.adoc");
        assertThat(root).contains("== Exit codes\n", "== Environment", "EXLM_BACKEND_URL", "== Files",
                "config.properties", "== Examples", "== See also");
    }

    @Test
    void manPagesAreUpToDateWithTheirSources(@TempDir Path dir) throws Exception {
        Path asciidoctor = Tools.require("asciidoctor");
        List<String> cmd = new java.util.ArrayList<>(List.of(asciidoctor.toString(), "-b", "manpage", "-D",
                dir.toString()));
        try (Stream<Path> files = Files.list(Docs.adocDir())) {
            files.map(Path::toString).sorted().forEach(cmd::add);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        try (Stream<Path> made = Files.list(dir)) {
            for (Path page : made.toList()) {
                Path committed = Docs.manDir().resolve(page.getFileName());
                assertThat(committed).as("man/" + page.getFileName() + HINT).exists();
                assertThat(Files.readString(committed)).as("man/" + page.getFileName() + HINT)
                        .isEqualTo(Files.readString(page));
            }
        }
    }
}
