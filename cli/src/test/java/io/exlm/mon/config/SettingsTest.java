package io.exlm.mon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.ExitException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
    @TempDir
    Path dir;

    private ConfigFile file(String text) throws Exception {
        Path p = Files.writeString(dir.resolve("config.properties"), text);
        return ConfigFile.load(p, true);
    }

    @Test
    void flagBeatsEnvironmentBeatsFileBeatsDefault() throws Exception {
        ConfigFile f = file("backend.url = http://file:1\nprometheus.url = http://file:2\ngrafana.url=http://file:3\n");
        Map<String, String> env = Map.of("EXLM_BACKEND_URL", "http://env:1", "EXLM_PROMETHEUS_URL", "http://env:2");
        Settings s = Settings.resolve(Map.of(Setting.BACKEND_URL, new Settings.Flag("--backend-url", "http://flag:1")),
                List.of(), env, f);
        assertThat(s.url(Setting.BACKEND_URL)).isEqualTo("http://flag:1");
        assertThat(s.url(Setting.PROMETHEUS_URL)).isEqualTo("http://env:2");
        assertThat(s.url(Setting.GRAFANA_URL)).isEqualTo("http://file:3");
        assertThat(s.url(Setting.ALERTMANAGER_URL)).isEqualTo("http://localhost:9093");
        assertThat(s.source(Setting.GRAFANA_URL)).endsWith("config.properties:3");
    }

    @Test
    void eachSettingIsReadFromItsDocumentedVariable() throws Exception {
        // the variables are EXLM_ and the constant's name, also where the config key is worded otherwise
        Map<String, String> env = Map.of("EXLM_ALERT_WEBHOOK_URL", "http://hook:5001/a",
                "EXLM_BASIC_AUTH_PASSWORD_FILE", "/run/pw", "EXLM_STACK_SCRAPE_INTERVAL", "5s");
        Settings s = Settings.resolve(Map.of(), List.of(), env, file(""));
        assertThat(s.text(Setting.ALERT_WEBHOOK_URL)).isEqualTo("http://hook:5001/a");
        assertThat(s.source(Setting.ALERT_WEBHOOK_URL)).isEqualTo("EXLM_ALERT_WEBHOOK_URL");
        assertThat(s.text(Setting.BASIC_AUTH_PASSWORD_FILE)).isEqualTo("/run/pw");
        assertThat(s.source(Setting.STACK_SCRAPE_INTERVAL)).isEqualTo("EXLM_STACK_SCRAPE_INTERVAL");
        assertThat(Setting.PROMETHEUS_URL.env()).isEqualTo("EXLM_PROMETHEUS_URL");
    }

    @Test
    void badValueNamesWhereItCameFrom() throws Exception {
        ConfigFile f = file("# comment\n\ntimeout = soon\n");
        Settings s = Settings.resolve(Map.of(), List.of(), Map.of(), f);
        assertThatThrownBy(() -> s.duration(Setting.TIMEOUT)).isInstanceOf(ExitException.class)
                .hasMessageContaining("config.properties:3").hasMessageContaining("'soon' is not a duration");
        Settings fromEnv = Settings.resolve(Map.of(), List.of(), Map.of("EXLM_TIMEOUT", "0s"), f);
        assertThatThrownBy(() -> fromEnv.duration(Setting.TIMEOUT)).hasMessageStartingWith("EXLM_TIMEOUT:");
    }

    @Test
    void aMalformedLineIsNotRepeated() {
        assertThatThrownBy(() -> file("# tokens\nheader.Authorization: Bearer tok-SECRET-123\n"))
                .isInstanceOf(ExitException.class).hasMessageContaining("config.properties:2: expected 'key = value'")
                .hasMessageNotContaining("SECRET");
    }

    @Test
    void timeoutsHaveABound() throws Exception {
        Settings s = Settings.resolve(Map.of(Setting.TIMEOUT, new Settings.Flag("--timeout", "30d")), List.of(),
                Map.of(), ConfigFile.empty());
        assertThatThrownBy(() -> s.duration(Setting.TIMEOUT)).isInstanceOf(ExitException.class)
                .hasMessageContaining("--timeout: '30d' is longer than a network timeout can be");
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void unknownKeyIsRefusedWithTheKnownOnes() throws Exception {
        assertThatThrownBy(() -> file("backend-url = http://x\n")).isInstanceOf(ExitException.class)
                .hasMessageContaining("config.properties:1: unknown key 'backend-url'")
                .hasMessageContaining("backend.url");
    }

    @Test
    void headersFromFileAndFlagsMerge() throws Exception {
        ConfigFile f = file("header.X-Team = sre\nheader.X-Env = prod\n");
        Settings s = Settings.resolve(Map.of(), List.of("X-Env: staging", "X-New: 1"), Map.of(), f);
        assertThat(s.headers()).containsExactly(Map.entry("X-Team", "sre"), Map.entry("X-Env", "staging"),
                Map.entry("X-New", "1"));
    }

    @Test
    void urlsAreCheckedAndTrailingSlashesDropped() {
        assertThat(Settings.checkUrl("http://h:1/prefix/", "x")).isEqualTo("http://h:1/prefix");
        assertThatThrownBy(() -> Settings.checkUrl("localhost:8000", "--backend-url"))
                .hasMessageContaining("--backend-url: 'localhost:8000' is not an http(s) URL");
        assertThatThrownBy(() -> Settings.checkUrl("ftp://h", "x")).isInstanceOf(ExitException.class);
        assertThatThrownBy(() -> Settings.checkUrl("http://127.0.0.1:0/", "--backend-url"))
                .hasMessage("--backend-url: 'http://127.0.0.1:0/' has port 0; a port is 1 to 65535");
        assertThatThrownBy(() -> Settings.checkUrl("http://127.0.0.1:99999", "--backend-url"))
                .hasMessageContaining("has port 99999; a port is 1 to 65535");
        assertThat(Settings.checkUrl("http://127.0.0.1:65535", "x")).isEqualTo("http://127.0.0.1:65535");
    }

    @Test
    void aHeaderNameThatIsNoTokenIsAUsageErrorThatShowsNoControlCharacter() throws Exception {
        ConfigFile f = file("header.X-A B = v\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of(), Map.of(), f)).isInstanceOf(ExitException.class)
                .hasMessageEndingWith(":1: 'X-A B' is not a header name (a header name has letters, digits and"
                        + " !#$%&'*+-.^_`|~ only, no spaces)");
        ConfigFile esc = file("header.X\u001b]0;PWN\u0007 = v\n");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of(), Map.of(), esc))
                .hasMessageContaining("'X?]0;PWN?' is not a header name").message().doesNotContain("\u001b");
        assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of("X A: v"), Map.of(), ConfigFile.empty()))
                .hasMessageStartingWith("--header: 'X A' is not a header name");
    }

    @Test
    void headersTheHttpLayerOwnsAreRefusedFromFlagsAndTheFileAlike() throws Exception {
        for (String name : List.of("Content-Length", "content-length", "Transfer-Encoding", "Host", "Connection",
                "Upgrade", "TE", "Expect", "Keep-Alive", "Proxy-Connection", "Trailer", "Accept-Encoding")) {
            assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of(name + ": 5"), Map.of(), ConfigFile.empty()))
                    .as(name).isInstanceOf(ExitException.class)
                    .hasMessageStartingWith("--header: header " + name + " cannot be set: ")
                    .satisfies(e -> assertThat(((ExitException) e).exitCode()).isEqualTo(2))
                    .message().doesNotContain("\n").doesNotContain("5");
            ConfigFile f = file("header." + name + " = 5\n");
            assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of(), Map.of(), f)).as(name)
                    .isInstanceOf(ExitException.class)
                    .hasMessageContaining("config.properties:1: header " + name + " cannot be set: ");
        }
        assertThatThrownBy(() -> Settings.resolve(Map.of(), List.of("Content-Length: 5"), Map.of(),
                ConfigFile.empty())).hasMessage("--header: header Content-Length cannot be set: the HTTP layer frames"
                        + " the body itself; a wrong one leaves the server waiting for bytes that never come");
        // a name that merely starts like one is the user's
        Settings s = Settings.resolve(Map.of(), List.of("Content-Language: de", "X-Host: a", "Hosts: b"), Map.of(),
                ConfigFile.empty());
        assertThat(s.headers()).hasSize(3);
    }

    @Test
    void defaultConfigFileMayBeAbsentButANamedOneMustExist() {
        assertThat(ConfigFile.load(dir.resolve("nope"), false).path()).isNull();
        assertThatThrownBy(() -> ConfigFile.load(dir.resolve("nope"), true)).hasMessageContaining("does not exist");
    }

    @Test
    void secretFilesAreTrimmedOfTheirNewline() throws Exception {
        Path t = Files.writeString(dir.resolve("t"), "abc\n");
        Settings s = Settings.resolve(Map.of(Setting.BEARER_TOKEN_FILE, new Settings.Flag("--bearer-token-file",
                t.toString())), List.of(), Map.of(), ConfigFile.empty());
        assertThat(s.bearerToken()).isEqualTo("abc");
        assertThat(s.duration(Setting.TIMEOUT)).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.bytes(Setting.MAX_BODY)).isEqualTo(64L << 20);
    }
}
