package io.exlm.mon.doctor;

import io.exlm.mon.source.AlertThresholds;
import java.util.ArrayList;
import java.util.List;

/**
 * Every check, in the order reports list them: Prometheus, Alertmanager, backend, the backend's dependencies as their
 * exporters see them, "no data" rows, the patterns over time ({@code --since}), Grafana, host.
 */
public final class Checks {
    private Checks() {
    }

    /** Every check, the host checks at the bundled rules' thresholds. */
    public static List<Check> all() {
        return all(AlertThresholds.bundled());
    }

    /** Every check, the host checks at the given thresholds. */
    public static List<Check> all(AlertThresholds thresholds) {
        List<Check> all = new ArrayList<>();
        all.addAll(PrometheusChecks.all());
        all.addAll(RemoteWriteChecks.all());
        all.addAll(AlertmanagerChecks.all());
        all.addAll(BackendChecks.all());
        all.addAll(DependencyChecks.all());
        all.addAll(NoDataChecks.all());
        all.addAll(HistoryChecks.all());
        all.addAll(GrafanaChecks.all());
        all.addAll(HostChecks.all(thresholds));
        return List.copyOf(all);
    }

    /** The groups, in order: what {@code --check GROUP} selects. */
    public static List<String> groups() {
        return List.of("prometheus", "alertmanager", "backend", "dependencies", "nodata", "history", "grafana",
                "host");
    }
}
