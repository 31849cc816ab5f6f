package io.exlm.mon.testing;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A VictoriaMetrics HTTP API as the real one answers (the texts and shapes of victoria-metrics 1.79, recorded from
 * Debian's build): {@code /-/healthy} "VictoriaMetrics is Healthy.", {@code /-/ready}, {@code /metrics} with its
 * {@code flag} series and version, and a 400 "unsupported path requested" for anything it does not serve
 * (Prometheus's runtimeinfo, flags, alertmanagers), also {@code /-/healthy} under a path prefix. The API answers
 * ({@code /api/v1/targets}, {@code /api/v1/rules}, {@code /api/v1/status/config}, a query) are set per test with
 * {@link #answer}; the prefix, when given, is where its Prometheus API is (as vmselect's
 * {@code /select/0/prometheus}).
 */
public final class FakeVictoriaMetrics implements AutoCloseable {
    private final FaultServer server;
    private final String prefix;
    private final Map<String, String[]> answers = new ConcurrentHashMap<>();
    private volatile String flags = "";
    private volatile String more = "";
    private volatile String version = "v1.79.5";
    private volatile String date;

    /** Its Prometheus API at the root. */
    public FakeVictoriaMetrics() throws IOException {
        this("");
    }

    /** Its Prometheus API under {@code prefix} (such as {@code /prometheus}); its own paths at the root. */
    public FakeVictoriaMetrics(String prefix) throws IOException {
        this.prefix = prefix;
        server = new FaultServer((req, out, sock) -> {
            String path = req.path();
            String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
            Map<String, String> headers = date == null ? Map.of() : Map.of("Date", date);
            String[] a = bare.startsWith(prefix) ? answers.get(bare.substring(prefix.length())) : null;
            if (a != null) {
                respond(out, Integer.parseInt(a[0]), a[1], a[2], headers);
            } else if (bare.equals("/-/healthy")) {
                respond(out, 200, "text/plain; charset=utf-8", "VictoriaMetrics is Healthy.\n", headers);
            } else if (bare.equals("/-/ready")) {
                respond(out, 200, "text/plain; charset=utf-8", "VictoriaMetrics is Ready.\n", headers);
            } else if (bare.equals("/metrics")) {
                respond(out, 200, "text/plain; charset=utf-8", "vm_app_version{version=\"victoria-metrics-"
                        + version + "\", short_version=\"" + version + "\"} 1\nprocess_start_time_seconds "
                        + "1780000000\n" + flags + more, headers);
            } else {
                respond(out, 400, "text/plain; charset=utf-8", "remoteAddr: \"127.0.0.1:1\"; requestURI: " + path
                        + "; unsupported path requested: \"" + bare + "\"\n", headers);
            }
        });
    }

    private static void respond(java.io.OutputStream out, int status, String type, String body,
            Map<String, String> headers) throws IOException {
        byte[] b = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        FaultServer.head(out, status, type, b.length, headers);
        out.write(b);
    }

    /** Answers {@code path} (under the prefix, without its query) with this status and JSON body. */
    public FakeVictoriaMetrics answer(String path, int status, String json) {
        answers.put(path, new String[] {Integer.toString(status), "application/json", json});
        return this;
    }

    /** Runs with these flags, as its /metrics writes them ({@code flag{name, value, is_set} 1}). */
    public FakeVictoriaMetrics flags(Map<String, String> set) {
        StringBuilder sb = new StringBuilder();
        set.forEach((k, v) -> sb.append("flag{name=\"").append(k).append("\", value=\"").append(v)
                .append("\", is_set=\"").append(!v.isEmpty()).append("\"} 1\n"));
        flags = sb.toString();
        return this;
    }

    /**
     * Also runs with this secret flag, written as newer releases write -vmalert.proxyURL: its value "secret" whether
     * it is set or not, and only {@code is_set} telling which.
     */
    public FakeVictoriaMetrics secretFlag(String name, boolean set) {
        flags += "flag{name=\"" + name + "\", value=\"secret\", is_set=\"" + set + "\"} 1\n";
        return this;
    }

    /** More lines of its /metrics (a gauge that a newer version has). */
    public FakeVictoriaMetrics metrics(String lines) {
        more = lines;
        return this;
    }

    /** Its version as /metrics says it; "" as Debian's build says it. */
    public FakeVictoriaMetrics version(String v) {
        version = v;
        return this;
    }

    /** Sends this HTTP Date with every answer. */
    public FakeVictoriaMetrics date(String httpDate) {
        date = httpDate;
        return this;
    }

    /** Its Prometheus API's URL: what prometheus.url is set to. */
    public String url() {
        return server.url() + prefix;
    }

    public java.util.List<FaultServer.Request> requests() {
        return server.requests();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
