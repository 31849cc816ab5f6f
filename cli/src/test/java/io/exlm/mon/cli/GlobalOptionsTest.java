package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.config.Setting;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A setting's default and environment variable are stated once, in {@link Setting}: the words {@code --help} shows
 * for a global option are made from it, and this holds the help of the built command model to the settings.
 */
class GlobalOptionsTest {
    private static final Pattern DEFAULT = Pattern.compile("default ([^)]+)\\)");
    /** "(env X" or "; env X", not "(or env X", which names another variable (the secret itself). */
    private static final Pattern ENV = Pattern.compile("(?:\\(|; )env (EXLM_[A-Z_]+)");

    @Test
    void helpTextsSayTheDefaultsAndVariablesTheSettingsHave() {
        List<String> checked = new ArrayList<>();
        List<OptionSpec> options = ExlmMon.commandLine(new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter()), Map.of()).getCommandSpec().options();
        for (OptionSpec o : options) {
            String flag = o.longestName();
            Setting setting = null;
            for (Setting s : Setting.values()) {
                if (("--" + s.key().replace('.', '-')).equals(flag)) {
                    setting = s;
                }
            }
            if (setting == null) {
                continue;
            }
            String text = String.join(" ", o.description());
            Matcher d = DEFAULT.matcher(text);
            if (d.find()) {
                assertThat(d.group(1)).as(flag + "'s default in --help").isEqualTo(setting.defaultValue());
                checked.add(flag);
            }
            Matcher e = ENV.matcher(text);
            // every flag that is a setting names the variable Settings reads for it, in its help and the root's
            assertThat(e.find()).as(flag + "'s help names its variable: " + text).isTrue();
            assertThat(e.group(1)).as(flag + "'s variable in --help").isEqualTo(setting.env());
            assertThat(String.join("\n", ExlmMon.class.getAnnotation(picocli.CommandLine.Command.class).footer()))
                    .as("the man page's Environment section").containsPattern("\\b" + setting.env() + "\\b");
            // the root's page says it once for all: --NAME also reads EXLM_NAME
            assertThat(GlobalOptions.settingFlags()).as("the root page's rule covers " + flag).containsEntry(flag,
                    setting);
            assertThat(setting.env()).as(flag + ": EXLM_NAME").isEqualTo("EXLM_" + flag.substring(2).toUpperCase(
                    java.util.Locale.ROOT).replace('-', '_'));
        }
        // the options whose help states a default: each was compared
        assertThat(checked).contains("--backend-url", "--prometheus-url", "--timeout", "--connect-timeout",
                "--max-body", "--max-series", "--max-label-bytes", "--max-redirects");
    }

    @Test
    void aSwitchGivenBeforeAndAfterTheCommandWordIsOnNotFlippedBack() {
        for (String[] args : new String[][] {
            {"-v", "--no-color", "--insecure", "query", "up", "-v", "--no-color", "--insecure"},
            {"query", "up", "-v", "--no-color", "--insecure"},
            {"-v", "--no-color", "--insecure", "query", "up"}}) {
            picocli.CommandLine cl = ExlmMon.commandLine(new PrintWriter(new StringWriter()),
                    new PrintWriter(new StringWriter()), Map.of());
            cl.parseArgs(args);
            GlobalOptions g = ((ExlmMon) cl.getCommandSpec().userObject()).globals;
            String line = String.join(" ", args);
            assertThat(g.verbose).as(line).isTrue();
            assertThat(g.noColor).as(line).isTrue();
            assertThat(g.given(Setting.INSECURE)).as(line).isEqualTo("true");
        }
    }

    @Test
    void aTlsSettingIsNamedAsTheUserSetItInWarningsAndErrors() {
        io.exlm.mon.testing.Cli.Result ca = new io.exlm.mon.testing.Cli().env("EXLM_CA_FILE", "/nonexistent/ca.pem")
                .run("query", "up", "--prometheus-url", "https://127.0.0.1:1");
        assertThat(ca.exitCode()).as(ca.toString()).isEqualTo(2);
        assertThat(ca.err()).contains("EXLM_CA_FILE: /nonexistent/ca.pem does not exist");
        io.exlm.mon.testing.Cli.Result flag = io.exlm.mon.testing.Cli.exec("query", "up", "--ca-file",
                "/nonexistent/ca.pem", "--prometheus-url", "https://127.0.0.1:1");
        assertThat(flag.err()).contains("--ca-file /nonexistent/ca.pem does not exist");
        io.exlm.mon.testing.Cli.Result insecure = new io.exlm.mon.testing.Cli().env("EXLM_INSECURE", "true")
                .run("query", "up", "--prometheus-url", "https://127.0.0.1:" + io.exlm.mon.testing.Ports.closed());
        assertThat(insecure.errLines().get(0)).isEqualTo("exlm-mon: warning: EXLM_INSECURE: TLS certificates are"
                + " not verified");
    }
}
