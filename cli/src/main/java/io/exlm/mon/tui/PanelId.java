package io.exlm.mon.tui;

/**
 * The dashboard's panels, in the four groups of the guide's Grafana dashboard plus cache and Celery. The order of
 * the constants is the focus order; {@link #dropOrder()} is the order in which a small terminal gives them up.
 */
public enum PanelId {
    CPU(Group.SYSTEM, "CPU", "cpu"),
    MEMORY(Group.SYSTEM, "Memory", "memory"),
    DISK(Group.SYSTEM, "Disk", "disk"),
    USERS(Group.SYSTEM, "Users", "users"),
    REQUEST_RATE(Group.HTTP, "Requests/s", "rps"),
    LATENCY(Group.HTTP, "Latency", "latency"),
    IN_PROGRESS(Group.HTTP, "In progress", "in_progress"),
    TRAINING(Group.JOBS, "Model training", "training"),
    DATASETS(Group.JOBS, "Dataset processing", "datasets"),
    CELERY(Group.JOBS, "Celery", "celery"),
    ERROR_RATE(Group.ERRORS, "Error rate", "error_rate"),
    ERRORS_BY_TYPE(Group.ERRORS, "Errors by type", "errors_by_type"),
    CACHE(Group.ERRORS, "Cache hit ratio", "cache");

    /** The rows of the dashboard, top to bottom. */
    public enum Group {
        SYSTEM("System"), HTTP("HTTP traffic"), JOBS("Jobs"), ERRORS("Errors");

        private final String title;

        Group(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    private final Group group;
    private final String title;
    private final String key;

    PanelId(Group group, String title, String key) {
        this.group = group;
        this.title = title;
        this.key = key;
    }

    public Group group() {
        return group;
    }

    public String title() {
        return title;
    }

    /** The panel's name in JSON. */
    public String key() {
        return key;
    }

    /**
     * When the terminal is too small, panels go in this order: the context first (jobs, Celery, cache, users), the
     * signals that page someone last (error rate, latency, request rate, CPU and memory).
     */
    public static PanelId[] dropOrder() {
        return new PanelId[] {CELERY, DATASETS, TRAINING, CACHE, USERS, IN_PROGRESS, ERRORS_BY_TYPE, DISK, MEMORY,
            CPU, REQUEST_RATE, LATENCY, ERROR_RATE};
    }
}
