package io.exlm.mon.doctor;

import io.exlm.mon.ExitCode;
import io.exlm.mon.ExitException;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * What several checks read (Prometheus's targets, the backend's scrape, Grafana's login) fetched once per run: the
 * first check to ask fetches it, checks that ask meanwhile wait for that answer, and a failure is the same failure
 * for each of them.
 */
public final class Facts {
    private final ConcurrentHashMap<String, CompletableFuture<Object>> facts = new ConcurrentHashMap<>();

    public Facts() {
    }

    /**
     * Facts known in advance, for tests of the checks that read them: nothing is fetched for these keys, and the store
     * is a Prometheus unless {@link Shared#STORE} is among them.
     */
    Facts(Map<String, Object> known) {
        known.forEach((k, v) -> facts.put(k, CompletableFuture.completedFuture(v)));
        // answers given in advance are Prometheus's unless they say which store gave them
        facts.putIfAbsent(Shared.STORE, CompletableFuture.completedFuture(Store.ASSUMED_PROMETHEUS));
    }

    @SuppressWarnings("unchecked")
    public <T> T get(String key, Callable<T> fetch) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> f = facts.putIfAbsent(key, mine);
        if (f == null) {
            f = mine;
            try {
                mine.complete(fetch.call());
            } catch (Throwable e) {
                mine.completeExceptionally(e);
            }
        }
        try {
            return (T) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ExitException(ExitCode.UNREACHABLE, "interrupted while waiting for " + key);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause()
                    : e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
