package io.exlm.mon.cli;

import java.util.Iterator;
import java.util.List;

/** Fixed sets of option values, for help texts and shell completion. */
final class Candidates {
    private Candidates() {
    }

    /** {@code health --check}. */
    static final class HealthChecks implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("basic", "ready", "live", "metrics", "all").iterator();
        }
    }

    /** The formats of an exposition file. */
    static final class ExpositionFormats implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("auto", "prometheus", "openmetrics").iterator();
        }
    }
}
