package io.exlm.mon.doctor;

import io.exlm.mon.ExitException;
import io.exlm.mon.http.HttpFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs checks concurrently: each starts as soon as the checks it needs have finished, is skipped (saying which) when
 * one of them failed or was skipped, and has a deadline after which it fails as timed out. {@code jobs} bounds how
 * many run at once (1 runs them one by one, which is how the README's timing compares).
 */
public final class Doctor {
    /** @param jobs how many checks run at once; 0 for no limit */
    public record Options(Duration checkTimeout, int jobs) {
    }

    private Doctor() {
    }

    /**
     * The checks named by {@code selectors} (ids, or groups such as {@code prometheus}), with the checks they need,
     * in registry order. Throws IllegalArgumentException naming an unknown selector.
     */
    public static List<Check> select(List<Check> all, List<String> selectors) {
        if (selectors.isEmpty()) {
            return all;
        }
        Map<String, Check> byId = new LinkedHashMap<>();
        all.forEach(c -> byId.put(c.id(), c));
        Set<String> wanted = new LinkedHashSet<>();
        for (String s : selectors) {
            boolean any = false;
            for (Check c : all) {
                if (c.id().equals(s) || c.group().equals(s)) {
                    wanted.add(c.id());
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalArgumentException("no check or group '" + s + "'; --list-checks shows them");
            }
        }
        // the prerequisites, transitively: a selected check still says why it is skipped
        List<String> queue = new ArrayList<>(wanted);
        for (int i = 0; i < queue.size(); i++) {
            for (String r : byId.get(queue.get(i)).requires()) {
                if (wanted.add(r)) {
                    queue.add(r);
                }
            }
        }
        return all.stream().filter(c -> wanted.contains(c.id())).toList();
    }

    public static DoctorReport run(List<Check> checks, DoctorEnv env, Options options, boolean strict) {
        long start = System.nanoTime();
        Map<String, Check> byId = new LinkedHashMap<>();
        checks.forEach(c -> byId.put(c.id(), c));
        ExecutorService coordinators = Executors.newCachedThreadPool(daemon("exlm-doctor"));
        ExecutorService bodies = Executors.newCachedThreadPool(daemon("exlm-doctor-check"));
        Semaphore slots = new Semaphore(options.jobs() <= 0 ? Integer.MAX_VALUE : options.jobs(), true);
        Map<String, CompletableFuture<CheckResult>> futures = new LinkedHashMap<>();
        try {
            for (Check c : order(checks, byId)) {
                List<CompletableFuture<CheckResult>> pre = new ArrayList<>();
                for (String r : c.requires()) {
                    if (futures.containsKey(r)) {
                        pre.add(futures.get(r));
                    }
                }
                CompletableFuture<CheckResult> f = CompletableFuture.allOf(pre.toArray(CompletableFuture[]::new))
                        .thenApplyAsync(v -> {
                            for (CompletableFuture<CheckResult> p : pre) {
                                CheckResult r = p.join();
                                if (r.status() == Status.FAIL || r.status() == Status.SKIP) {
                                    return skipped(c, r);
                                }
                            }
                            return runOne(c, env, options.checkTimeout(), bodies, slots);
                        }, coordinators);
                futures.put(c.id(), f);
            }
            List<CheckResult> results = new ArrayList<>();
            for (Check c : checks) {
                results.add(futures.get(c.id()).join());
            }
            return new DoctorReport(results, (System.nanoTime() - start) / 1_000_000, strict);
        } finally {
            coordinators.shutdownNow();
            bodies.shutdownNow();
        }
    }

    /** Prerequisites before the checks that need them (the registry lists them so already; this makes sure). */
    private static List<Check> order(List<Check> checks, Map<String, Check> byId) {
        List<Check> out = new ArrayList<>();
        Set<String> done = new LinkedHashSet<>();
        for (Check c : checks) {
            visit(c, byId, done, out, new LinkedHashSet<>());
        }
        return out;
    }

    private static void visit(Check c, Map<String, Check> byId, Set<String> done, List<Check> out, Set<String> path) {
        if (done.contains(c.id())) {
            return;
        }
        if (!path.add(c.id())) {
            throw new IllegalStateException("checks need each other in a cycle: " + path);
        }
        for (String r : c.requires()) {
            Check p = byId.get(r);
            if (p != null) {
                visit(p, byId, done, out, path);
            }
        }
        done.add(c.id());
        out.add(c);
    }

    private static CheckResult skipped(Check c, CheckResult because) {
        String why = because.status() == Status.FAIL ? "failed" : "was skipped";
        Outcome o = Outcome.skip("needs " + because.id() + ", which " + why).reach(Reach.LOCAL);
        CheckResult r = CheckResult.of(c, o, 0);
        return new CheckResult(r.id(), r.group(), r.title(), r.status(), r.summary(), r.figures(), r.details(),
                r.remediation(), r.requires(), because.id(), r.reach(), 0, false, null);
    }

    private static CheckResult runOne(Check c, DoctorEnv env, Duration timeout, ExecutorService bodies,
            Semaphore slots) {
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.of(c, Outcome.fail("interrupted before it ran"), 0);
        }
        long start = System.nanoTime();
        try {
            Future<Outcome> body = bodies.submit(() -> c.body().run(env));
            Outcome o;
            boolean crashed = false;
            try {
                o = body.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                body.cancel(true);
                o = Outcome.fail("did not finish within " + io.exlm.mon.config.Durations.format(timeout))
                        .fix("whatever it asks is too slow to answer: see the other checks of its group, or give it"
                                + " longer with --check-timeout")
                        .reach(Reach.UNREACHABLE);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                o = failure(cause);
                crashed = !(cause instanceof ExitException) && !(cause instanceof Unknowable);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                o = Outcome.fail("interrupted");
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            CheckResult r = CheckResult.of(c, o, millis);
            return crashed ? new CheckResult(r.id(), r.group(), r.title(), r.status(), r.summary(), r.figures(),
                    r.details(), r.remediation(), r.requires(), null, r.reach(), millis, true, null) : r;
        } finally {
            slots.release();
        }
    }

    /**
     * What a check's body threw, as its verdict: an endpoint that failed is a failure with its one-line cause; a fact
     * the server cannot tell a skip with the reason.
     */
    static Outcome failure(Throwable t) {
        if (t instanceof Unknowable u) {
            return Outcome.skip(u.getMessage());
        }
        if (t instanceof HttpFailure f) {
            return Outcome.fail(f.getMessage()).fix(Remedies.forFailure(f)).reach(Remedies.reach(f));
        }
        if (t instanceof ExitException e) {
            return Outcome.fail(e.getMessage());
        }
        return Outcome.fail("the check crashed: " + t).fix("a bug in exlm-mon: run again with --verbose and report it")
                .reach(Reach.LOCAL);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
