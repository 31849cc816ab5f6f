package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile server against every command that prints what servers send: escape sequences (OSC title, CSI screen
 * clear), BEL, NUL, CR, LF, C1 controls and bidi overrides, in JSON keys and values, label names and values, HELP
 * text, error bodies and status lines. No control byte other than exlm-mon's own colours reaches stdout or stderr,
 * in text, CSV, JUnit and JSON alike.
 */
class HostileOutputTest {
    /** Every kind of payload in one string. */
    static final String EVIL = "db\u001b]0;PWNED\u0007\u001b[2J\u001b[31mred\rover\u0000nul\u009bc1\u202eevil\u2066x";
    /** The same as JSON writes it. */
    static final String EVIL_JSON = json(EVIL);

    @TempDir
    Path dir;

    static String json(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c < 0x20 || c == '"' || c == '\\' || c >= 0x7f && c < 0xa0 || c >= 0x2000) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** What may reach the terminal: no control but LF, tab, CR LF and SGR colour sequences. */
    static List<String> unsafe(String where, String text) {
        String stripped = text.replaceAll("\u001b\\[[0-9;]*m", "").replace("\r\n", "\n");
        List<String> found = new ArrayList<>();
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c == '\r' || TerminalSafe.unsafe(c) || c == 0x1b) {
                found.add(where + ": U+" + String.format("%04X", (int) c) + " at " + i + " in ..."
                        + stripped.substring(Math.max(0, i - 20), Math.min(stripped.length(), i + 20)) + "...");
            }
        }
        return found;
    }

    private final List<String> problems = new ArrayList<>();

    private void check(String what, String... args) {
        check(what, true, args);
    }

    private void check(String what, boolean shown, String... args) {
        Cli.Result r = Cli.exec(args);
        problems.addAll(unsafe(what + " stdout", r.out()));
        problems.addAll(unsafe(what + " stderr", r.err()));
        if (shown) {
            assertThat(r.out() + r.err()).as(what + " shows the server's text, made safe: " + r).contains("PWNED");
        }
    }

    @Test
    void noServerTextDrivesTheTerminal() throws Exception {
        String exlm = "{\"status\":\"not_ready\",\"checks\":{\"" + EVIL_JSON + "\":{\"status\":\"fail\",\"error\":\""
                + EVIL_JSON + "\"}}}";
        String actuator = "{\"status\":\"DOWN\",\"components\":{\"" + EVIL_JSON + "\":{\"status\":\"DOWN\","
                + "\"details\":{\"error\":\"" + EVIL_JSON + "\"}}}}";
        String healthJson = "{\"status\":\"fail\",\"output\":\"" + EVIL_JSON + "\",\"checks\":{\"" + EVIL_JSON
                + "\":[{\"status\":\"fail\",\"output\":\"" + EVIL_JSON + "\"}]}}";
        String exposition = "# HELP error_count_total Errors " + EVIL.replace("\r", "").replace("\n", "") + "\n"
                + "# TYPE error_count_total counter\nerror_count_total{type=\"" + EVIL.replace("\r", "\\r")
                .replace("\u0000", "") + "\"} 3\n";
        String vector = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\""
                + "__name__\":\"up\",\"" + "job" + "\":\"" + EVIL_JSON + "\",\"" + EVIL_JSON + "\":\"v\"},"
                + "\"value\":[1700000000,\"1\"]}]}}";
        String alerts = "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":{\"alertname\":\"" + EVIL_JSON
                + "\",\"severity\":\"page\"},\"annotations\":{\"summary\":\"" + EVIL_JSON + "\"},\"state\":\""
                + EVIL_JSON + "\",\"activeAt\":\"2026-01-01T00:00:00Z\",\"value\":\"1\"}]}}";
        try (FaultServer server = new FaultServer((req, out, sock) -> {
            String p = req.path();
            if (p.startsWith("/exlm")) {
                FaultServer.respond(out, 503, "application/json", exlm);
            } else if (p.startsWith("/actuator")) {
                FaultServer.respond(out, 503, "application/vnd.spring-boot.actuator.v3+json", actuator);
            } else if (p.startsWith("/hj")) {
                FaultServer.respond(out, 503, "application/health+json", healthJson);
            } else if (p.startsWith("/error")) {
                FaultServer.respond(out, 500, "text/html", "<b>" + EVIL + "</b>");
            } else if (p.startsWith("/metrics/job")) {
                // the push is refused with the payload (before "/metrics", which would take it as a scrape)
                FaultServer.respond(out, 500, "text/plain", EVIL);
            } else if (p.startsWith("/metrics")) {
                FaultServer.respond(out, 200, "text/plain; version=0.0.4", exposition);
            } else if (p.startsWith("/api/v1/query")) {
                FaultServer.respond(out, 200, "application/json", vector);
            } else if (p.startsWith("/api/v1/alerts")) {
                FaultServer.respond(out, 200, "application/json", alerts);
            } else if (p.startsWith("/reason")) {
                // an HTTP status line whose reason phrase carries controls
                out.write(("HTTP/1.1 503 " + EVIL.replace("\r", "").replace("\n", "") + "\r\nContent-Length: 0\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            } else if (p.startsWith("/raw")) {
                out.write(("SSH-2.0-" + EVIL + "\r\n").getBytes(StandardCharsets.UTF_8));
            } else {
                FaultServer.respond(out, 500, "text/plain", "push refused: " + EVIL);
            }
        })) {
            String u = server.url();
            for (String path : List.of("/exlm", "/actuator", "/hj")) {
                for (String format : List.of("text", "json", "junit")) {
                    check("health " + path + " -o " + format, "health", "--url", u + path, "-o", format);
                }
            }
            check("health error body (HTML, not repeated)", false, "health", "--url", u + "/error");
            check("health, a server that is not HTTP", false, "health", "--url", u + "/raw");
            check("metrics text", "metrics", "--backend-url", u);
            Path file = Files.writeString(dir.resolve("evil.prom"), exposition);
            check("metrics --file", "metrics", "--file", file.toString());
            check("query text", "query", "--prometheus-url", u, "up");
            check("query csv", "query", "--prometheus-url", u, "up", "-o", "csv");
            check("alerts", "alerts", "--prometheus-url", u, "--alertmanager-url", "http://127.0.0.1:1");
            check("push warning", "health", "--url", u + "/exlm", "--push-gateway", u);
            Cli.Result pushed = Cli.exec("health", "--check", "basic", "--backend-url", u + "/hj", "--push-gateway", u);
            problems.addAll(unsafe("push warning alone stderr", pushed.err()));
            assertThat(pushed.errLines()).as("the push warning shows the refusal, made safe: " + pushed).hasSize(1)
                    .allSatisfy(line -> assertThat(line).startsWith("exlm-mon: warning: could not push")
                            .contains("HTTP 500").contains("PWNED"));
            check("health, a status line with controls", false, "health", "--url", u + "/reason");
            for (String format : List.of("text", "json")) {
                // a 1 s window: what is read matters here, not how long (the default 10 s would be 20 s of waiting)
                check("top --once -o " + format, "top", "--once", "--interval", "250ms", "--window", "1s",
                        "--backend-url", u, "-o", format);
                check("top --once --source prometheus -o " + format, false, "top", "--once", "--source",
                        "prometheus", "--prometheus-url", u, "-o", format);
                // the backend's health and metrics, Prometheus's /-/healthy answering 500 with the payload
                check("doctor -o " + format, "doctor", "--backend-url", u, "--prometheus-url", u + "/error",
                        "--alertmanager-url", u + "/error", "--grafana-url", u + "/error", "-o", format);
            }
        }
        assertThat(problems).as("control bytes that reached the terminal").isEmpty();
    }

    @Test
    void theBoundaryKeepsColoursAndLinesAndShowsTheRest() {
        StringWriter s = new StringWriter();
        PrintWriter w = TerminalSafe.wrap(new PrintWriter(s), false);
        w.print("\u001b[1mbold\u001b[0m a\r\nb\rc\u001b]0;t\u0007\u001b[2J\u202e\u0085\ttab\n");
        w.close();
        assertThat(s.toString()).isEqualTo("\u001b[1mbold\u001b[0m a\r\nb?c?]0;t??[2J??\ttab\n");
    }
}
