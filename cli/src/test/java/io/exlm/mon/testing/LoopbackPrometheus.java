package io.exlm.mon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real Prometheus (the installed binary, {@link Tools#require}) on loopback at {@code port}, scraping every second
 * the targets of each job, its TSDB and log in {@code dir}. The caller stops the process.
 */
public final class LoopbackPrometheus {
    private LoopbackPrometheus() {
    }

    /** Starts it; {@code jobs} maps each job name to its {@code host:port} targets, in order. */
    public static Process start(Path dir, int port, Map<String, List<String>> jobs) throws IOException {
        return start(dir, port, jobs, List.of());
    }

    /** As above, evaluating the rules of {@code ruleFiles}. */
    public static Process start(Path dir, int port, Map<String, List<String>> jobs, List<Path> ruleFiles)
            throws IOException {
        Path bin = Tools.require("prometheus");
        StringBuilder yaml = new StringBuilder("""
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                """);
        if (!ruleFiles.isEmpty()) {
            yaml.append("rule_files: [").append(String.join(", ", ruleFiles.stream().map(f -> "'" + f + "'")
                    .toList())).append("]\n");
        }
        yaml.append("scrape_configs:\n");
        jobs.forEach((job, targets) -> yaml.append("  - job_name: ").append(job).append("\n    static_configs:\n"
                + "      - targets: [").append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()))
                .append("]\n"));
        Path config = Files.writeString(dir.resolve("prometheus.yml"), yaml);
        return new ProcessBuilder(bin.toString(), "--config.file=" + config, "--storage.tsdb.path="
                + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    }
}
