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
