package io.exlm.mon.explain;

import java.util.List;

/**
 * The diagnosis of each alert the stack ships, keyed by the alert's name: the doctor checks that bear on it and the
 * probes that narrow its cause. What the alert means is its own description (Prometheus sends it with the alert);
 * what to do is its runbook ({@link Runbooks}: {@code docs/runbooks/NAME.md}, the rule's {@code runbook_url}).
 * {@code ExplanationsTest} holds this table to the rule files: every alert of {@code stack/prometheus/rules/*.yml}
 * has an entry and a runbook, every entry and runbook an alert, and every doctor check named here exists.
 */
public enum Explanation {
    HIGH_CPU_USAGE("HighCPUUsage", List.of("host.cpu"), List.of(Probe.CPU_BY_MODE),
            new HostFigure("cpu_usage_percent", "host.cpu")),
    HIGH_MEMORY_USAGE("HighMemoryUsage", List.of("host.memory"), List.of(Probe.MEMORY_BY_KIND),
            new HostFigure("memory_usage_percent", "host.memory")),
    DISK_SPACE_LOW("DiskSpaceLow", List.of("host.disk", "prometheus.tsdb"), List.of(Probe.FILESYSTEMS),
            new HostFigure("disk_usage_percent", "host.disk")),
    HIGH_ERROR_RATE("HighErrorRate", List.of("backend.ready"),
            List.of(Probe.JOB_TARGETS, Probe.ERRORS_BY_HANDLER, Probe.ERRORS_BY_TYPE,
                    Probe.ERROR_RATIO_BY_INSTANCE)),
    SERVICE_DOWN("ServiceDown", List.of(), List.of(Probe.TARGET, Probe.PROCESS)),

    WATCHDOG("Watchdog", List.of(), List.of()),
    BACKEND_METRICS_ABSENT("BackendMetricsAbsent", List.of("prometheus.targets", "prometheus.config"),
            List.of(Probe.SCRAPED_JOBS)),
    SMOKE_RESULTS_STALE("SmokeResultsStale", List.of(), List.of(Probe.SMOKE_RESULTS)),
    PROMETHEUS_RULE_EVALUATION_FAILURES("PrometheusRuleEvaluationFailures", List.of("prometheus.rules"), List.of()),
    PROMETHEUS_NOTIFICATION_ERRORS("PrometheusNotificationErrors",
            List.of("prometheus.alertmanager", "alertmanager.ready"), List.of()),
    PROMETHEUS_NOTIFICATIONS_DROPPED("PrometheusNotificationsDropped", List.of("prometheus.alertmanager"),
            List.of()),
    CONFIG_RELOAD_FAILED("ConfigReloadFailed", List.of("prometheus.config"), List.of()),
    ALERTMANAGER_NOTIFICATIONS_FAILING("AlertmanagerNotificationsFailing", List.of("alertmanager.notifications"),
            List.of()),

    ERROR_BUDGET_BURN("ErrorBudgetBurn", List.of("backend.ready"),
            List.of(Probe.JOB_TARGETS, Probe.ERRORS_BY_HANDLER, Probe.ERRORS_BY_TYPE,
                    Probe.ERROR_RATIO_BY_INSTANCE)),
    ERROR_BUDGET_SLOW_BURN("ErrorBudgetSlowBurn", List.of("backend.ready"),
            List.of(Probe.JOB_TARGETS, Probe.ERRORS_BY_HANDLER, Probe.ERRORS_BY_TYPE,
                    Probe.ERROR_RATIO_BY_INSTANCE)),
    LATENCY_BUDGET_BURN("LatencyBudgetBurn", List.of("dependencies.postgres", "dependencies.redis", "host.cpu"),
            List.of(Probe.LATENCY_BY_HANDLER)),
    LATENCY_BUDGET_SLOW_BURN("LatencyBudgetSlowBurn",
            List.of("dependencies.postgres", "dependencies.redis", "host.cpu"), List.of(Probe.LATENCY_BY_HANDLER));

    /**
     * What a host alert compares with its threshold: the backend's figure of its host ({@code cpu_usage_percent}, whose
     * threshold {@link io.exlm.mon.source.AlertThresholds#percent} gives) and the doctor check that measures the same
     * on this machine ({@code host.cpu}).
     */
    public record HostFigure(String metric, String check) {
    }

    private final String alert;
    private final List<String> checks;
    private final List<Probe> probes;
    private final HostFigure hostFigure;

    Explanation(String alert, List<String> checks, List<Probe> probes) {
        this(alert, checks, probes, null);
    }

    Explanation(String alert, List<String> checks, List<Probe> probes, HostFigure hostFigure) {
        this.alert = alert;
        this.checks = checks;
        this.probes = probes;
        this.hostFigure = hostFigure;
    }

    /** The host figure of a host alert; null for any other alert. */
    public HostFigure hostFigure() {
        return hostFigure;
    }

    /** The alert's name, as its rule's {@code alert:} writes it. */
    public String alert() {
        return alert;
    }

    /** The ids of the doctor checks run for it. */
    public List<String> checks() {
        return checks;
    }

    public List<Probe> probes() {
        return probes;
    }

    /** The explanation of an alert, or null when none is known (an alert of someone else's rules). */
    public static Explanation of(String alert) {
        for (Explanation e : values()) {
            if (e.alert.equals(alert)) {
                return e;
            }
        }
        return null;
    }
}
