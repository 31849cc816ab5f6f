package io.exlm.mon.promql;

import io.exlm.mon.http.EndpointFailure;

/**
 * The Prometheus API answered with an error document ({@code "status": "error"}): a query it cannot parse
 * ({@code bad_data}), one that failed or timed out while running ({@code execution}, {@code timeout}), and so on.
 * Exit code 3 like any answer that is not what was asked for; a command that sends a person's own PromQL maps
 * {@link #badData()} to a usage error.
 */
public final class PrometheusApiException extends EndpointFailure {
    private final String errorType;
    private final String error;

    public PrometheusApiException(String url, int status, String errorType, String error) {
        super(url, status, "GET " + url + ": Prometheus answered HTTP " + status + " with an error"
                + (errorType.isEmpty() ? "" : " (" + errorType + ")") + ": " + error, null);
        this.errorType = errorType;
        this.error = error;
    }

    /** bad_data, execution, timeout, canceled, internal, unavailable, not_found, ... */
    public String errorType() {
        return errorType;
    }

    /** The API's own message, for example "1:5: parse error: unexpected end of input". */
    public String error() {
        return error;
    }

    /** Whether the query itself was refused as invalid (a mistake of whoever wrote it). */
    public boolean badData() {
        return "bad_data".equals(errorType);
    }
}
