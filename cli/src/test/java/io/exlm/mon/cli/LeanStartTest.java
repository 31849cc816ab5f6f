package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lean start path answers exactly as the full command line does, and leaves everything else to it. */
class LeanStartTest {
    private record Run(int code, String out, String err) {
    }

    private static final String VALID = "# HELP cache_hits_total Cache hits.\n# TYPE cache_hits_total counter\n"
            + "cache_hits_total 12\n";
    private static final String INVALID = "# TYPE x counter\n# TYPE x gauge\nx 1\nx{a=\"b} 2\n";
    private static final String OPENMETRICS = "# TYPE cache_hits counter\ncache_hits_total 12\n# EOF\n";

    private static Run lean(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LeanStart.run(args, new PrintWriter(out), new PrintWriter(err), Map.of(), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        return new Run(code, out.toString(), err.toString());
    }

    private static Run full(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ExlmMon.commandLine(new PrintWriter(out, true), new PrintWriter(err, true), Map.of(), false,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void answersAsTheFullCommandLineDoes(@TempDir Path dir) throws Exception {
        String valid = Files.writeString(dir.resolve("valid.prom"), VALID).toString();
        String invalid = Files.writeString(dir.resolve("invalid.prom"), INVALID).toString();
        String om = Files.writeString(dir.resolve("om.txt"), OPENMETRICS).toString();
        List<String[]> cases = new ArrayList<>(List.of(
                new String[] {"--version"},
                new String[] {"-V"},
                new String[] {"metrics", "check", valid},
                new String[] {"metrics", "check", invalid},
                new String[] {"metrics", "check", valid, "--catalog"},
                new String[] {"metrics", "check", "--catalog", invalid},
                new String[] {"metrics", "check", om},
                new String[] {"metrics", "check", om, "--format", "prometheus"},
                new String[] {"metrics", "check", "--format=openmetrics", valid},
                new String[] {"metrics", "check", valid, "--format", "banana"},
                new String[] {"metrics", "check", dir.resolve("absent").toString()},
                new String[] {"metrics", "check", dir.toString()},
                new String[] {"metrics", "check", "-"}));
        for (String[] args : cases) {
            Run lean = lean(INVALID, args);
            assertThat(lean.code()).as(String.join(" ", args) + " takes the lean path")
                    .isNotEqualTo(LeanStart.NOT_HANDLED);
            assertThat(lean).as(String.join(" ", args)).isEqualTo(full(INVALID, args));
        }
    }

    @Test
    void leavesEverythingElseToTheFullCommandLine() {
        for (String[] args : List.of(
                new String[] {"--version", "--help"},
                new String[] {"metrics", "check"},
                new String[] {"metrics", "check", "a", "b"},
                new String[] {"metrics", "check", "f", "-o", "json"},
                new String[] {"metrics", "check", "f", "--max-problems", "5"},
                new String[] {"metrics", "check", "--help"},
                new String[] {"metrics", "check", "f", "--format"},
                new String[] {"metrics", "f"},
                new String[] {"health"})) {
            assertThat(lean("", args).code()).as(String.join(" ", args)).isEqualTo(LeanStart.NOT_HANDLED);
        }
    }
}
