package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The doctor reads the configuration Prometheus reports as YAML; one that is not YAML is a one-line failure. */
class PrometheusConfigTest {
    private static CheckResult scrapeInterval(String config) throws Exception {
        Map<String, Object> f = WarmupTest.prometheus();
        f.put("prometheus.config", config);
        f.put("prometheus.targets", List.of(WarmupTest.target("exlm-backend", "up", "")));
        Check check = PrometheusChecks.all().stream().filter(c -> c.id().equals("prometheus.scrape-interval"))
                .findFirst().orElseThrow();
        Check alone = new Check(check.id(), check.title(), List.of(), check.body());
        DoctorReport r = Doctor.run(List.of(alone), WarmupTest.env(f, Duration.ofMinutes(10)),
                new Doctor.Options(Duration.ofSeconds(5), 0), false);
        return r.results().get(0);
    }

    /** A failed reload of a Prometheus on {@code url}, the last up having used {@code runtime} (null: none). */
    private static Outcome failedReload(String url, String runtime) throws Exception {
        Map<String, Object> f = WarmupTest.prometheus();
        f.put("prometheus.runtimeinfo", new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"startTime\":\"" + WarmupTest.STARTED + "\",\"reloadConfigSuccess\":false,\"lastConfigTime\":"
                        + "\"2026-01-10T08:00:00Z\"}"));
        f.put("prometheus.flags", Map.of("config.file", "/etc/prometheus/prometheus.yml"));
        f.put("prometheus.targets", List.of(WarmupTest.target("exlm-backend", "up", "")));
        DoctorEnv base = WarmupTest.env(f, Duration.ofMinutes(10));
        DoctorEnv env = new DoctorEnv(null, url, base.backendUrl(), base.alertmanagerUrl(), base.grafanaUrl(),
                base.expectedScrapeInterval(), base.expectedScrapeIntervalSource(), base.grafanaSetup(), null, null,
                runtime, null, base.facts(), base.clock());
        return PrometheusChecks.config(env);
    }

    @Test
    void theReloadAdviceRunsUpWithTheRuntimeTheStackUses() throws Exception {
        // after up --runtime local, a plain up would take stack.runtime (auto: compose where Docker answers)
        Outcome local = failedReload("http://127.0.0.1:9090", "local");
        assertThat(local.status()).isEqualTo(Status.FAIL);
        assertThat(local.remediation()).contains("kill -HUP its pid, or exlm-mon up --runtime local)");
        assertThat(failedReload("http://127.0.0.1:9090", "compose").remediation()).contains(
                "exlm-mon up --runtime compose)");
        // a Prometheus elsewhere, or no up known: none of that stack's, and up as it is
        assertThat(failedReload("http://prom.example:9090", "local").remediation()).contains("or exlm-mon up)")
                .doesNotContain("--runtime");
        assertThat(failedReload("http://127.0.0.1:9090", null).remediation()).contains("or exlm-mon up)");
    }

    @Test
    void theGlobalIntervalHoweverTheYamlIsWritten() throws Exception {
        CheckResult r = scrapeInterval("global: {scrape_interval: '15s', evaluation_interval: 15s}\n");
        assertThat(r.status()).isEqualTo(Status.OK);
        assertThat(r.figures()).containsEntry("scrape_interval", "15s").containsEntry("evaluation_interval", "15s");
    }

    @Test
    void aConfigurationThatIsNotYamlIsAOneLineFailure() throws Exception {
        CheckResult r = scrapeInterval("global:\n  scrape_interval: 15s\n bad: [\n");
        assertThat(r.status()).isEqualTo(Status.FAIL);
        assertThat(r.crashed()).isFalse();
        assertThat(r.summary()).startsWith("the configuration Prometheus reports (/api/v1/status/config) is not YAML: ")
                .doesNotContain("\n").doesNotContain("Exception");
    }
}
