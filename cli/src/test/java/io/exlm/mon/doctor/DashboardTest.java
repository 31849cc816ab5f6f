package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.stack.StackFiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the "no data" trace reads the dashboard from the panel specification: rows, panels, and the catalog metrics
 * behind them.
 */
class DashboardTest {
    @Test
    void metricNamesOfPromQL() {
        assertThat(Dashboard.names("sum by (status) (increase(model_training_total{job=\"exlm-backend\"}[1h]))"))
                .containsExactly("model_training_total");
        assertThat(Dashboard.names("histogram_quantile(0.95, sum by (job, le) (rate(x_bucket[5m]))) > 0.5"))
                .containsExactly("x_bucket");
        assertThat(Dashboard.names("(sum(rate(a{status=~\"5..\"}[5m])) or sum(rate(a[5m])) * 0) / b"))
                .containsExactly("a", "b");
        assertThat(Dashboard.names("up == 0 or exlm_mon_check_success == 0")).containsExactly("up",
                "exlm_mon_check_success");
        assertThat(Dashboard.names("max(exlm:http_request_errors:ratio_rate5m{job=\"exlm-backend\"}) offset 5m"))
                .containsExactly("exlm:http_request_errors:ratio_rate5m");
        assertThat(Dashboard.names("sum(x) without (instance) + on(job) group_left(env) y")).containsExactly("x",
                "y");
    }

    @Test
    void recordingRulesOfTheStack() {
        Map<String, String> rules = Dashboard.stackRecordingRules();
        // from both rule files: the dashboard's own, and those the alerts read (in the alerts' group)
        assertThat(rules).containsKeys("exlm:http_requests:rate1m", "exlm:http_requests:rate5m",
                "exlm:http_request_errors:ratio_rate5m", "exlm:http_request_duration_seconds:p99_5m");
        assertThat(Dashboard.recordingRules(StackFiles.text(StackFiles.ALERTS))).containsOnlyKeys(
                "exlm:http_requests:rate5m", "exlm:http_request_errors:ratio_rate5m");
        assertThat(Dashboard.names(rules.get("exlm:http_request_errors:ratio_rate5m")))
                .containsExactly("http_requests_total", "http_requests");
    }

    @Test
    void theFourRowsOfTheGuideWithTheMetricsOfEachPanel() {
        List<Dashboard.Row> rows = Dashboard.rows();
        assertThat(rows).extracting(Dashboard.Row::slug).containsExactly("system-state", "http-traffic", "jobs",
                "errors");
        Dashboard.Row http = rows.get(1);
        assertThat(http.panels()).extracting(Dashboard.Panel::title).containsExactly("Request rate (RPS)",
                "Latency percentiles", "Requests in progress");
        assertThat(http.panels().get(0).metrics()).containsExactly("http_requests_total");
        assertThat(http.panels().get(0).recordingRules()).containsExactly("exlm:http_requests:rate1m");
        assertThat(http.panels().get(1).metrics()).containsExactly("http_request_duration_seconds");
        // the error-rate and latency panels combine the instances' rates as the terminal does (the share of all
        // requests, percentiles of all buckets), not the recording rules' per-instance figures
        assertThat(rows.get(3).panels().get(0).recordingRules()).isEmpty();
        assertThat(http.panels().get(1).recordingRules()).isEmpty();
        assertThat(rows.get(3).panels().get(0).metrics()).containsExactly("http_requests_total");
        assertThat(rows.get(3).panels().get(1).metrics()).containsExactly("error_count");
        assertThat(rows.get(2).panels().get(2).metrics()).containsExactly("celery_tasks_pending",
                "celery_tasks_active");
        assertThat(Dashboard.uid()).isEqualTo("exlm-overview");
    }
}
