package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.promql.Alert;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code explain} and {@code alerts --explain} list alerts in {@link Alert#pagingOrder}, as {@code alerts} does. */
class ExplainingOrderTest {
    private static Alert alert(String name, String severity, String state, String activeAt) {
        return new Alert(Map.of("alertname", name, "severity", severity), Map.of(), state, activeAt, "1");
    }

    @Test
    void theWatchdogLastAndTheOldestCriticalFirst() {
        List<Alert> l = Explaining.ordered(List.of(alert("Watchdog", "none", "firing", "2026-01-07T08:00:00Z"),
                alert("HighCPUUsage", "warning", "pending", "2026-01-07T09:59:00Z"),
                alert("HighErrorRate", "critical", "firing", "2026-01-07T09:58:00Z"),
                alert("ServiceDown", "critical", "firing", "2026-01-07T09:50:00Z")));
        assertThat(l).extracting(Alert::name).containsExactly("ServiceDown", "HighErrorRate", "HighCPUUsage",
                "Watchdog");
    }
}
