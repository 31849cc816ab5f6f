package io.exlm.mon.stack;

import io.exlm.mon.http.HttpLayer;
import java.util.List;

/** A way to run the stack: local processes, or docker compose. */
public interface StackRuntime {
    /** local or compose. */
    String name();

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

    /** Whether a part that {@code up} reported is still alive (false once its process has exited). */
    boolean alive(PartReport part);
}
