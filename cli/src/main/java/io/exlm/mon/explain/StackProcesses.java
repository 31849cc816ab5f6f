package io.exlm.mon.explain;

import io.exlm.mon.source.Catalog;
import io.exlm.mon.stack.Component;
import io.exlm.mon.stack.PidFile;
import io.exlm.mon.stack.StackRuntime;
import io.exlm.mon.stack.StateDir;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The process behind a scrape job, as the stack that {@code exlm-mon up} started knows it: for the local runtime
 * its pid file (trusted only when the process is alive and still the one started, {@link PidFile#verified()}); for
 * docker compose, where to look; for anything else, that exlm-mon does not run it.
 */
public final class StackProcesses implements Explainer.ProcessLookup {
    private final StateDir state;
    private final String runtime;

    /** @param runtime the runtime of the last up ({@code local}, {@code compose}), or null when none ran here */
    public StackProcesses(StateDir state, String runtime) {
        this.state = state;
        this.runtime = runtime;
    }

    @Override
    public List<String> describe(String job) {
        Component c = null;
        for (Component x : Component.values()) {
            if (job.equals(x.job())) {
                c = x;
            }
        }
        if (c == null) {
            return List.of(Catalog.BACKEND_JOB.equals(job)
                    ? "the exlm backend is not a part of the stack: look for its process on its host"
                    : "job " + Probe.printable(job) + " is not a part of the stack exlm-mon runs");
        }
        if (runtime == null) {
            return List.of("no stack was started here by exlm-mon up (" + state + "): the " + c.id()
                    + "'s process is not known here");
        }
        if (runtime.equals("compose")) {
            return List.of("run by docker compose: docker compose ps " + c.id() + "; docker compose logs " + c.id());
        }
        PidFile pf = PidFile.read(state.pidFile(c));
        if (pf == null) {
            return List.of("the " + c.id() + " was not started by exlm-mon up (no " + state.pidFile(c) + ")");
        }
        Optional<ProcessHandle> p = pf.verified();
        String log = Files.exists(state.log(c)) ? "; its log: " + state.log(c) : "";
        if (p.isPresent()) {
            return List.of("running: the " + c.id() + ", pid " + pf.pid() + " (" + pf.executable() + ")",
                    "it runs, yet Prometheus cannot scrape it: see the scrape error" + log);
        }
        String again = StackRuntime.upAgain(runtime);
        return List.of("not running: the " + c.id() + "'s pid " + pf.pid() + " is gone",
                (again == null ? "exlm-mon up" : again) + " starts it again; exlm-mon status shows every part" + log);
    }
}
