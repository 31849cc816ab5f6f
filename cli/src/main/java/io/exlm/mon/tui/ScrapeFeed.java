package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.SnapshotPanels;
import io.exlm.mon.expo.Scrape;
import io.exlm.mon.source.Catalog;
import io.exlm.mon.source.Combination;
import io.exlm.mon.source.Scraper;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.source.Snapshots;
import java.util.Map;

/**
 * The dashboard fed by scraping the backend's {@code /metrics} directly: no Prometheus needed. Rates and windowed
 * percentiles come from each scrape and the one before it.
 */
public final class ScrapeFeed implements Feed {
    private final Scraper scraper;
    private final String url;
    private final Combination combination;
    private Scrape previous;

    public ScrapeFeed(Scraper scraper, String metricsUrl) {
        this(scraper, metricsUrl, Combination.defaults());
    }

    public ScrapeFeed(Scraper scraper, String metricsUrl, Combination combination) {
        this.scraper = scraper;
        this.url = metricsUrl;
        this.combination = combination;
    }

    @Override
    public String describe() {
        return "scrape " + url;
    }

    @Override
    public Map<PanelId, PanelState> poll() {
        Scrape current = scraper.scrape(url, Catalog::hasSample);
        Snapshot s = previous == null || current.timeMillis() <= previous.timeMillis()
                ? Snapshots.of(current, "needs a second scrape for a rate", combination)
                : Snapshots.between(previous, current, combination);
        previous = current;
        return SnapshotPanels.of(s);
    }
}
