package io.exlm.mon.stack;

/**
 * One part of the stack as a command reports it.
 *
 * @param component the part
 * @param state     started, running, stopped, skipped, external (answers, but exlm-mon did not start it), failed
 * @param pid       its process id, when exlm-mon runs it as a local process; else null
 * @param url       where it listens
 * @param health    ok, failing, unreachable, or null when not checked
 * @param version   the version it reported, or null
 * @param detail    why it was skipped or failed, what changed; never a secret
 * @param log       its log file (local runtime), or null
 */
public record PartReport(Component component, String state, Long pid, String url, String health, String version,
        String detail, String log) {

    public static final String STARTED = "started";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String SKIPPED = "skipped";
    public static final String EXTERNAL = "external";
    public static final String FAILED = "failed";
    public static final String NOT_RUNNING = "not running";

    public String name() {
        return component.id();
    }

    public boolean up() {
        return state.equals(STARTED) || state.equals(RUNNING);
    }

    public PartReport withHealth(String h, String newDetail) {
        return new PartReport(component, state, pid, url, h, version, newDetail == null ? detail : newDetail, log);
    }

    public PartReport withState(String s, String newDetail) {
        return new PartReport(component, s, pid, url, health, version, newDetail, log);
    }
}
