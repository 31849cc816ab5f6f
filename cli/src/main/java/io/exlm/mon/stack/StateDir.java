package io.exlm.mon.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the stack keeps what outlives a command: {@code $XDG_STATE_HOME/exlm-mon} (default
 * {@code ~/.local/state/exlm-mon}), or {@code stack.state-dir}.
 *
 * <pre>
 * runtime                      the runtime of the last up: local or compose
 * topology                     the topology of the last up: single or sharded
 * grafana-admin-password       generated when none was given (mode 600)
 * local/config/PART/           generated configuration (prometheus.yml, rules/, targets/, alertmanager.yml, ...)
 * local/config/vmagent/        the sharded topology's one scrape configuration, for every member
 * local/data/PART/             data: Prometheus's TSDB, Alertmanager's silences, the Pushgateway's metrics
 * local/logs/PART.log          each process's stdout and stderr
 * local/run/PART.pid           pid file: JSON with the pid, start time and executable, checked before it is trusted
 * compose/                     the stack files as docker compose runs them
 * </pre>
 */
public final class StateDir {
    private final Path root;

    public StateDir(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The configured directory, else {@code $XDG_STATE_HOME/exlm-mon}, else {@code ~/.local/state/exlm-mon}. */
    public static StateDir resolve(Path configured, Map<String, String> env) {
        if (configured != null) {
            return new StateDir(configured);
        }
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return new StateDir(Path.of(xdg, "exlm-mon"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new StateDir(Path.of(home, ".local", "state", "exlm-mon"));
    }

    public Path root() {
        return root;
    }

    public Path local() {
        return root.resolve("local");
    }

    public Path config(Component c) {
        return local().resolve("config").resolve(c.id());
    }

    /**
     * The scraping members' one configuration (the sharded topology): one file at one path for all, because vmagent
     * shares the targets out by a hash of their labels, and a target discovered from a file carries that file's path
     * (__meta_filepath): a copy per member would hash apart, and a target could be scraped by two members or none.
     */
    public Path scrapersConfig() {
        return local().resolve("config").resolve("vmagent");
    }

    public Path data(Component c) {
        return local().resolve("data").resolve(c.id());
    }

    public Path logs() {
        return local().resolve("logs");
    }

    public Path log(Component c) {
        return logs().resolve(c.id() + ".log");
    }

    public Path run() {
        return local().resolve("run");
    }

    public Path pidFile(Component c) {
        return run().resolve(c.id() + ".pid");
    }

    public Path compose() {
        return root.resolve("compose");
    }

    public Path grafanaPasswordFile() {
        return root.resolve("grafana-admin-password");
    }

    /** The runtime the last {@code up} used, or null. */
    public String runtime() {
        try {
            return Files.readString(root.resolve("runtime"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        }
    }

    public void runtime(String name) throws IOException {
        Files.createDirectories(root);
        Files.writeString(root.resolve("runtime"), name + "\n", StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
