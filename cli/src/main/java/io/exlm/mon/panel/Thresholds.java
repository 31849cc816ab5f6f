package io.exlm.mon.panel;

import io.exlm.mon.source.AlertThresholds;
import io.exlm.mon.source.LatencyObjective;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * The colour thresholds of the dashboard: the alert thresholds of the rules file ({@link AlertThresholds}), each with
 * the warning band below it that {@link AlertThresholds} derives.
 */
public final class Thresholds {
    public record Band(double warn, double alert) {
        public Level level(double value) {
            if (Double.isNaN(value)) {
                return Level.NONE;
            }
            return value > alert ? Level.ALERT : value >= warn ? Level.WARN : Level.OK;
        }

        static Band percent(double alert) {
            return new Band(AlertThresholds.warningPercent(alert), alert);
        }
    }

    private Thresholds() {
    }

    /**
     * The band of a panel against a service level objective, null for a panel without one: the latency panel's judged
     * percentile ({@link LatencyObjective#label()}, p95) against the SLO's bound, orange from
     * {@link LatencyObjective#WARNING_SHARE} of it. It colours the panel; unlike {@link #of(PanelId)}'s, it is not an
     * alert threshold and {@code top --fail-on-alert} does not gate on it.
     */
    public static Band objective(PanelId id) {
        return objective(id, LatencyObjective.bundled());
    }

    /** The objective band of a panel at the given objective, null for a panel without one. */
    public static Band objective(PanelId id, LatencyObjective o) {
        return id == PanelId.LATENCY ? new Band(o.warning(), o.seconds()) : null;
    }

    /**
     * How long a panel's figure stays beyond its alert threshold before the panel's alert fires, by the bundled rules:
     * a host alert's {@code for:} (CPU and memory 5m, disk at once in the guide's rules), zero for every other panel.
     * The error rate has a {@code for:} too, but its figure is a ratio over a judged window of requests, which a
     * deploy's gate is to fail on at once (docs/ci.md); a host figure is one reading, which a busy moment pushes
     * beyond the threshold.
     */
    public static Duration hold(PanelId id) {
        String alert = alert(id);
        return alert == null ? Duration.ZERO : AlertThresholds.bundled().hold(alert);
    }

    /** The name of the alert rule whose threshold a panel shows, null for a panel without one. */
    public static String alert(PanelId id) {
        return switch (id) {
            case CPU -> AlertThresholds.CPU_ALERT;
            case MEMORY -> AlertThresholds.MEMORY_ALERT;
            case DISK -> AlertThresholds.DISK_ALERT;
            case ERROR_RATE -> AlertThresholds.ERROR_ALERT;
            default -> null;
        };
    }

    /** The band of a panel at the bundled rules' thresholds, null for a panel without one. */
    public static Band of(PanelId id) {
        return Bundled.BANDS.get(id);
    }

    /** The band of a panel at the given thresholds, null for a panel without one. */
    public static Band of(PanelId id, AlertThresholds t) {
        return switch (id) {
            case CPU -> Band.percent(t.cpuPercent());
            case MEMORY -> Band.percent(t.memoryPercent());
            case DISK -> Band.percent(t.diskPercent());
            case ERROR_RATE -> new Band(t.errorRatioWarning(), t.errorRatio());
            default -> null;
        };
    }

    private static final class Bundled {
        static final Map<PanelId, Band> BANDS = bands(AlertThresholds.bundled());

        private static Map<PanelId, Band> bands(AlertThresholds t) {
            Map<PanelId, Band> m = new EnumMap<>(PanelId.class);
            for (PanelId id : PanelId.values()) {
                Band b = of(id, t);
                if (b != null) {
                    m.put(id, b);
                }
            }
            return m;
        }
    }
}
