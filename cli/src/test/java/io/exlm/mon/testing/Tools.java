package io.exlm.mon.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External programs that tests run for real (promtool, prometheus, redis-server, ...). The test command installs
 * them; when one is missing a test is skipped on a developer's machine, and fails when {@code CI=true}.
 */
public final class Tools {
    private Tools() {
    }

    public static Path require(String name) {
        Path found = find(name);
        String hint = name + " is not installed; the test command (scripts/test) installs it with apt-get";
        if (found == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail(hint);
            }
            Assumptions.abort(hint);
        }
        return found;
    }

    public static Path find(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
