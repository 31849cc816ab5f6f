package io.exlm.mon.expo;

/** One sample of a scrape, kept: name, labels, value, optional timestamp (ms) and exemplar. */
public record Sample(String name, Labels labels, double value, boolean hasTimestamp, long timestampMillis,
        Exemplar exemplar) {

    public Sample(String name, Labels labels, double value) {
        this(name, labels, value, false, 0, null);
    }

    @Override
    public String toString() {
        return name + labels + " " + value + (hasTimestamp ? " " + timestampMillis : "");
    }
}
