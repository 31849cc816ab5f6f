package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import io.exlm.mon.source.AlertThresholds;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo",
        description = {"The reference exlm backend, to try every other command against.", "",
            "It serves the four health endpoints and /metrics with the guide's whole catalog, driven by a built-in"
                + " load generator."},
        exitCodeList = {"2:usage error, or the address cannot be listened on",
            "129-143:stopped by a signal, cleanly: 128 + its number (Ctrl-C 130, TERM 143)"},
        footerHeading = "%nScenarios:%n",
        footer = {
            "  normal    0.2 %% errors, tens of milliseconds latency: within both SLOs",
            "  errors    about 16 %% of API requests fail (the high-error-rate alert)",
            "  slow      latency p95 above one second",
            "  overload  CPU, memory and disk above their alert thresholds (synthetic),",
            "            readiness failing",
            "",
            "Stops cleanly on Ctrl-C or SIGTERM."})
public final class DemoCommand extends BaseCommand {
    /** The scenario names, for help and completion. */
    public static final class Scenarios implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Scenario.ALL.stream().map(Scenario::name).iterator();
        }
    }

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8000", order = 1,
            description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1", order = 2,
            description = "Address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal", order = 3,
            completionCandidates = Scenarios.class,
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String scenario;

    @Option(names = "--database-addr", paramLabel = "HOST:PORT", order = 4,
            description = "Database that /ready checks by TCP (not configured when absent)")
    String databaseAddr;

    @Option(names = "--redis-addr", paramLabel = "HOST:PORT", order = 5,
            description = "Redis that /ready checks by TCP (not configured when absent)")
    String redisAddr;

    @Option(names = "--no-load", negatable = false, order = 6,
            description = "Do not generate traffic; only what others send is counted")
    boolean noLoad;

    @Option(names = "--ready-memory-threshold", paramLabel = "PERCENT", order = 7,
            description = "Memory usage at which /ready fails (default: the " + AlertThresholds.MEMORY_ALERT
                    + " alert's threshold)")
    Double memoryThreshold;

    @Option(names = "--ready-disk-threshold", paramLabel = "PERCENT", order = 8,
            description = "Disk usage at which /ready fails (default: the " + AlertThresholds.DISK_ALERT
                    + " alert's threshold)")
    Double diskThreshold;

    @Option(names = "--latency", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            order = 9, description = "Delay every answer by this much, as a backend far away would; requests"
                    + " in flight do not wait for each other (default: ${DEFAULT-VALUE})")
    java.time.Duration latency;

    @Override
    int run(Context ctx) throws InterruptedException {
        ctx.requireFormat(OutputFormat.text, OutputFormat.json);
        if (port < 0 || port > 65535) {
            throw ExitException.usage("--port " + port + " is not a port (0 to 65535)");
        }
        checkAddr("--database-addr", databaseAddr);
        checkAddr("--redis-addr", redisAddr);
        Scenario sc = EmbeddedDemo.scenario(scenario);
        if (latency.compareTo(java.time.Duration.ofMinutes(1)) > 0) {
            throw ExitException.usage("--latency " + Durations.format(latency) + " is more than a minute; every"
                    + " client would time out first");
        }
        DemoServer server = DemoServer.start(new DemoServer.Config(host, port, sc, databaseAddr, redisAddr, !noLoad,
                memoryThreshold != null ? memoryThreshold : AlertThresholds.bundled().memoryPercent(),
                diskThreshold != null ? diskThreshold : AlertThresholds.bundled().diskPercent(), latency));
        server.onFailure(why -> {
            ctx.err().println("exlm-mon demo: " + why);
            ctx.err().flush();
        });
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            if (ctx.format() == OutputFormat.text) {
                ctx.err().println("exlm-mon: demo backend stopped");
                ctx.err().flush();
            }
            stopped.countDown();
        }, "exlm-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        DemoOutput.announce(ctx, server.url(), sc, latency, noLoad);
        stopped.await();
        return 0;
    }

    private static void checkAddr(String flag, String addr) {
        if (addr == null) {
            return;
        }
        int colon = addr.lastIndexOf(':');
        boolean ok = colon > 0 && colon < addr.length() - 1;
        if (ok) {
            try {
                int p = Integer.parseInt(addr.substring(colon + 1));
                ok = p > 0 && p < 65536;
            } catch (NumberFormatException e) {
                ok = false;
            }
        }
        if (!ok) {
            throw ExitException.usage(flag + " '" + addr + "' is not HOST:PORT; example: 127.0.0.1:5432");
        }
    }
}
