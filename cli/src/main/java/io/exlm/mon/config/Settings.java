package io.exlm.mon.config;

import io.exlm.mon.ExitException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The effective configuration of one run: each {@link Setting} resolved from its flag, else its environment
 * variable, else the config file, else its default. Values are checked when read, and a bad one is reported
 * with where it came from ({@code --timeout}, {@code EXLM_TIMEOUT}, or {@code file:line}).
 */
public final class Settings {
    private record Value(String text, String source) {
    }

    /** The longest timeout accepted: a day is already far past any useful wait for an answer. */
    static final Duration MAX_DURATION = Duration.ofDays(1);

    private final Map<Setting, Value> values = new EnumMap<>(Setting.class);
    private final Map<String, Value> headers = new LinkedHashMap<>();
    private final Map<String, String> env;
    private final ConfigFile file;

    private Settings(Map<String, String> env, ConfigFile file) {
        this.env = env;
        this.file = file;
    }

    /**
     * @param flags       the settings given as flags, keyed by setting, with the flag's name for messages
     * @param headerFlags {@code --header 'Name: value'} flags, in order
     */
    public static Settings resolve(Map<Setting, Flag> flags, List<String> headerFlags, Map<String, String> env,
            ConfigFile file) {
        Settings s = new Settings(env, file);
        for (Setting setting : Setting.values()) {
            Flag flag = flags.get(setting);
            String fromEnv = env.get(setting.env());
            ConfigFile.Entry fromFile = file.get(setting);
            if (flag != null && flag.value() != null) {
                s.values.put(setting, new Value(flag.value(), flag.name()));
            } else if (fromEnv != null && !fromEnv.isBlank()) {
                s.values.put(setting, new Value(fromEnv.strip(), setting.env()));
            } else if (fromFile != null) {
                s.values.put(setting, new Value(fromFile.value(), fromFile.where()));
            } else if (setting.defaultValue() != null) {
                s.values.put(setting, new Value(setting.defaultValue(), "default"));
            }
        }
        for (Map.Entry<String, ConfigFile.Entry> h : file.headers().entrySet()) {
            checkHeaderName(h.getKey(), h.getValue().where());
            checkHeaderValue(h.getKey(), h.getValue().value(), h.getValue().where());
            s.headers.put(h.getKey(), new Value(h.getValue().value(), h.getValue().where()));
        }
        for (String h : headerFlags) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                // the value is not echoed: a malformed header may well carry a secret
                throw ExitException.usage("a --header value has no ':'; write it as 'Name: value', for example"
                        + " --header 'X-Team: sre'");
            }
            String name = h.substring(0, colon).strip();
            checkHeaderName(name, "--header");
            String value = h.substring(colon + 1).strip();
            checkHeaderValue(name, value, "--header");
            s.headers.put(name, new Value(value, "--header"));
        }
        return s;
    }

    /**
     * Fails with a usage error when a name is not an HTTP header name (RFC 9110's token: letters, digits and
     * {@code !#$%&'*+-.^_`|~}). The name is shown with its control characters made visible.
     */
    public static void checkHeaderName(String name, String source) {
        boolean ok = !name.isEmpty();
        for (int i = 0; ok && i < name.length(); i++) {
            char c = name.charAt(i);
            ok = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
        if (!ok) {
            throw ExitException.usage(source + ": '" + io.exlm.mon.Text.printable(name) + "' is not a header name (a"
                    + " header name has letters, digits and !#$%&'*+-.^_`|~ only, no spaces)");
        }
        String why = OwnedHeader.why(name);
        if (why != null) {
            throw ExitException.usage(source + ": header " + name + " cannot be set: " + why);
        }
    }

    private static final String HOP = "it belongs to the connection, which the HTTP layer manages";
    private static final String FRAMING = "the HTTP layer frames the body itself; a wrong one leaves the server"
            + " waiting for bytes that never come";

    /**
     * The headers the HTTP layer writes itself, each named by its constant in lower case with '-' for '_', with why
     * one of the user's would break the call: a Content-Length on a GET makes the server wait for a body that never
     * comes, and the call hangs.
     */
    enum OwnedHeader {
        CONTENT_LENGTH(FRAMING),
        TRANSFER_ENCODING(FRAMING),
        TRAILER(FRAMING),
        HOST("the HTTP layer takes it from the URL; put the host in the URL"),
        CONNECTION(HOP),
        KEEP_ALIVE(HOP),
        PROXY_CONNECTION(HOP),
        UPGRADE(HOP),
        TE(HOP),
        EXPECT("the HTTP layer sends no body to wait for a 100 Continue on"),
        ACCEPT_ENCODING("the HTTP layer asks for gzip and decompresses the answer itself");

        private final String why;

        OwnedHeader(String why) {
            this.why = why;
        }

        /** The header's name in lower case, as HTTP compares them: content-length. */
        String header() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Why the user cannot set the header of this name (any case), or null for a header they may set. */
        static String why(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (OwnedHeader h : values()) {
                if (h.header().equals(lower)) {
                    return h.why;
                }
            }
            return null;
        }
    }

    /**
     * Fails with a usage error when a value cannot travel in an HTTP header (control or non-ASCII characters). The
     * value is not repeated: headers carry API keys and tokens.
     */
    public static void checkHeaderValue(String name, String value, String source) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c > 0x7e)) {
                throw ExitException.usage(source + ": the value for header " + name + " has a character an HTTP"
                        + " header cannot carry (a control or non-ASCII character at position " + (i + 1)
                        + "); the value is not shown");
            }
        }
    }

    /** A URL with any user:password@ taken out, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?<=//)[^/@?#]*@", "***@");
    }

    /** A setting given as a flag: its value and the flag's name, for messages. */
    public record Flag(String name, String value) {
    }

    public String text(Setting setting) {
        Value v = values.get(setting);
        return v == null ? null : v.text();
    }

    public String source(Setting setting) {
        Value v = values.get(setting);
        return v == null ? "unset" : v.source();
    }

    /** A URL setting, checked: http or https, with a host. Trailing slashes are dropped. */
    public String url(Setting setting) {
        Value v = values.get(setting);
        return checkUrl(v.text(), v.source());
    }

    public static String checkUrl(String text, String source) {
        String t = text.strip();
        if (!redact(t).equals(t)) {
            // credentials in a URL would be printed with every message about it, and OkHttp does not send them
            throw ExitException.usage(source + ": the URL has credentials in it (user:password@); give them with"
                    + " --basic-auth-user and EXLM_BASIC_AUTH_PASSWORD, or --bearer-token-file, instead");
        }
        try {
            URI uri = new URI(t);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw ExitException.usage(source + ": '" + t + "' is not an http(s) URL; example: http://localhost:8000");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw ExitException.usage(source + ": '" + t + "' has no host; example: http://localhost:8000");
            }
            if (uri.getPort() == 0 || uri.getPort() > 65535) {
                throw ExitException.usage(source + ": '" + t + "' has port " + uri.getPort() + "; a port is 1 to"
                        + " 65535");
            }
        } catch (URISyntaxException e) {
            throw ExitException.usage(source + ": '" + t + "' is not a URL (" + e.getReason() + ")");
        }
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    public Duration duration(Setting setting) {
        Value v = values.get(setting);
        try {
            Duration d = Durations.parse(v.text());
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + v.text() + "' is zero; give a positive duration such as 5s");
            }
            if (d.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("'" + v.text() + "' is longer than a network timeout can be; at"
                        + " most " + Durations.format(MAX_DURATION));
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw ExitException.usage(v.source() + ": " + e.getMessage());
        }
    }

    public long bytes(Setting setting) {
        Value v = values.get(setting);
        try {
            return ByteSizes.parse(v.text());
        } catch (IllegalArgumentException e) {
            throw ExitException.usage(v.source() + ": " + e.getMessage());
        }
    }

    public int integer(Setting setting, int min, int max) {
        Value v = values.get(setting);
        try {
            int n = Integer.parseInt(v.text().strip());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw ExitException.usage(v.source() + ": '" + v.text() + "' is not a whole number from " + min + " to "
                    + max);
        }
    }

    public boolean bool(Setting setting) {
        Value v = values.get(setting);
        String t = v.text().strip().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off", "" -> false;
            default -> throw ExitException.usage(v.source() + ": '" + v.text() + "' is not true or false");
        };
    }

    public Path path(Setting setting) {
        String t = text(setting);
        return t == null || t.isBlank() ? null : Path.of(expandHome(t.strip()));
    }

    /** Extra headers, in the order they were given; a flag replaces the file's header of the same name. */
    public List<Map.Entry<String, String>> headers() {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        headers.forEach((k, v) -> list.add(Map.entry(k, v.text())));
        return list;
    }

    /** The bearer token, from {@code EXLM_BEARER_TOKEN} or the token file; null when none. */
    public String bearerToken() {
        String fromEnv = env.get(Setting.ENV_BEARER_TOKEN);
        if (fromEnv != null && !fromEnv.isBlank()) {
            checkHeaderValue("Authorization", fromEnv.strip(), Setting.ENV_BEARER_TOKEN);
            return fromEnv.strip();
        }
        Path file = path(Setting.BEARER_TOKEN_FILE);
        String token = file == null ? null : readSecret(file, source(Setting.BEARER_TOKEN_FILE),
                duration(Setting.TIMEOUT));
        if (token != null) {
            checkHeaderValue("Authorization", token, source(Setting.BEARER_TOKEN_FILE));
        }
        return token;
    }

    /** The basic-auth password, from {@code EXLM_BASIC_AUTH_PASSWORD} or the password file; null when none. */
    public String basicAuthPassword() {
        return secret(Setting.ENV_BASIC_AUTH_PASSWORD, Setting.BASIC_AUTH_PASSWORD_FILE);
    }

    /** Grafana's admin password, from {@code EXLM_GRAFANA_PASSWORD} or its file; null when none. */
    public String grafanaPassword() {
        return secret(Setting.ENV_GRAFANA_PASSWORD, Setting.GRAFANA_PASSWORD_FILE);
    }

    /** Grafana's admin user: grafana.user (EXLM_GRAFANA_USER), else Grafana's own default, admin. */
    public String grafanaUser() {
        String user = text(Setting.GRAFANA_USER);
        return user == null || user.isBlank() ? "admin" : user.strip();
    }

    /** The scrape interval stack.scrape-interval sets; null when it is not set (the stack files' 15 s then). */
    public Duration scrapeInterval() {
        String t = text(Setting.STACK_SCRAPE_INTERVAL);
        return t == null || t.isBlank() ? null : duration(Setting.STACK_SCRAPE_INTERVAL);
    }

    /**
     * Where Grafana's admin password is given, in words for a report ({@code EXLM_GRAFANA_PASSWORD}, or
     * {@code grafana.password-file (where that is set)}); null when it is not given. Reads no file.
     */
    public String grafanaPasswordSource() {
        return secretSource(Setting.ENV_GRAFANA_PASSWORD, Setting.GRAFANA_PASSWORD_FILE);
    }

    /** The precedence of a secret: the environment variable when set and not empty, else the file setting. */
    private String secretSource(String envName, Setting fileSetting) {
        if (inEnvironment(envName)) {
            return envName;
        }
        return path(fileSetting) == null ? null : fileSetting.key() + " (" + source(fileSetting) + ")";
    }

    private String secret(String envName, Setting fileSetting) {
        if (inEnvironment(envName)) {
            return env.get(envName);
        }
        return path(fileSetting) == null ? null : readSecret(path(fileSetting), source(fileSetting),
                duration(Setting.TIMEOUT));
    }

    /** A secret's variable wins when it is set and not empty (an empty one, as CI templates leave, is not set). */
    private boolean inEnvironment(String envName) {
        String value = env.get(envName);
        return value != null && !value.isEmpty();
    }

    public ConfigFile configFile() {
        return file;
    }

    public Map<String, String> env() {
        return env;
    }

    /** A secret is a few hundred bytes: more than this is the wrong file, and is not read into memory. */
    static final long SECRET_CAP = 64 * 1024;
    /**
     * How long reading the config file may take: a FIFO whose writer never writes ends then (the file is read before
     * the settings that hold --timeout are known). A secret file is read within --timeout.
     */
    static final java.time.Duration FILE_DEADLINE = java.time.Duration.ofSeconds(10);

    /** Reads a secret from a file within the deadline; the message on failure names the file, never its content. */
    public static String readSecret(Path file, String source, java.time.Duration deadline) {
        try {
            String s = SmallFiles.read(file, SECRET_CAP, deadline);
            // a trailing newline is an artefact of how the file was written, not part of the secret
            while (s.endsWith("\n") || s.endsWith("\r")) {
                s = s.substring(0, s.length() - 1);
            }
            if (s.isEmpty()) {
                throw ExitException.usage(source + ": secret file " + file + " is empty");
            }
            return s;
        } catch (NoSuchFileException e) {
            throw ExitException.usage(source + ": secret file " + file + " does not exist");
        } catch (SmallFiles.Refused e) {
            throw ExitException.usage(source + ": secret file " + e.getMessage() + (e.timedOut()
                    ? "; --timeout gives it longer" : ""));
        } catch (IOException e) {
            throw ExitException.usage(source + ": cannot read secret file " + file + " (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private String expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return env.getOrDefault("HOME", System.getProperty("user.home")) + p.substring(1);
        }
        return p;
    }
}
