package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Prometheus 2.x's lastError strings, as its targets page shows them, and VictoriaMetrics 1.79's (its own scrape's,
 * vmagent's), and what doctor makes of them.
 */
class ScrapeErrorsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            refused     | Get "http://127.0.0.1:8000/metrics": dial tcp 127.0.0.1:8000: connect: connection refused | connection refused: nothing listens on 127.0.0.1:8000 | start the exlm backend
            dns         | Get "http://exlm-backend:8000/metrics": dial tcp: lookup exlm-backend on 127.0.0.11:53: no such host | the host name exlm-backend does not resolve | host.docker.internal
            dns         | Get "http://backend:8000/metrics": dial tcp: lookup backend on 10.0.0.2:53: server misbehaving | the host name backend does not resolve | compose service name
            timeout     | Get "http://10.1.2.3:8000/metrics": context deadline exceeded | no answer within the scrape timeout (10s) | scrape_timeout
            timeout     | Get "http://10.1.2.3:8000/metrics": dial tcp 10.1.2.3:8000: i/o timeout | no answer within the scrape timeout | firewall
            auth        | server returned HTTP status 401 Unauthorized | refuses Prometheus's request (HTTP 401 Unauthorized) | basic_auth
            auth        | server returned HTTP status 403 Forbidden | (HTTP 403 Forbidden) | credentials_file
            tls         | Get "https://127.0.0.1:8000/metrics": x509: certificate signed by unknown authority | certificate is not trusted | ca_file
            tls         | Get "https://10.0.0.5:8000/metrics": x509: certificate is valid for exlm.example.com, not 10.0.0.5 | certificate is for another name | server_name
            tls         | Get "https://127.0.0.1:8000/metrics": http: server gave HTTP response to HTTPS client | scrapes with https but the target speaks plain HTTP | scheme to http
            not_metrics | expected a valid start token, got "<" ("INVALID") while parsing: "<" | not a metrics exposition | exlm-mon metrics check
            not_metrics | "INVALID" is not a valid start token | not a metrics exposition | metrics_path
            http_status | server returned HTTP status 404 Not Found | no metrics at http://127.0.0.1:8000/metrics (HTTP 404 Not Found) | metrics_path
            http_status | server returned HTTP status 500 Internal Server Error | failed while rendering its metrics | target's log
            network     | Get "http://10.9.9.9:8000/metrics": dial tcp 10.9.9.9:8000: connect: no route to host | no route to 10.9.9.9:8000 | network
            refused     | error when scraping "http://127.0.0.1:8000/metrics": dial tcp4 127.0.0.1:8000: connect: connection refused; try -enableTCP6 command-line flag if you scrape ipv6 addresses | connection refused: nothing listens on 127.0.0.1:8000 | start the exlm backend
            reset       | error when scraping "http://127.0.0.1:8000/metrics": the server closes all the connection attempts: the server closed connection before returning the first response byte. Make sure the server returns 'Connection: close' response header before closing the connection | the target closed the connection | target's log
            other       | something new | something new | targets page
            """)
    void translatesEachKindOfScrapeError(String kind, String error, String cause, String fix) {
        ScrapeErrors.Diagnosis d = ScrapeErrors.diagnose("exlm-backend", "http://127.0.0.1:8000/metrics", error,
                "10s");
        assertThat(d.kind()).isEqualTo(kind);
        assertThat(d.cause()).contains(cause);
        assertThat(d.fix()).contains(fix);
    }

    @ParameterizedTest
    @CsvSource({"node, prometheus-node-exporter", "postgres, postgres-exporter", "redis, redis-exporter",
        "alertmanager, alertmanager", "pushgateway, pushgateway", "exlm-backend, exlm-mon up --backend-url URL"})
    void refusedSaysHowToStartThatPart(String job, String advice) {
        assertThat(ScrapeErrors.diagnose(job, "http://127.0.0.1:9100/metrics",
                "dial tcp 127.0.0.1:9100: connect: connection refused", null, null).fix()).contains(advice);
        assertThat(ScrapeErrors.diagnose(job, "http://127.0.0.1:9100/metrics",
                "dial tcp 127.0.0.1:9100: connect: connection refused", null).fix()).contains(advice);
    }

    @ParameterizedTest
    @CsvSource({"node, the node exporter", "postgres, the postgres exporter", "redis, the redis exporter",
        "alertmanager, Alertmanager", "pushgateway, the Pushgateway"})
    void aPartOfTheStackUpStartedIsStartedAgainWithItsRuntime(String job, String part) {
        String refused = "dial tcp 127.0.0.1:9100: connect: connection refused";
        // after up --runtime local, neither docker compose nor a plain up (which may pick compose) starts it again
        assertThat(ScrapeErrors.diagnose(job, "http://127.0.0.1:9100/metrics", refused, null, "local").fix())
                .isEqualTo("start " + part + ": exlm-mon up --runtime local (it starts what does not run)");
        assertThat(ScrapeErrors.diagnose(job, "http://127.0.0.1:9100/metrics", refused, null, "compose").fix())
                .isEqualTo("start " + part + ": exlm-mon up --runtime compose (it starts what does not run)");
    }

    @Test
    void theBackendsTargetIsRewrittenByAnUpWithItsRuntime() {
        String url = "http://127.0.0.1:8000/metrics";
        assertThat(ScrapeErrors.diagnose("exlm-backend", url, "dial tcp 127.0.0.1:8000: connect: connection refused",
                null, "local").fix()).endsWith("if it listens elsewhere, exlm-mon up --runtime local --backend-url URL"
                        + " rewrites its targets file");
        assertThat(ScrapeErrors.diagnose("exlm-backend", url, "server returned HTTP status 404 Not Found", null,
                "local").fix()).endsWith("; for the backend, set backend.url and run exlm-mon up --runtime local"
                        + " again");
    }
}
