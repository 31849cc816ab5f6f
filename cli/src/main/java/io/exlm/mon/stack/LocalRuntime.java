package io.exlm.mon.stack;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import io.exlm.mon.Processes;
import io.exlm.mon.config.Durations;
import io.exlm.mon.http.HttpLayer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The stack as processes of this machine, from the binaries on the PATH (Debian's names and upstream's), each
 * listening on loopback where its URL says, with configuration generated from the bundled stack files and data,
 * logs and pid files under the state directory. Grafana is started only where a Grafana binary is installed.
 */
public final class LocalRuntime implements StackRuntime {
    /** The order of starting: exporters first, so that Prometheus's first scrape finds them. */
    static final List<Component> ORDER = Topology.SINGLE.parts();

    private static final Pattern VERSION = Pattern.compile("(?i)(?:version|exporter)[ :=]+v?(\\d+\\.\\d+\\.\\d+[^\\s,)]*)");
    private static final Pattern ANY_VERSION = Pattern.compile("v?(\\d+\\.\\d+\\.\\d+[^\\s,)]*)");
    private static final long STOP_GRACE_MS = 15_000;
    /** VictoriaMetrics' -search.latencyOffset: how long after a sample is written it shows in queries. */
    public static final Duration LATENCY_OFFSET = Duration.ofSeconds(1);

    private final StackConfig config;
    private final StateDir state;
    private final Map<String, String> env;
    private final Consumer<String> progress;
    private final Map<Component, Path> binaries = new EnumMap<>(Component.class);
    private final Topology topology;
    private final List<Component> order;

    /** The stack of the topology the last up recorded (single when none): for status and down. */
    public LocalRuntime(StackConfig config, StateDir state, Map<String, String> env, Consumer<String> progress) {
        this(config, state, env, progress, null);
    }

    /** {@code topology}: what up starts; null for the one the last up recorded (single when none). */
    public LocalRuntime(StackConfig config, StateDir state, Map<String, String> env, Consumer<String> progress,
            Topology topology) {
        this.config = config;
        this.state = state;
        this.env = env;
        this.progress = progress;
        Topology recorded = Topology.recorded(state.root());
        this.topology = topology != null ? topology : recorded != null ? recorded : Topology.SINGLE;
        this.order = this.topology.parts();
        for (Component c : Component.values()) {
            Path b = findBinary(c, env.get("PATH"));
            if (b != null) {
                binaries.put(c, b);
            }
        }
    }

    @Override
    public String name() {
        return "local";
    }

    /** What runs, or would run: one Prometheus, or the sharded parts. */
    @Override
    public Topology topology() {
        return topology;
    }

    /** Every part that a stack of either topology may have started here, for down. */
    private static List<Component> everyPart() {
        List<Component> all = new ArrayList<>();
        for (Topology t : Topology.values()) {
            for (Component c : t.parts()) {
                if (!all.contains(c)) {
                    all.add(c);
                }
            }
        }
        return all;
    }

    // ------------------------------------------------------------------------------------------------ preflight

    @Override
    public List<String> preflight() {
        List<String> problems = new ArrayList<>();
        try {
            for (Path dir : List.of(state.run(), state.logs())) {
                Files.createDirectories(dir);
            }
            Path probe = Files.createTempFile(state.run(), ".write-test", "");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            problems.add("state directory " + state.root() + " is not writable (" + e.getClass().getSimpleName()
                    + "); set stack.state-dir or EXLM_STACK_STATE_DIR, or XDG_STATE_HOME, to a writable directory");
            return problems;
        }
        for (Component c : everyPart()) {
            if (!order.contains(c) && running(c).isPresent()) {
                problems.add(c.id() + " of a stack of another topology than " + topology.id() + " runs (pid "
                        + running(c).get().pid() + "): stop that stack first (exlm-mon down; its data stays), then"
                        + " up again");
                return problems;
            }
        }
        if (topology == Topology.SHARDED && !config.remoteWrites().isEmpty()) {
            problems.add("remote write (--remote-write, stack.remote-write) is for the single Prometheus; the sharded"
                    + " topology's members write to its VictoriaMetrics only: drop it, or use --topology single");
        }
        Map<String, Component> ports = new HashMap<>();
        for (Component c : order) {
            if (running(c).isPresent()) {
                continue; // already ours: its port is in use by itself
            }
            HostPort hp;
            try {
                hp = config.address(c);
            } catch (ExitException e) {
                problems.add(e.getMessage());
                continue;
            }
            if (!binaries.containsKey(c)) {
                if (!c.optional()) {
                    problems.add(c.binaries().get(0) + " is not installed (no " + String.join(" or ", c.binaries())
                            + " on the PATH): apt-get install " + c.debianPackage() + ", or put upstream's "
                            + c.binaries().get(c.binaries().size() - 1) + " on the PATH");
                }
                continue;
            }
            if (!hp.loopback()) {
                problems.add(c.id() + " would listen on " + hp + ", which is not loopback: the local runtime listens"
                        + " on loopback only; set " + c.urlSetting().key() + " to a 127.0.0.1 URL, or use --runtime"
                        + " compose");
                continue;
            }
            Component other = ports.put(hp.listenAddress(), c);
            if (other != null) {
                problems.add(other.id() + " and " + c.id() + " are both configured for " + hp.listenAddress()
                        + ": give one of them another port (" + c.urlSetting().key() + ")");
                continue;
            }
            if (!portFree(hp)) {
                problems.add("port " + hp.listenAddress() + " for " + c.id() + " is in use by another program: stop"
                        + " it, or move " + c.id() + " to a free port with " + where(c));
            }
        }
        return problems;
    }

    private static String where(Component c) {
        String flag = switch (c) {
            case PROMETHEUS -> "--prometheus-url, ";
            case ALERTMANAGER -> "--alertmanager-url, ";
            case GRAFANA -> "--grafana-url, ";
            default -> "";
        };
        return flag + c.urlSetting().env() + " or the config key " + c.urlSetting().key();
    }

    static boolean portFree(HostPort hp) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(hp.bindHost()), hp.port()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ----------------------------------------------------------------------------------------------------- up

    @Override
    public List<PartReport> up() {
        List<PartReport> reports = new ArrayList<>();
        Map<Component, Process> started = new LinkedHashMap<>();
        try {
            state.runtime(name());
            topology.record(state.root());
            writeConfiguration();
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot write the stack's configuration under "
                    + state.local() + ": " + e.getMessage() + "; check the state directory (stack.state-dir)", e);
        }
        for (Component c : order) {
            String url = config.url(c);
            Optional<ProcessHandle> running = running(c);
            if (running.isPresent()) {
                PidFile pf = PidFile.read(state.pidFile(c));
                String detail = reloadIfChanged(c, running.get());
                reports.add(new PartReport(c, PartReport.RUNNING, running.get().pid(), url, null, pf.version(),
                        detail, state.log(c).toString()));
                continue;
            }
            Path binary = binaries.get(c);
            if (binary == null) {
                reports.add(new PartReport(c, PartReport.SKIPPED, null, url, null, null,
                        "no " + String.join(" or ", c.binaries()) + " binary on the PATH; Grafana is not packaged"
                                + " for Debian: install it from grafana.com, or use --runtime compose",
                        null));
                continue;
            }
            if (Component.SCRAPERS.contains(c)) {
                awaitStore();
            }
            String version = version(binary);
            Process p = start(c, binary);
            started.put(c, p);
            try {
                PidFile.of(p.toHandle(), binary, url, version).write(state.pidFile(c));
            } catch (IOException e) {
                p.destroy();
                throw new UncheckedIOException(e);
            }
            progress.accept("started " + c.id() + " (pid " + p.pid() + ") on " + url);
            reports.add(new PartReport(c, PartReport.STARTED, p.pid(), url, null, version, null,
                    state.log(c).toString()));
        }
        // a bad flag or an address taken meanwhile ends a process within moments: say so now, not at --wait's end
        if (!started.isEmpty()) {
            sleep(700);
        }
        List<PartReport> checked = new ArrayList<>();
        for (PartReport r : reports) {
            Process p = started.get(r.component());
            if (p != null && !p.isAlive()) {
                deleteQuietly(state.pidFile(r.component()));
                checked.add(r.withState(PartReport.FAILED, "exited at once with status " + p.exitValue() + ": "
                        + lastLine(state.log(r.component())) + " (log: " + state.log(r.component()) + ")"));
            } else {
                checked.add(r);
            }
        }
        return checked;
    }

    /** How long up waits for VictoriaMetrics to answer before it starts the members anyway. */
    static final Duration STORE_START = Duration.ofSeconds(30);

    /**
     * Waits until VictoriaMetrics answers its readiness URL (or its process is gone, or {@link #STORE_START} passed):
     * a member started before would find nothing listening at /api/v1/write, and its remote-write errors ("connection
     * refused") would count from its first second.
     */
    private void awaitStore() {
        long deadline = System.nanoTime() + STORE_START.toNanos();
        try (HttpLayer http = new HttpLayer(io.exlm.mon.http.HttpOptions.defaults())) {
            while (!Readiness.OK.equals(Readiness.probe(http, config.readyUrl(Component.VICTORIA_METRICS)))) {
                if (running(Component.VICTORIA_METRICS).isEmpty() || System.nanoTime() > deadline) {
                    progress.accept("victoria-metrics does not answer at " + config.url(Component.VICTORIA_METRICS)
                            + " yet: starting the scraping members anyway");
                    return;
                }
                sleep(100); // polling a process that is starting, not synchronising a test
            }
        }
    }

    /** Writes prometheus.yml, its rules and targets, alertmanager.yml and Grafana's provisioning. */
    private void writeConfiguration() throws IOException {
        if (topology == Topology.SHARDED) {
            writeShardedConfiguration();
        } else {
            writePrometheusConfiguration();
        }
        writeIfChanged(state.config(Component.ALERTMANAGER).resolve("alertmanager.yml"),
                ConfigWriter.alertmanager(config.webhookUrl()));
        for (Component c : order) {
            Files.createDirectories(state.data(c));
        }
        writeGrafanaConfiguration();
    }

    /**
     * Each member's scrape configuration (the same, from the same source as prometheus.yml, with the backend's targets
     * file beside it) and vmalert's copy of the rule files.
     */
    private void writeShardedConfiguration() throws IOException {
        Path dir = state.scrapersConfig();
        writeIfChanged(dir.resolve("scrape.yml"), ConfigWriter.scrapers(config));
        writeIfChanged(dir.resolve("targets").resolve(Path.of(StackFiles.BACKEND_TARGETS).getFileName()),
                ConfigWriter.backendTargets(config.backendUrl(), false));
        Path rules = state.config(Component.VMALERT).resolve("rules");
        for (String rule : StackFiles.RULES) {
            StackFiles.write(rule, rules.resolve(Path.of(rule).getFileName().toString()));
        }
    }

    private void writePrometheusConfiguration() throws IOException {
        Path prom = state.config(Component.PROMETHEUS);
        RemoteWrite.writeFiles(prom, config, true); // before the configuration that names them
        writeIfChanged(prom.resolve("prometheus.yml"), ConfigWriter.prometheus(config, true));
        for (String rule : StackFiles.RULES) {
            StackFiles.write(rule, prom.resolve("rules").resolve(Path.of(rule).getFileName().toString()));
        }
        writeIfChanged(prom.resolve("targets").resolve(Path.of(StackFiles.BACKEND_TARGETS).getFileName()),
                ConfigWriter.backendTargets(config.backendUrl(), false));
    }

    private void writeGrafanaConfiguration() throws IOException {
        if (binaries.containsKey(Component.GRAFANA)) {
            Path g = state.config(Component.GRAFANA);
            Path dashboards = g.resolve("dashboards");
            StackFiles.write(StackFiles.DASHBOARD, dashboards.resolve("exlm-overview.json"));
            writeIfChanged(g.resolve("provisioning/datasources/prometheus.yml"),
                    ConfigWriter.grafanaDatasource(config.url(Component.PROMETHEUS),
                            config.scrapeInterval()));
            writeIfChanged(g.resolve("provisioning/dashboards/exlm.yml"),
                    ConfigWriter.grafanaProvider(dashboards.toString()));
            Files.createDirectories(g.resolve("provisioning/plugins"));
            Files.createDirectories(g.resolve("provisioning/alerting"));
            Files.createDirectories(g.resolve("provisioning/notifiers"));
            writeIfChanged(g.resolve("grafana.ini"), grafanaIni());
        }
    }

    private final Map<Path, Boolean> changed = new HashMap<>();

    private void writeIfChanged(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        String old = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        if (!content.equals(old)) {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            changed.put(file, old != null);
        }
    }

    /** A running Prometheus or Alertmanager re-reads its configuration on SIGHUP when a second up changed it. */
    private String reloadIfChanged(Component c, ProcessHandle process) {
        boolean reload = switch (c) {
            case PROMETHEUS -> changed.getOrDefault(state.config(c).resolve("prometheus.yml"), false);
            case ALERTMANAGER -> changed.getOrDefault(state.config(c).resolve("alertmanager.yml"), false);
            case VMAGENT_0, VMAGENT_1 -> changed.getOrDefault(state.scrapersConfig().resolve("scrape.yml"), false);
            default -> false;
        };
        if (!reload) {
            return "already running";
        }
        try {
            Process kill = new ProcessBuilder("kill", "-HUP", String.valueOf(process.pid()))
                    .redirectErrorStream(true).start();
            kill.waitFor(5, TimeUnit.SECONDS);
            return "already running; configuration changed and reloaded";
        } catch (IOException e) {
            return "already running; configuration changed, but kill -HUP failed: restart it (exlm-mon down, up)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "already running";
        }
    }

    private String grafanaIni() {
        HostPort hp = config.address(Component.GRAFANA);
        Path g = state.config(Component.GRAFANA);
        return "# written by exlm-mon up; the admin password comes from the environment (GF_SECURITY_ADMIN_PASSWORD)\n"
                + "[server]\nhttp_addr = " + hp.bindHost() + "\nhttp_port = " + hp.port() + "\n\n"
                + "[paths]\ndata = " + state.data(Component.GRAFANA) + "\nlogs = " + state.logs().resolve("grafana")
                + "\nplugins = " + state.data(Component.GRAFANA).resolve("plugins") + "\nprovisioning = "
                + g.resolve("provisioning") + "\n\n"
                + "[security]\nadmin_user = " + config.grafanaUser() + "\n\n"
                + "[users]\nallow_sign_up = false\n\n"
                + "[analytics]\nreporting_enabled = false\ncheck_for_updates = false\n";
    }

    /**
     * How long VictoriaMetrics lets a series' last sample stand for it ({@code -search.maxStalenessInterval}): two
     * scrape intervals and 5 s more, so that one late or failed scrape (and the member's flush, the store's latency
     * offset) hides nothing, and a series whose member died is gone from queries within seconds. Prometheus writes a
     * staleness marker when a target stops answering; nothing writes one for a member that stops: without this,
     * VictoriaMetrics keeps answering a dead member's last samples for minutes (its own estimate), and top, metrics
     * and the alerts count its targets fine.
     */
    static Duration storeStaleness(StackConfig config) {
        Duration scrape = Durations.parseOr(ConfigWriter.globalSetting(config, "scrape_interval"),
                Duration.ofMinutes(1)); // Prometheus's default, as vmagent's
        return scrape.multipliedBy(2).plusSeconds(5);
    }

    private List<String> arguments(Component c, Path binary) {
        HostPort hp = config.address(c);
        Path cfg = state.config(c);
        Path data = state.data(c);
        List<String> args = new ArrayList<>();
        switch (c) {
            case PROMETHEUS -> {
                args.add("--config.file=" + cfg.resolve("prometheus.yml"));
                args.add("--storage.tsdb.path=" + data);
                args.add("--storage.tsdb.retention.time=" + config.retention());
                if (config.lookbackDelta() != null) {
                    args.add("--query.lookback-delta=" + io.exlm.mon.config.Durations.format(config.lookbackDelta()));
                }
                args.add("--web.listen-address=" + hp.listenAddress());
            }
            case ALERTMANAGER -> {
                args.add("--config.file=" + cfg.resolve("alertmanager.yml"));
                args.add("--storage.path=" + data);
                args.add("--web.listen-address=" + hp.listenAddress());
                // without it Alertmanager opens its gossip port 9094 on every interface
                args.add("--cluster.listen-address=");
            }
            case PUSHGATEWAY -> {
                args.add("--web.listen-address=" + hp.listenAddress());
                args.add("--persistence.file=" + data.resolve("pushgateway.db"));
            }
            case NODE_EXPORTER, POSTGRES_EXPORTER -> args.add("--web.listen-address=" + hp.listenAddress());
            // Redis's address goes in the environment (REDIS_ADDR), as the DSN does: it may hold a password, and a
            // command line is visible to every user in ps
            case REDIS_EXPORTER -> args.add("--web.listen-address=" + hp.listenAddress());
            case GRAFANA -> {
                if (binary.getFileName().toString().equals("grafana")) {
                    args.add("server");
                }
                args.add("--homepath=" + grafanaHome(binary));
                args.add("--config=" + cfg.resolve("grafana.ini"));
            }
            case VICTORIA_METRICS -> {
                args.add("-httpListenAddr=" + hp.listenAddress());
                args.add("-storageDataPath=" + data);
                args.add("-retentionPeriod=" + config.retention());
                // VictoriaMetrics hides the newest 30 s by default (points still being written may be incomplete):
                // the members flush every second, and a young stack's first scrape, doctor's warm-up estimates and
                // every read should see what was scraped as Prometheus would, not half a minute later
                args.add("-search.latencyOffset=" + Durations.format(LATENCY_OFFSET));
                // a cached answer would be stale for a stack that has just started writing; the stack is small
                args.add("-search.disableCache");
                args.add("-search.maxStalenessInterval=" + Durations.format(storeStaleness(config)));
                // the rules and alerts API (/api/v1/rules, /api/v1/alerts) is vmalert's: passed on to it, so that
                // prometheus.url answers every read command
                args.add("-vmalert.proxyURL=" + config.url(Component.VMALERT));
            }
            case VMAGENT_0, VMAGENT_1 -> {
                args.add("-httpListenAddr=" + hp.listenAddress());
                args.add("-promscrape.config=" + state.scrapersConfig().resolve("scrape.yml"));
                args.add("-promscrape.cluster.membersCount=" + Component.SCRAPERS.size());
                args.add("-promscrape.cluster.memberNum=" + Component.SCRAPERS.indexOf(c));
                args.add("-remoteWrite.url=" + config.url(Component.VICTORIA_METRICS) + "/api/v1/write");
                args.add("-remoteWrite.tmpDataPath=" + data);
            }
            case VMALERT -> {
                String store = config.url(Component.VICTORIA_METRICS);
                args.add("-httpListenAddr=" + hp.listenAddress());
                args.add("-rule=" + cfg.resolve("rules").resolve("*.yml"));
                args.add("-datasource.url=" + store);
                args.add("-remoteWrite.url=" + store);
                args.add("-remoteRead.url=" + store); // alerts' state (for:) restored after a restart
                args.add("-notifier.url=" + config.url(Component.ALERTMANAGER));
                args.add("-evaluationInterval=" + ConfigWriter.globalSetting(config, "evaluation_interval"));
                args.add("-external.url=" + config.url(Component.VMALERT));
                ConfigWriter.externalLabels(config).forEach((k, v) -> args.add("-external.label=" + k + "=" + v));
            }
            default -> throw new IllegalStateException(c.toString());
        }
        return args;
    }

    private static Path grafanaHome(Path binary) {
        for (Path p : List.of(Path.of("/usr/share/grafana"), binary.getParent().resolveSibling("share/grafana"),
                binary.getParent().getParent())) {
            if (p != null && Files.isDirectory(p.resolve("conf"))) {
                return p;
            }
        }
        return Path.of("/usr/share/grafana");
    }

    private Process start(Component c, Path binary) {
        List<String> cmd = new ArrayList<>();
        // its own session: a Ctrl-C or a closed terminal after `up` returned must not reach the stack
        Path setsid = which("setsid", env.get("PATH"));
        if (setsid != null) {
            cmd.add(setsid.toString());
        }
        cmd.add(binary.toString());
        cmd.addAll(arguments(c, binary));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(state.data(c).toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().putAll(ownEnv(c));
        File log = state.log(c).toFile();
        pb.redirectInput(new File("/dev/null"));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.redirectError(ProcessBuilder.Redirect.appendTo(log));
        try {
            Files.writeString(log.toPath(), "--- exlm-mon up " + java.time.Instant.now() + ": "
                    + ConfigWriter.redactUserInfo(String.join(" ", cmd.subList(setsid == null ? 0 : 1, cmd.size())))
                    + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return pb.start();
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot start " + binary + ": " + e.getMessage(), e);
        }
    }

    /** The variables a component reads its connection or login from, beside the environment every one gets. */
    private Map<String, String> ownEnv(Component c) {
        return switch (c) {
            case POSTGRES_EXPORTER -> Map.of("DATA_SOURCE_NAME", config.postgresDsn());
            case REDIS_EXPORTER -> Map.of("REDIS_ADDR", config.redisUrl());
            case GRAFANA -> Map.of("GF_SECURITY_ADMIN_USER", config.grafanaUser(), "GF_SECURITY_ADMIN_PASSWORD",
                    config.grafanaPassword().get());
            default -> Map.of();
        };
    }

    /** The binary's version as it prints it with --version; null when it does not say. */
    static String version(Path binary) {
        try {
            Processes.Result r = Processes.run(List.of(binary.toString(), "--version"), null, Duration.ofSeconds(10),
                    null);
            return parseVersion(r.output());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String parseVersion(String text) {
        Matcher m = VERSION.matcher(text);
        if (m.find()) {
            return m.group(1);
        }
        m = ANY_VERSION.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    // --------------------------------------------------------------------------------------------------- down

    @Override
    public List<PartReport> down(boolean purge) {
        Map<Component, ProcessHandle> stopping = new LinkedHashMap<>();
        List<PartReport> reports = new ArrayList<>();
        List<Component> reverse = new ArrayList<>(everyPart());
        java.util.Collections.reverse(reverse);
        for (Component c : reverse) {
            PidFile pf = PidFile.read(state.pidFile(c));
            Optional<ProcessHandle> p = pf == null ? Optional.empty() : pf.verified();
            if (p.isPresent()) {
                p.get().destroy(); // SIGTERM: Prometheus closes its TSDB cleanly
                stopping.put(c, p.get());
            } else if (!order.contains(c) && pf == null) {
                continue; // a part of the other topology, never started here: nothing to say
            } else {
                String detail = pf == null ? "was not running"
                        : "was not running (stale pid file for pid " + pf.pid() + " removed; that process, if any,"
                                + " is not ours and was left alone)";
                deleteQuietly(state.pidFile(c));
                reports.add(new PartReport(c, PartReport.NOT_RUNNING, null, config.url(c), null, null, detail, null));
            }
        }
        long deadline = System.currentTimeMillis() + STOP_GRACE_MS;
        for (Map.Entry<Component, ProcessHandle> e : stopping.entrySet()) {
            ProcessHandle p = e.getValue();
            String detail = null;
            try {
                p.onExit().get(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException ex) {
                p.destroyForcibly();
                detail = "did not stop within " + STOP_GRACE_MS / 1000 + " s of SIGTERM: killed";
                try {
                    p.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    detail = "did not stop, even after SIGKILL";
                }
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException ex) {
                // onExit does not fail
            }
            if (p.isAlive()) {
                // still there (another user's, or stuck in the kernel): keep its pid file, so that it is not lost
                progress.accept("could not stop " + e.getKey().id() + " (pid " + p.pid() + ")");
                reports.add(new PartReport(e.getKey(), PartReport.FAILED, p.pid(), config.url(e.getKey()), null,
                        null, detail == null ? "still running after SIGTERM" : detail, null));
                continue;
            }
            deleteQuietly(state.pidFile(e.getKey()));
            progress.accept("stopped " + e.getKey().id() + " (pid " + p.pid() + ")");
            reports.add(new PartReport(e.getKey(), PartReport.STOPPED, p.pid(), config.url(e.getKey()), null, null,
                    detail, null));
        }
        // data is purged only when nothing of ours still runs: a survivor's pid file must stay to be found again
        boolean survivors = reports.stream().anyMatch(r -> r.state().equals(PartReport.FAILED));
        if (purge && !survivors) {
            deleteTree(state.local());
            deleteQuietly(state.grafanaPasswordFile());
        } else if (purge) {
            progress.accept("data not purged: a part is still running (see above); run down --purge again");
        }
        List<Component> all = everyPart();
        reports.sort(Comparator.comparingInt(r -> all.indexOf(r.component())));
        return reports;
    }

    // ------------------------------------------------------------------------------------------------- status

    @Override
    public List<PartReport> status(HttpLayer http) {
        List<PartReport> reports = new ArrayList<>();
        for (Component c : order) {
            String url = config.url(c);
            PidFile pf = PidFile.read(state.pidFile(c));
            Optional<ProcessHandle> p = pf == null ? Optional.empty() : pf.verified();
            String health = Readiness.probe(http, config.readyUrl(c));
            String log = Files.exists(state.log(c)) ? state.log(c).toString() : null;
            if (p.isPresent()) {
                reports.add(new PartReport(c, PartReport.RUNNING, p.get().pid(), url, health, pf.version(), null, log));
            } else if (health.equals(Readiness.OK)) {
                reports.add(new PartReport(c, PartReport.EXTERNAL, null, url, health, null,
                        "answers, but exlm-mon did not start it", log));
            } else if (c.optional() && !binaries.containsKey(c)) {
                reports.add(new PartReport(c, PartReport.SKIPPED, null, url, null, null,
                        "no " + String.join(" or ", c.binaries()) + " binary on the PATH", null));
            } else {
                reports.add(new PartReport(c, PartReport.STOPPED, null, url, health, null,
                        pf == null ? null : "stale pid file (pid " + pf.pid() + " is gone or another program)", log));
            }
        }
        return reports;
    }

    @Override
    public boolean alive(PartReport part) {
        return running(part.component()).isPresent();
    }

    /** The part's process, if its pid file names a live process that is still the one exlm-mon started. */
    Optional<ProcessHandle> running(Component c) {
        PidFile pf = PidFile.read(state.pidFile(c));
        return pf == null ? Optional.empty() : pf.verified();
    }

    // ---------------------------------------------------------------------------------------------- utilities

    /** Whether a binary of this part is on the PATH of {@code env}. */
    public static boolean installed(Component c, Map<String, String> env) {
        return findBinary(c, env.get("PATH")) != null;
    }

    /** A program on the PATH of {@code env}, or null. */
    public static Path onPath(String name, Map<String, String> env) {
        return which(name, env.get("PATH"));
    }

    static Path findBinary(Component c, String path) {
        for (String name : c.binaries()) {
            Path p = which(name, path);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    static Path which(String name, String path) {
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                try {
                    return p.toRealPath();
                } catch (IOException e) {
                    return p;
                }
            }
        }
        return null;
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    String l = lines.get(i).strip();
                    return l.length() > 300 ? l.substring(0, 300) + "..." : l;
                }
            }
        } catch (IOException e) {
            // no log: nothing to quote
        }
        return "(no output)";
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // what cannot be deleted stays; it is harmless
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(LocalRuntime::deleteQuietly);
        } catch (IOException e) {
            throw new ExitException(ExitCode.UNHEALTHY, "cannot delete " + root + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
