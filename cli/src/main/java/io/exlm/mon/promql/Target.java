package io.exlm.mon.promql;

import java.util.Map;

/**
 * An active scrape target as {@code /api/v1/targets} reports it.
 *
 * @param health         {@code up}, {@code down} or {@code unknown} (not scraped yet)
 * @param lastError      the error of the last scrape; empty when it succeeded
 * @param scrapeInterval the target's interval as Prometheus writes durations ({@code 15s}); null when the API is
 *                       older than Prometheus 2.33 and does not say
 */
public record Target(String job, String instance, String scrapePool, String scrapeUrl, String health,
        String lastError, String lastScrape, double lastScrapeDurationSeconds, String scrapeInterval,
        String scrapeTimeout, Map<String, String> labels) {

    public boolean up() {
        return "up".equals(health);
    }
}
