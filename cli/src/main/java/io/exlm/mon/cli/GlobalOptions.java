package io.exlm.mon.cli;

import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.IGetter;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, declared once and inherited by every subcommand. Each setting's flag also reads
 * its environment variable and the config file; what is given here wins.
 */
public final class GlobalOptions {
    /**
     * The settings that are flags too, with their place in {@code --help} among the annotated options below. A flag
     * is {@code --} and the setting's key with '-' for '.'; its help names the setting's variable and default where
     * the text says {@code {env}} and {@code {default}}, so that {@link Setting} alone states them (every row names
     * its variable: GlobalOptionsTest). A flag with no parameter label is a switch.
     */
    private static final List<SettingFlag> SETTING_FLAGS = List.of(
            new SettingFlag(Setting.BACKEND_URL, "URL", 101, "exlm backend (env {env}; default {default})",
                    "exlm backend"),
            new SettingFlag(Setting.PROMETHEUS_URL, "URL", 102,
                    "Prometheus or a compatible API (env {env}; default {default})", "Prometheus or alike"),
            new SettingFlag(Setting.GRAFANA_URL, "URL", 103, "Grafana (env {env}; default {default})", "Grafana"),
            new SettingFlag(Setting.ALERTMANAGER_URL, "URL", 104, "Alertmanager (env {env}; default {default})",
                    "Alertmanager"),
            new SettingFlag(Setting.TIMEOUT, "DURATION", 110,
                    "Deadline of each HTTP request, body included (env {env}; default {default})",
                    "request deadline, body included"),
            new SettingFlag(Setting.CONNECT_TIMEOUT, "DURATION", 111,
                    "TCP/TLS connect timeout (env {env}; default {default})", "TCP/TLS connect timeout"),
            new SettingFlag(Setting.MAX_BODY, "SIZE", 112,
                    "Largest response body read, after decompression (env {env}; default {default})",
                    "largest body read, decompressed"),
            new SettingFlag(Setting.MAX_REDIRECTS, "N", 113,
                    "Redirects followed before giving up (env {env}; default {default})",
                    "redirects followed before giving up"),
            new SettingFlag(Setting.MAX_SERIES, "N", 114,
                    "Most series kept from one scrape, --file or query answer (env {env}; default {default})",
                    "most series kept from one answer"),
            new SettingFlag(Setting.MAX_LABEL_BYTES, "SIZE", 115,
                    "Most bytes of label names and values kept from one answer (env {env}; default {default})",
                    "most label bytes kept from one answer"),
            new SettingFlag(Setting.BEARER_TOKEN_FILE, "FILE", 121,
                    "File holding a bearer token (env {env}; or the token itself in " + Setting.ENV_BEARER_TOKEN
                            + ")", "bearer token's file; or " + Setting.ENV_BEARER_TOKEN),
            new SettingFlag(Setting.BASIC_AUTH_USER, "USER", 122, "Basic-auth user (env {env}); password from "
                    + Setting.ENV_BASIC_AUTH_PASSWORD + " or --basic-auth-password-file", "basic-auth user"),
            new SettingFlag(Setting.BASIC_AUTH_PASSWORD_FILE, "FILE", 123,
                    "File holding the basic-auth password (env {env})", "password file; or "
                            + Setting.ENV_BASIC_AUTH_PASSWORD),
            new SettingFlag(Setting.TENANT, "ID", 124,
                    "Tenant sent as X-Scope-OrgID (Mimir, Thanos, Cortex; env {env})",
                    "X-Scope-OrgID (Mimir, Thanos, Cortex)"),
            new SettingFlag(Setting.CA_FILE, "FILE", 125,
                    "PEM file of CA certificates to trust instead of the system's (env {env})",
                    "CA certificates (PEM) instead of the system's"),
            new SettingFlag(Setting.INSECURE, null, 126,
                    "Skip TLS certificate and host name verification (env {env}=true)",
                    "skip TLS certificate and host name checks"));

    /**
     * @param brief the root page's words (one line beside the flag): the default follows them there in brackets, and
     *              the variable is said once for all ({@link #briefs})
     */
    private record SettingFlag(Setting setting, String paramLabel, int order, String description, String brief) {
        String name() {
            return "--" + setting.key().replace('.', '-');
        }

        OptionSpec option(Map<Setting, Settings.Flag> given) {
            OptionSpec.Builder b = OptionSpec.builder(name())
                    .scopeType(ScopeType.INHERIT)
                    .order(order)
                    .description(description.replace("{env}", setting.env())
                            .replace("{default}", String.valueOf(setting.defaultValue())))
                    .getter(new IGetter() {
                        @Override
                        @SuppressWarnings("unchecked")
                        public <T> T get() {
                            Settings.Flag f = given.get(setting);
                            return (T) (f == null ? null : switchFlag() ? Boolean.valueOf(f.value()) : f.value());
                        }
                    })
                    .setter(new ISetter() {
                        @Override
                        public <T> T set(T value) {
                            if (value == null) {
                                given.remove(setting);
                            } else {
                                given.put(setting, new Settings.Flag(name(), value.toString()));
                            }
                            return null;
                        }
                    });
            return (switchFlag() ? b.type(Boolean.class) : b.type(String.class).paramLabel(paramLabel)).build();
        }

        boolean switchFlag() {
            return paramLabel == null;
        }
    }

    /**
     * The root page's one line for each of the options not of a setting (the settings' are their {@code brief}),
     * by the option's longest name. The full words are the option's description: the man page's, the README's.
     */
    private static final Map<String, String> OTHER_BRIEFS = Map.of(
            "--header", "extra header on every request; repeatable",
            "--output", "text (default), json; junit or csv in places",
            "--no-color", "no colour (also NO_COLOR, or off a terminal)",
            "--verbose", "log requests to stderr; bugs' stack traces",
            "--config", "config [~/.config/exlm-mon/config.properties]",
            "--version", "the version");

    /**
     * Each global option's words on the root's page, by its longest name: a setting's brief and its default in
     * brackets ({@link Setting#defaultValue}, none for a switch); its variable is not repeated there, the page says
     * once that {@code --NAME} reads {@code EXLM_NAME} ({@link Setting#env}: {@code EXLM_} and the setting's name, which
     * is the flag's in capitals with '_' for '-', GlobalOptionsTest holds them to it).
     */
    static Map<String, String> briefs() {
        Map<String, String> out = new java.util.HashMap<>(OTHER_BRIEFS);
        for (SettingFlag f : SETTING_FLAGS) {
            String d = f.setting().defaultValue();
            out.put(f.name(), f.brief() + (d == null || f.switchFlag() ? "" : " [" + d + "]"));
        }
        return Map.copyOf(out);
    }

    /** The flag of each setting that has one, by the flag: for the root page's rule that --NAME reads EXLM_NAME. */
    static Map<String, Setting> settingFlags() {
        Map<String, Setting> out = new java.util.LinkedHashMap<>();
        SETTING_FLAGS.forEach(f -> out.put(f.name(), f.setting()));
        return out;
    }

    /** The settings given as flags, with the flag's name for messages. */
    private final Map<Setting, Settings.Flag> given = new EnumMap<>(Setting.class);

    @Option(names = {"-H", "--header"}, paramLabel = "'NAME: VALUE'", scope = ScopeType.INHERIT, order = 127,
            description = "Extra header on every request; repeatable (config: header.NAME = VALUE)")
    List<String> headers = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, order = 130,
            description = "Output: text (default), json; junit or csv where a command supports it")
    OutputFormat output = OutputFormat.text;

    @Option(names = "--no-color", scope = ScopeType.INHERIT, order = 131, defaultValue = "false",
            description = "No colour (also when NO_COLOR is set or the output is not a terminal)")
    boolean noColor;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, order = 132, defaultValue = "false",
            description = "Log each request to stderr; stack traces for internal errors")
    boolean verbose;

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT, order = 133,
            description = "Config file (env " + Setting.ENV_CONFIG + "; default ~/.config/exlm-mon/config.properties)")
    Path config;

    /**
     * These options as a mixin for the root command: the annotated ones and the settings' flags, declared in their
     * {@code order}, which is also the order of {@code --help} (completion and suggestions list them as declared).
     */
    CommandSpec mixin() {
        List<OptionSpec> options = new ArrayList<>(CommandSpec.forAnnotatedObject(this).options());
        for (SettingFlag f : SETTING_FLAGS) {
            options.add(f.option(given));
        }
        options.sort(Comparator.comparingInt(OptionSpec::order));
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        options.forEach(mixin::addOption);
        return mixin;
    }

    /** Sets a setting as its flag does: for a run that does not parse its arguments with picocli. */
    void give(Setting setting, String value) {
        for (SettingFlag f : SETTING_FLAGS) {
            if (f.setting() == setting) {
                given.put(setting, new Settings.Flag(f.name(), value));
                return;
            }
        }
        throw new IllegalArgumentException(setting + " is not a flag");
    }

    /** What the setting's flag gave, or null when it was not given. */
    String given(Setting setting) {
        Settings.Flag f = given.get(setting);
        return f == null ? null : f.value();
    }

    /** The settings given as flags, keyed by setting, for {@link Settings#resolve}. */
    Map<Setting, Settings.Flag> flags() {
        return new EnumMap<>(given);
    }
}
