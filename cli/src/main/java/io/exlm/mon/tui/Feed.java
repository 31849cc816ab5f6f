package io.exlm.mon.tui;

import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import java.util.Map;

/**
 * Where the dashboard's figures come from: one call, one update of every panel. Implementations keep what they need
 * between calls (the previous scrape, for rates). A failure is an {@link io.exlm.mon.ExitException} whose message
 * says why, in words, for the header.
 */
public interface Feed extends AutoCloseable {
    /** What the header calls the source, e.g. {@code scrape http://127.0.0.1:8000/metrics}. */
    String describe();

    Map<PanelId, PanelState> poll();

    @Override
    default void close() {
    }
}
