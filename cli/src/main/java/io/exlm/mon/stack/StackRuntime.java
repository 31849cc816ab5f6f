package io.exlm.mon.stack;

import io.exlm.mon.http.HttpLayer;
import java.util.List;

/** A way to run the stack: local processes, or docker compose. */
public interface StackRuntime {
    /** local or compose. */
    String name();

    /**
     * The command that starts again what the last up started, with the runtime it used ({@code local},
     * {@code compose}); null for none known. Never a plain {@code exlm-mon up}: up takes its runtime from
     * {@code stack.runtime} (auto: compose wherever a Docker engine answers), not from the one recorded, so after
     * {@code up --runtime local} it could start a second stack with docker compose.
     */
    static String upAgain(String runtime) {
        return "local".equals(runtime) || "compose".equals(runtime) ? "exlm-mon up --runtime " + runtime : null;
    }

    /**
     * What stands in the way of {@link #up}, each problem with its fix; empty when nothing does. May prepare the
     * state directory.
     */
    List<String> preflight();

    /** Starts what does not run yet; a second call starts nothing twice. */
    List<PartReport> up();

    /** Stops what {@link #up} started, and with {@code purge} deletes its data. */
    List<PartReport> down(boolean purge);

    /** Each part: running or not, pid, address, health, version. */
    List<PartReport> status(HttpLayer http);

    /** single or sharded: what this runtime runs ({@link Topology}). */
    default Topology topology() {
        return Topology.SINGLE;
    }

    /** Whether a part that {@code up} reported is still alive (false once its process has exited). */
    boolean alive(PartReport part);
}
