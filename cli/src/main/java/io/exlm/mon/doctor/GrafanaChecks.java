package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.config.Setting;
import io.exlm.mon.http.HttpFailure;
import io.exlm.mon.http.HttpLayer;
import io.exlm.mon.http.HttpResponse;
import io.exlm.mon.promql.GrafanaClient;
import io.exlm.mon.promql.GrafanaClient.Datasource;
import io.exlm.mon.promql.GrafanaClient.Login;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The guide's "is Grafana's Prometheus datasource configured", and further: Grafana runs, its Prometheus datasource
 * exists and answers, the datasource the provisioned dashboards refer to exists, and its admin password is neither
 * the default nor one that never applied. Passwords are sent to Grafana only, and never printed.
 */
final class GrafanaChecks {
    static final String HEALTH = "grafana.health";
    static final String DATASOURCE = "grafana.datasource";
    static final Login DEFAULT = new Login("admin", "admin");
    /** Datasource references that are not datasources of their own. */
    private static final Set<String> BUILT_IN = Set.of("grafana", "-- Grafana --", "-- Mixed --", "-- Dashboard --",
            "__expr__", "__mixed__", "__dashboard__", "datasource");

    /** Which logins Grafana accepts: the configured one, the guide's admin/admin. Null where not known. */
    record Logins(Login working, String workingSource, String configuredSource, Boolean configuredAccepted,
            int configuredStatus, Boolean defaultAccepted, boolean defaultTried) {
    }

    private GrafanaChecks() {
    }

    static List<Check> all() {
        return List.of(
                new Check(HEALTH, "Grafana is running (/api/health)", List.of(), GrafanaChecks::health),
                new Check("grafana.password", "the configured admin password is the one Grafana uses",
                        List.of(HEALTH), GrafanaChecks::password),
                new Check("grafana.default-credentials", "admin/admin does not log in", List.of(HEALTH),
                        GrafanaChecks::defaultCredentials),
                new Check(DATASOURCE, "a Prometheus datasource is configured", List.of(HEALTH),
                        GrafanaChecks::datasource),
                new Check("grafana.datasource-health", "the Prometheus datasource's own health check passes",
                        List.of(DATASOURCE), GrafanaChecks::datasourceHealth),
                new Check("grafana.dashboards", "the datasources the provisioned dashboards refer to exist",
                        List.of(HEALTH), GrafanaChecks::dashboards),
                new Check(HistoryChecks.GRAFANA_INTERVAL, "the Prometheus datasource's timeInterval is the scrape"
                        + " interval", List.of(HEALTH), HistoryChecks::grafanaInterval));
    }

    // ------------------------------------------------------------------------------------------------ health

    static Outcome health(DoctorEnv env) {
        String url = env.grafanaUrl();
        HttpResponse r;
        try {
            r = env.grafana().health();
        } catch (HttpFailure f) {
            if ((f.kind() == HttpFailure.Kind.REFUSED || f.kind() == HttpFailure.Kind.CONNECT_TIMEOUT)
                    && notDeployedHere(env)) {
                return Outcome.skip("Grafana does not answer at " + url + " (" + f.kind().label() + ") and is not"
                        + " installed on this machine (no grafana or grafana-server on the PATH, so exlm-mon up"
                        + " --runtime local skips it): the Grafana checks cannot run here; install Grafana, use"
                        + " --runtime compose, or point --grafana-url at a running one").reach(Reach.UNREACHABLE)
                        .figure("url", url).figure("installed_here", false);
            }
            return Remedies.notAnswering("Grafana", Setting.GRAFANA_URL, url, Remedies.runtimeAt(env, url), f);
        }
        JsonNode doc = null;
        try {
            doc = HttpLayer.json(r);
        } catch (HttpFailure f) {
            // judged by the status below
        }
        String database = doc == null ? null : doc.path("database").asText(null);
        String version = doc == null ? null : doc.path("version").asText(null);
        if (r.status() == 404 || doc == null && r.ok()) {
            return Outcome.fail(url + "/api/health is not Grafana's health endpoint (HTTP " + r.status() + ")")
                    .fix("check --grafana-url (Grafana's root URL, with its sub-path if it is served under one)")
                    .figure("url", url).figure("http_status", r.status());
        }
        if (!r.ok() || !"ok".equals(database)) {
            return Outcome.fail("Grafana " + (version == null ? "" : version + " ") + "runs, but its database is "
                    + (database == null ? "failing (HTTP " + r.status() + ")" : database))
                    .fix("see Grafana's log: its database (grafana.db in the grafana-data volume, or the local"
                            + " state's data/grafana) is locked, full or unreadable")
                    .figure("url", url).figure("version", version).figure("database", database);
        }
        return Outcome.ok("Grafana " + (version == null ? "" : version + " ") + "at " + url + ", database ok")
                .figure("url", url).figure("version", version).figure("database", database);
    }

    /** Grafana's URL is this machine, and nothing here runs Grafana: no binary, and the stack is not compose. */
    static boolean notDeployedHere(DoctorEnv env) {
        return io.exlm.mon.http.Loopback.url(env.grafanaUrl()) && !env.grafanaSetup().installedHere()
                && !"compose".equals(env.stackRuntime());
    }

    // ------------------------------------------------------------------------------------------------ logins

    static Logins logins(DoctorEnv env) {
        return env.facts().get("grafana.logins", () -> {
            DoctorEnv.GrafanaSetup setup = env.grafanaSetup();
            GrafanaClient g = env.grafana();
            String password = setup.password().get();
            Login configured = password == null ? null : new Login(setup.user(), password);
            Boolean configuredOk = null;
            int configuredStatus = 0;
            if (configured != null) {
                HttpResponse r = g.user(configured);
                configuredStatus = r.status();
                configuredOk = accepted(r);
            }
            boolean configuredIsDefault = configured != null && configured.equals(DEFAULT);
            Boolean defaultOk;
            boolean tried = false;
            if (configuredIsDefault) {
                defaultOk = configuredOk;
            } else if (Boolean.TRUE.equals(configuredOk) && "admin".equals(setup.user())) {
                // the admin user has one password, and it is the configured one: no failed login needed to know
                defaultOk = false;
            } else {
                defaultOk = accepted(g.user(DEFAULT));
                tried = true;
            }
            Login working = Boolean.TRUE.equals(configuredOk) ? configured : Boolean.TRUE.equals(defaultOk) ? DEFAULT
                    : null;
            String workingSource = working == null ? null : working == configured ? setup.passwordSource()
                    : "the default admin/admin";
            return new Logins(working, workingSource, configured == null ? null : setup.passwordSource(),
                    configuredOk, configuredStatus, defaultOk, tried);
        });
    }

    private static boolean accepted(HttpResponse r) {
        if (r.ok()) {
            return true;
        }
        if (r.status() == 401 || r.status() == 403) {
            return false;
        }
        throw HttpLayer.statusFailure(r.url(), r.status(), r.mediaType(), r.body());
    }

    static Outcome password(DoctorEnv env) {
        Logins l = logins(env);
        String user = env.grafanaSetup().user();
        if (l.configuredSource() == null) {
            return Outcome.skip("no Grafana admin password is configured (EXLM_GRAFANA_PASSWORD, grafana.password-file,"
                    + " or one generated by exlm-mon up in the state directory), so there is none to verify")
                    .figure("user", user);
        }
        Outcome o;
        if (Boolean.TRUE.equals(l.configuredAccepted())) {
            o = Outcome.ok("the password from " + l.configuredSource() + " logs in as " + user);
        } else if (Boolean.TRUE.equals(l.defaultAccepted())) {
            o = Outcome.fail("the password from " + l.configuredSource() + " does not log in as " + user + " (HTTP "
                    + l.configuredStatus() + "), but admin/admin does: Grafana's data predates the password, and"
                    + " Grafana sets its admin password only when it creates its database")
                    .fix(resetCommands(env, user) + "\nor start Grafana on fresh data, losing what was saved in it: "
                            + freshData(env));
        } else {
            o = Outcome.fail("the password from " + l.configuredSource() + " does not log in as " + user + " (HTTP "
                    + l.configuredStatus() + "), nor does admin/admin: the password was changed in Grafana since")
                    .fix("set EXLM_GRAFANA_PASSWORD (or grafana.password-file) to Grafana's current admin password,"
                            + " or reset it to the configured one:\n" + resetCommands(env, user));
        }
        return o.figure("user", user).figure("password_from", l.configuredSource())
                .figure("configured_accepted", l.configuredAccepted()).figure("default_accepted", l.defaultAccepted());
    }

    static Outcome defaultCredentials(DoctorEnv env) {
        Logins l = logins(env);
        Outcome o;
        if (Boolean.TRUE.equals(l.defaultAccepted())) {
            o = Outcome.warn("admin/admin logs in to Grafana at " + env.grafanaUrl() + ": anyone who can reach it"
                    + " can change dashboards, datasources and users")
                    .fix("choose a password, export EXLM_GRAFANA_PASSWORD=... (or grafana.password-file), then"
                            + " change it in Grafana:\n" + resetCommands(env, "admin")
                            + "\nor in the UI: Profile, Change password");
        } else {
            o = Outcome.ok("admin/admin is refused" + (l.defaultTried() ? ""
                    : " (known without trying it: the configured password logs in as admin)"));
        }
        return o.figure("default_accepted", l.defaultAccepted()).figure("tried", l.defaultTried());
    }

    /** The commands that set Grafana's admin password to the configured one, for the runtime in use. */
    static String resetCommands(DoctorEnv env, String user) {
        String local = "grafana cli --homepath /usr/share/grafana --config " + env.stateDir()
                + "/local/config/grafana/grafana.ini admin reset-admin-password \"$EXLM_GRAFANA_PASSWORD\"";
        String compose = "docker compose -p exlm-mon exec grafana grafana cli admin reset-admin-password"
                + " \"$EXLM_GRAFANA_PASSWORD\"";
        String api = "curl -u " + user + " -X PUT -H 'Content-Type: application/json' " + env.grafanaUrl()
                + "/api/user/password -d '{\"oldPassword\":\"OLD\",\"newPassword\":\"NEW\",\"confirmNew\":\"NEW\"}'";
        if ("compose".equals(env.stackRuntime())) {
            return compose + "\nor through the API: " + api;
        }
        if ("local".equals(env.stackRuntime())) {
            return local + "\nor through the API: " + api;
        }
        return api + "\nor on Grafana's host: grafana cli admin reset-admin-password \"$EXLM_GRAFANA_PASSWORD\"";
    }

    static String freshData(DoctorEnv env) {
        // up again with the runtime the stack ran (a plain up takes stack.runtime, which may name the other one)
        String again = io.exlm.mon.stack.StackRuntime.upAgain(env.stackRuntime());
        return "compose".equals(env.stackRuntime()) ? "docker compose -p exlm-mon down; docker volume rm"
                + " exlm-mon_grafana-data; " + again : "local".equals(env.stackRuntime())
                ? "exlm-mon down, remove " + env.stateDir() + "/local/data/grafana, " + again
                : "remove Grafana's data volume or directory, and start it again";
    }

    /** The working login, or the reason there is none. */
    private static Outcome noLogin(DoctorEnv env, Logins l) {
        return Outcome.skip("no Grafana login works (" + (l.configuredSource() == null ? "no password configured"
                : "the password from " + l.configuredSource() + " is refused") + ", and admin/admin is refused): set"
                + " EXLM_GRAFANA_PASSWORD to the admin password to check datasources and dashboards");
    }

    // ------------------------------------------------------------------------------------------- datasources

    /**
     * A check that needs Grafana's API: with the login that works and Grafana's datasources, or the outcome that no
     * login works.
     */
    private static Outcome loggedIn(DoctorEnv env, BiFunction<Login, List<Datasource>, Outcome> check) {
        Logins l = logins(env);
        if (l.working() == null) {
            return noLogin(env, l);
        }
        return check.apply(l.working(), datasources(env, l.working()));
    }

    static List<Datasource> datasources(DoctorEnv env, Login login) {
        return env.facts().get("grafana.datasources", () -> env.grafana().datasources(login));
    }

    static Outcome datasource(DoctorEnv env) {
        return loggedIn(env, (login, all) -> datasource(env, all));
    }

    private static Outcome datasource(DoctorEnv env, List<Datasource> all) {
        List<String> prometheus = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (Datasource d : all) {
            String desc = "'" + d.name() + "' (uid " + d.uid() + (d.isDefault() ? ", default" : "") + ") -> "
                    + d.url();
            ("prometheus".equals(d.type()) ? prometheus : others).add("prometheus".equals(d.type()) ? desc
                    : d.type() + " '" + d.name() + "'");
        }
        if (prometheus.isEmpty()) {
            return Outcome.fail("Grafana has no Prometheus datasource" + (others.isEmpty() ? " (it has none at all)"
                    : " (it has: " + String.join(", ", others) + ")"))
                    .fix("provision it: copy the stack's grafana/provisioning/datasources/prometheus.yml (uid"
                            + " exlm-prometheus, url of your Prometheus) into Grafana's provisioning/datasources and"
                            + " restart Grafana; or add it under Connections, Data sources, with the URL "
                            + env.prometheusUrl())
                    .figure("datasources", all.size()).figure("prometheus", prometheus);
        }
        return Outcome.ok("Prometheus datasource " + String.join("; ", prometheus))
                .figure("datasources", all.size()).figure("prometheus", prometheus);
    }

    static Outcome datasourceHealth(DoctorEnv env) {
        return loggedIn(env, (login, all) -> datasourceHealth(env, login, all));
    }

    private static Outcome datasourceHealth(DoctorEnv env, Login login, List<Datasource> all) {
        List<Datasource> prometheus = all.stream()
                .filter(d -> "prometheus".equals(d.type())).toList();
        List<String> ok = new ArrayList<>();
        List<String> failing = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        for (Datasource d : prometheus) {
            HttpResponse r = env.grafana().datasourceHealth(d.uid(), login);
            String message = "";
            String status = "HTTP " + r.status();
            try {
                JsonNode doc = HttpLayer.json(r);
                message = doc.path("message").asText("");
                status = doc.path("status").asText(status);
            } catch (HttpFailure f) {
                // no JSON: the HTTP status says it
            }
            results.put(d.uid(), Map.of("status", status, "message", message));
            if (r.ok() && "OK".equalsIgnoreCase(status)) {
                ok.add("'" + d.name() + "': " + message);
            } else {
                failing.add("'" + d.name() + "' (uid " + d.uid() + ", " + d.url() + "): " + status
                        + (message.isEmpty() ? "" : ": " + message));
                fixes.add(datasourceFix(d, message, r.status(), env));
            }
        }
        Outcome o = failing.isEmpty() ? Outcome.ok("Grafana queried Prometheus through " + String.join("; ", ok))
                : Outcome.fail("the health check of " + failing.size() + " Prometheus datasource"
                        + (failing.size() == 1 ? "" : "s") + " fails").details(failing)
                        .fix(String.join("\n", new LinkedHashSet<>(fixes)));
        return o.figure("results", results);
    }

    static String datasourceFix(Datasource d, String message, int httpStatus, DoctorEnv env) {
        String m = message.toLowerCase(Locale.ROOT);
        String where = " (url: in the datasource provisioning file, or under Connections, Data sources; then restart"
                + " Grafana)";
        if (m.contains("no such host") || m.contains("lookup")) {
            return "the datasource URL " + d.url() + " does not resolve from Grafana: inside docker compose use"
                    + " http://prometheus:9090, on a host http://127.0.0.1:9090" + where;
        }
        if (m.contains("connection refused")) {
            return "nothing listens at the datasource URL " + d.url() + " as Grafana sees it: is Prometheus running"
                    + " there (prometheus.healthy), and is the port right? From a container, localhost is the"
                    + " container itself" + where;
        }
        if (m.contains("401") || m.contains("403") || m.contains("unauthorized") || m.contains("forbidden")) {
            return "Prometheus at " + d.url() + " refuses Grafana's queries: give the datasource its credentials"
                    + " (basic auth or a bearer token)";
        }
        if (m.contains("timeout") || m.contains("deadline")) {
            return "Prometheus at " + d.url() + " does not answer Grafana in time: a firewall, or an overloaded"
                    + " Prometheus" + where;
        }
        if (httpStatus == 404) {
            return "Grafana found no datasource with uid " + d.uid() + ", or is older than 9.0 (no datasource health"
                    + " endpoint): test it under Connections, Data sources, Save and test";
        }
        return "test the datasource in Grafana (Connections, Data sources, " + d.name() + ", Save and test) and see"
                + " Grafana's log";
    }

    // -------------------------------------------------------------------------------------------- dashboards

    static Outcome dashboards(DoctorEnv env) {
        return loggedIn(env, (login, all) -> dashboards(env, login, all));
    }

    private static Outcome dashboards(DoctorEnv env, Login login, List<Datasource> all) {
        Set<String> uids = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (Datasource d : all) {
            uids.add(d.uid());
            names.add(d.name());
        }
        String defaultType = all.stream().filter(Datasource::isDefault).map(Datasource::type).findFirst()
                .orElse(null);
        List<GrafanaClient.DashboardRef> refs = env.grafana().dashboards(login);
        String expectedUid = Dashboard.uid();
        List<String> problems = new ArrayList<>();
        List<String> provisioned = new ArrayList<>();
        Map<String, Object> missingByDashboard = new LinkedHashMap<>();
        boolean foundExpected = false;
        for (GrafanaClient.DashboardRef ref : refs) {
            JsonNode doc = env.grafana().dashboard(ref.uid(), login);
            if (!doc.path("meta").path("provisioned").asBoolean(false) && !ref.uid().equals(expectedUid)) {
                continue;
            }
            foundExpected |= ref.uid().equals(expectedUid);
            provisioned.add(ref.uid());
            Map<String, Integer> missing = new LinkedHashMap<>();
            collect(doc.path("dashboard"), uids, names, missing);
            if (defaultType == null && missing.isEmpty() && usesDefault(doc.path("dashboard"))) {
                missing.put(NO_DEFAULT_DATASOURCE, 1);
            }
            if (!missing.isEmpty()) {
                missingByDashboard.put(ref.uid(), missing.keySet());
                List<String> parts = new ArrayList<>();
                missing.forEach((uid, n) -> parts.add("'" + uid + "' (" + n + " reference" + (n == 1 ? "" : "s") + ")"));
                problems.add("dashboard '" + ref.title() + "' (uid " + ref.uid() + ") refers to datasource "
                        + String.join(", ", parts) + " that Grafana does not have");
            }
        }
        List<String> fixes = new ArrayList<>();
        if (!problems.isEmpty()) {
            fixes.add("give the Prometheus datasource the uid the dashboards use (uid: in the datasource provisioning"
                    + " file; the stack's is exlm-prometheus, and a datasource provisioned without a uid gets a"
                    + " random one), or change the dashboards' datasource uid to one of: " + String.join(", ", uids)
                    + "; then restart Grafana");
        }
        if (!foundExpected) {
            problems.add("the exlm dashboard (uid " + expectedUid + ") is not provisioned");
            fixes.add("put the stack's grafana/dashboards/exlm-overview.json where the dashboard provider reads"
                    + " (grafana/provisioning/dashboards/exlm.yml, options.path) and restart Grafana");
        }
        Outcome o = problems.isEmpty() ? Outcome.ok(provisioned.size() + " provisioned dashboard"
                + (provisioned.size() == 1 ? "" : "s") + " (" + String.join(", ", provisioned) + ") refer only to"
                + " existing datasources")
                : Outcome.fail(String.join("; ", problems)).fix(String.join("\n", fixes));
        return o.figure("dashboards", refs.size()).figure("provisioned", provisioned)
                .figure("datasource_uids", List.copyOf(uids)).figure("missing", missingByDashboard);
    }

    /**
     * What a dashboard that uses the default datasource misses when Grafana has no default: counted among the
     * missing datasources, by this name, as one reference.
     */
    private static final String NO_DEFAULT_DATASOURCE = "(the default datasource: Grafana has none)";

    /** Counts the datasource references of every panel, target and template variable that do not exist. */
    private static void collect(JsonNode node, Set<String> uids, Set<String> names, Map<String, Integer> missing) {
        if (node.isObject()) {
            JsonNode ds = node.get("datasource");
            if (ds != null) {
                String ref = ds.isObject() ? ds.path("uid").asText(null) : ds.isTextual() ? ds.asText() : null;
                if (ref != null && !ref.isEmpty() && !ref.startsWith("$") && !BUILT_IN.contains(ref)
                        && !uids.contains(ref) && !(ds.isTextual() && names.contains(ref))) {
                    missing.merge(ref, 1, Integer::sum);
                }
            }
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("datasource")) {
                    collect(e.getValue(), uids, names, missing);
                }
            });
        } else if (node.isArray()) {
            for (JsonNode n : node) {
                collect(n, uids, names, missing);
            }
        }
    }

    private static boolean usesDefault(JsonNode dashboard) {
        for (JsonNode p : dashboard.path("panels")) {
            if (p.has("targets") && (!p.has("datasource") || p.get("datasource").isNull())) {
                return true;
            }
        }
        return false;
    }
}
