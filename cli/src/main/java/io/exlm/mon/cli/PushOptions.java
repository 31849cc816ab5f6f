package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Settings;
import io.exlm.mon.push.CheckOutcome;
import io.exlm.mon.push.ResultPusher;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * {@code --push-gateway URL [--job NAME] [--grouping k=v ...]}: the commands that give a verdict push it to a
 * Pushgateway as well. A push that fails is a warning; it never changes the command's own verdict or exit code.
 */
public final class PushOptions {
    @Option(names = "--push-gateway", paramLabel = "URL", order = 90,
            description = "Also push the results to this Prometheus Pushgateway (e.g. http://localhost:9091)")
    String url;

    @Option(names = "--job", paramLabel = "NAME", order = 91, defaultValue = "exlm-mon",
            description = "With --push-gateway: the job label (default: ${DEFAULT-VALUE})")
    String job;

    @Option(names = "--grouping", paramLabel = "KEY=VALUE", order = 92,
            description = "With --push-gateway: an extra grouping label, e.g. --grouping env=staging; repeatable")
    Map<String, String> grouping = new LinkedHashMap<>();

    /** Whether the results are to be pushed (--push-gateway given). */
    boolean on() {
        return url != null;
    }

    /** Checks the options before the command runs, so that a typo is a usage error, not a lost push. */
    void validate() {
        if (url == null) {
            if (!grouping.isEmpty()) {
                throw ExitException.usage("--grouping needs --push-gateway");
            }
            return;
        }
        String checked = Settings.checkUrl(url, "--push-gateway");
        String path = URI.create(checked).getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            throw ExitException.usage("--push-gateway takes the Pushgateway's base URL (scheme, host, port), not a"
                    + " path: drop '" + path + "'");
        }
        // what the Pushgateway refuses (HTTP 400) is refused here, before the run: a typo must not be a lost push
        if (job == null || job.isBlank()) {
            throw ExitException.usage("--job: the Pushgateway needs a job name; give one, or leave --job out");
        }
        for (String key : grouping.keySet()) {
            if (!key.matches("[a-zA-Z_][a-zA-Z0-9_]*") || key.startsWith("__") || key.equals("job")
                    || key.equals("command")) {
                throw ExitException.usage("--grouping " + key + ": a label name of letters, digits and _, not"
                        + " starting with __, other than job and command");
            }
        }
    }

    /** Pushes when asked to; a failure is one warning line on stderr. */
    void push(Context ctx, String command, List<CheckOutcome> outcomes, int exitCode) {
        if (url == null) {
            return;
        }
        String target = Settings.checkUrl(url, "--push-gateway");
        try {
            ResultPusher.push(new ResultPusher.Target(target, job, grouping), command, outcomes, exitCode == 0,
                    ctx.http());
            if (ctx.verbose()) {
                ctx.err().println("exlm-mon: pushed " + outcomes.size() + " results to " + target + " (job " + job
                        + ")");
            }
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
                    .orElse("");
            ctx.err().println("exlm-mon: warning: could not push the results to " + target + " (" + why
                    + "); the verdict and exit code stand");
        }
        ctx.err().flush();
    }
}
