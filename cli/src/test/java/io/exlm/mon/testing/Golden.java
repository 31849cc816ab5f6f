package io.exlm.mon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Output contracts held to golden files (JSON and JUnit documents): {@code -Dexlm.golden.update=true} rewrites a
 * file from the current output, to be reviewed in the diff and documented as the deliberate change it is.
 */
public final class Golden {
    /** Where the golden files live. */
    public static final Path DIR = Launcher.root().resolve("cli/src/test/resources/io/exlm/mon/cli");

    private Golden() {
    }

    /** The output equals the golden file {@code name}; {@code what} names the document in a failure. */
    public static void assertMatches(String name, String actual, String what) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("exlm.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file " + file + " (rewrite with -Dexlm.golden.update=true)").exists();
        assertThat(actual).as(what + " against " + file + "; if the contract changed on purpose, rewrite it with"
                + " -Dexlm.golden.update=true").isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
