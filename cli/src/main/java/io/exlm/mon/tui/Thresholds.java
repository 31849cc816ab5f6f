package io.exlm.mon.tui;

/**
 * The colour thresholds of the dashboard: the alert thresholds of the guide (CPU 80 %, memory 90 %, disk 90 %,
 * error rate 5 %), each with a warning band below it.
 */
public final class Thresholds {
    public record Band(double warn, double alert) {
        public Level level(double value) {
            if (Double.isNaN(value)) {
                return Level.NONE;
            }
            return value > alert ? Level.ALERT : value >= warn ? Level.WARN : Level.OK;
        }
    }

    public static final Band CPU = new Band(70, 80);
    public static final Band MEMORY = new Band(80, 90);
    public static final Band DISK = new Band(80, 90);
    /** Error rate as a fraction of requests. */
    public static final Band ERROR_RATE = new Band(0.02, 0.05);

    private Thresholds() {
    }

    public static Band of(PanelId id) {
        return switch (id) {
            case CPU -> CPU;
            case MEMORY -> MEMORY;
            case DISK -> DISK;
            case ERROR_RATE -> ERROR_RATE;
            default -> null;
        };
    }
}
