package io.exlm.mon.demo;

import io.exlm.mon.source.AlertThresholds;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The parts of the platform that the demo does not really run (users, WebSockets, Celery, background jobs) as
 * plausible processes that move every second: random walks toward the scenario's level, jobs that start and finish
 * some seconds later, a queue that workers drain.
 */
final class Simulation {
    private static final int CELERY_WORKERS = 8;

    private final DemoMetrics metrics;
    private final Scenario scenario;
    private final Random random;
    private final PriorityQueue<long[]> trainingJobs = new PriorityQueue<>(Comparator.comparingLong(j -> j[0]));
    private final PriorityQueue<long[]> datasetJobs = new PriorityQueue<>(Comparator.comparingLong(j -> j[0]));
    /** Whether the scenario trips the error-rate alert: then jobs fail too, as on a backend in trouble. */
    private final boolean errorAlert;
    private double users;
    private double pending;
    private long tick;

    Simulation(DemoMetrics metrics, Scenario scenario, AlertThresholds thresholds, long seed) {
        this.metrics = metrics;
        this.errorAlert = scenario.errorRatio() > thresholds.errorRatio();
        this.scenario = scenario;
        this.random = new Random(seed);
        this.users = scenario.usersBase();
        this.pending = scenario.celeryPendingBase();
        step();
    }

    /** Training job started by a request to the demo's own API; it finishes some seconds later. */
    synchronized void trainingStarted() {
        metrics.modelTraining.labelValues("started").inc();
        trainingJobs.add(new long[] {tick + 5 + random.nextInt(20)});
    }

    synchronized void step() {
        tick++;
        // users: a mean-reverting walk with a slow daily-like wave
        double target = scenario.usersBase() * (1 + 0.2 * Math.sin(tick / 120.0));
        users += (target - users) * 0.1 + random.nextGaussian() * Math.sqrt(scenario.usersBase()) * 0.3;
        users = Math.max(0, users);
        metrics.activeUsers.set(Math.round(users));
        metrics.activeWebsockets.set(Math.round(users * (0.55 + 0.1 * random.nextDouble())));

        // Celery: tasks arrive, workers take what they can
        pending += (scenario.celeryPendingBase() - pending) * 0.15 + random.nextGaussian() * 2;
        pending = Math.max(0, pending);
        double active = Math.min(CELERY_WORKERS, pending + random.nextInt(3));
        metrics.celeryPending.set(Math.round(pending));
        metrics.celeryActive.set(Math.round(active));

        // dataset processing: a steady trickle of jobs
        if (random.nextDouble() < 0.35) {
            metrics.datasetProcessing.labelValues("started").inc();
            datasetJobs.add(new long[] {tick + 3 + random.nextInt(10)});
        }
        double jobFailure = errorAlert ? 0.3 : 0.05;
        finish(datasetJobs, metrics.datasetProcessing, jobFailure);
        finish(trainingJobs, metrics.modelTraining, jobFailure);

        // errors that happen away from HTTP requests (workers, integrations)
        if (random.nextDouble() < scenario.errorRatio() * 2) {
            metrics.errors.labelValues(random.nextBoolean() ? "external_api" : "database").inc();
        }
    }

    private void finish(PriorityQueue<long[]> jobs, io.prometheus.metrics.core.metrics.Counter counter, double failure) {
        while (!jobs.isEmpty() && jobs.peek()[0] <= tick) {
            jobs.poll();
            counter.labelValues(random.nextDouble() < failure ? "failed" : "completed").inc();
        }
    }
}
