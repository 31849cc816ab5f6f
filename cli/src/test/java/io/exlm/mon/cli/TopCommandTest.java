package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import org.junit.jupiter.api.Test;

class TopCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void onceShowsEveryGroupWithNumbers() {
        Cli.Result r = Cli.exec("top", "--demo", "--once", "--interval", "500ms", "--window", "2s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("exlm-mon top", "OK").doesNotContain("\u001b[");
        assertThat(r.out()).containsPattern("CPU[\\s\\S]*\\d+\\.\\d%");
        assertThat(r.out()).containsPattern("Requests/s[^\\n]*\\n[^\\n]*\\d+(\\.\\d+)?/s");
        assertThat(r.out()).containsPattern("p95 \\d+(\\.\\d+)?m?s");
        assertThat(r.out()).contains("Model training", "started", "Celery", "pending", "Error rate", "Cache hit ratio");
        assertThat(r.out()).doesNotContain("needs a second scrape", "unreachable");
    }

    @Test
    void onceAsJsonHasAValueForEveryPanel() throws Exception {
        Cli.Result r = Cli.exec("top", "--demo", "--once", "--interval", "500ms", "--window", "2s", "-o",
                "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode doc = JSON.readTree(r.out());
        assertThat(doc.get("status").asText()).isEqualTo("ok");
        JsonNode panels = doc.get("panels");
        assertThat(panels.size()).isEqualTo(13);
        panels.properties().forEach(e -> {
            assertThat(e.getValue().get("available").asBoolean()).as(e.getKey() + ": " + e.getValue()).isTrue();
            int values = e.getValue().get("figures").size() + e.getValue().get("bars").size();
            assertThat(values).as(e.getKey()).isPositive();
        });
        assertThat(panels.get("rps").get("figures").get(0).get("value").asDouble()).isPositive();
        assertThat(panels.get("latency").get("figures")).extracting(f -> f.get("label").asText())
                .containsExactly("p50", "p95", "p99");
    }

    @Test
    void failOnAlertGatesOnTheErrorsScenario() throws Exception {
        // the default window: --once scrapes for 10 s, over which the errors scenario's 16 % is always above 5 %
        Cli.Result r = Cli.exec("top", "--demo", "--scenario", "errors", "--once", "--fail-on-alert=error_rate", "-o",
                "json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).containsPattern("exlm-mon: error_rate: [0-9.]+% beyond 5.0%, failing the gate");
        JsonNode window = JSON.readTree(r.out()).get("panels").get("error_rate").get("window");
        assertThat(window.get("seconds").asDouble()).isEqualTo(60);
        assertThat(window.get("covered_seconds").asDouble()).isBetween(10.0, 12.0);
        assertThat(window.get("judged").asBoolean()).isTrue();
        assertThat(window.get("note").asText()).startsWith("the 1m window holds only 1");
    }

    @Test
    void latencyIsColouredAgainstTheSloButNotGated() throws Exception {
        // the slow scenario's p95 is beyond the objective's 500 ms: its level says so, the gate does not fail on it
        Cli.Result r = Cli.exec("top", "--demo", "--scenario", "slow", "--once", "--window", "3s",
                "--fail-on-alert=error_rate", "-o", "json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode latency = JSON.readTree(r.out()).get("panels").get("latency");
        assertThat(latency.get("level").asText()).as(latency.toString()).isEqualTo("alert");
        // a --window given: --once read all of it, so the panels have no window note
        assertThat(latency.has("window")).as(latency.toString()).isFalse();
        assertThat(JSON.readTree(r.out()).get("alerts").toString()).doesNotContain("latency");
        Cli.Result gate = Cli.exec("top", "--demo", "--once", "--fail-on-alert=latency");
        assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(2);
        assertThat(gate.err()).contains("no panel 'latency'");
    }

    @Test
    void unreachableSourceIsExit3WithTheReason() {
        String url = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = Cli.exec("top", "--backend-url", url, "--once");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).contains("unreachable");
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("connection refused");
    }

    @Test
    void aGateThatCouldNotJudgeNamesNoFailingPanel() throws Exception {
        // exit 3: no panel was judged, so none failed; the reason is the document's status and error (it listed
        // cpu, memory and disk, the host panels without a value)
        String url = "http://127.0.0.1:" + Ports.closed();
        Cli.Result json = Cli.exec("top", "--backend-url", url, "--once", "--fail-on-alert", "-o", "json");
        assertThat(json.exitCode()).as(json.toString()).isEqualTo(3);
        JsonNode doc = JSON.readTree(json.out());
        assertThat(doc.get("status").asText()).isEqualTo("unreachable");
        assertThat(doc.get("error").asText()).contains("connection refused");
        assertThat(doc.get("failing").isArray()).isTrue();
        assertThat(doc.get("failing")).isEmpty();
        assertThat(json.errLines()).singleElement().asString().contains("connection refused");
        // the JUnit report likewise fails the source alone: its panels are skipped, not failed
        Cli.Result junit = Cli.exec("top", "--backend-url", url, "--once", "--fail-on-alert", "-o", "junit");
        assertThat(junit.exitCode()).as(junit.toString()).isEqualTo(3);
        assertThat(junit.out()).contains("failures=\"1\"").doesNotContain("no value to judge");
    }

    @Test
    void pipedOutputIsPlainFrames() {
        // not a terminal (as under Cli): a frame per refresh with no escape codes, here cut short by --once
        Cli.Result r = new Cli().env("COLUMNS", "80").env("LINES", "24").run("top", "--demo", "--once",
                "--interval", "300ms", "--window", "1s", "--ascii");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out().lines()).hasSize(24).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
        assertThat(r.out().chars()).allMatch(c -> c < 128);
        assertThat(r.out()).contains("hidden: Users, Celery");
    }

    @Test
    void usageErrors() {
        assertThat(Cli.exec("top", "-o", "json").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("top", "--fail-on-alert").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("top", "--source", "graphite").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("top", "--interval", "10ms", "--once").exitCode()).isEqualTo(2);
        assertThat(Cli.exec("top", "-o", "junit").exitCode()).isEqualTo(2);
        // a window of nothing is the user's mistake, not Prometheus unreachable (it was exit 3, from Prometheus's 400)
        Cli.Result zero = Cli.exec("top", "--once", "--source", "prometheus", "--window", "0s");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.err()).contains("--window must be positive");
    }

    @Test
    void atIsForASourceThatRemembersAndATimeThatWas() {
        Cli.Result scrape = Cli.exec("top", "--once", "--at", "5m");
        assertThat(scrape.exitCode()).as(scrape.toString()).isEqualTo(2);
        assertThat(scrape.errLines()).hasSize(1);
        assertThat(scrape.err()).contains("--at needs --source prometheus");
        Cli.Result words = Cli.exec("top", "--once", "--source", "prometheus", "--at", "yesterday");
        assertThat(words.exitCode()).as(words.toString()).isEqualTo(2);
        assertThat(words.errLines()).hasSize(1);
        assertThat(words.err()).contains("--at 'yesterday' is neither RFC 3339", "unix seconds", "a duration ago (5m)");
        Cli.Result future = Cli.exec("top", "--once", "--source", "prometheus", "--at", "2999-01-01T00:00:00Z");
        assertThat(future.exitCode()).as(future.toString()).isEqualTo(2);
        assertThat(future.err()).contains("is in the future");
    }
}
