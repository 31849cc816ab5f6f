package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.demo.DemoServer;
import io.exlm.mon.demo.Scenario;
import picocli.CommandLine.Option;

/** {@code --demo} and {@code --scenario}: the embedded demo backend that health and top can run against. */
final class EmbeddedDemo {
    @Option(names = "--demo", order = 20, description = "Start the embedded demo backend on a free port and use it")
    boolean on;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "normal", order = 21,
            completionCandidates = DemoCommand.Scenarios.class,
            description = "With --demo: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    String scenario;

    /** The demo backend on a free port, running the scenario; null without {@code --demo}. */
    DemoServer startOrNull() {
        return on ? DemoServer.start(DemoServer.Config.defaults().withPort(0).withScenario(scenario(scenario))) : null;
    }

    /** The scenario {@code --scenario} names (also the demo command's); a usage error for any other word. */
    static Scenario scenario(String name) {
        try {
            return Scenario.named(name);
        } catch (IllegalArgumentException e) {
            throw ExitException.usage("--scenario: " + e.getMessage());
        }
    }
}
