package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A new instance filter or a new time shown is a new generation: what a poll read under the old one (figures,
 * alerts, breakdown) is neither kept nor taken when it comes late (the second reader's: an instance header over every
 * instance's figures; a past time's header beside the alerts of now).
 */
class DashboardFilterTest {
    static final AlertsPanel NOW = new AlertsPanel(List.of(new AlertsPanel.Row("HighErrorRate", "pending", "critical",
            "127.0.0.1:18602", 5L, List.of())), "prometheus", List.of(), null, null);

    static DashboardState state() {
        DashboardState s = new DashboardState("PromQL http://127.0.0.1:9090", 1000, true, -1);
        s.instances(List.of("127.0.0.1:18601", "127.0.0.1:18602"), null);
        return s;
    }

    @Test
    void aNewFilterDropsWhatWasReadForTheOldOneAndWhatComesLateForIt() {
        DashboardState s = state();
        long before = s.travel().generation();
        s.update(before, Map.of(PanelId.USERS, PanelState.unavailable(PanelId.USERS, "x")), 1000);
        s.alerts(before, NOW);
        s.nextInstance();
        assertThat(s.instance()).isEqualTo("127.0.0.1:18601");
        long after = s.travel().generation();
        assertThat(after).isNotEqualTo(before);
        assertThat(s.panels()).isEmpty();
        assertThat(s.model(2000).alerts()).isNull();
        // a poll that began before the key: its answers are not the filter's
        s.alerts(before, NOW);
        s.update(before, Map.of(PanelId.USERS, PanelState.unavailable(PanelId.USERS, "x")), 2000);
        assertThat(s.model(2000).alerts()).isNull();
        assertThat(s.panels()).isEmpty();
        s.alerts(after, NOW);
        assertThat(s.model(2000).alerts()).isEqualTo(NOW);
        s.clearInstance();
        assertThat(s.travel().generation()).isNotEqualTo(after);
        assertThat(s.model(3000).alerts()).isNull();
    }

    @Test
    void aStepBackInTimeDropsTheAlertsOfNow() {
        DashboardState s = state();
        long g = s.travel().generation();
        s.alerts(g, NOW);
        s.stepBack(10_000_000);
        assertThat(s.travel().past()).isTrue();
        assertThat(s.model(10_000_000).alerts()).isNull();
        s.alerts(g, NOW); // the poll of now that was in flight
        assertThat(s.model(10_000_000).alerts()).isNull();
    }

    @Test
    void anExpandedPanelWithoutItsBreakdownAsksForAPollEvenAtAPastTime() {
        DashboardState s = state();
        assertThat(s.awaitsBreakdown()).isFalse();
        s.toggleExpand();
        assertThat(s.awaitsBreakdown()).isTrue();
    }
}
