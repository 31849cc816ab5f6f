package io.exlm.mon.slo;

import com.fasterxml.jackson.databind.JsonNode;
import io.exlm.mon.Yaml;
import io.exlm.mon.config.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The service level objectives of the backend, as {@code stack/slo/exlm-backend.yml} sets them: the one place where
 * the objectives, their period, the burn-rate alerts' windows and factors are written. {@link SloRules} makes the
 * Prometheus rules of them.
 *
 * @param service    the service's name, as the alerts' texts say it
 * @param job        the scrape job whose series count
 * @param period     the period the objectives hold over (30 days)
 * @param history    the share of its long window that an alert needs the job's history to reach back ({@code 0.9}):
 *                   a window over a younger series sees only its part, and acts as a shorter one
 * @param objectives the objectives, in the file's order
 * @param alerts     the burn-rate alerts of every objective, in the file's order
 */
public record Slo(String service, String job, Duration period, BigDecimal history, List<Objective> objectives,
        List<BurnAlert> alerts) {

    /** What kind of objective: which requests are its errors. */
    public enum Kind {
        /** a request answered with a 5xx status is an error */
        AVAILABILITY,
        /** a request slower than a bucket's upper bound is an error */
        LATENCY
    }

    /**
     * One objective.
     *
     * @param name      its name ({@code availability}, {@code latency}): the {@code slo} label of its alerts
     * @param kind      which requests are its errors
     * @param objective the share of requests that must be good, in percent ({@code 99.5})
     * @param le        for latency, the bucket's upper bound as the histogram writes it ({@code 0.5}); else null
     * @param page      the name of its page alert
     * @param ticket    the name of its ticket alert
     */
    public record Objective(String name, Kind kind, BigDecimal objective, String le, String page, String ticket) {
        /** The error budget: the share of requests that may be errors ({@code 0.005} for 99.5 %). */
        public BigDecimal budget() {
            return BigDecimal.ONE.subtract(objective.movePointLeft(2)).stripTrailingZeros();
        }

        /** The recording rule of this objective's error ratio over {@code window}. */
        public String ratioRecord(Duration window) {
            return "exlm:slo_" + name + "_errors:ratio_rate" + Durations.format(window);
        }

        /** The alert of a kind of burn-rate alert. */
        public String alertName(Severity s) {
            return s == Severity.PAGE ? page : ticket;
        }
    }

    /** Whom an alert calls: a page wakes someone, a ticket waits for working hours. */
    public enum Severity {
        PAGE("critical"), TICKET("warning");

        private final String label;

        Severity(String label) {
            this.label = label;
        }

        /** The {@code severity} label, in the words of the guide's alerts. */
        public String label() {
            return label;
        }
    }

    /**
     * One burn-rate condition: the budget burns more than {@code factor} times the period's pace over both windows.
     *
     * @param severity page or ticket
     * @param longWindow the long window (1h)
     * @param shortWindow the short window that confirms it (5m)
     * @param factor the burn rate ({@code 14.4})
     */
    public record BurnAlert(Severity severity, Duration longWindow, Duration shortWindow, BigDecimal factor) {
        /** The error ratio above which it fires: factor times the budget ({@code 14.4 * 0.005}). */
        public BigDecimal threshold(Objective o) {
            return factor.multiply(o.budget()).stripTrailingZeros();
        }

        /** How long the whole period's budget lasts at this burn rate (30d / 14.4 = 2d2h). */
        public Duration exhaustion(Duration period) {
            return Duration.ofSeconds(new BigDecimal(period.toSeconds()).divide(factor, 0,
                    java.math.RoundingMode.HALF_UP).longValueExact());
        }

        /**
         * How far back the job must have been scraped for the long window to count: {@code history} of it (0.9 of
         * 6h is 5h24m), rounded down to the second.
         */
        public Duration historyNeeded(BigDecimal history) {
            return Duration.ofSeconds(history.multiply(new BigDecimal(longWindow.toSeconds()))
                    .setScale(0, java.math.RoundingMode.DOWN).longValueExact());
        }

        /** The share of the period's budget spent by the time it fires (14.4 x 1h / 30d = 2 %). */
        public BigDecimal budgetSpent(Duration period) {
            return factor.multiply(new BigDecimal(longWindow.toSeconds())).movePointRight(2)
                    .divide(new BigDecimal(period.toSeconds()), 1, java.math.RoundingMode.HALF_UP).stripTrailingZeros();
        }
    }

    /** Every window a rule reads, shortest first. */
    public List<Duration> windows() {
        TreeSet<Duration> w = new TreeSet<>();
        for (BurnAlert a : alerts) {
            w.add(a.longWindow());
            w.add(a.shortWindow());
        }
        return List.copyOf(w);
    }

    /** The definition of a YAML document; {@code what} names it in the message of a mistake. */
    public static Slo parse(String yaml, String what) {
        JsonNode doc = Yaml.read(yaml, what);
        List<Objective> objectives = new ArrayList<>();
        for (JsonNode o : doc.path("objectives")) {
            String name = required(o, "slo", what);
            Kind kind = switch (name) {
                case "availability" -> Kind.AVAILABILITY;
                case "latency" -> Kind.LATENCY;
                default -> throw new IllegalArgumentException(what + ": objective " + name
                        + " is neither availability nor latency");
            };
            BigDecimal objective = number(required(o, "objective", what), "objective", what);
            if (objective.signum() <= 0 || objective.compareTo(new BigDecimal(100)) >= 0) {
                throw new IllegalArgumentException(what + ": objective " + name + " is " + objective
                        + ", not a percentage between 0 and 100");
            }
            String le = kind == Kind.LATENCY ? required(o, "le", what) : null;
            objectives.add(new Objective(name, kind, objective, le, required(o, "page", what),
                    required(o, "ticket", what)));
        }
        List<BurnAlert> alerts = new ArrayList<>();
        for (JsonNode a : doc.path("alerts")) {
            String kind = required(a, "kind", what);
            Severity s = switch (kind) {
                case "page" -> Severity.PAGE;
                case "ticket" -> Severity.TICKET;
                default -> throw new IllegalArgumentException(what + ": alert kind " + kind + " is neither page nor"
                        + " ticket");
            };
            alerts.add(new BurnAlert(s, Durations.parsePrometheus(required(a, "long", what)),
                    Durations.parsePrometheus(required(a, "short", what)), number(required(a, "factor", what),
                    "factor", what)));
        }
        if (objectives.isEmpty() || alerts.isEmpty()) {
            throw new IllegalArgumentException(what + " has no objectives or no alerts");
        }
        BigDecimal history = number(required(doc, "history", what), "history", what);
        if (history.signum() <= 0 || history.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException(what + ": history is " + history.toPlainString()
                    + ", not a share of a window above 0 and at most 1");
        }
        return new Slo(required(doc, "service", what), required(doc, "job", what),
                Durations.parsePrometheus(required(doc, "period", what)), history, List.copyOf(objectives),
                List.copyOf(alerts));
    }

    private static BigDecimal number(String text, String key, String what) {
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": " + key + " is " + text + ", not a number");
        }
    }

    private static String required(JsonNode n, String key, String what) {
        String v = Yaml.text(n.get(key));
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(what + ": " + key + " is missing");
        }
        return v;
    }

    /**
     * The latency objective of this definition, as the terminal colours latency by it (slo reads source, not the
     * other way round); an error when it has none.
     */
    public io.exlm.mon.source.LatencyObjective latencyObjective() {
        for (Objective o : objectives()) {
            if (o.kind() == Kind.LATENCY) {
                return new io.exlm.mon.source.LatencyObjective(o.objective().movePointLeft(2).doubleValue(),
                        Double.parseDouble(o.le()));
            }
        }
        throw new IllegalStateException("the SLO of " + service() + " has no latency objective");
    }
}
