package io.exlm.mon.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.exlm.mon.testing.Launcher;
import io.exlm.mon.testing.LocalStack;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The CI job of {@code docs/ci.md} is a test: its steps are read out of the document itself (the GitHub Actions and
 * GitLab CI blocks, parsed as YAML), and run in order, each in its own {@code bash} as the CI system runs it, against
 * a local stack ({@link LocalStack}: Debian's Prometheus, Alertmanager, Pushgateway and exporters, a real PostgreSQL
 * and Redis, the demo backend), healthy and broken three ways. The documented {@code up} starts the stack in each
 * case (and its {@code down} stops it), so every case is a young stack, with no pause between up and doctor.
 *
 * <p>What the test changes in the documented job, and nothing else:
 * <ol>
 *   <li>The install and build steps (GitHub: the steps before the service under test, which run no exlm-mon command;
 *       GitLab: {@code before_script}) are not run: {@code exlm-mon} on the PATH is a symlink to this checkout's
 *       launcher {@code ./exlm-mon} instead of the installed tarball.</li>
 *   <li>The service under test (GitHub: the step with {@code id: backend}; GitLab: the line that starts
 *       {@code exlm-mon demo}) is not run: the fixture's demo backend plays it, started by each case (on the fixture's
 *       port, its readiness checking the fixture's PostgreSQL and Redis, with memory and disk thresholds of 100 % so
 *       that this shared host's figures do not count), or not started at all.</li>
 *   <li>The CI system's services (PostgreSQL and Redis) are the fixture's throwaway PostgreSQL and Redis.</li>
 *   <li>The job's environment: {@code EXLM_BACKEND_URL}, {@code EXLM_PUSHGATEWAY_URL}, {@code EXLM_POSTGRES_DSN} and
 *       {@code EXLM_REDIS_URL} get the fixture's addresses (GitLab's {@code POSTGRES_HOST_AUTH_METHOD} is dropped),
 *       {@code EXLM_MON_CONFIG} names the fixture's config file (every other part on a free loopback port, its state
 *       directory, the PostgreSQL and Redis the exporters watch), {@code HOME} is the case's own directory.</li>
 *   <li>{@code ${{ github.run_id }}} and {@code $CI_PIPELINE_ID}: a fixed value.</li>
 *   <li>{@code health --wait 120s} becomes {@code --wait 5s}: the backend is listening before the job starts, so a
 *       healthy one passes on the first poll; the shorter wait only shortens the cases where it never gets healthy.</li>
 * </ol>
 * {@code uses:} steps are not run: checkout and setup-java are this checkout and this JDK, and the publication is this
 * test reading the reports that its {@code report_paths} name. The durations of {@code up} and {@code doctor} and
 * the order of the commands are the document's; the scrape interval is shortened ({@link #SCRAPE_INTERVAL}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CiJobIT {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final String HEALTH_WAIT = "health --wait 120s";
    private static final String HEALTH_WAIT_HERE = "health --wait 5s";
    private static final String RUN_ID = "ci-job-it";
    /**
     * A 5 s scrape and evaluation interval (the test-only stack.scrape-interval): the class takes about 2 minutes on
     * 2 cores instead of 4 at the stack files' 15 s, which the whole suite cannot afford three times over. The stack
     * is then warm within seconds, so doctor --wait has little left to wait for here; the warm-up itself at 15 s is
     * DoctorWarmupIT's (doctor at once, 5 s and 30 s after up, then --wait).
     */
    private static final String SCRAPE_INTERVAL = "5s";
    /** Longer than any documented step may take (up's and doctor's 2 minutes), so that a hang fails the test. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    static Path tmp;

    static LocalStack stack;
    static Path bin;
    static GitHubJob github;
    static GitLabJob gitlab;

    @BeforeAll
    static void prepare() throws Exception {
        Path doc = Launcher.root().resolve("docs/ci.md");
        github = GitHubJob.parse(yamlBlock(doc, "## GitHub Actions"));
        gitlab = GitLabJob.parse(yamlBlock(doc, "## GitLab CI"));
        // substitution 1: the checkout's launcher as the installed exlm-mon
        bin = Files.createDirectories(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("exlm-mon"), Launcher.script());
        stack = LocalStack.prepare(tmp.resolve("stack"), SCRAPE_INTERVAL);
        stack.stopDemo(); // each case starts the backend it needs
    }

    @AfterEach
    void freshRunner() throws Exception {
        // whatever a case left (a failed test may not have reached the job's down): gone, as on a new CI runner
        stack.stopDemo();
        stack.exlm(Duration.ofSeconds(60), "down", "--purge");
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------- the cases

    @Test
    @Order(1)
    void bothRecipesRunTheSameExlmMonCommands() {
        assertThat(gitlab.commands()).isEqualTo(github.commands());
        assertThat(github.commands()).extracting(c -> c.split(" ")[1])
                .containsExactly("up", "health", "top", "doctor", "down");
        // GitLab's after_script runs in a shell of its own: nothing exported before reaches it
        assertThat(gitlab.beforeScript()).noneMatch(l -> l.startsWith("export "));
    }

    @Test
    @Order(2)
    void aHealthyBackendEveryStepPassesAndTheReportsHaveNoFailure() throws Exception {
        startBackend("normal");
        JobRun run = github.run(jobDir("healthy"));
        Step gate = github.step("Gate on the dashboard");
        for (StepRun s : run.steps()) {
            assertThat(s.exitCode()).as(s.step().name() + " ran").isNotNull();
            assertThat(s.exitCode()).as(run.toString()).isZero();
        }
        Report doctor = Report.read(run.dir().resolve("doctor.xml"));
        assertThat(doctor.failures()).as(doctor.toString()).isEmpty();
        assertWarm(doctor);
        assertThat(doctor.cases()).containsKeys("prometheus.targets", "prometheus.alertmanager", "backend.ready",
                "nodata.errors");
        Report dashboard = Report.read(run.dir().resolve("dashboard.xml"));
        // the gate names the panels a deploy breaks at once; the demo's CPU, memory and disk are this shared host's
        assertThat(dashboard.failures()).as(dashboard.toString()).isEmpty();
        assertThat(run.exit(gate)).isZero();
        assertThat(dashboard.cases().get("error_rate").skipped()).as(dashboard.toString()).isNull();
        assertThat(dashboard.cases().get("error_rate").out()).containsPattern("level: (ok|warn) ");
    }

    @Test
    @Order(3)
    void theBackendStoppedTheJobFailsAtHealthAndTheDiagnosisSaysConnectionRefused() throws Exception {
        // no backend: its port is refused
        JobRun run = github.run(jobDir("stopped-github"));
        assertThat(run.exit(github.step("Bring the monitoring stack up"))).as(run.toString()).isZero();
        assertThat(run.firstFailure()).as(run.toString()).isEqualTo(github.step("Wait for the backend"));
        assertThat(run.exit(github.step("Wait for the backend"))).as("unreachable").isEqualTo(3);
        assertThat(run.exit(github.step("Gate on the dashboard"))).as("skipped").isNull();
        assertThat(run.exit(github.step("Diagnose"))).as(run.toString()).isEqualTo(1);
        assertThat(run.exit(github.step("Stop the stack"))).as(run.toString()).isZero();
        assertThat(run.dir().resolve("dashboard.xml")).doesNotExist();
        assertBackendDownNamed(Report.read(run.dir().resolve("doctor.xml")));

        // GitLab's job, on a fresh runner: one shell that keeps the first failure's code and runs doctor all the
        // same, and down in an after_script of its own
        stack.exlm(Duration.ofSeconds(60), "down", "--purge");
        GitLabRun lab = gitlab.run(jobDir("stopped-gitlab"));
        assertThat(lab.scriptExit()).as(lab.toString()).isEqualTo(3);
        assertThat(lab.afterScriptExit()).as(lab.toString()).isZero();
        assertThat(lab.dir().resolve("dashboard.xml")).doesNotExist();
        assertBackendDownNamed(Report.read(lab.dir().resolve("doctor.xml")));
        assertThat(stack.stackProcesses()).as("after_script's down stopped the stack").isEmpty();
    }

    private static void assertBackendDownNamed(Report doctor) {
        Case targets = doctor.cases().get("prometheus.targets");
        assertThat(targets.failure()).as(doctor.toString()).isNotNull().contains("exlm-backend");
        assertThat(targets.out()).contains("DOWN exlm-backend", "connection refused");
        assertThat(doctor.cases().get("backend.live").failure()).as(doctor.toString()).contains("connection refused");
    }

    @Test
    @Order(4)
    void theErrorsScenarioHealthAndDoctorPassAndTheGateFailsOnTheErrorRate() throws Exception {
        startBackend("errors");
        JobRun run = github.run(jobDir("errors"));
        assertThat(run.exit(github.step("Bring the monitoring stack up"))).as(run.toString()).isZero();
        assertThat(run.exit(github.step("Wait for the backend"))).as(run.toString()).isZero();
        assertThat(run.firstFailure()).as(run.toString()).isEqualTo(github.step("Gate on the dashboard"));
        assertThat(run.exit(github.step("Gate on the dashboard"))).isEqualTo(1);
        assertThat(run.exit(github.step("Diagnose"))).as(run.toString()).isZero();
        assertThat(run.exit(github.step("Stop the stack"))).as(run.toString()).isZero();
        Report dashboard = Report.read(run.dir().resolve("dashboard.xml"));
        assertThat(dashboard.failures()).as(dashboard.toString()).containsKey("error_rate");
        assertThat(dashboard.failures().get("error_rate")).startsWith("Error rate is beyond its alert threshold: ");
        assertThat(dashboard.cases().get("error_rate").className()).isEqualTo("exlm-mon.top.errors");
        Report doctor = Report.read(run.dir().resolve("doctor.xml"));
        assertThat(doctor.failures()).as(doctor.toString()).isEmpty();
        assertWarm(doctor);
    }

    /** doctor --wait returned on a stack whose data all exists: no check is still warming up. */
    private static void assertWarm(Report doctor) {
        assertThat(doctor.cases().values()).as(doctor.toString())
                .noneMatch(c -> c.skipped() != null && c.skipped().startsWith("warming up"));
    }

    @Test
    @Order(5)
    void readinessFailingTheJobFailsAtHealthAndTheDiagnosisNamesTheDependency() throws Exception {
        startBackend("normal");
        stack.stopRedis(); // last case: nothing after it needs Redis
        JobRun run = github.run(jobDir("not-ready"));
        assertThat(run.exit(github.step("Bring the monitoring stack up"))).as(run.toString()).isZero();
        assertThat(run.firstFailure()).as(run.toString()).isEqualTo(github.step("Wait for the backend"));
        StepRun health = run.of(github.step("Wait for the backend"));
        assertThat(health.exitCode()).as("answers, not ready: " + health).isEqualTo(1);
        assertThat(health.out() + health.err()).contains("redis");
        assertThat(run.exit(github.step("Gate on the dashboard"))).as("skipped").isNull();
        assertThat(run.exit(github.step("Diagnose"))).as(run.toString()).isEqualTo(1);
        assertThat(run.exit(github.step("Stop the stack"))).as(run.toString()).isZero();
        Report doctor = Report.read(run.dir().resolve("doctor.xml"));
        assertThat(doctor.cases().get("backend.ready").failure()).as(doctor.toString()).isNotNull().contains("redis");
        assertThat(doctor.cases().get("backend.live").failure()).as(doctor.toString()).isNull();
    }

    // -------------------------------------------------------------------------------------------- the fixture's part

    /** Substitution 2: the service under test, as the fixture's demo backend. */
    private static void startBackend(String scenario) throws Exception {
        stack.startDemo(scenario, "--database-addr", stack.postgresAddr(), "--redis-addr", stack.redisAddr());
    }

    private static Path jobDir(String name) throws IOException {
        return Files.createDirectories(tmp.resolve("job-" + name));
    }

    /** Substitution 3: the job's environment, on the fixture's addresses. */
    private static Map<String, String> environment(Map<String, String> jobEnv, Path dir) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeIf(k -> k.startsWith("EXLM_") || k.equals("NO_COLOR"));
        env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        env.put("HOME", dir.toString());
        jobEnv.forEach((k, v) -> {
            switch (k) {
                case "EXLM_BACKEND_URL" -> env.put(k, stack.demoUrl());
                case "EXLM_PUSHGATEWAY_URL" -> env.put(k, stack.pushgateway());
                case "EXLM_POSTGRES_DSN" -> env.put(k, stack.postgresDsn());
                case "EXLM_REDIS_URL" -> env.put(k, stack.redisUrl());
                case "POSTGRES_HOST_AUTH_METHOD" -> {
                    // for GitLab's postgres service; the fixture's PostgreSQL trusts local connections already
                }
                default -> throw new AssertionError("docs/ci.md's job sets " + k + "=" + v + ", which this test does"
                        + " not map onto its stack yet");
            }
        });
        env.put("EXLM_MON_CONFIG", stack.config().toString());
        return env;
    }

    /** Substitutions 4 and 5, on one documented command line. */
    private static String substitute(String line) {
        String s = line.replace("${{ github.run_id }}", RUN_ID);
        if (s.contains(" health ")) {
            assertThat(s).as("the documented health step").contains(HEALTH_WAIT);
            s = s.replace(HEALTH_WAIT, HEALTH_WAIT_HERE);
        }
        assertThat(s).as("a GitHub expression this test does not know").doesNotContain("${{");
        return s;
    }

    /** Runs a script in bash, as a CI system runs a step, with stdout and stderr in files (no pipe to hang on). */
    private static Exec bash(Path dir, Map<String, String> env, String name, List<String> shellOptions, String script)
            throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "--noprofile", "--norc"));
        cmd.addAll(shellOptions);
        cmd.addAll(List.of("-c", script));
        Path out = dir.resolve(name + ".stdout");
        Path err = dir.resolve(name + ".stderr");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().clear();
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        try {
            if (!p.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not finish within " + STEP_TIMEOUT + ": " + script + "\n"
                        + Files.readString(err));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Exec e = new Exec(p.exitValue(), Files.readString(out), Files.readString(err), millis);
        System.out.printf("CiJobIT %s: exit %d after %d ms: %s%n", name, e.exitCode(), millis, script);
        return e;
    }

    record Exec(int exitCode, String out, String err, long millis) {
    }

    // ------------------------------------------------------------------------------------------ the document's part

    /** The first ```yaml block after a heading of docs/ci.md. */
    static JsonNode yamlBlock(Path doc, String heading) throws IOException {
        String md = Files.readString(doc);
        int h = md.indexOf("\n" + heading + "\n");
        assertThat(h).as(heading + " in " + doc).isNotNegative();
        int open = md.indexOf("```yaml\n", h);
        int close = md.indexOf("\n```", open + 8);
        assertThat(open).as("a yaml block under " + heading).isPositive();
        return YAML.readTree(md.substring(open + 8, close + 1));
    }

    /** The exlm-mon command of a documented shell line (its redirection included), without what surrounds it. */
    static String command(String line) {
        for (String part : line.split("\\|\\|")) {
            String p = part.strip();
            if (p.startsWith("exlm-mon ")) {
                return p.replace("${{ github.run_id }}", "$PIPELINE_ID").replace("$CI_PIPELINE_ID", "$PIPELINE_ID")
                        .replaceAll("\\s+", " ");
            }
        }
        return null;
    }

    record Step(int index, String name, String id, String condition, String run, JsonNode uses) {
        /** Whether the step runs, as GitHub decides it: without if:, only while every step before passed. */
        boolean runs(boolean failed) {
            if (condition == null) {
                return !failed;
            }
            return switch (condition.strip()) {
                case "${{ !cancelled() }}", "!cancelled()", "${{ always() }}", "always()" -> true;
                default -> throw new AssertionError("a condition this test does not know: " + condition);
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    record StepRun(Step step, Integer exitCode, String out, String err) {
    }

    record JobRun(Path dir, List<StepRun> steps) {
        StepRun of(Step step) {
            return steps.stream().filter(s -> s.step() == step).findFirst().orElseThrow();
        }

        /** The step's exit code; null when it was skipped. */
        Integer exit(Step step) {
            return of(step).exitCode();
        }

        Step firstFailure() {
            return steps.stream().filter(s -> s.exitCode() != null && s.exitCode() != 0).map(StepRun::step)
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("job in " + dir);
            for (StepRun s : steps) {
                sb.append("\n- ").append(s.step().name()).append(": ")
                        .append(s.exitCode() == null ? "skipped" : "exit " + s.exitCode());
                if (s.exitCode() != null && s.exitCode() != 0) {
                    sb.append("\n  stdout: ").append(s.out().strip().replace("\n", "\n          "))
                            .append("\n  stderr: ").append(s.err().strip().replace("\n", "\n          "));
                }
            }
            return sb.toString();
        }
    }

    /** The GitHub Actions job of docs/ci.md: its environment and its steps after the service under test. */
    record GitHubJob(Map<String, String> env, List<Step> steps) {
        static GitHubJob parse(JsonNode workflow) {
            JsonNode jobs = workflow.path("jobs");
            assertThat(jobs.size()).as("one job").isEqualTo(1);
            JsonNode job = jobs.elements().next();
            // substitution: the fixture's PostgreSQL and Redis are these
            List<String> services = new ArrayList<>();
            job.path("services").fieldNames().forEachRemaining(services::add);
            assertThat(services).as("the job's services").containsExactlyInAnyOrder("postgres", "redis");
            Map<String, String> env = new LinkedHashMap<>();
            job.path("env").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
            List<Step> all = new ArrayList<>();
            int i = 0;
            for (JsonNode s : job.path("steps")) {
                all.add(new Step(i++, s.path("name").asText(s.path("uses").asText()), text(s, "id"), text(s, "if"),
                        text(s, "run"), s.has("uses") ? s : null));
            }
            int backend = -1;
            for (Step s : all) {
                if ("backend".equals(s.id())) {
                    backend = s.index();
                }
            }
            assertThat(backend).as("a step with id: backend, the service under test").isPositive();
            for (Step s : all.subList(0, backend)) {
                // substitution 1: installing; an exlm-mon command here would go untested
                if (s.run() != null) {
                    assertThat(s.run().lines()).as(s.name()).noneMatch(l -> l.strip().startsWith("exlm-mon "));
                }
            }
            List<Step> after = all.subList(backend + 1, all.size());
            for (Step s : after) {
                if (s.run() != null) {
                    assertThat(s.run().strip()).as(s.name() + ": one exlm-mon command").startsWith("exlm-mon ")
                            .doesNotContain("\n");
                }
            }
            return new GitHubJob(env, List.copyOf(after));
        }

        private static String text(JsonNode n, String field) {
            return n.hasNonNull(field) ? n.get(field).asText() : null;
        }

        Step step(String name) {
            return steps.stream().filter(s -> s.name().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no step '" + name + "' in docs/ci.md: " + steps));
        }

        List<String> commands() {
            return steps.stream().filter(s -> s.run() != null).map(s -> command(s.run())).toList();
        }

        /** Runs the steps in order, each as GitHub would (bash -e -o pipefail), honouring their if: conditions. */
        JobRun run(Path dir) throws Exception {
            Map<String, String> env = environment(this.env, dir);
            List<StepRun> runs = new ArrayList<>();
            boolean failed = false;
            for (Step s : steps) {
                if (!s.runs(failed)) {
                    runs.add(new StepRun(s, null, "", ""));
                    continue;
                }
                if (s.uses() != null) {
                    // the publication: the reports it names are read by the test
                    assertThat(s.uses().path("uses").asText()).startsWith("mikepenz/action-junit-report");
                    assertThat(s.uses().path("with").path("report_paths").asText().lines().map(String::strip)
                            .toList()).containsExactlyInAnyOrder("doctor.xml", "dashboard.xml");
                    runs.add(new StepRun(s, 0, "", ""));
                    continue;
                }
                Exec e = bash(dir, env, "step" + s.index(), List.of("-e", "-o", "pipefail"), substitute(s.run()));
                runs.add(new StepRun(s, e.exitCode(), e.out(), e.err()));
                failed |= e.exitCode() != 0;
            }
            return new JobRun(dir, runs);
        }
    }

    record GitLabRun(Path dir, Exec script, Exec afterScript) {
        int scriptExit() {
            return script.exitCode();
        }

        int afterScriptExit() {
            return afterScript.exitCode();
        }

        @Override
        public String toString() {
            return "GitLab job in " + dir + "\n- script: exit " + script.exitCode() + "\n  stdout: " + script.out()
                    + "\n  stderr: " + script.err() + "\n- after_script: exit " + afterScript.exitCode()
                    + "\n  stderr: " + afterScript.err();
        }
    }

    /** The GitLab CI job of docs/ci.md. */
    record GitLabJob(Map<String, String> variables, List<String> beforeScript, List<String> script,
            List<String> afterScript, List<String> reports) {
        static GitLabJob parse(JsonNode pipeline) {
            assertThat(pipeline.size()).as("one job").isEqualTo(1);
            JsonNode job = pipeline.elements().next();
            assertThat(lines(job.path("services"))).as("the job's services").allMatch(l -> l.startsWith("postgres:")
                    || l.startsWith("redis:")).hasSize(2);
            Map<String, String> vars = new LinkedHashMap<>();
            job.path("variables").properties().forEach(e -> vars.put(e.getKey(), e.getValue().asText()));
            List<String> reports = lines(job.path("artifacts").path("reports").path("junit"));
            assertThat(reports).containsExactlyInAnyOrder("doctor.xml", "dashboard.xml");
            assertThat(job.path("artifacts").path("when").asText()).isEqualTo("always");
            List<String> before = lines(job.path("before_script"));
            assertThat(before).as("before_script installs; its exlm-mon commands would go untested")
                    .noneMatch(l -> l.startsWith("exlm-mon "));
            return new GitLabJob(vars, before, lines(job.path("script")), lines(job.path("after_script")), reports);
        }

        private static List<String> lines(JsonNode list) {
            List<String> out = new ArrayList<>();
            list.forEach(n -> out.add(n.asText().strip()));
            return out;
        }

        /** The script without the service under test (substitution 2). */
        List<String> scriptHere() {
            List<String> out = new ArrayList<>();
            for (String l : script) {
                if (!l.matches(".*\\bexlm-mon demo\\b.*")) {
                    out.add(l);
                }
            }
            assertThat(out).as("one line starts the demo backend").hasSize(script.size() - 1);
            return out;
        }

        List<String> commands() {
            List<String> out = new ArrayList<>();
            for (String l : scriptHere()) {
                if (command(l) != null) {
                    out.add(command(l));
                }
            }
            for (String l : afterScript) {
                out.add(command(l));
            }
            return out;
        }

        /**
         * Runs the job as GitLab's shell executor does: the script in one bash that stops at the first failing
         * command, then after_script in a bash of its own, with only the job's variables.
         */
        GitLabRun run(Path dir) throws Exception {
            Map<String, String> env = environment(variables, dir);
            env.put("CI_PIPELINE_ID", RUN_ID); // substitution 4
            StringBuilder script = new StringBuilder();
            for (String l : scriptHere()) {
                script.append(substitute(l)).append('\n');
            }
            Exec main = bash(dir, env, "script", List.of("-e", "-o", "pipefail"), script.toString());
            Exec after = bash(dir, env, "after_script", List.of("-e", "-o", "pipefail"), String.join("\n",
                    afterScript));
            return new GitLabRun(dir, main, after);
        }
    }

    // ------------------------------------------------------------------------------------------------ the reports

    record Case(String className, String failure, String skipped, String out) {
    }

    /** A JUnit report as a CI system reads it: test cases by name, with their failure, skip and output. */
    record Report(Path file, Map<String, Case> cases) {
        static Report read(Path file) throws Exception {
            assertThat(file).exists();
            Element doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile())
                    .getDocumentElement();
            assertThat(doc.getTagName()).isEqualTo("testsuites");
            Map<String, Case> cases = new LinkedHashMap<>();
            NodeList list = doc.getElementsByTagName("testcase");
            for (int i = 0; i < list.getLength(); i++) {
                Element tc = (Element) list.item(i);
                cases.put(tc.getAttribute("name"), new Case(tc.getAttribute("classname"), child(tc, "failure",
                        "message"), child(tc, "skipped", "message"), text(tc, "system-out")));
            }
            assertThat(cases).as(file + " has test cases").isNotEmpty();
            int failures = (int) cases.values().stream().filter(c -> c.failure() != null).count();
            assertThat(doc.getAttribute("failures")).isEqualTo(String.valueOf(failures));
            return new Report(file, cases);
        }

        private static String child(Element tc, String tag, String attribute) {
            NodeList l = tc.getElementsByTagName(tag);
            return l.getLength() == 0 ? null : ((Element) l.item(0)).getAttribute(attribute);
        }

        private static String text(Element tc, String tag) {
            NodeList l = tc.getElementsByTagName(tag);
            return l.getLength() == 0 ? "" : l.item(0).getTextContent();
        }

        /** The failed cases' names and failure messages. */
        Map<String, String> failures() {
            Map<String, String> out = new LinkedHashMap<>();
            cases.forEach((name, c) -> {
                if (c.failure() != null) {
                    out.put(name, c.failure());
                }
            });
            return out;
        }

        @Override
        public String toString() {
            try {
                return file + ":\n" + Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return file.toString();
            }
        }
    }
}
