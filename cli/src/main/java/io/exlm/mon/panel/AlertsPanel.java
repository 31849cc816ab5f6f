package io.exlm.mon.panel;

import io.exlm.mon.ExitException;
import io.exlm.mon.promql.Alert;
import io.exlm.mon.promql.AlertmanagerClient;
import io.exlm.mon.promql.AlertmanagerClient.Silence;
import io.exlm.mon.promql.PrometheusClient;
import io.exlm.mon.promql.RuleHealth;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The alerts panel of top (with the Prometheus source): the alerts Prometheus has firing and pending
 * ({@code /api/v1/alerts}, as {@code exlm-mon alerts} reads them), each with its age on Prometheus's clock (the clock
 * of its activeAt, {@link io.exlm.mon.promql.AlertClock}, as {@code alerts} and {@code explain} measure it), and Alertmanager's active silences with the alerts they hold.
 * What comes from a server is made printable here.
 *
 * @param alerts        those that count first (not silenced, not by design), firing before pending, then by
 *                      severity, name and instance
 * @param clock         {@code prometheus} (its {@code time()}) or {@code local} (when Prometheus did not say)
 * @param silences      the active silences; empty when unknown
 * @param silencesError why the silences are unknown (Alertmanager unreachable), or null
 * @param error         why the alerts are unknown (Prometheus's alerts API failed), or null
 * @param rules         why "none fires" would not be true of exlm's rules ({@link RuleHealth#untrusted()}: some not
 *                      loaded, or failing), or why the rules are unknown; null when they load and evaluate
 */
public record AlertsPanel(List<Row> alerts, String clock, List<String> silences, String silencesError,
        String error, String rules) {

    public AlertsPanel(List<Row> alerts, String clock, List<String> silences, String silencesError, String error) {
        this(alerts, clock, silences, silencesError, error, null);
    }

    /**
     * One alert.
     *
     * @param ageSeconds how long it has been active, on {@link #clock}; null when Prometheus gave no activeAt
     * @param silencedBy the ids of the active silences that hold it
     */
    public record Row(String name, String state, String severity, String instance, Long ageSeconds,
            List<String> silencedBy) {
        public Row {
            name = io.exlm.mon.Text.printable(name);
            state = io.exlm.mon.Text.printable(state);
            severity = io.exlm.mon.Text.printable(severity);
            instance = io.exlm.mon.Text.printable(instance);
            silencedBy = List.copyOf(silencedBy);
        }

        public boolean firing() {
            return state.equals("firing");
        }

        /** Whether it counts for the header: not held by a silence, not firing by design. */
        public boolean counts() {
            return silencedBy.isEmpty() && !Alert.BY_DESIGN.equals(severity);
        }
    }

    /** The header's alert state, from Prometheus. */
    public enum State {
        /** An alert fires (not silenced, not by design). */
        ALERT,
        /** None fires, one is pending. */
        PENDING,
        /** None fires or pends. */
        NONE
    }

    public static AlertsPanel unknown(String why) {
        return new AlertsPanel(List.of(), "local", List.of(), null, io.exlm.mon.Text.printable(why));
    }

    /** ALERT when an alert fires, PENDING when only pending ones, else NONE; NONE when the alerts are unknown. */
    public State state() {
        boolean pending = false;
        for (Row r : alerts) {
            if (!r.counts()) {
                continue;
            }
            if (r.firing()) {
                return State.ALERT;
            }
            pending |= r.state().equals("pending");
        }
        return pending ? State.PENDING : State.NONE;
    }

    /** The names of the alerts that make {@link #state()}, in order, once each. */
    public List<String> stateNames() {
        State st = state();
        Set<String> out = new LinkedHashSet<>();
        for (Row r : alerts) {
            if (r.counts() && (st == State.ALERT ? r.firing() : st == State.PENDING)) {
                out.add(r.name());
            }
        }
        return List.copyOf(out);
    }

    /** The guide's alert names, from the stack's rules file (the one place). */
    private static final List<String> GUIDE_ALERTS = io.exlm.mon.stack.StackFiles.alertNames();

    /**
     * Reads the alerts from Prometheus and the silences from Alertmanager ({@code am} null when no URL is known),
     * and judges them by the health of exlm's rules ({@code rules}, which may throw as a client does): a failing
     * Prometheus makes {@link #unknown}; a failing Alertmanager only {@link #silencesError}.
     */
    public static AlertsPanel read(PrometheusClient prometheus, AlertmanagerClient am, Clock clock,
            java.util.function.Supplier<RuleHealth> rules) {
        List<Alert> alerts;
        try {
            alerts = prometheus.alerts();
        } catch (ExitException e) {
            return unknown("alerts unknown: " + e.getMessage());
        }
        // "no alerts" is a green only loaded, evaluating rules support: with none of exlm's rules loaded the header
        // takes the thresholds' state instead; with some missing or failing the alerts are shown and said to be
        // incomplete; alerts that are there are always shown
        String rulesNote;
        try {
            RuleHealth h = rules.get();
            if (h.noneLoaded() && alerts.isEmpty()) {
                return unknown("no exlm alert rules loaded in this Prometheus (" + String.join(", ",
                        GUIDE_ALERTS) + "): its alerts say nothing of exlm; load stack/prometheus/rules/");
            }
            rulesNote = h.untrusted();
        } catch (ExitException e) {
            if (alerts.isEmpty()) {
                return unknown("alert rules unknown: " + e.getMessage());
            }
            rulesNote = "alert rules unknown: " + e.getMessage();
        }
        // the one clock of every view of an alert: Prometheus's activeAt to its time()
        io.exlm.mon.promql.AlertClock at = io.exlm.mon.promql.AlertClock.read(prometheus, clock);
        List<Silence> silences = List.of();
        String silencesError = null;
        if (am == null) {
            silencesError = "no Alertmanager URL";
        } else {
            try {
                silences = am.silences().stream().filter(s -> "active".equals(s.state())).toList();
            } catch (ExitException e) {
                silencesError = "Alertmanager " + am.baseUrl() + ": " + e.getMessage();
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Alert a : alerts) {
            List<String> by = new ArrayList<>();
            for (Silence s : silences) {
                if (s.silences(a.labels())) {
                    by.add(s.id());
                }
            }
            rows.add(new Row(a.name(), a.state() == null ? "" : a.state(), a.labels().getOrDefault("severity", ""),
                    a.labels().getOrDefault("instance", a.labels().getOrDefault("job", "")),
                    at.activeSeconds(a), by));
        }
        // what pages first: the alerts that count (not silenced, not by design), firing before pending, the most
        // severe, then the one active longest (the first to go wrong, most often the cause of those after it: the
        // header names it), and only then by name
        rows.sort(Alert.pagingOrder(Row::counts, r -> r.firing() ? "firing" : r.state(), Row::severity,
                Row::ageSeconds, Row::name, Row::instance));
        List<String> ids = new ArrayList<>();
        silences.forEach(s -> ids.add(io.exlm.mon.Text.printable(s.id())));
        return new AlertsPanel(List.copyOf(rows), at.name(), List.copyOf(ids), silencesError == null ? null
                : io.exlm.mon.Text.printable(silencesError), null, io.exlm.mon.Text.printable(rulesNote));
    }
}
