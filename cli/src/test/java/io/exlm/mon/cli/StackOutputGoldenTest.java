package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.demo.Scenario;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.GrafanaPassword;
import io.exlm.mon.stack.PartReport;
import io.exlm.mon.stack.Readiness;
import io.exlm.mon.stack.StateDir;
import io.exlm.mon.testing.Golden;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documents of {@code up -o json} and {@code demo -o json}, which no in-process run can give on fixed inputs
 * ({@code up} needs a stack, {@code demo} runs until a signal): their renderers on fixed reports, held to golden
 * files as {@link CommandGoldenTest} holds the others. The temporary directory is blanked (TMP), and demo's pid.
 */
class StackOutputGoldenTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();

    private Context json() {
        GlobalOptions globals = new GlobalOptions();
        globals.output = OutputFormat.json;
        return new Context(globals, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true), Map.of(),
                false, new ByteArrayInputStream(new byte[0]));
    }

    private static final List<PartReport> PARTS = List.of(
            new PartReport(Component.PUSHGATEWAY, PartReport.STARTED, 4101L, "http://127.0.0.1:9091", null,
                    "1.9.0", null, "/var/log/pushgateway.log"),
            new PartReport(Component.NODE_EXPORTER, PartReport.RUNNING, 4102L, "http://127.0.0.1:9100", null, null,
                    "already running", null),
            new PartReport(Component.PROMETHEUS, PartReport.STARTED, 4103L, "http://127.0.0.1:9090", null, "3.1.0",
                    null, null),
            new PartReport(Component.GRAFANA, PartReport.SKIPPED, null, "http://127.0.0.1:3001", null, null,
                    "not installed", null));

    @Test
    void upWithoutWait() throws Exception {
        StackOutput.up(json(), "local", "single", new StateDir(tmp), PARTS, null, null, new GrafanaPassword(() -> "given",
                tmp.resolve("grafana-password")), List.of());
        Golden.assertMatches("up-no-wait.json", out.toString().replace(tmp.toString(), "TMP"), "up JSON");
    }

    @Test
    void upWithWaitAndAGeneratedGrafanaPassword() throws Exception {
        List<PartReport> parts = List.of(PARTS.get(0).withHealth(Readiness.OK, null), PARTS.get(2).withHealth(
                Readiness.OK, null), new PartReport(Component.GRAFANA, PartReport.STARTED, 4104L,
                        "http://127.0.0.1:3001", "starting", "11.4.0", null, null));
        GrafanaPassword password = new GrafanaPassword(() -> null, tmp.resolve("grafana-password"));
        assertThat(password.get()).isNotBlank();
        StackOutput.up(json(), "compose", "single", new StateDir(tmp), parts, new Readiness.Outcome(Map.of(), 1234, false),
                new Readiness.DataFlow(true, List.of(), 567), password,
                List.of("https://mimir.example.com/api/v1/push"));
        Golden.assertMatches("up-wait.json", out.toString().replace(tmp.toString(), "TMP"), "up JSON");
    }

    @Test
    void demo() throws Exception {
        DemoOutput.announce(json(), "http://127.0.0.1:8000", Scenario.named("errors"), Duration.ofMillis(250),
                false);
        Golden.assertMatches("demo.json", out.toString().replaceAll("\"pid\" : \\d+", "\"pid\" : 0"), "demo JSON");
    }
}
