package io.exlm.mon.cli;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.exlm.mon.config.Durations;
import io.exlm.mon.demo.Scenario;
import java.time.Duration;

/** What {@code demo} says once it listens. */
final class DemoOutput {
    private DemoOutput() {
    }

    /**
     * {@code demo -o json}, written once the backend listens, the contract the README states: its URL, its metrics'
     * URL, the scenario, the delay of every answer and the process to signal. Fields in record order, snake_case.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Started(String url, String metricsUrl, String scenario, long latencyMs, long pid) {
    }

    /** Where the demo backend listens, as text or {@link Started}; {@code noLoad} without the load generator. */
    static void announce(Context ctx, String url, Scenario sc, Duration latency, boolean noLoad) {
        if (ctx.format() == OutputFormat.json) {
            Json.write(ctx.out(), new Started(url, url + "/metrics", sc.name(), latency.toMillis(),
                    ProcessHandle.current().pid()));
            return;
        }
        Ansi a = ctx.ansi();
        ctx.out().println("exlm demo backend on " + a.bold(url) + " (scenario " + sc.name()
                + (noLoad ? ", no load" : ", load " + (int) sc.requestsPerSecond() + " req/s")
                + (latency.isZero() ? "" : ", every answer delayed " + Durations.format(latency)) + ")");
        ctx.out().println("  metrics  " + url + "/metrics");
        ctx.out().println("  health   " + url + "/api/v1/health  (ready, live, metrics below it)");
        ctx.out().println("Try: exlm-mon health --backend-url " + url + "   Stop: Ctrl-C");
        ctx.out().flush();
    }
}
