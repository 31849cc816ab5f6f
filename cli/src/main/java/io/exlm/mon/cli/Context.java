package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.ConfigFile;
import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a command needs from the run it is part of: its writers, the environment, the resolved settings and the one
 * HTTP client. Settings and the client are made on first use, so that {@code --version} and {@code --help} cost
 * nothing.
 */
public final class Context implements AutoCloseable {
    private final GlobalOptions globals;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final boolean terminal;
    private final InputStream in;
    private Settings settings;
    private HttpLayer http;
    private boolean warnedInsecure;
    private long startedNanos = System.nanoTime();
    private boolean withProcess;
    private io.exlm.mon.source.Combination combination;

    Context(GlobalOptions globals, PrintWriter out, PrintWriter err, Map<String, String> env, boolean terminal,
            InputStream in) {
        this.globals = globals;
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
    }

    /**
     * When this run started, on the {@link System#nanoTime()} scale: a deadline such as --wait's counts from it. For
     * {@code main}'s run, the start of the process, looked up on first use (asking the system costs a short command
     * milliseconds it need not spend when nothing waits).
     */
    public long startedNanos() {
        if (withProcess) {
            withProcess = false;
            long now = System.nanoTime();
            startedNanos = ProcessHandle.current().info().startInstant().map(at -> {
                // the launcher execs java in its own process, so its start counts too; /proc has 10 ms ticks
                long ago = java.time.Duration.between(at, java.time.Instant.now()).toNanos();
                return ago >= 0 && ago < 60_000_000_000L ? now - ago : startedNanos;
            }).orElse(startedNanos);
        }
        return startedNanos;
    }

    /** For {@code main}: the run started with the process, start-up included. */
    void startedWithProcess() {
        withProcess = true;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** Standard input, for commands that read '-' (a test gives its own). */
    public InputStream in() {
        return in;
    }

    public Map<String, String> env() {
        return env;
    }

    public OutputFormat format() {
        return globals.output;
    }

    public boolean verbose() {
        return globals.verbose;
    }

    /** What the setting's flag gave on the command line, or null: not its environment, file or default. */
    String flag(Setting setting) {
        return globals.given(setting);
    }

    /** Whether stdout is an interactive terminal (not a pipe, not a file). */
    public boolean terminal() {
        return terminal;
    }

    /** What text output wraps to off a terminal without COLUMNS: a CI log, which is wider than a terminal's 80. */
    public static final int LOG_WIDTH = 100;
    /** No narrower than this: below it nothing is readable anyway. */
    static final int MIN_WIDTH = 20;

    /**
     * The width text output wraps to: the terminal's when stdout is one, else COLUMNS when set (a CI runner or a
     * script that says its log's width), else {@value #LOG_WIDTH}; at least {@value #MIN_WIDTH}.
     */
    public int width() {
        int w = terminal ? terminalWidth() : -1;
        if (w <= 0) {
            try {
                w = Integer.parseInt(env.getOrDefault("COLUMNS", "").strip());
            } catch (NumberFormatException e) {
                w = terminal ? 80 : LOG_WIDTH;
            }
        }
        return Math.max(MIN_WIDTH, w);
    }

    /**
     * The terminal's columns, or -1 when it does not say: one {@code stty size} on the controlling terminal, bounded
     * to a second (a jline terminal built for this forked nine processes, and start-up time is part of what
     * exlm-mon promises).
     */
    private static int terminalWidth() {
        java.io.File tty = new java.io.File("/dev/tty");
        if (!tty.canRead()) {
            return -1;
        }
        Process p = null;
        try {
            p = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            String[] rowsCols = new String(p.getInputStream().readNBytes(64), java.nio.charset.StandardCharsets
                    .US_ASCII).strip().split("\\s+");
            return rowsCols.length == 2 ? Integer.parseInt(rowsCols[1]) : -1;
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        } finally {
            if (p != null) {
                p.destroy();
            }
        }
    }

    /** Colour only for a person at a terminal who has not said no. */
    public boolean color() {
        String term = env.getOrDefault("TERM", "");
        return terminal && !globals.noColor && !env.containsKey("NO_COLOR") && !term.equals("dumb");
    }

    public Ansi ansi() {
        return new Ansi(color());
    }

    /** Fails with a usage error unless the output format is one of those given. */
    public void requireFormat(OutputFormat... allowed) {
        for (OutputFormat f : allowed) {
            if (f == globals.output) {
                return;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (OutputFormat f : allowed) {
            sb.append(sb.length() == 0 ? "" : ", ").append(f);
        }
        throw ExitException.usage("-o " + globals.output + " is not available here; use one of: " + sb);
    }

    public Settings settings() {
        if (settings == null) {
            Path path = globals.config;
            boolean explicit = path != null;
            if (path == null && env.get(Setting.ENV_CONFIG) != null && !env.get(Setting.ENV_CONFIG).isBlank()) {
                path = Path.of(env.get(Setting.ENV_CONFIG));
                explicit = true;
            }
            if (path == null) {
                path = ConfigFile.defaultPath(env);
            }
            settings = Settings.resolve(globals.flags(), globals.headers, env, ConfigFile.load(path, explicit));
            if (!settings.configFile().combines().isEmpty()) {
                combination(); // a bad combine. line is a usage error for every command, not only those that use it
            }
        }
        return settings;
    }

    /**
     * How the catalog's gauges combine across series: SPEC.md's table, with the config file's
     * {@code combine.METRIC} entries over it.
     */
    public io.exlm.mon.source.Combination combination() {
        if (combination == null) {
            Map<String, String> overrides = new java.util.LinkedHashMap<>();
            settings().configFile().combines().forEach((metric, e) -> {
                try {
                    io.exlm.mon.source.Combination.withOverrides(Map.of(metric, e.value()));
                } catch (IllegalArgumentException x) {
                    throw ExitException.usage(e.where() + ": combine." + metric + ": " + x.getMessage());
                }
                overrides.put(metric, e.value());
            });
            combination = io.exlm.mon.source.Combination.withOverrides(overrides);
        }
        return combination;
    }

    public String backendUrl() {
        return settings().url(Setting.BACKEND_URL);
    }

    public String prometheusUrl() {
        return settings().url(Setting.PROMETHEUS_URL);
    }

    public String grafanaUrl() {
        return settings().url(Setting.GRAFANA_URL);
    }

    public String alertmanagerUrl() {
        return settings().url(Setting.ALERTMANAGER_URL);
    }

    public HttpOptions httpOptions() {
        Settings s = settings();
        String user = s.text(Setting.BASIC_AUTH_USER);
        String password = user == null ? null : s.basicAuthPassword();
        if (user != null && password == null) {
            throw ExitException.usage("basic-auth user set (" + s.source(Setting.BASIC_AUTH_USER)
                    + ") but no password; set EXLM_BASIC_AUTH_PASSWORD or --basic-auth-password-file");
        }
        String tenant = blankToNull(s.text(Setting.TENANT));
        if (tenant != null) {
            Settings.checkHeaderValue("X-Scope-OrgID", tenant, s.source(Setting.TENANT));
        }
        PrintWriter log = err;
        return new HttpOptions(s.duration(Setting.TIMEOUT), s.duration(Setting.CONNECT_TIMEOUT),
                s.bytes(Setting.MAX_BODY), s.integer(Setting.MAX_REDIRECTS, 0, 50), s.headers(), s.bearerToken(),
                user, password, tenant, s.path(Setting.CA_FILE), s.bool(Setting.INSECURE),
                globals.verbose ? line -> log.println("exlm-mon: " + line) : line -> { }, answerLimits());
    }

    /** What one scrape, file or query answer may hold once parsed. */
    public io.exlm.mon.config.AnswerLimits answerLimits() {
        Settings s = settings();
        long bytes = s.bytes(Setting.MAX_LABEL_BYTES);
        if (bytes < 1) {
            throw ExitException.usage(s.source(Setting.MAX_LABEL_BYTES) + ": must be at least 1 byte");
        }
        return new io.exlm.mon.config.AnswerLimits(s.integer(Setting.MAX_SERIES, 1, Integer.MAX_VALUE), bytes);
    }

    /** The one HTTP client of this run. */
    public HttpLayer http() {
        if (http == null) {
            http = newHttp(httpOptions());
        }
        return http;
    }

    /** A client of its own (with other timeouts, say); the caller closes it. Warns once about --insecure. */
    public HttpLayer newHttp(HttpOptions o) {
        if (o.insecure() && !warnedInsecure) {
            // named as the user set it: the flag, its variable or the config file's line
            err.println("exlm-mon: warning: " + (settings().text(Setting.INSECURE) != null && settings().bool(
                    Setting.INSECURE) ? settings().source(Setting.INSECURE) : "--insecure")
                    + ": TLS certificates are not verified");
            warnedInsecure = true;
        }
        try {
            return new HttpLayer(o);
        } catch (io.exlm.mon.http.CaFileException e) {
            String source = settings().source(Setting.CA_FILE);
            throw source.startsWith("--") ? e : e.from(source);
        }
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
            http = null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
