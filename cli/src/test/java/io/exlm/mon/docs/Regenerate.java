package io.exlm.mon.docs;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the generated documentation (completions/, man/adoc/) from the current command model; scripts/regenerate-docs
 * runs it and then asciidoctor for man/*.1.
 */
public final class Regenerate {
    private Regenerate() {
    }

    public static void main(String[] args) throws Exception {
        write(Docs.completionsDir(), Docs.completions(), null);
        write(Docs.adocDir(), Docs.manPages(), ".adoc");
    }

    /** Writes every file and removes those of the same kind that are no longer generated. */
    private static void write(Path dir, Map<String, String> files, String suffix) throws Exception {
        Files.createDirectories(dir);
        if (suffix != null) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path p : old.toList()) {
                    if (p.getFileName().toString().endsWith(suffix) && !files.containsKey(p.getFileName().toString())) {
                        Files.delete(p);
                    }
                }
            }
        }
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(dir.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
    }
}
