package io.exlm.mon.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.tui.DashboardModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code top --once -o json}: the document, as records whose field names are the contract (README, "top"). Every
 * panel of the specification is there, by its JSON key, in the specification's order.
 */
final class TopJson {
    private TopJson() {
    }

    /**
     * @param source          where the figures come from, as the header says it
     * @param status          ok, stale, unreachable, failed or waiting
     * @param error           why the source could not be read, or null
     * @param intervalSeconds the refresh interval
     * @param at              the time the figures are of, RFC 3339 in UTC, with {@code --at}; null for now
     * @param recordings      with figures read from recording rules: the rules, how many queries they served, the
     *                        time the figures are of and their age at the frame's time; absent otherwise
     * @param panels          each panel by its JSON key
     * @param alerts          the keys of the panels beyond their alert threshold
     * @param failing         the keys of the panels that fail {@code --fail-on-alert} (empty without it, and when
     *                        the source could not be read, exit 3: nothing was judged): beyond their threshold, and
     *                        a host panel whose alert has a {@code for:} beyond it for that long
     */
    @JsonPropertyOrder({"source", "status", "error", "interval_seconds", "at", "recordings", "panels", "alerts",
        "failing"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Document(String source, String status, String error,
            @JsonProperty("interval_seconds") double intervalSeconds, String at,
            @JsonInclude(JsonInclude.Include.NON_NULL) Recordings recordings, Map<String, Panel> panels,
            List<String> alerts, List<String> failing) {
    }

    /**
     * The recording rules the figures were read from (in part), as {@code metrics -o json}'s {@code recordings}.
     *
     * @param group      the rule group ({@code exlm-frame})
     * @param queries    how many of the frame's queries its recordings served
     * @param of         how many queries the frame has
     * @param time       the time the figures are of (the oldest evaluation among them), RFC 3339 in UTC
     * @param ageSeconds how much older than the frame they are
     */
    @JsonPropertyOrder({"group", "queries", "of", "time", "age_seconds"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Recordings(String group, int queries, int of, String time, @JsonProperty("age_seconds") double ageSeconds) {
        static Recordings of(io.exlm.mon.source.Snapshot.Recorded r) {
            return r == null ? null : new Recordings(r.group(), r.queries(), r.of(), java.time.Instant.ofEpochMilli(
                    r.evaluatedMillis()).toString(), r.age().toMillis() / 1000.0);
        }
    }

    /**
     * @param title     the panel's title in the terminal
     * @param group     its row's title
     * @param available whether it has figures
     * @param level     none, ok, warn or alert
     * @param figures   its figures, the headline first
     * @param bars      its breakdown (jobs by status, errors by type)
     * @param reason    why it has no figures, or null
     */
    @JsonPropertyOrder({"title", "group", "available", "level", "figures", "bars", "reason", "window"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Panel(String title, String group, boolean available, String level, List<Figure> figures, List<Figure> bars,
            String reason, @JsonInclude(JsonInclude.Include.NON_NULL) Window window) {
    }

    /**
     * A panel's window while it is not yet full (absent once it is): the window, how much of it holds data, whether
     * that is enough for the level to be judged, and the note in words, as {@code metrics -o json}'s
     * {@code window_covered_seconds} and {@code reasons.window} say it.
     *
     * @param seconds        the window
     * @param coveredSeconds the time its data spans
     * @param judged         whether the level is judged over that span (else it is none)
     * @param note           the same in words
     */
    @JsonPropertyOrder({"seconds", "covered_seconds", "judged", "note"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Window(double seconds, @JsonProperty("covered_seconds") double coveredSeconds, boolean judged,
            String note) {
        static Window of(io.exlm.mon.source.Snapshot.Coverage c) {
            return c == null ? null : new Window(c.window().toMillis() / 1000.0, c.covered().toMillis() / 1000.0,
                    c.judged(), c.words());
        }
    }

    /** A labelled number; null when it is not a finite number (JSON has no NaN). */
    @JsonPropertyOrder({"label", "value", "unit"})
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Figure(String label, Double value, String unit) {
        static Figure of(String label, double value, PanelState.Unit unit) {
            return new Figure(label, Double.isFinite(value) ? value : null, unit.name().toLowerCase(Locale.ROOT));
        }
    }

    static Document of(DashboardModel model, List<String> failing) {
        DashboardModel.Header h = model.header();
        Map<String, Panel> panels = new LinkedHashMap<>();
        for (PanelId id : PanelId.values()) {
            PanelState p = model.panel(id);
            panels.put(id.key(), new Panel(id.title(), id.group().title(), p.available(), p.level().name()
                    .toLowerCase(Locale.ROOT), p.figures().stream().map(f -> Figure.of(f.label(), f.value(),
                    f.unit())).toList(), p.bars().stream().map(b -> Figure.of(b.label(), b.value(), b.unit()))
                    .toList(), p.unavailable(), Window.of(p.coverage())));
        }
        return new Document(h.source(), h.status().name().toLowerCase(Locale.ROOT), h.message(),
                h.intervalMillis() / 1000.0, h.past() ? java.time.Instant.ofEpochMilli(h.atMillis()).toString() : null,
                Recordings.of(h.recorded()), panels, TopGate.alerts(model), failing);
    }
}
