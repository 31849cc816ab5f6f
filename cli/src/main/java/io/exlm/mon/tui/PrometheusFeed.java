package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.source.PrometheusSource;
import java.time.Duration;
import java.util.Map;

/**
 * The dashboard fed by PromQL against a Prometheus-compatible API: the same panels, with rates and percentiles over
 * a window that spans several of Prometheus's scrapes.
 */
public final class PrometheusFeed implements Feed {
    private final PrometheusSource source;
    private final String url;
    private final Duration window;

    public PrometheusFeed(PrometheusSource source, String prometheusUrl, Duration window) {
        this.source = source;
        this.url = prometheusUrl;
        this.window = window;
    }

    @Override
    public String describe() {
        return "PromQL " + url + " [" + io.exlm.mon.config.Durations.format(window) + "]";
    }

    @Override
    public Map<PanelId, PanelState> poll() {
        return SnapshotPanels.of(source.snapshot(window));
    }
}
