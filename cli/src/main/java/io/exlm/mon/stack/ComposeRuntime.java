package io.exlm.mon.stack;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.Processes;
import io.exlm.mon.http.HttpLayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The stack as docker compose runs it: the bundled stack files written under the state directory, with the backend's
 * targets, the webhook and the published ports set from exlm-mon's configuration, run as the compose project
 * {@code exlm-mon} with {@code docker compose} (v2) or {@code docker-compose} (v1).
 */
public final class ComposeRuntime implements StackRuntime {
    public static final String PROJECT = "exlm-mon";

    private final StackConfig config;
    private final StateDir state;
    private final Map<String, String> env;
    private final Consumer<String> progress;
    private List<String> compose;

    public ComposeRuntime(StackConfig config, StateDir state, Map<String, String> env, Consumer<String> progress) {
        this.config = config;
        this.state = state;
        this.env = env;
        this.progress = progress;
    }

    @Override
    public String name() {
        return "compose";
    }

    /** Whether this machine could run the stack with compose: a compose command and an engine that answers. */
    public static boolean available(Map<String, String> env) {
        return DockerEngine.ping(env).ok() && findCompose(env) != null;
    }

    /** Fails with exit 3 and one line unless a Docker engine answers and a compose command is installed. */
    private List<String> requireEngine() {
        DockerEngine.Ping ping = DockerEngine.ping(env);
        if (!ping.ok()) {
            throw new ExitException(ExitCode.UNREACHABLE, "no Docker engine answers at " + ping.address() + " ("
                    + ping.problem() + "): start Docker (systemctl start docker), point DOCKER_HOST at a running"
                    + " engine, or use --runtime local");
        }
        if (compose == null) {
            compose = findCompose(env);
        }
        if (compose == null) {
            throw new ExitException(ExitCode.UNREACHABLE, "neither docker compose (v2) nor docker-compose (v1) is"
                    + " installed: install the compose plugin (apt-get install docker-compose-plugin) or"
                    + " docker-compose, or use --runtime local");
        }
        return compose;
    }

    static List<String> findCompose(Map<String, String> env) {
        Path docker = LocalRuntime.which("docker", env.get("PATH"));
        if (docker != null && run(List.of(docker.toString(), "compose", "version"), env, null) == 0) {
            return List.of(docker.toString(), "compose");
        }
        Path v1 = LocalRuntime.which("docker-compose", env.get("PATH"));
        return v1 == null ? null : List.of(v1.toString());
    }

    @Override
    public List<String> preflight() {
        List<String> problems = new ArrayList<>();
        for (RemoteWrite w : config.remoteWrites()) {
            if (w.bearerToken() != null || w.basicUser() != null) {
                // a file only its owner reads is one the container's user (nobody) cannot read; one it can read is a
                // secret other users of this machine could read too
                problems.add("remote write to " + w.url() + " with credentials (bearer token or basic auth) runs"
                        + " with --runtime local only: the compose runtime has no way yet to hand Prometheus's"
                        + " container a secret file; use --runtime local, or a receiver that needs none");
                return problems; // before asking for an engine: no engine would make it work
            }
        }
        requireEngine();
        try {
            Files.createDirectories(state.compose());
        } catch (IOException e) {
            problems.add("state directory " + state.root() + " is not writable (" + e.getClass().getSimpleName()
                    + "); set stack.state-dir or EXLM_STACK_STATE_DIR to a writable directory");
        }
        return problems;
    }

    @Override
    public List<PartReport> up() {
        List<String> cmd = command("up", "-d");
        try {
            state.runtime(name());
            writeFiles();
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot write the stack files under " + state.compose()
                    + ": " + e.getMessage(), e);
        }
        StringBuilder output = new StringBuilder();
        int code = run(cmd, composeEnv(), line -> {
            output.append(line).append('\n');
            progress.accept(line);
        });
        if (code != 0) {
            String last = output.toString().strip().lines().reduce((a, b) -> b).orElse("(no output)");
            throw new ExitException(ExitCode.UNHEALTHY, String.join(" ", cmd.subList(0, cmd.indexOf("-p")))
                    + " up failed (exit " + code + "): " + last);
        }
        List<PartReport> reports = new ArrayList<>();
        for (Component c : LocalRuntime.ORDER) {
            reports.add(new PartReport(c, PartReport.RUNNING, null, config.url(c), null, null, "container of "
                    + PROJECT, null));
        }
        return reports;
    }

    void writeFiles() throws IOException {
        Path dir = state.compose();
        StackFiles.writeAll(dir);
        RemoteWrite.writeFiles(dir.resolve(StackFiles.PROMETHEUS).getParent(), config, false);
        Files.writeString(dir.resolve(StackFiles.PROMETHEUS), ConfigWriter.prometheus(config, false),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(StackFiles.BACKEND_TARGETS),
                ConfigWriter.backendTargets(config.backendUrl(), true), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(StackFiles.ALERTMANAGER),
                ConfigWriter.alertmanager(ConfigWriter.forContainers(config.webhookUrl())), StandardCharsets.UTF_8);
        // Grafana reads its admin password from this file (a compose secret), so that it is never in the compose
        // file, on a command line or in the environment of docker compose
        GrafanaPassword.writePrivate(passwordFile(), config.grafanaPassword().get());
    }

    Path passwordFile() {
        return state.compose().resolve("grafana-admin-password");
    }

    /** The variables docker-compose.yml reads, from exlm-mon's configuration: the same for up, down and ps. */
    Map<String, String> composeEnv() {
        Map<String, String> e = new HashMap<>(env);
        boolean allLoopback = true;
        for (Component c : LocalRuntime.ORDER) {
            HostPort hp = config.address(c);
            e.put(c.portVariable(), String.valueOf(hp.port()));
            allLoopback &= hp.loopback();
        }
        e.putAll(Map.of(
                "EXLM_BIND", allLoopback ? "127.0.0.1" : "0.0.0.0",
                "EXLM_RETENTION", config.retention(),
                "EXLM_POSTGRES_DSN", ConfigWriter.forContainers(config.postgresDsn()),
                "EXLM_REDIS_URL", ConfigWriter.forContainers(config.redisUrl()),
                "EXLM_GRAFANA_USER", config.grafanaUser(),
                "EXLM_GRAFANA_PASSWORD_FILE", passwordFile().toString()));
        e.remove("EXLM_GRAFANA_PASSWORD");
        return e;
    }

    @Override
    public List<PartReport> down(boolean purge) {
        List<String> cmd = purge ? command("down", "--volumes") : command("down");
        if (!Files.exists(state.compose().resolve(StackFiles.COMPOSE))) {
            List<PartReport> none = new ArrayList<>();
            for (Component c : LocalRuntime.ORDER) {
                none.add(new PartReport(c, PartReport.NOT_RUNNING, null, config.url(c), null, null,
                        "exlm-mon never brought the compose stack up here", null));
            }
            return none;
        }
        Map<String, String> e = composeEnv();
        StringBuilder output = new StringBuilder();
        int code = run(cmd, e, line -> {
            output.append(line).append('\n');
            progress.accept(line);
        });
        if (code != 0) {
            String last = output.toString().strip().lines().reduce((a, b) -> b).orElse("(no output)");
            throw new ExitException(ExitCode.UNHEALTHY, "docker compose down failed (exit " + code + "): " + last);
        }
        List<PartReport> reports = new ArrayList<>();
        for (Component c : LocalRuntime.ORDER) {
            reports.add(new PartReport(c, PartReport.STOPPED, null, config.url(c), null, null,
                    purge ? "container and volume removed" : "container removed; volume kept", null));
        }
        return reports;
    }

    @Override
    public List<PartReport> status(HttpLayer http) {
        Set<String> running = Set.of();
        if (Files.exists(state.compose().resolve(StackFiles.COMPOSE))) {
            List<String> cmd = command("ps", "--services", "--filter", "status=running");
            Map<String, String> e = composeEnv();
            List<String> lines = new ArrayList<>();
            int code = run(cmd, e, lines::add);
            if (code == 0) {
                running = Set.copyOf(lines.stream().map(String::strip).toList());
            }
        }
        List<PartReport> reports = new ArrayList<>();
        for (Component c : LocalRuntime.ORDER) {
            String health = Readiness.probe(http, config.readyUrl(c));
            String st = running.contains(c.id()) ? PartReport.RUNNING
                    : health.equals(Readiness.OK) ? PartReport.EXTERNAL : PartReport.STOPPED;
            reports.add(new PartReport(c, st, null, config.url(c), health, null,
                    st.equals(PartReport.RUNNING) ? "container of " + PROJECT : null, null));
        }
        return reports;
    }

    @Override
    public boolean alive(PartReport part) {
        return true; // the restart policy brings a container back; --wait's deadline is the judge
    }

    private List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(requireEngine());
        cmd.addAll(List.of("-p", PROJECT, "-f", state.compose().resolve(StackFiles.COMPOSE).toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs a command, handing each output line (stdout and stderr) to {@code lines}; returns its exit status. */
    static int run(List<String> cmd, Map<String, String> env, Consumer<String> lines) {
        try {
            // pulling images can take a while; not for ever
            return Processes.run(cmd, env, Duration.ofMinutes(10), lines).exitCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
