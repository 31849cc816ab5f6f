package io.exlm.mon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.FaultServer;
import io.exlm.mon.testing.TlsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same headers and auth go on every request, to the origin asked for only, and are never printed. */
class HttpAuthTest {
    private static final String HEALTHY = "{\"status\":\"healthy\",\"version\":\"0.1.0\",\"service\":\"x\"}";

    @Test
    void bearerTenantAndHeadersOnEveryRequest(@TempDir Path dir) throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "s3cr3t-token\n");
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                HEALTHY))) {
            Cli.Result r = Cli.exec("health", "--backend-url", s.url(), "--bearer-token-file", token.toString(),
                    "--tenant", "team-a", "-H", "X-Team: sre", "--header", "X-Other:  two words ", "-v");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(s.requests()).hasSize(4).allSatisfy(req -> {
                assertThat(req.header("Authorization")).isEqualTo("Bearer s3cr3t-token");
                assertThat(req.header("X-Scope-OrgID")).isEqualTo("team-a");
                assertThat(req.header("X-Team")).isEqualTo("sre");
                assertThat(req.header("X-Other")).isEqualTo("two words");
                assertThat(req.header("User-Agent")).startsWith("exlm-mon/");
            });
            assertThat(r.err()).contains("GET " + s.url()).doesNotContain("s3cr3t");
            assertThat(r.out()).doesNotContain("s3cr3t");
        }
    }

    @Test
    void basicAuthFromEnvironment() throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                HEALTHY))) {
            Cli.Result r = new Cli().env("EXLM_BASIC_AUTH_USER", "alice").env("EXLM_BASIC_AUTH_PASSWORD", "pa55")
                    .run("health", "--check", "basic", "--backend-url", s.url(), "-o", "json", "-v");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            String expected = "Basic " + Base64.getEncoder().encodeToString("alice:pa55".getBytes());
            assertThat(s.requests().get(0).header("Authorization")).isEqualTo(expected);
            assertThat(r.out() + r.err()).doesNotContain("pa55").doesNotContain(expected.substring(6));
        }
    }

    @Test
    void basicAuthUserWithoutPasswordIsAUsageError() {
        Cli.Result r = new Cli().env("EXLM_BASIC_AUTH_USER", "alice").run("health", "--backend-url",
                "http://127.0.0.1:9");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("no password").contains("EXLM_BASIC_AUTH_PASSWORD");
    }

    @Test
    void missingTokenFileIsAUsageErrorThatNamesTheFile() {
        Cli.Result r = Cli.exec("health", "--backend-url", "http://127.0.0.1:9", "--bearer-token-file",
                "/nonexistent/token");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("/nonexistent/token").contains("does not exist");
    }

    @Test
    void credentialsAreNotForwardedToAnotherOrigin() throws Exception {
        try (FaultServer other = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", HEALTHY));
                FaultServer first = new FaultServer((req, out, sock) -> FaultServer.head(out, 302, null, 0,
                        Map.of("Location", other.url() + "/elsewhere")))) {
            Cli.Result r = new Cli().env("EXLM_BEARER_TOKEN", "tok").run("health", "--check", "basic",
                    "--backend-url", first.url(), "--tenant", "t1", "-H", "X-Api-Key: k3y");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(first.requests().get(0).header("Authorization")).isEqualTo("Bearer tok");
            assertThat(other.requests().get(0).header("Authorization")).isNull();
            assertThat(other.requests().get(0).header("X-Scope-OrgID")).isNull();
            assertThat(first.requests().get(0).header("X-Api-Key")).isEqualTo("k3y");
            assertThat(other.requests().get(0).header("X-Api-Key")).isNull();
        }
    }

    @Test
    void aPushOverTlsCarriesTheHeadersTenantAndCredentials(@TempDir Path dir) throws Exception {
        // a real Pushgateway does not say which headers it received (PushgatewayIT pushes to one over TLS): this
        // server records them
        try (TlsServer tls = new TlsServer(dir, HEALTHY)) {
            Cli.Result r = new Cli().env("EXLM_BEARER_TOKEN", "tok").run("health", "--check", "basic",
                    "--backend-url", tls.url(), "--push-gateway", tls.url(), "--ca-file", tls.caPem().toString(),
                    "-H", "X-Api-Key: k3y", "--tenant", "team-a");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
            FaultServer.Request push = tls.requests().stream().filter(q -> q.method().equals("PUT")).findFirst()
                    .orElseThrow(() -> new AssertionError("no PUT among " + tls.requests()));
            assertThat(push.path()).isEqualTo("/metrics/job/exlm-mon/command/health");
            assertThat(push.header("X-Api-Key")).isEqualTo("k3y");
            assertThat(push.header("X-Scope-OrgID")).isEqualTo("team-a");
            assertThat(push.header("Authorization")).isEqualTo("Bearer tok");
            assertThat(push.header("User-Agent")).startsWith("exlm-mon/");
            assertThat(push.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(push.body()).contains("# TYPE exlm_mon_check_success gauge")
                    .containsPattern("exlm_mon_check_success\\{(command=\"health\",check=\"basic\""
                            + "|check=\"basic\",command=\"health\")} 1");
        }
    }

    @Test
    void aPushRedirectedToAnotherOriginKeepsItsBodyButNotTheCredentials() throws Exception {
        try (FaultServer backend = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", HEALTHY));
                FaultServer other = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "text/plain",
                        ""));
                FaultServer first = new FaultServer((req, out, sock) -> FaultServer.head(out, 307, null, 0,
                        Map.of("Location", other.url() + req.path())))) {
            Cli.Result r = new Cli().env("EXLM_BEARER_TOKEN", "tok").run("health", "--check", "basic",
                    "--backend-url", backend.url(), "--push-gateway", first.url(), "--tenant", "t1", "-H",
                    "X-Api-Key: k3y");
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.err()).as(r.toString()).isEmpty();
            FaultServer.Request asked = first.requests().get(0);
            assertThat(asked.method()).isEqualTo("PUT");
            assertThat(asked.header("Authorization")).isEqualTo("Bearer tok");
            assertThat(asked.header("X-Api-Key")).isEqualTo("k3y");
            FaultServer.Request moved = other.requests().get(0);
            assertThat(moved.method()).isEqualTo("PUT");
            assertThat(moved.path()).isEqualTo("/metrics/job/exlm-mon/command/health");
            assertThat(moved.body()).isEqualTo(asked.body()).contains("exlm_mon_run_success");
            assertThat(moved.header("Authorization")).isNull();
            assertThat(moved.header("X-Scope-OrgID")).isNull();
            assertThat(moved.header("X-Api-Key")).isNull();
        }
    }

    @Test
    void aPushRedirectedToAGetIsAWarningNotASuccess() throws Exception {
        try (FaultServer backend = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200,
                "application/json", HEALTHY));
                FaultServer gateway = new FaultServer((req, out, sock) -> {
                    if (req.method().equals("PUT")) {
                        FaultServer.head(out, 303, null, 0, Map.of("Location", "/elsewhere"));
                    } else {
                        FaultServer.respond(out, 200, "text/plain", "");
                    }
                })) {
            Cli.Result r = Cli.exec("health", "--check", "basic", "--backend-url", backend.url(), "--push-gateway",
                    gateway.url());
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.errLines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).startsWith("exlm-mon: warning: could not push the results to " + gateway.url())
                    .contains("HTTP 303 redirect").contains("would turn the PUT into a GET")
                    .contains("the verdict and exit code stand");
            assertThat(gateway.requests()).extracting(FaultServer.Request::method).containsExactly("PUT");
        }
    }

    @Test
    void headerValuesAHeaderCannotCarryAreRefusedWithoutEchoingThem(@TempDir Path dir) throws Exception {
        Cli.Result r = Cli.exec("health", "--backend-url", "http://127.0.0.1:9", "-H", "X-Api-Key: s\u00e9cret");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("header X-Api-Key", "not shown").doesNotContain("cret");
        Path token = Files.writeString(dir.resolve("t"), "s3cr\u0001t");
        Cli.Result t = Cli.exec("health", "--backend-url", "http://127.0.0.1:9", "--bearer-token-file",
                token.toString());
        assertThat(t.exitCode()).isEqualTo(2);
        assertThat(t.err()).contains("not shown").doesNotContain("s3cr");
        Cli.Result tenant = Cli.exec("health", "--backend-url", "http://127.0.0.1:9", "--tenant", "t\u00e9");
        assertThat(tenant.exitCode()).isEqualTo(2);
    }

    @Test
    void credentialsInAUrlAreRefusedWithoutEchoingThem() {
        Cli.Result r = Cli.exec("health", "--backend-url", "http://admin:hunter2@127.0.0.1:9", "-o", "json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out() + r.err()).doesNotContain("hunter2");
        assertThat(r.err()).contains("--basic-auth-user");
    }

    @Test
    void malformedHeaderIsRefusedWithoutEchoingIt() {
        Cli.Result r = Cli.exec("health", "--backend-url", "http://127.0.0.1:9", "-H", "Authorization Bearer abc");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("'Name: value'").doesNotContain("abc");
    }

    @Test
    void aHeaderTheHttpLayerOwnsIsAUsageErrorAndNothingIsSent(@TempDir Path dir) throws Exception {
        try (FaultServer s = new FaultServer((req, out, sock) -> FaultServer.respond(out, 200, "application/json",
                "{\"status\":\"healthy\"}"))) {
            Cli.Result flag = Cli.exec("health", "--backend-url", s.url(), "--check", "basic", "-H",
                    "Content-Length: 5");
            assertThat(flag.exitCode()).as(flag.toString()).isEqualTo(2);
            assertThat(flag.errLines()).containsExactly("exlm-mon health: --header: header Content-Length cannot be set:"
                    + " the HTTP layer frames the body itself; a wrong one leaves the server waiting for bytes that"
                    + " never come (see 'exlm-mon health --help')");
            Path config = Files.writeString(dir.resolve("c.properties"), "header.X-Team = sre\nheader.Host = evil\n");
            Cli.Result file = Cli.exec("--config", config.toString(), "health", "--backend-url", s.url(), "--check",
                    "basic");
            assertThat(file.exitCode()).as(file.toString()).isEqualTo(2);
            assertThat(file.errLines()).singleElement().asString().startsWith("exlm-mon health: " + config + ":2: header"
                    + " Host cannot be set: ").contains("put the host in the URL");
            assertThat(s.requests()).isEmpty();
        }
    }
}
