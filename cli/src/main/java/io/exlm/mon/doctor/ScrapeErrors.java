package io.exlm.mon.doctor;

import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.StackRuntime;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why Prometheus could not scrape a target, from the {@code lastError} it reports, in the words of the person on
 * call: the cause and what to do. The messages are Go's and Prometheus's (2.x): {@code dial tcp ...: connect:
 * connection refused}, {@code dial tcp: lookup HOST ...: no such host}, {@code context deadline exceeded},
 * {@code server returned HTTP status 401 Unauthorized}, {@code x509: ...}, {@code expected a valid start token ...}.
 */
public final class ScrapeErrors {
    /** What the error means: {@code kind} is stable (refused, dns, timeout, auth, tls, not_metrics, ...). */
    public record Diagnosis(String kind, String cause, String fix) {
    }

    private static final Pattern STATUS = Pattern.compile("server returned HTTP status (\\d{3})([^\"]*)");
    private static final Pattern DIAL = Pattern.compile("dial tcp ([^ :]+|\\[[^]]+\\]):(\\d+)");
    private static final Pattern LOOKUP = Pattern.compile("lookup ([^ ]+)");

    private ScrapeErrors() {
    }

    /** The same, where no stack exlm-mon up started is known to be what Prometheus scrapes. */
    public static Diagnosis diagnose(String job, String scrapeUrl, String lastError, String timeout) {
        return diagnose(job, scrapeUrl, lastError, timeout, null);
    }

    /**
     * @param job       the target's job, for the advice on how to start it
     * @param scrapeUrl the URL Prometheus scrapes
     * @param timeout   the target's scrape timeout as Prometheus writes it, or null
     * @param runtime   the runtime of the stack exlm-mon up started for this Prometheus ({@code local},
     *                  {@code compose}), whose up starts a part again; null when none is known
     */
    public static Diagnosis diagnose(String job, String scrapeUrl, String lastError, String timeout,
            String runtime) {
        String e = lastError == null ? "" : lastError;
        String low = e.toLowerCase(Locale.ROOT);
        String hostPort = Remedies.hostPort(scrapeUrl);
        if (low.contains("connection refused")) {
            return new Diagnosis("refused", "connection refused: nothing listens on " + hostPort(e, hostPort),
                    startAdvice(job, runtime));
        }
        if (low.contains("no such host") || low.contains("server misbehaving") || low.contains("name resolution")
                || low.contains("dial tcp: lookup")) {
            Matcher m = LOOKUP.matcher(e);
            String host = m.find() ? m.group(1) : hostPort;
            return new Diagnosis("dns", "the host name " + host + " does not resolve (DNS)",
                    "give the target an address Prometheus can resolve: a compose service name inside docker"
                            + " compose, host.docker.internal for the host from a container, 127.0.0.1 on the host"
                            + targetFileHint(job, runtime));
        }
        if (low.contains("context deadline exceeded") || low.contains("i/o timeout")
                || low.contains("timeout exceeded") || low.contains("deadline exceeded")) {
            return new Diagnosis("timeout", "no answer within the scrape timeout" + (timeout == null ? ""
                    : " (" + timeout + ")"), "the target is slow or overloaded, or a firewall drops the packets: time"
                    + " it (curl -s -o /dev/null -w '%{time_total}' " + scrapeUrl + "), make its /metrics cheaper,"
                    + " or raise the job's scrape_timeout (at most its scrape_interval)");
        }
        Matcher status = STATUS.matcher(e);
        if (status.find()) {
            int code = Integer.parseInt(status.group(1));
            String text = ("HTTP " + code + status.group(2)).strip();
            if (code == 401 || code == 403) {
                return new Diagnosis("auth", "the target refuses Prometheus's request (" + text + ")",
                        "give the job credentials in prometheus.yml (basic_auth, or authorization with a"
                                + " credentials_file), or let the target serve /metrics to Prometheus without them");
            }
            if (code == 404) {
                return new Diagnosis("http_status", "no metrics at " + scrapeUrl + " (" + text + ")",
                        "correct the job's metrics_path (the exlm backend serves /metrics)"
                                + targetFileHint(job, runtime));
            }
            if (code >= 500) {
                return new Diagnosis("http_status", "the target failed while rendering its metrics (" + text + ")",
                        "see the target's log; exlm-mon metrics check " + scrapeUrl + " shows what it answers");
            }
            return new Diagnosis("http_status", "the target answered " + text,
                    "check the job's scheme, metrics_path and params in prometheus.yml");
        }
        if (low.contains("server gave http response to https client")
                || low.contains("first record does not look like a tls handshake")) {
            return new Diagnosis("tls", "the job scrapes with https but the target speaks plain HTTP",
                    "set the job's scheme to http (or __scheme__: http in its targets file)");
        }
        if (low.contains("x509") || low.contains("tls:") || low.contains("certificate")) {
            String cause = low.contains("unknown authority") ? "the target's TLS certificate is not trusted"
                    : low.contains("is valid for") || low.contains("doesn't contain any ip san")
                            ? "the target's TLS certificate is for another name"
                            : low.contains("expired") ? "the target's TLS certificate has expired"
                            : "TLS handshake failed";
            return new Diagnosis("tls", cause + " (" + shorten(e) + ")", "give the job a tls_config: ca_file with"
                    + " the issuing CA, server_name matching the certificate (insecure_skip_verify only to try),"
                    + " or scrape with http if the target does not serve TLS");
        }
        if (low.contains("valid start token") || low.contains("invalid metric type")
                || low.contains("text format parsing error") || low.contains("expected label name")
                || low.contains("expected equal") || low.contains("invalid utf-8") || low.contains("expected value")
                || low.contains("expected timestamp") || low.contains("unsupported character")
                || low.contains("parsefloat") || low.contains("expected a valid") || low.contains("invalid escape")
                || low.contains("unexpected end of input stream") || low.contains("data does not end with # eof")) {
            return new Diagnosis("not_metrics", "the answer is not a metrics exposition (" + shorten(e) + ")",
                    "the path serves something else (an HTML or login page, JSON) or a broken exposition: check"
                            + " the job's metrics_path, and the body with exlm-mon metrics check " + scrapeUrl);
        }
        if (low.contains("body size limit")) {
            return new Diagnosis("too_large", "the body is larger than the job's body_size_limit",
                    "raise body_size_limit, or expose fewer series");
        }
        if (low.contains("sample limit exceeded") || low.contains("label_limit") || low.contains("label limit")) {
            return new Diagnosis("limit", "the target exposes more than the job's limits allow (" + shorten(e) + ")",
                    "raise sample_limit / label limits, or drop series with metric_relabel_configs");
        }
        if (low.contains("no route to host") || low.contains("network is unreachable")) {
            return new Diagnosis("network", "no route to " + hostPort(e, hostPort),
                    "check the network between Prometheus and the target (firewall, routes, the host is up)");
        }
        // VictoriaMetrics' and vmagent's words for it: "the server closed connection before returning the first
        // response byte", as at the first scrape after a target stopped on a kept-alive connection
        if (low.contains("connection reset") || low.contains("eof") || low.contains("server closed connection")) {
            return new Diagnosis("reset", "the target closed the connection (" + shorten(e) + ")",
                    "is that port an HTTP server? see the target's log");
        }
        return new Diagnosis("other", e.isEmpty() ? "no error reported yet" : shorten(e),
                "see the target on Prometheus's targets page (/targets)");
    }

    /**
     * How to get a part of the stack (or the backend) running again: with the runtime of the stack that up started
     * when it is known, else each way it may run.
     */
    static String startAdvice(String job, String runtime) {
        String again = StackRuntime.upAgain(runtime);
        String up = again == null ? "exlm-mon up" : again;
        String part = switch (job == null ? "" : job) {
            case "node" -> "the node exporter";
            case "postgres" -> "the postgres exporter";
            case "redis" -> "the redis exporter";
            case "alertmanager" -> "Alertmanager";
            case "pushgateway" -> "the Pushgateway";
            default -> null;
        };
        if (part != null && again != null) {
            return "start " + part + ": " + again + " (it starts what does not run)";
        }
        return switch (job == null ? "" : job) {
            case Catalog.BACKEND_JOB -> "start the exlm backend (exlm-mon demo runs a reference one); if it listens"
                    + " elsewhere, " + up + " --backend-url URL rewrites its targets file";
            case "node" -> "start the node exporter: exlm-mon up (docker compose up -d node-exporter, systemctl start"
                    + " prometheus-node-exporter)";
            case "postgres" -> "start the postgres exporter: exlm-mon up (docker compose up -d postgres-exporter)";
            case "redis" -> "start the redis exporter: exlm-mon up (docker compose up -d redis-exporter)";
            case "alertmanager" -> "start Alertmanager: exlm-mon up (docker compose up -d alertmanager)";
            case "pushgateway" -> "start the Pushgateway: exlm-mon up (docker compose up -d pushgateway)";
            case "prometheus" -> "Prometheus cannot scrape itself: check its --web.listen-address against the"
                    + " prometheus job's target";
            default -> "start the service behind the target, or correct the target's address in prometheus.yml";
        };
    }

    private static String targetFileHint(String job, String runtime) {
        String again = StackRuntime.upAgain(runtime);
        return Catalog.BACKEND_JOB.equals(job) ? "; for the backend, set backend.url and run "
                + (again == null ? "exlm-mon up" : again) + " again" : "";
    }

    private static String hostPort(String error, String fallback) {
        Matcher m = DIAL.matcher(error);
        return m.find() ? m.group(1) + ":" + m.group(2) : fallback;
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() > 160 ? t.substring(0, 157) + "..." : t;
    }
}
