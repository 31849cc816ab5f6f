package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records a check puts in its figures are written into {@code doctor -o json} as the maps they replace were:
 * the same names, in the same order, nulls included (the goldens hold no DOWN target, failing rule or memory advice).
 */
class DoctorFiguresJsonTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDownTargetIsItsJobInstanceUrlErrorAndDiagnosisInSnakeCase() throws Exception {
        var d = new PrometheusChecks.DownTarget("exlm-backend", "127.0.0.1:8000", "http://127.0.0.1:8000/metrics",
                "connection refused", "refused", "nothing listens", null);
        assertThat(JSON.writeValueAsString(d)).isEqualTo("{\"job\":\"exlm-backend\",\"instance\":\"127.0.0.1:8000\","
                + "\"scrape_url\":\"http://127.0.0.1:8000/metrics\",\"error\":\"connection refused\","
                + "\"cause_kind\":\"refused\",\"cause\":\"nothing listens\",\"fix\":null}");
    }

    @Test
    void aFailingRuleIsItsNameGroupFileAndError() throws Exception {
        var r = new io.exlm.mon.promql.RuleHealth.Failing("HighErrorRate", "exlm", "/etc/prometheus/rules.yml", null);
        assertThat(JSON.writeValueAsString(List.of(r))).isEqualTo("[{\"rule\":\"HighErrorRate\",\"group\":\"exlm\","
                + "\"file\":\"/etc/prometheus/rules.yml\",\"error\":null}]");
    }

    @Test
    void anAdviceIsItsRemedyWhetherItAppliesWhyAndWhatToDo() throws Exception {
        var a = new MemoryAdvice.Advice("lower the log level", true, "the backend uses 2 GiB", "set LOG_LEVEL=INFO");
        assertThat(JSON.writeValueAsString(a)).isEqualTo("{\"remedy\":\"lower the log level\",\"applies\":true,"
                + "\"because\":\"the backend uses 2 GiB\",\"action\":\"set LOG_LEVEL=INFO\"}");
    }

    @Test
    void aFileSystemIsItsUsedPercentThenFreeThenTotalBytes() throws Exception {
        var d = new HostChecks.DiskFigure(55.5, 1024, 4096);
        assertThat(JSON.writeValueAsString(d)).isEqualTo("{\"used_percent\":55.5,\"free_bytes\":1024,"
                + "\"total_bytes\":4096}");
    }
}
