package io.exlm.mon.cli;

import io.exlm.mon.ExitException;
import io.exlm.mon.config.Durations;
import io.exlm.mon.panel.Level;
import io.exlm.mon.panel.PanelId;
import io.exlm.mon.panel.PanelState;
import io.exlm.mon.panel.Thresholds;
import io.exlm.mon.source.Snapshot;
import io.exlm.mon.tui.DashboardModel;
import io.exlm.mon.tui.Format;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code top --fail-on-alert}: which panels gate the run, which of them are beyond their alert threshold, and which of
 * those fail it. A panel whose alert has a {@code for:} ({@link Thresholds#hold}: CPU and memory, 5m) fails it only
 * when the readings show it beyond the threshold for that long, as the alert itself would: one busy moment of a CI
 * runner is not a broken host. The other panels fail it as soon as they are beyond.
 */
final class TopGate {
    static final String ALL_PANELS = "all";

    private TopGate() {
    }

    /**
     * The JSON keys of the panels that have an alert threshold, for --fail-on-alert's help, completion and check:
     * read from the thresholds themselves, so that a gate on a panel that can never be beyond one is refused.
     */
    static final class Panels implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(PanelId.values()).filter(p -> Thresholds.of(p) != null).map(PanelId::key)
                    .iterator();
        }
    }

    static List<String> alerts(DashboardModel model) {
        return alerts(model, EnumSet.allOf(PanelId.class));
    }

    /**
     * The panels of {@code gated} beyond their alert threshold, by their JSON keys: the thresholds of the alert rules
     * only. The latency panel's level is against the SLO's objective ({@link Thresholds#objective}), which the
     * burn-rate alerts judge over hours: one window's p95 beyond it colours the panel and fails no gate.
     */
    static List<String> alerts(DashboardModel model, Set<PanelId> gated) {
        return beyond(model, gated).stream().map(PanelId::key).toList();
    }

    /** {@link #alerts}, as the panels themselves, in their order. */
    private static List<PanelId> beyond(DashboardModel model, Set<PanelId> gated) {
        List<PanelId> out = new ArrayList<>();
        for (PanelId id : PanelId.values()) {
            if (gated.contains(id) && Thresholds.of(id) != null && model.panel(id).level() == Level.ALERT) {
                out.add(id);
            }
        }
        return out;
    }

    /** A panel's level at a time: one poll of this run, or one step of a source's history. */
    record Reading(long millis, Level level) {
    }

    /**
     * The gate's verdict: the keys of the panels that fail it, and a line for each panel beyond its threshold that
     * does not fail it yet, because it has not been beyond for as long as its alert waits; {@code held}: for each
     * failing panel whose alert waits ({@link Thresholds#hold}), for how long it is known beyond ("for 5m or more",
     * or that it could not be read), as the stderr line and the JUnit failure say it.
     */
    record Verdict(List<String> failing, List<String> notes, Map<String, String> held) {
        Verdict {
            failing = List.copyOf(failing);
            notes = List.copyOf(notes);
            held = Map.copyOf(held);
        }

        /** A verdict on panels whose alerts fire at once: nothing held. */
        Verdict(List<String> failing, List<String> notes) {
            this(failing, notes, Map.of());
        }

        /** " for 5m or more" (with its leading space) for a failing panel whose alert waits; "" for the others. */
        String heldFor(String key) {
            String h = held.get(key);
            return h == null ? "" : " " + h;
        }
    }

    /** For how long a panel beyond its threshold for its alert's whole hold is known beyond: "for 5m or more". */
    static String forAtLeast(Duration hold) {
        return "for " + Durations.format(hold) + " or more";
    }

    /**
     * The stderr line of a panel that fails the gate: "cpu: 97.0% beyond 80.0% for 5m or more, failing the gate",
     * "disk: 93.2% beyond 90.0%, failing the gate", or "disk: no value to judge against 90.0%, failing the gate".
     */
    static String failingLine(DashboardModel model, Verdict verdict, String key) {
        PanelId id = Arrays.stream(PanelId.values()).filter(p -> p.key().equals(key)).findFirst().orElseThrow();
        PanelState p = model.panel(id);
        double alert = Thresholds.of(id).alert();
        if (p == null || !p.available() || p.figures().isEmpty()) {
            return key + ": no value to judge against " + Format.value(alert, id.unit()) + ", failing the gate";
        }
        PanelState.Figure f = p.figures().get(0);
        return key + ": " + Format.value(f.value(), f.unit()) + " beyond " + Format.value(alert, f.unit())
                + verdict.heldFor(key) + ", failing the gate";
    }

    /**
     * What Prometheus says of a host panel's alert rule itself ({@code ALERTS} of the scope at the time shown), when
     * the rule is loaded and evaluates: it fires (the gate fails), or it does not yet, and why ({@code note}). This,
     * not a history of the panel's figure, is the alert's verdict: per instance, at the rule's own {@code for:} and
     * evaluation interval.
     */
    record Ruled(boolean firing, String note) {
    }

    /**
     * How long the readings (oldest first) show the panel beyond its alert threshold without a break up to the last
     * one: from the first of the trailing run of {@link Level#ALERT} readings to the last reading (at least that: the
     * run may have begun before the first reading); null when the last reading is not beyond.
     */
    static Duration beyondFor(List<Reading> readings) {
        if (readings.isEmpty() || readings.get(readings.size() - 1).level() != Level.ALERT) {
            return null;
        }
        long last = readings.get(readings.size() - 1).millis();
        long first = last;
        for (int i = readings.size() - 1; i >= 0 && readings.get(i).level() == Level.ALERT; i--) {
            first = readings.get(i).millis();
        }
        return Duration.ofMillis(last - first);
    }

    /**
     * The verdict on the gated panels of {@code model}: a panel beyond its threshold fails the gate when its alert
     * fires at once ({@link Thresholds#hold} zero), or when {@code readings} show it beyond for at least its hold;
     * a panel with a hold and no readings (they could not be had) fails it too, with a note: red that may be false
     * rather than green that may be.
     *
     * @param readings each host panel's readings, oldest first, the last the model's
     * @param whyNone  why there are no readings of a panel, or null
     */
    static Verdict verdict(DashboardModel model, Set<PanelId> gated,
            Map<PanelId, List<Reading>> readings, String whyNone) {
        return verdict(model, gated, Map.of(), readings, whyNone, SCRAPE_HINT);
    }

    /** What a note of the scrape source suggests: a run that reads for as long as the alert waits. */
    static final String SCRAPE_HINT = "with the scrape source, --window %s reads that long";

    /**
     * As {@link #verdict(DashboardModel, Set, Map, String)}, with the rules' own verdicts first ({@code ruled}), and
     * {@code hint} (a format of the window that reads a hold, or null) at the end of a note on too short readings.
     */
    static Verdict verdict(DashboardModel model, Set<PanelId> gated, Map<PanelId, Ruled> ruled,
            Map<PanelId, List<Reading>> readings, String whyNone, String hint) {
        List<String> failing = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, String> held = new java.util.HashMap<>();
        for (PanelId id : beyond(model, gated)) {
            String key = id.key();
            Duration hold = Thresholds.hold(id);
            if (hold.isZero()) {
                failing.add(key);
                continue;
            }
            Ruled rule = ruled.get(id);
            if (rule != null) {
                if (rule.firing()) {
                    failing.add(key);
                    held.put(key, forAtLeast(hold) + " (" + Thresholds.alert(id) + " firing)");
                }
                if (rule.note() != null) {
                    notes.add(rule.note());
                }
                continue;
            }
            List<Reading> r = readings.getOrDefault(id, List.of());
            Duration beyond = r.isEmpty() ? null : beyondFor(r);
            if (r.isEmpty()) {
                failing.add(key);
                held.put(key, "for how long unknown (its alert waits " + Durations.format(hold) + ")");
                notes.add(key + " is beyond its alert threshold, for how long could not be read ("
                        + (whyNone == null ? "no readings" : whyNone) + "): failed, as its alert may fire");
            } else if (beyond != null && beyond.compareTo(hold) >= 0) {
                failing.add(key);
                held.put(key, forAtLeast(hold));
            } else {
                String seen = Durations.human(beyond == null ? Duration.ZERO : beyond);
                notes.add(key + " is beyond its alert threshold, for " + seen + " by the readings; its alert waits "
                        + Durations.format(hold) + ": not failed" + (hint == null ? "" : " (" + String.format(
                        java.util.Locale.ROOT, hint, Durations.format(windowFor(hold))) + ")"));
            }
        }
        // a gated host panel with no value at all: its alert cannot be judged, which is no green (the error rate
        // without requests is left to its panel's reason: an idle service is not a broken one)
        for (PanelId id : gated) {
            PanelState p = model.panel(id);
            if (Thresholds.of(id) != null && id != PanelId.ERROR_RATE && p != null && !p.available()
                    && !failing.contains(id.key())) {
                failing.add(id.key());
                notes.add(id.key() + " has no value to judge against its alert threshold (" + p.unavailable()
                        + "): failed, as unknown is not healthy");
            }
        }
        return new Verdict(failing, notes, held);
    }

    /** The shortest --window whose scrapes span {@code hold}: a window counts as full a little short of itself. */
    static Duration windowFor(Duration hold) {
        return Duration.ofSeconds((long) Math.ceil(hold.toMillis() / 1000.0 / Snapshot.Coverage.FULL));
    }

    /** The panels whose readings the gate needs: gated, beyond their threshold now, and with a hold. */
    static Set<PanelId> needReadings(DashboardModel model, Set<PanelId> gated) {
        Set<PanelId> out = EnumSet.noneOf(PanelId.class);
        beyond(model, gated).stream().filter(p -> !Thresholds.hold(p).isZero()).forEach(out::add);
        return out;
    }

    /** The panels with a hold: the ones whose readings a run keeps. */
    static Set<PanelId> held() {
        Set<PanelId> out = EnumSet.noneOf(PanelId.class);
        Arrays.stream(PanelId.values()).filter(p -> Thresholds.of(p) != null && !Thresholds.hold(p).isZero())
                .forEach(out::add);
        return out;
    }

    /**
     * A usage error when {@code --fail-on-alert} names a panel whose alert waits ({@link Thresholds#hold}) and the
     * run's scrapes cannot span that wait: such a gate could never fail. {@code all} gates every panel and is left
     * to its notes.
     *
     * @param span how long the run's scrapes will span: its whole --window, or null when it reads only the judged span
     */
    static void checkHolds(List<String> failOnAlert, Duration span) {
        if (failOnAlert == null || failOnAlert.stream().anyMatch(w -> w.strip().equals(ALL_PANELS))) {
            return;
        }
        for (PanelId id : gated(failOnAlert)) {
            Duration hold = Thresholds.hold(id);
            if (!hold.isZero() && (span == null || span.compareTo(windowFor(hold)) < 0)) {
                throw ExitException.usage("--fail-on-alert " + id.key() + " with the scrape source needs --window "
                        + Durations.format(windowFor(hold)) + " or more: its alert fires after "
                        + Durations.format(hold) + " beyond its threshold, which a shorter run cannot see (or"
                        + " --source prometheus, which asks the rule itself)");
            }
        }
    }

    /** The panels --fail-on-alert gates on: none without it, all with it alone, else those it names. */
    static Set<PanelId> gated(List<String> failOnAlert) {
        Set<PanelId> out = EnumSet.noneOf(PanelId.class);
        if (failOnAlert == null) {
            return out;
        }
        for (String word : failOnAlert) {
            String w = word.strip();
            if (w.equals(ALL_PANELS)) {
                out.addAll(EnumSet.allOf(PanelId.class));
                continue;
            }
            PanelId id = Arrays.stream(PanelId.values()).filter(p -> p.key().equals(w) && Thresholds.of(p) != null)
                    .findFirst().orElseThrow(() -> ExitException.usage("--fail-on-alert: no panel '"
                            + io.exlm.mon.Text.printable(w) + "'; the panels with an alert threshold are "
                            + String.join(", ", new Panels())));
            out.add(id);
        }
        return out;
    }
}
