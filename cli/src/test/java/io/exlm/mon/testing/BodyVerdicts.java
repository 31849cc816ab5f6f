package io.exlm.mon.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One exposition body judged twice: by {@code exlm-mon metrics check} and by Prometheus's own {@code promtool check
 * metrics}. promtool fails for lint findings too (a counter without _total, say); only its parse errors ("text format
 * parsing error") mean that Prometheus would not ingest the body.
 */
public final class BodyVerdicts {
    /** Both verdicts: exlm-mon's result, and whether promtool could parse the body, with what it said. */
    public record Verdict(String name, Cli.Result exlm, boolean promtoolParses, String promtool) {
        public boolean agree() {
            return (exlm.exitCode() == 0) == promtoolParses;
        }

        @Override
        public String toString() {
            return name + ": exlm-mon exit " + exlm.exitCode() + " " + exlm.out().strip() + " " + exlm.err().strip()
                    + " | promtool " + (promtoolParses ? "parses" : "rejects") + ": " + promtool.strip();
        }
    }

    private BodyVerdicts() {
    }

    /** Judges a body; {@code format} is metrics check's --format (auto, prometheus, openmetrics). */
    public static Verdict judge(String name, byte[] body, String format) throws IOException, InterruptedException {
        Cli.Result exlm = new Cli().stdin(body).run("metrics", "check", "-", "--format", format);
        Path promtool = Tools.require("promtool");
        Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(body);
        } catch (IOException e) {
            // promtool stopped reading: its output says why
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("promtool check metrics did not finish on " + name);
        }
        boolean parses = p.exitValue() == 0 || !said.contains("parsing error") && !said.contains("error while linting");
        return new Verdict(name, exlm, parses, said);
    }
}
