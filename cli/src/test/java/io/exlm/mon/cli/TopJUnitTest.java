package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.Frames;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code top --once -o junit}: the document against a golden file (a model with known figures, not the demo's random
 * numbers), and what decides its failures: the same panels that make {@code --fail-on-alert} exit 1.
 */
class TopJUnitTest {
    /** The golden file; {@code -Dexlm.golden.update=true} rewrites it from the current output (then review the diff). */
    private static final String GOLDEN = "top-junit.xml";

    /** Frames' dashboard (disk 93.2 % and error rate 7.1 % beyond their thresholds), the cache panel without value. */
    private static DashboardModel model() {
        Map<PanelId, PanelState> panels = new EnumMap<>(Frames.panels());
        panels.put(PanelId.CACHE, PanelState.unavailable(PanelId.CACHE, "needs a second scrape for a rate"));
        return Frames.model(panels);
    }

    private static String junit(DashboardModel model, boolean reachable, List<String> failing) {
        StringWriter out = new StringWriter();
        TopJUnit.write(new PrintWriter(out), model, reachable, new TopGate.Verdict(failing, List.of()), 1.25);
        return out.toString();
    }

    private static Element parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    private static List<String> failed(Element doc) {
        List<String> out = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            if (tc.getElementsByTagName("failure").getLength() > 0) {
                out.add(tc.getAttribute("name"));
            }
        }
        return out;
    }

    @Test
    void failOnAlertMatchesTheGoldenFile() throws Exception {
        DashboardModel model = model();
        String xml = junit(model, true, TopGate.alerts(model));
        io.exlm.mon.testing.Golden.assertMatches(GOLDEN, xml, "top's JUnit report");
    }

    @Test
    void theFailuresAreThePanelsTheExitCodeFailsOn() throws Exception {
        DashboardModel model = model();
        Element doc = parse(junit(model, true, TopGate.alerts(model)));
        assertThat(failed(doc)).containsExactlyElementsOf(TopGate.alerts(model)).containsExactly("disk",
                "error_rate");
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(PanelId.values().length + 1));
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    }

    @Test
    void withoutFailOnAlertNothingFailsButTheLevelIsThere() throws Exception {
        String xml = junit(model(), true, List.of());
        Element doc = parse(xml);
        assertThat(failed(doc)).isEmpty();
        assertThat(xml).contains("Error rate: 7.1%\nlevel: alert (alert &gt; 5.0%)");
    }

    @Test
    void anUnreachableSourceIsAFailureAndEveryPanelSaysWhy() throws Exception {
        Map<PanelId, PanelState> panels = new EnumMap<>(PanelId.class);
        for (PanelId id : PanelId.values()) {
            panels.put(id, PanelState.unavailable(id, "source unreachable: connection refused"));
        }
        DashboardModel model = new DashboardModel(new DashboardModel.Header("scrape http://127.0.0.1:1/metrics",
                DashboardModel.FeedStatus.UNREACHABLE, -1, 1000, "connection refused"), panels, PanelId.CPU, null,
                false, false);
        Element doc = parse(junit(model, false, List.of()));
        assertThat(failed(doc)).containsExactly("source");
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("skipped")).isEqualTo(String.valueOf(PanelId.values().length));
        assertThat(((Element) doc.getElementsByTagName("failure").item(0)).getAttribute("message"))
                .isEqualTo("unreachable: connection refused");
    }

    @Test
    void theErrorsScenarioFailsTheGateOnTheErrorRatePanel() throws Exception {
        Cli.Result r = Cli.exec("top", "--demo", "--scenario", "errors", "--once", "--fail-on-alert", "-o", "junit");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("exlm-mon: error_rate: ").contains(" beyond 5.0%, failing the gate");
        Element doc = parse(r.out());
        assertThat(failed(doc)).contains("error_rate");
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element tc = (Element) cases.item(i);
            if (tc.getAttribute("name").equals("error_rate")) {
                assertThat(tc.getAttribute("classname")).isEqualTo("exlm-mon.top.errors");
                Element failure = (Element) tc.getElementsByTagName("failure").item(0);
                assertThat(failure.getAttribute("message")).startsWith("Error rate is beyond its alert threshold: ")
                        .endsWith("(alert > 5.0%)");
            }
        }
    }

    @Test
    void junitWithoutOnceIsAOneLineUsageError() {
        Cli.Result r = Cli.exec("top", "-o", "junit");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("-o junit needs --once");
    }

    @Test
    void failOnAlertWithPanelsGatesOnThoseOnly() {
        // disk and the error rate are beyond their thresholds
        assertThat(TopGate.alerts(model())).containsExactly("disk", "error_rate");
        assertThat(TopGate.alerts(model(), java.util.EnumSet.of(PanelId.ERROR_RATE, PanelId.LATENCY)))
                .containsExactly("error_rate");
        assertThat(TopGate.alerts(model(), java.util.EnumSet.of(PanelId.CPU, PanelId.LATENCY))).isEmpty();

        Cli.Result unknown = Cli.exec("top", "--once", "--fail-on-alert", "error_rate,cpus");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("exlm-mon top: --fail-on-alert: no panel 'cpus'; the panels with an alert"
                + " threshold are cpu, memory, disk, error_rate");
        // latency has no alert threshold: a gate on it could never fail, so it is refused
        assertThat(Cli.exec("top", "--once", "--fail-on-alert", "latency").exitCode()).isEqualTo(2);
        Cli.Result live = Cli.exec("top", "--fail-on-alert=error_rate");
        assertThat(live.exitCode()).isEqualTo(2);
        assertThat(live.err()).contains("--fail-on-alert needs --once");
    }
}
