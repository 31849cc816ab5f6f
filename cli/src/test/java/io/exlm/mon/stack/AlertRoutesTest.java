package io.exlm.mon.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.promql.PrometheusYaml;
import io.exlm.mon.testing.Tools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which receiver each alert of the rules reaches, asked of the real amtool ({@code amtool config routes test}) on the
 * shipped stack/alertmanager/alertmanager.yml and on the file {@code exlm-mon up} writes from it: the Watchdog its own
 * receiver, critical alerts the pages, warnings the tickets, and an alert of no known severity the pages.
 */
class AlertRoutesTest {
    private static final Path STACK = Path.of("..", "stack").toAbsolutePath().normalize();

    /** The routing policy: the receiver an alert's severity (or the Watchdog's name) must reach. */
    static String expectedReceiver(String alert, String severity) {
        if (alert.equals("Watchdog")) {
            return "exlm-watchdog";
        }
        return "warning".equals(severity) ? "exlm-ticket" : "exlm-page";
    }

    /** Every alert of every rule file the stack ships (rules/*.yml, as Prometheus loads them), with its labels. */
    static List<PrometheusYaml.FileRule> alerts() throws Exception {
        List<PrometheusYaml.FileRule> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(STACK.resolve("prometheus/rules"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                for (PrometheusYaml.FileRule r : PrometheusYaml.rules(Files.readString(f), f.toString())) {
                    if (r.alerting()) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }

    static String receiver(Path config, Map<String, String> labels) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("amtool").toString(), "config", "routes", "test",
                "--config.file=" + config));
        labels.forEach((k, v) -> cmd.add(k + "=" + v));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out;
    }

    @Test
    void everyAlertReachesTheReceiverOfItsSeverity(@TempDir Path tmp) throws Exception {
        Path shipped = STACK.resolve("alertmanager/alertmanager.yml");
        Path written = Files.writeString(tmp.resolve("alertmanager.yml"),
                ConfigWriter.alertmanager("http://127.0.0.1:5001/alerts"));
        List<PrometheusYaml.FileRule> alerts = alerts();
        assertThat(alerts).extracting(PrometheusYaml.FileRule::alert).contains("Watchdog", "ServiceDown",
                "HighErrorRate", "SmokeResultsStale", "AlertmanagerNotificationsFailing");
        Map<String, String> seen = new LinkedHashMap<>();
        for (PrometheusYaml.FileRule a : alerts) {
            String severity = a.labels().get("severity");
            assertThat(severity).as(a.alert() + "'s severity, in the project's words")
                    .isIn("critical", "warning", "none");
            Map<String, String> labels = new LinkedHashMap<>(a.labels());
            labels.put("alertname", a.alert());
            labels.put("job", "exlm-backend");
            labels.put("instance", "backend:8000");
            String expected = expectedReceiver(a.alert(), severity);
            for (Path config : List.of(shipped, written)) {
                assertThat(receiver(config, labels)).as(a.alert() + " in " + config).isEqualTo(expected);
            }
            seen.put(a.alert(), expected);
        }
        assertThat(seen).containsValues("exlm-watchdog", "exlm-page", "exlm-ticket");
        // an alert whose severity no route knows still pages: it must not get lost in the ticket queue
        assertThat(receiver(shipped, Map.of("alertname", "SomethingNew"))).isEqualTo("exlm-page");
        assertThat(receiver(shipped, Map.of("alertname", "SomethingNew", "severity", "info"))).isEqualTo("exlm-page");
    }
}
