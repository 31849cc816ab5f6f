package io.exlm.mon.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.config.ConfigFile;
import io.exlm.mon.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The doctor's environment from the settings: Grafana's login by the precedence up uses, the interval to expect. */
class DoctorSettingsTest {
    @TempDir
    Path dir;

    private DoctorEnv env(Map<String, String> vars, String config) throws Exception {
        Map<String, String> env = new HashMap<>(vars);
        env.put("EXLM_STACK_STATE_DIR", dir.resolve("state").toString());
        Path file = Files.writeString(dir.resolve("config.properties"), config);
        return DoctorSettings.env(Settings.resolve(Map.of(), List.of(), env, ConfigFile.load(file, true)), null,
                null);
    }

    @Test
    void theVariableWinsOverTheFileWhenItIsNotEmpty() throws Exception {
        Path secret = Files.writeString(dir.resolve("secret"), "from-file\n");
        String config = "grafana.password-file = " + secret + "\ngrafana.user = ops\n";
        DoctorEnv.GrafanaSetup both = env(Map.of("EXLM_GRAFANA_PASSWORD", "from-env"), config).grafanaSetup();
        assertThat(both.passwordSource()).isEqualTo("EXLM_GRAFANA_PASSWORD");
        assertThat(both.password().get()).isEqualTo("from-env");
        assertThat(both.user()).isEqualTo("ops");
        DoctorEnv.GrafanaSetup file = env(Map.of("EXLM_GRAFANA_PASSWORD", ""), config).grafanaSetup();
        assertThat(file.passwordSource()).startsWith("grafana.password-file (").endsWith("config.properties:1)");
        assertThat(file.password().get()).isEqualTo("from-file");
    }

    @Test
    void withNothingGivenTheGeneratedPasswordIfAnyAndNoneIsMade() throws Exception {
        // a blank password-file is not set: the source is the kept password, as the password itself is
        DoctorEnv.GrafanaSetup none = env(Map.of(), "grafana.password-file =\n").grafanaSetup();
        assertThat(none.passwordSource()).isNull();
        assertThat(none.password().get()).isNull();
        assertThat(none.user()).isEqualTo("admin");
        Path kept = dir.resolve("state/grafana-admin-password");
        assertThat(kept).as("doctor generates no password").doesNotExist();
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, "generated\n");
        DoctorEnv.GrafanaSetup generated = env(Map.of(), "grafana.password-file =\n").grafanaSetup();
        assertThat(generated.passwordSource()).isEqualTo("the password exlm-mon up generated (" + kept + ")");
        assertThat(generated.password().get()).isEqualTo("generated");
    }

    @Test
    void theScrapeIntervalToExpect() throws Exception {
        DoctorEnv guide = env(Map.of(), "");
        assertThat(guide.expectedScrapeInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(guide.expectedScrapeIntervalSource()).isEqualTo("the guide's interval");
        DoctorEnv configured = env(Map.of(), "stack.scrape-interval = 30s\n");
        assertThat(configured.expectedScrapeInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(configured.expectedScrapeIntervalSource()).startsWith("stack.scrape-interval from ")
                .endsWith("config.properties:1");
        DoctorEnv flag = DoctorSettings.env(Settings.resolve(Map.of(), List.of(), Map.of("EXLM_STACK_STATE_DIR",
                dir.toString()), ConfigFile.empty()), null, Duration.ofSeconds(5));
        assertThat(flag.expectedScrapeInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(flag.expectedScrapeIntervalSource()).isEqualTo("--expect-scrape-interval");
    }
}
