package io.exlm.mon.source;

import io.exlm.mon.expo.ExpositionHandler;
import io.exlm.mon.expo.MetricFamily;
import io.exlm.mon.expo.MetricType;
import io.exlm.mon.expo.Sample;
import io.exlm.mon.expo.SampleView;
import io.exlm.mon.expo.Scrape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks an exposition against the documented catalog: every metric present (under either counter spelling), with
 * its type, and with its documented labels on every series. Streams (as a parse handler, for {@code metrics check
 * --catalog} on bodies of any size) or reads a kept {@link Scrape} (for {@code doctor}).
 */
public final class CatalogCheck implements ExpositionHandler {
    private static final int MAX_NAMES = 100_000;

    /** One catalog metric's verdict; message is null when it is as documented. */
    public record Finding(Catalog.Metric metric, String message) {
        public boolean ok() {
            return message == null;
        }
    }

    private static final class Seen {
        String exposedAs;
        MetricType type;
        final Set<String> missingLabels = new LinkedHashSet<>();
    }

    private final Map<String, Catalog.Metric> bySampleName = new HashMap<>();
    private final Map<Catalog.Metric, Seen> seen = new HashMap<>();
    private final Set<String> names = new LinkedHashSet<>();

    public CatalogCheck() {
        for (Catalog.Metric m : Catalog.METRICS) {
            for (String n : m.sampleNames()) {
                bySampleName.put(n, m);
            }
        }
    }

    /** Checks a kept scrape. */
    public static List<Finding> check(Scrape scrape) {
        CatalogCheck c = new CatalogCheck();
        for (MetricFamily f : scrape.families()) {
            c.names.add(f.name());
            for (Sample s : f.samples()) {
                c.observe(s.name(), f.type(), s.labels()::get);
            }
        }
        return c.findings();
    }

    @Override
    public void sample(SampleView s) {
        String name = s.name();
        if (names.size() < MAX_NAMES) {
            names.add(name);
            names.add(s.family());
        }
        observe(name, s.type(), s::label);
    }

    private void observe(String name, MetricType type, java.util.function.Function<String, String> label) {
        Catalog.Metric m = bySampleName.get(name);
        if (m == null) {
            return;
        }
        Seen x = seen.computeIfAbsent(m, k -> new Seen());
        if (x.exposedAs == null) {
            x.exposedAs = m.type() == Catalog.Type.HISTOGRAM ? m.name() : name;
            x.type = type;
        }
        for (String l : m.labels()) {
            if (label.apply(l) == null) {
                x.missingLabels.add(l);
            }
        }
    }

    /** A verdict for every catalog metric, in catalog order. */
    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (Catalog.Metric m : Catalog.METRICS) {
            Seen x = seen.get(m);
            String want = m.type().name().toLowerCase(Locale.ROOT);
            if (x == null) {
                out.add(new Finding(m, m.name() + " (" + want + ") is not exposed"
                        + Snapshots.nearText(NearNames.of(m.name(), names))));
                continue;
            }
            List<String> problems = new ArrayList<>();
            if (!Snapshots.typeMatches(m.type(), x.type)) {
                problems.add(x.type == MetricType.UNKNOWN ? "has no TYPE (documented as " + want + ")"
                        : "is a " + x.type.name().toLowerCase(Locale.ROOT) + ", documented as " + want);
            }
            if (!x.missingLabels.isEmpty()) {
                problems.add("has series without the documented label" + (x.missingLabels.size() > 1 ? "s " : " ")
                        + String.join(", ", x.missingLabels));
            }
            out.add(new Finding(m, problems.isEmpty() ? null
                    : m.name() + (x.exposedAs.equals(m.name()) ? "" : " (exposed as " + x.exposedAs + ")") + " "
                    + String.join("; ", problems)));
        }
        return out;
    }
}
