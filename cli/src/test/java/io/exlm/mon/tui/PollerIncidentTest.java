package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.IncidentFeed;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.testing.ManualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The poller and the incident feed: the instance filter reaches the source before the next snapshot (on the poller's
 * thread), the breakdown is asked for only while a panel is expanded, and a feed that fails does not fail the poll.
 */
class PollerIncidentTest {
    /** What the poller asked for, in order. */
    private final List<String> calls = new ArrayList<>();

    private final io.exlm.mon.source.Source source = new io.exlm.mon.source.Source() {
        @Override
        public String describe() {
            return "test";
        }

        @Override
        public boolean hasWindow() {
            return true;
        }

        @Override
        public Snapshot snapshot() {
            calls.add("snapshot");
            return Frames.emptySnapshot();
        }
    };

    private final IncidentFeed feed = new IncidentFeed() {
        @Override
        public AlertsPanel alerts() {
            calls.add("alerts");
            throw new IllegalStateException("boom");
        }

        @Override
        public Breakdown breakdown(PanelId id, Snapshot latest) {
            calls.add("breakdown " + id);
            return new Breakdown(id, List.of());
        }

        @Override
        public List<String> instances() {
            calls.add("instances");
            return List.of("a:1", "b:1");
        }

        @Override
        public void instance(String instance) {
            calls.add("instance " + instance);
        }

        @Override
        public String oneInstance() {
            return "none";
        }
    };

    @Test
    void theFilterReachesTheSourceBeforeTheNextSnapshotAndTheBreakdownOnlyWhileExpanded() {
        DashboardState state = new DashboardState("test", 1000);
        Poller poller = new Poller(source, feed, state, new ManualClock(Instant.parse("2026-03-01T12:00:00Z")), null);
        assertThat(poller.pollOnce()).isTrue();
        assertThat(calls).containsExactly("snapshot", "alerts", "instances");
        // a failing alerts read is the panel's words, not a failed poll
        assertThat(state.model(0).alerts().error()).contains("boom");
        assertThat(state.model(0).header().status()).isEqualTo(DashboardModel.FeedStatus.OK);

        calls.clear();
        state.nextInstance();
        state.toggleExpand();
        assertThat(poller.pollOnce()).isTrue();
        assertThat(calls).containsExactly("instance a:1", "snapshot", "alerts", "instances", "breakdown CPU");
        assertThat(state.model(0).breakdown().panel()).isEqualTo(PanelId.CPU);

        calls.clear();
        state.back();
        state.clearInstance();
        assertThat(poller.pollOnce()).isTrue();
        assertThat(calls).containsExactly("instance null", "snapshot", "alerts", "instances");
    }

    @Test
    void prometheusFeedsFilterIsTheSourcesScopeAndSoEveryQuerys() throws Exception {
        try (io.exlm.mon.http.HttpLayer http = new io.exlm.mon.http.HttpLayer(io.exlm.mon.http.HttpOptions
                .defaults())) {
            io.exlm.mon.promql.PrometheusClient client = new io.exlm.mon.promql.PrometheusClient(http,
                    "http://127.0.0.1:1");
            io.exlm.mon.source.PrometheusSource src = new io.exlm.mon.source.PrometheusSource(client,
                    io.exlm.mon.source.Combination.defaults(), java.time.Duration.ofMinutes(1),
                    io.exlm.mon.source.Scope.BACKEND, PanelId.queryGroups());
            IncidentFeed f = IncidentFeed.prometheus(src, client, null, src.window(),
                    io.exlm.mon.source.Combination.defaults(), java.time.Clock.systemUTC());
            f.instance("10.0.0.5:8000");
            assertThat(src.scope().instance()).isEqualTo("10.0.0.5:8000");
            assertThat(io.exlm.mon.source.PrometheusSource.queries(src.scope(), io.exlm.mon.source.Combination
                    .defaults(), src.window(), PanelId.queryGroups())).allSatisfy(q -> assertThat(q.promql())
                    .contains("instance=\"10.0.0.5:8000\""));
            f.instance(null);
            assertThat(src.scope()).isEqualTo(io.exlm.mon.source.Scope.BACKEND);
        }
    }
}
