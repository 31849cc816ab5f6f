package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.config.Setting;
import io.exlm.mon.config.Settings;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpOptions;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.ComposeRuntime;
import io.exlm.mon.stack.GrafanaPassword;
import io.exlm.mon.stack.LocalRuntime;
import io.exlm.mon.stack.RemoteWrite;
import io.exlm.mon.stack.StackConfig;
import io.exlm.mon.stack.StackRuntime;
import io.exlm.mon.stack.StateDir;
import io.exlm.mon.stack.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/** What up, down and status share: the stack's configuration from the settings, the runtime, the rendering. */
final class StackSupport {
    /** The runtime names, for help and completion. */
    static final class Runtimes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "compose", "local").iterator();
        }
    }

    /** The topology names, for help and completion. */
    static final class Topologies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return java.util.Arrays.stream(Topology.values()).map(Topology::id).iterator();
        }
    }

    private StackSupport() {
    }

    /** The stack as the settings describe it, and the runtime that runs it. */
    record Stack(StateDir state, GrafanaPassword password, StackConfig config, StackRuntime runtime) {
    }

    /** The stack, for {@code up} ({@code forUp}: auto picks compose where a Docker engine answers) or another. */
    static Stack open(Context ctx, String requested, boolean forUp, Consumer<String> progress) {
        return open(ctx, requested, forUp, progress, null, false, null);
    }

    /**
     * The stack, for {@code up} with the remote writes it was given ({@code remoteWrite}: up's --remote-write URLs,
     * null for the setting stack.remote-write; {@code remoteWriteAuth}: up's --remote-write-auth).
     */
    static Stack open(Context ctx, String requested, boolean forUp, Consumer<String> progress,
            List<String> remoteWrite, boolean remoteWriteAuth, String topology) {
        StateDir state = state(ctx);
        GrafanaPassword password = grafanaPassword(ctx, state);
        StackConfig config = config(ctx, state, password, forUp ? remoteWrites(ctx, remoteWrite, remoteWriteAuth) : List.of());
        Topology t = null;
        if (forUp) {
            Topology recorded = Topology.recorded(state.root());
            t = topologyForUp(topology, ctx.settings().text(Setting.STACK_TOPOLOGY),
                    ctx.settings().source(Setting.STACK_TOPOLOGY), recorded);
            if (recorded != null && t != recorded && progress != null) {
                progress.accept(topologyChange(t, recorded));
            }
        }
        return new Stack(state, password, config, runtime(ctx, requested, forUp, config, state, progress, t));
    }

    /**
     * The topology up starts: --topology, else the setting stack.topology when it is set, else the one the last up
     * recorded in the state directory (so that a plain up after a sharded down brings the sharded stack back), else
     * the setting's default. {@code settingSource} is "default" when the setting is not set.
     */
    static Topology topologyForUp(String flag, String setting, String settingSource, Topology recorded) {
        boolean settingSet = !"default".equals(settingSource);
        if (flag == null && !settingSet && recorded != null) {
            return recorded;
        }
        String name = flag != null ? flag : setting;
        Topology t = Topology.byId(name);
        if (t == null) {
            throw ExitException.usage((flag != null ? "--topology" : settingSource) + ": '" + name
                    + "' is not one of single, sharded");
        }
        return t;
    }

    /** The line up prints when it starts another topology than the last up here. */
    static String topologyChange(Topology now, Topology before) {
        return "topology: " + now.id() + " (the last up here ran " + before.id() + "; each topology keeps its own"
                + " history)";
    }

    private static StateDir state(Context ctx) {
        return StateDir.resolve(ctx.settings().path(Setting.STACK_STATE_DIR), ctx.env());
    }

    /**
     * Where the stack's Prometheus also sends its samples: up's --remote-write URLs, else the setting's. They sign in
     * only when asked ({@code auth}: up's --remote-write-auth, else the setting stack.remote-write-auth), with the HTTP
     * layer's bearer token or basic auth, tenant and TLS settings: credentials kept to reach Prometheus go to another
     * server only on purpose. The -H headers never go: Prometheus shows them to anyone who reads its configuration.
     */
    static List<RemoteWrite> remoteWrites(Context ctx, List<String> flag, boolean authFlag) {
        Settings s = ctx.settings();
        List<String> urls = new ArrayList<>();
        String source;
        if (flag != null && !flag.isEmpty()) {
            urls.addAll(flag);
            source = "--remote-write";
        } else {
            String set = s.text(Setting.STACK_REMOTE_WRITE);
            source = s.source(Setting.STACK_REMOTE_WRITE);
            if (set != null) {
                for (String u : set.split(",")) {
                    if (!u.isBlank()) {
                        urls.add(u.strip());
                    }
                }
            }
        }
        if (urls.isEmpty()) {
            return List.of();
        }
        boolean auth = authFlag || s.bool(Setting.STACK_REMOTE_WRITE_AUTH);
        HttpOptions http = auth ? ctx.httpOptions() : null;
        String ca = null;
        if (http != null && http.caFile() != null && !http.insecure()) {
            try {
                ca = io.exlm.mon.config.SmallFiles.read(http.caFile(), 1L << 20, http.timeout());
            } catch (java.io.IOException e) {
                throw ExitException.usage(s.source(Setting.CA_FILE) + ": cannot read " + http.caFile() + " ("
                        + e.getClass().getSimpleName() + ")");
            }
        }
        List<RemoteWrite> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String u : urls) {
            String url = Settings.checkUrl(u, source);
            if (!seen.add(url)) {
                throw ExitException.usage(source + ": " + url + " is given twice; Prometheus would send every sample"
                        + " to it twice");
            }
            if (http == null) {
                out.add(new RemoteWrite(url, null, null, null, null, List.of(), null, false));
                continue;
            }
            // a bearer token wins over basic auth, as on every request of the HTTP layer (Prometheus takes one)
            boolean basic = http.bearerToken() == null && http.basicUser() != null;
            boolean secret = http.bearerToken() != null || basic;
            if (secret && url.regionMatches(true, 0, "http://", 0, 7)
                    && !io.exlm.mon.stack.HostPort.ofUrl(url, source).loopback()) {
                throw ExitException.usage(source + ": " + url + " is plain http to another machine; credentials"
                        + " would cross the network in clear: use https, or drop --remote-write-auth");
            }
            out.add(new RemoteWrite(url, http.bearerToken(), basic ? http.basicUser() : null,
                    basic ? http.basicPassword() : null, http.tenant(), List.of(), ca, http.insecure()));
        }
        return out;
    }

    private static StackConfig config(Context ctx, StateDir state, GrafanaPassword password,
            List<RemoteWrite> remoteWrites) {
        Settings s = ctx.settings();
        Map<Component, String> urls = new EnumMap<>(Component.class);
        for (Component c : Component.values()) {
            urls.put(c, s.url(c.urlSetting()));
        }
        String retention = s.text(Setting.STACK_RETENTION).strip();
        try {
            // Prometheus's --storage.tsdb.retention.time takes it as written; 0 there silently means its default
            if (Durations.parsePrometheus(retention).isZero()) {
                throw ExitException.usage(s.source(Setting.STACK_RETENTION) + ": a retention of 0 keeps Prometheus's"
                        + " default (15d), not nothing; give the time to keep, e.g. 15d");
            }
        } catch (IllegalArgumentException e) {
            throw ExitException.usage(s.source(Setting.STACK_RETENTION) + ": '" + retention + "' is not a Prometheus"
                    + " duration; example: 15d");
        }
        String redis = s.text(Setting.REDIS_URL).strip();
        if (!redis.startsWith("redis://") && !redis.startsWith("rediss://") && !redis.startsWith("unix://")) {
            throw ExitException.usage(s.source(Setting.REDIS_URL) + ": '" + redis + "' is not a redis:// URL; example:"
                    + " redis://localhost:6379");
        }
        return new StackConfig(urls, ctx.backendUrl(), s.text(Setting.POSTGRES_DSN).strip(), redis,
                Settings.checkUrl(s.text(Setting.ALERT_WEBHOOK_URL), s.source(Setting.ALERT_WEBHOOK_URL)), retention,
                s.scrapeInterval(), state.root(), s.grafanaUser(), password, remoteWrites);
    }

    private static GrafanaPassword grafanaPassword(Context ctx, StateDir state) {
        return new GrafanaPassword(() -> ctx.settings().grafanaPassword(), state.grafanaPasswordFile());
    }

    /**
     * The runtime asked for; without one, the one the last up used (for down and status), or for up with auto:
     * compose where a Docker engine answers, else local.
     */
    private static StackRuntime runtime(Context ctx, String requested, boolean forUp, StackConfig config, StateDir state,
            Consumer<String> progress, Topology topology) {
        String name = requested;
        if (name == null) {
            String recorded = state.runtime();
            name = !forUp && recorded != null ? recorded : ctx.settings().text(Setting.STACK_RUNTIME);
        }
        name = name.strip().toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            // the sharded topology runs as local processes only
            name = forUp && topology != Topology.SHARDED && ComposeRuntime.available(ctx.env()) ? "compose" : "local";
        }
        if (name.equals("compose") && topology == Topology.SHARDED) {
            throw ExitException.usage("--topology sharded runs with --runtime local only (docker-compose.yml has the"
                    + " single Prometheus)");
        }
        return switch (name) {
            case "local" -> new LocalRuntime(config, state, ctx.env(), progress, topology);
            case "compose" -> new ComposeRuntime(config, state, ctx.env(), progress);
            default -> throw ExitException.usage("--runtime '" + name + "' is not one of auto, compose, local");
        };
    }

    /** A client for the stack's own endpoints: short timeouts, and none of the user's credentials. */
    static HttpLayer probeClient(Context ctx) {
        PrintWriterLog log = new PrintWriterLog(ctx);
        return new HttpLayer(new HttpOptions(Duration.ofSeconds(3), Duration.ofSeconds(1), 16L << 20, 0, List.of(),
                null, null, null, null, null, false, ctx.verbose() ? log : line -> { }));
    }

    private record PrintWriterLog(Context ctx) implements Consumer<String> {
        @Override
        public void accept(String line) {
            ctx.err().println("exlm-mon: " + line);
            ctx.err().flush();
        }
    }

    static Consumer<String> progress(Context ctx) {
        if (ctx.format() != OutputFormat.text) {
            return line -> { };
        }
        return line -> {
            ctx.err().println("exlm-mon: " + line);
            ctx.err().flush();
        };
    }

    static String elapsed(long ms) {
        return Durations.human(Duration.ofMillis(ms));
    }
}
