package io.exlm.mon.promql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The one order in which every view lists alerts ({@link Alert#pagingOrder}): top's alerts panel, {@code alerts},
 * {@code alerts --explain} and {@code explain} all sort with it, so that the alert named first is the same one.
 */
class AlertOrderTest {
    record A(String name, String state, String severity, Long age, boolean held) {
    }

    private static List<String> order(A... alerts) {
        List<A> l = new ArrayList<>(List.of(alerts));
        l.sort(Alert.pagingOrder(a -> !a.held() && !Alert.BY_DESIGN.equals(a.severity()), A::state, A::severity,
                A::age, A::name, a -> ""));
        return l.stream().map(A::name).toList();
    }

    @Test
    void whatPagesComesFirstAndTheOldestOfOneSeverityBeforeTheOthers() {
        assertThat(order(
                new A("Watchdog", "firing", "none", 9000L, false),
                new A("HighCPUUsage", "pending", "warning", 30L, false),
                new A("HighErrorRate", "firing", "critical", 60L, false),
                new A("Silenced", "firing", "critical", 9000L, true),
                new A("ServiceDown", "firing", "critical", 600L, false),
                new A("NoAge", "firing", "critical", null, false),
                new A("DiskSpaceLow", "firing", "warning", 7000L, false)))
                // the Watchdog fires by design and a silenced alert is held: both after every alert that counts
                .containsExactly("ServiceDown", "HighErrorRate", "NoAge", "DiskSpaceLow", "HighCPUUsage", "Silenced",
                        "Watchdog");
    }
}
