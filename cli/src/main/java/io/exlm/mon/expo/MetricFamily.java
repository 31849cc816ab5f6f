package io.exlm.mon.expo;

import java.util.List;

/** A family of a scrape: its name, type, HELP and UNIT (empty when absent), and its samples in body order. */
public record MetricFamily(String name, MetricType type, String help, String unit, List<Sample> samples) {
    public MetricFamily {
        samples = List.copyOf(samples);
    }
}
