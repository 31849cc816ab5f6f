package io.exlm.mon.expo;

/** How much of the specifications a parse enforces. */
public enum ParseMode {
    /**
     * For checking: every rule the specification states is enforced, and every violation is reported with its line
     * and column; the parse carries on after a problem so that one run shows them all.
     */
    STRICT,
    /**
     * For scraping: accepts what Prometheus itself ingests from the same body, and fails on the first thing it
     * would refuse (Prometheus fails the whole scrape then, too).
     */
    LENIENT
}
