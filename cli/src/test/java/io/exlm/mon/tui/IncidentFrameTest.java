package io.exlm.mon.tui;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.panel.AlertsPanel;
import io.exlm.mon.panel.Breakdown;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.List;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The incident views of top: the Alerts panel and the header's alert state, the breakdown, the instance filter. */
class IncidentFrameTest {
    private static final AlertsPanel.Row FIRING = new AlertsPanel.Row("HighErrorRate", "firing", "critical",
            "127.0.0.1:8000", 97L, List.of());
    private static final AlertsPanel.Row PENDING = new AlertsPanel.Row("HighCPUUsage", "pending", "warning",
            "127.0.0.1:8000", 12L, List.of());
    private static final AlertsPanel.Row WATCHDOG = new AlertsPanel.Row("Watchdog", "firing", "none", "", 3600L,
            List.of());

    private static AlertsPanel alerts(AlertsPanel.Row... rows) {
        return new AlertsPanel(List.of(rows), "prometheus", List.of(), null, null);
    }

    private static DashboardModel model(AlertsPanel a, PanelId expanded, Breakdown b, String instance,
            String notice) {
        DashboardModel m = Frames.model(Frames.panels());
        return new DashboardModel(new DashboardModel.Header("PromQL http://127.0.0.1:9090 {job=\"exlm-backend\"} [1m]",
                DashboardModel.FeedStatus.OK, 400, 1000, null), m.panels(), expanded != null ? expanded : PanelId.CPU,
                expanded, false, false, a, b, instance, notice);
    }

    private static List<String> render(DashboardModel m, int w, int h) {
        List<AttributedString> lines = new FrameRenderer(false, true).render(m, w, h);
        assertThat(lines).hasSize(h);
        List<String> out = lines.stream().map(AttributedString::toString).toList();
        assertThat(out).allSatisfy(l -> assertThat(new AttributedString(l).columnLength()).as(l)
                .isLessThanOrEqualTo(w));
        return out;
    }

    @ParameterizedTest
    @CsvSource({"120,40", "80,24"})
    void theAlertsPanelAndTheHeaderFromPrometheusFit(int w, int h) {
        List<String> lines = render(model(alerts(FIRING, PENDING, WATCHDOG), null, null, null, null), w, h);
        String frame = String.join("\n", lines);
        assertThat(lines.get(0)).contains("│ OK │ ALERT HighErrorRate (Prometheus)");
        // the Watchdog fires by design: counted apart, faint, not in the red count
        assertThat(frame).contains("Alerts (Prometheus)", "1 firing, 1 pending (+1 silenced or by design)",
                w >= 120 ? "ages on prometheus's clock" : "0 silences active", "firing  HighErrorRate", "1m37s");
        // the key hints come first on the footer, then the hidden panels by their titles
        String footer = lines.get(h - 1);
        assertThat(footer).startsWith("q quit").contains("Enter breakdown", "i", "? help");
        if (footer.contains("hidden: ")) {
            assertThat(footer.substring(footer.indexOf("hidden: "))).doesNotContain("celery", "datasets")
                    .containsAnyOf("Celery", "Dataset processing", " panels");
        }
        if (h >= 40) {
            assertThat(frame).contains("pending HighCPUUsage", "Watchdog");
        }
    }

    @Test
    void theAlertsPanelTakesTheFocusLikeAPanelAndEnterListsEveryAlert() {
        // eight alerts: the grid's panel at 80x24 shows two of them and "+N more"
        List<AlertsPanel.Row> many = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(new AlertsPanel.Row("Alert" + i, "firing", "critical", "10.0.0." + i + ":8000", 100L - i,
                    List.of()));
        }
        DashboardState state = new DashboardState("PromQL http://127.0.0.1:9090", 1000, true, -1);
        state.update(Frames.panels(), 1_000);
        state.alerts(new AlertsPanel(many, "prometheus", List.of("7c1f"), null, null));
        assertThat(state.model(1_000).alertsFocused()).isFalse();
        String grid = String.join("\n", render(state.model(1_000), 80, 24));
        assertThat(grid).contains("Alert0", "Alert1", "more").doesNotContain("Alert7");
        // the panel keys reach it: the previous panel of the first one, the row above the first row
        state.moveFocus(-1);
        DashboardModel onAlerts = state.model(1_000);
        assertThat(onAlerts.alertsFocused()).isTrue();
        assertThat(render(onAlerts, 80, 24)).anySatisfy(l -> assertThat(l).startsWith("┌─ ▶ Alerts (Prometheus)"))
                .noneSatisfy(l -> assertThat(l).contains("▶ CPU"));
        state.moveFocus(1);
        assertThat(state.model(1_000).focus()).isEqualTo(PanelId.CPU);
        assertThat(state.model(1_000).alertsFocused()).isFalse();
        state.moveFocusRow(-1);
        assertThat(state.model(1_000).alertsFocused()).isTrue();
        state.moveFocusRow(1);
        assertThat(state.model(1_000).alertsFocused()).isFalse();
        assertThat(state.model(1_000).focus()).isEqualTo(PanelId.CPU);
        // Enter on it: every alert, and the silences, in full; Enter again, or Esc, back to the grid
        state.moveFocusRow(-1);
        state.toggleExpand();
        DashboardModel open = state.model(1_000);
        assertThat(open.alertsExpanded()).isTrue();
        assertThat(open.expanded()).isNull();
        String full = String.join("\n", render(open, 80, 24));
        for (int i = 0; i < 8; i++) {
            assertThat(full).contains("Alert" + i);
        }
        assertThat(full).contains("▶ Alerts (Prometheus): every alert", "silences active: 7c1f", "Esc/Enter back")
                .doesNotContain("more", "Requests/s");
        state.toggleExpand();
        assertThat(state.model(1_000).alertsExpanded()).isFalse();
        state.toggleExpand();
        state.back();
        assertThat(state.model(1_000).alertsExpanded()).isFalse();
        assertThat(state.model(1_000).alertsFocused()).isTrue();
        // with the breakdown of a panel open, the focus moving onto the alerts opens them instead
        state.moveFocus(1);
        state.toggleExpand();
        assertThat(state.model(1_000).expanded()).isEqualTo(PanelId.CPU);
        state.moveFocus(-1);
        assertThat(state.model(1_000).expanded()).isNull();
        assertThat(state.model(1_000).alertsExpanded()).isTrue();
    }

    @Test
    void withoutAnAlertsPanelTheFocusGoesRoundThePanelsAlone() {
        DashboardState state = new DashboardState("scrape", 1000);
        state.update(Frames.panels(), 1_000);
        state.moveFocus(-1);
        assertThat(state.model(1_000).alertsFocused()).isFalse();
        assertThat(state.model(1_000).focus()).isEqualTo(PanelId.values()[PanelId.values().length - 1]);
        state.moveFocus(1);
        state.moveFocusRow(-1);
        assertThat(state.model(1_000).focus().group()).isEqualTo(PanelId.Group.values()[PanelId.Group.values()
                .length - 1]);
    }

    @Test
    void theHeaderSaysPendingWhenNothingFiresAndLetsGoOfSilencedAndByDesignAlerts() {
        assertThat(render(model(alerts(PENDING, WATCHDOG), null, null, null, null), 120, 40).get(0))
                .contains("PENDING HighCPUUsage (Prometheus)").doesNotContain("ALERT");
        AlertsPanel.Row held = new AlertsPanel.Row("HighErrorRate", "firing", "critical", "127.0.0.1:8000", 97L,
                List.of("7c1f"));
        AlertsPanel a = new AlertsPanel(List.of(held, WATCHDOG), "prometheus", List.of("7c1f"), null, null);
        List<String> lines = render(model(a, null, null, null, null), 120, 40);
        assertThat(lines.get(0)).contains("no alerts (Prometheus)");
        assertThat(String.join("\n", lines)).contains("1 silence active, holding HighErrorRate", "silenced");
    }

    @Test
    void withoutPrometheusAlertsTheStateIsTheThresholdsAndSaysSo() {
        // the scrape source: no Alerts panel; Disk and Error rate are beyond their thresholds in Frames.panels()
        List<String> scrape = render(model(null, null, null, null, null), 120, 40);
        assertThat(scrape.get(0)).contains("ALERT Disk +1 (thresholds)");
        assertThat(String.join("\n", scrape)).doesNotContain("Alerts (Prometheus)");
        // Prometheus's alerts API failed: the panel says why, the header falls back and says that too
        List<String> unknown = render(model(AlertsPanel.unknown("alerts unknown: connection refused"), null, null,
                null, null), 120, 40);
        assertThat(unknown.get(0)).contains("ALERT Disk +1 (thresholds; alerts unknown)");
        assertThat(String.join("\n", unknown)).contains("alerts unknown: connection refused");
    }

    @Test
    void alertsReadBeforeTheSourceWentDownAreNotShownAsCurrent() {
        DashboardState state = new DashboardState("PromQL http://127.0.0.1:9090", 1000);
        state.update(Frames.panels(), 0);
        state.alerts(alerts(FIRING));
        assertThat(render(state.model(0), 120, 40).get(0)).contains("ALERT HighErrorRate (Prometheus)");
        state.failed("connection refused");
        List<String> down = render(state.model(0), 120, 40);
        assertThat(down.get(0)).contains("unreachable", "state unknown (thresholds; alerts unknown)")
                .doesNotContain("HighErrorRate");
        assertThat(String.join("\n", down)).contains("alerts unknown: the source is unreachable")
                .doesNotContain("firing  HighErrorRate");
    }

    @Test
    void anUnreachableAlertmanagerIsSaidNeverZeroSilences() {
        AlertsPanel a = new AlertsPanel(List.of(FIRING), "prometheus", List.of(), "Alertmanager"
                + " http://127.0.0.1:9093: connection refused", null);
        String frame = String.join("\n", render(model(a, null, null, null, null), 120, 40));
        assertThat(frame).contains("silences unknown: Alertmanager http://127.0.0.1:9093: connection refused")
                .doesNotContain("0 silences");
    }

    private static Breakdown errorRate() {
        return new Breakdown(PanelId.ERROR_RATE, List.of(
                new Breakdown.Cut("handler", PanelState.Unit.RATIO, List.of(new Breakdown.Row("/api/v1/models", 0.5),
                        new Breakdown.Row("/api/v1/datasets", 0.25), new Breakdown.Row("/api/v1/predict", 0.0)),
                        false, null),
                new Breakdown.Cut("instance", PanelState.Unit.RATIO, List.of(new Breakdown.Row("127.0.0.1:8000",
                        0.0712)), false, null)));
    }

    @ParameterizedTest
    @CsvSource({"120,40", "80,24"})
    void enterShowsTheBreakdownWithTheFailingHandlersBeyondTheThreshold(int w, int h) {
        List<String> lines = render(model(alerts(FIRING), PanelId.ERROR_RATE, errorRate(), null, null), w, h);
        String frame = String.join("\n", lines);
        assertThat(frame).contains("Error rate by handler, instance", "by handler (3)", "by instance (1)",
                "127.0.0.1:8000");
        assertThat(frame).containsPattern("/api/v1/models +█+ +50\\.0% ALERT");
        assertThat(frame).containsPattern("/api/v1/predict +0\\.0%");
        assertThat(frame).doesNotContainPattern("/api/v1/predict.*ALERT");
        assertThat(lines.get(h - 1)).startsWith("q quit  Esc/Enter back");
    }

    /** The jobs by instance: a row per instance and status, named so, never one sum of the statuses. */
    @ParameterizedTest
    @CsvSource({"120,40", "80,24"})
    void theJobsByInstanceShowEachStatusApart(int w, int h) {
        Breakdown b = new Breakdown(PanelId.TRAINING, List.of(
                new Breakdown.Cut("status", PanelState.Unit.COUNT, List.of(new Breakdown.Row("started", 6),
                        new Breakdown.Row("completed", 4), new Breakdown.Row("failed", 2)), false, null),
                new Breakdown.Cut("instance", PanelState.Unit.COUNT, List.of(new Breakdown.Row("a:1", "started", 6),
                        new Breakdown.Row("a:1", "completed", 4), new Breakdown.Row("a:1", "failed", 2)), false,
                        null)));
        String frame = String.join("\n", render(model(null, PanelId.TRAINING, b, null, null), w, h));
        assertThat(frame).contains("by status (3)", "by instance and status (3)").containsPattern("a:1 started +█+ +6")
                .containsPattern("a:1 failed +█+ +2").doesNotContainPattern("a:1 +█+ +12");
    }

    @Test
    void aBreakdownOfAnotherPanelOrNoneYetIsNotShownAsThisOne() {
        String frame = String.join("\n", render(model(alerts(), PanelId.REQUEST_RATE, null, null, null), 120, 40));
        assertThat(frame).contains("Requests/s by handler, status, instance", "asking for the breakdown");
        // the model keeps only the expanded panel's breakdown (DashboardState), so one of another panel never shows
        DashboardState state = new DashboardState("test", 1000);
        state.update(Frames.panels(), 0);
        state.toggleExpand(); // CPU
        state.breakdown(errorRate());
        assertThat(state.model(0).breakdown()).isNull();
    }

    @Test
    void anUnavailableCutSaysWhyAndTooManyRowsSayHowMany() {
        java.util.List<Breakdown.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < PanelId.BREAKDOWN_ROWS; i++) {
            rows.add(new Breakdown.Row("/h" + i, 10 - i));
        }
        Breakdown b = new Breakdown(PanelId.REQUEST_RATE, List.of(
                new Breakdown.Cut("handler", PanelState.Unit.PER_SECOND, rows, true, null),
                Breakdown.Cut.unavailable("status", PanelState.Unit.PER_SECOND, "the query failed: timeout"),
                new Breakdown.Cut("instance", PanelState.Unit.PER_SECOND, List.of(new Breakdown.Row("a:1", 3)),
                        false, null, "the scrape reads one instance")));
        String big = String.join("\n", render(model(null, PanelId.REQUEST_RATE, b, null, null), 120, 40));
        assertThat(big).contains("by handler (10+)", "+ more (the highest 10 shown)", "the query failed: timeout",
                "the scrape reads one instance");
        String small = String.join("\n", render(model(null, PanelId.REQUEST_RATE, b, null, null), 80, 24));
        assertThat(small).contains("by handler (10+)", "by status", "by instance").containsPattern("\\+\\d+\\+ more");
    }

    @ParameterizedTest
    @CsvSource({"120,40", "80,24"})
    void theInstanceFilterIsInTheHeader(int w, int h) {
        List<String> lines = render(model(alerts(FIRING), null, null, "10.0.0.5:8000", null), w, h);
        assertThat(lines.get(0)).contains("ALERT HighErrorRate (Prometheus, any instance) │ instance=10.0.0.5:8000");
        List<String> notice = render(model(null, null, null, null, "a scrape reads one instance, 127.0.0.1:8000"),
                w, h);
        assertThat(notice.get(h - 1)).startsWith("a scrape reads one instance, 127.0.0.1:8000  q quit");
    }

    @Test
    void atEightyColumnsTheAlertStateSaysLessBeforeTheFilterIsCut() {
        // two alerts pending and a filter: the old header was 83 columns and cut "instance=127.0.0.1:35679" to
        // "instance=127.0.0.1:35", which names another instance
        AlertsPanel.Row errors = new AlertsPanel.Row("HighErrorRate", "pending", "critical", "127.0.0.1:35679", 29L,
                List.of());
        List<String> two = render(model(alerts(errors, PENDING), null, null, "127.0.0.1:35679", null), 80, 24);
        assertThat(two.get(0)).contains("PENDING HighErrorRate +1 (any instance) │ instance=127.0.0.1:35679");
        List<String> wide = render(model(alerts(errors, PENDING), null, null, "127.0.0.1:35679", null), 120, 40);
        assertThat(wide.get(0)).contains("PENDING HighErrorRate +1 (Prometheus, any instance) │ "
                + "instance=127.0.0.1:35679");
        String pod = "backend-7f9c6d5b8-x2x9z:8000";
        List<String> longer = render(model(alerts(errors, PENDING), null, null, pod, null), 80, 24);
        assertThat(longer.get(0)).contains("PENDING 2 alerts (any instance) │ instance=" + pod);
        // a name that cannot fit is cut, and says so, rather than naming another instance
        String fqdn = "exlm-backend-7f9c6d5b8-x2x9z.exlm-production.svc.cluster.local:8000";
        List<String> longest = render(model(alerts(errors, PENDING), null, null, fqdn, null), 80, 24);
        assertThat(longest.get(0)).hasSize(80).endsWith("...").contains("instance=exlm-backend-7f9c6d5b8");
    }

    @ParameterizedTest
    @CsvSource({"120,40", "80,24"})
    void noAlertsWithRulesThatCannotFireIsNotGreen(int w, int h) {
        AlertsPanel a = new AlertsPanel(List.of(WATCHDOG), "prometheus", List.of(), null, null,
                "exlm's alerts cannot all fire: rule failing: HighErrorRate (vector cannot contain metrics with the"
                        + " same labelset)");
        List<String> lines = render(model(a, null, null, null, null), w, h);
        assertThat(lines.get(0)).contains("no alerts, rules incomplete (Prometheus)");
        assertThat(String.join("\n", lines)).contains("exlm's alerts cannot all fire: rule failing: HighErrorRate");
        List<AttributedString> styled = new FrameRenderer(true, true).render(model(a, null, null, null, null), w, h);
        String ansi = styled.get(0).toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.None);
        String state = ansi.substring(ansi.lastIndexOf("OK") + 2);
        assertThat(state).as("yellow, not green").contains("33").doesNotContain("32");
    }

    @Test
    void theKeyCyclesThroughTheInstancesAndBack() {
        DashboardState state = new DashboardState("test", 1000);
        state.nextInstance();
        assertThat(state.model(0).notice()).isEqualTo("no instances known yet");
        state.instances(List.of(), "a scrape reads one instance, 127.0.0.1:8000");
        state.nextInstance();
        assertThat(state.instance()).isNull();
        assertThat(state.model(0).notice()).isEqualTo("a scrape reads one instance, 127.0.0.1:8000");
        state.instances(List.of("a:1", "b:1"), null);
        state.nextInstance();
        assertThat(state.instance()).isEqualTo("a:1");
        assertThat(state.model(0).notice()).isNull();
        state.nextInstance();
        assertThat(state.instance()).isEqualTo("b:1");
        state.nextInstance();
        assertThat(state.instance()).isNull();
        state.nextInstance();
        state.clearInstance();
        assertThat(state.instance()).isNull();
        // Esc: back from the breakdown keeps the filter; on the grid it clears it
        state.nextInstance();
        state.toggleExpand();
        state.back();
        assertThat(state.instance()).isEqualTo("a:1");
        state.back();
        assertThat(state.instance()).isNull();
    }

    @Test
    void serverTextIsMadePrintable() {
        AlertsPanel.Row hostile = new AlertsPanel.Row("Bad\u001b[2JAlert", "firing", "crit\u0007", "i\u001b]0;x",
                1L, List.of());
        String frame = String.join("\n", render(model(alerts(hostile), null, null, null, null), 120, 40));
        assertThat(frame).doesNotContain("\u001b", "\u0007");
        Breakdown.Row row = new Breakdown.Row("/h\u001b[31m", 1);
        assertThat(row.value()).doesNotContain("\u001b");
    }
}
