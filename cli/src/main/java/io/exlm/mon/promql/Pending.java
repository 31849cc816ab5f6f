package io.exlm.mon.promql;

import io.exlm.mon.config.Durations;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code alerts} and {@code explain} say of a pending alert. Prometheus templates a rule's annotations at every
 * evaluation, pending too, and the guide's say what holds once the alert fires ("above 5 % for 5 minutes"): true
 * of a firing alert, whose {@code for:} has passed, and of the notifications Alertmanager sends, but not of one
 * pending for seconds. So a pending alert is said as {@link #state} ("pending for 12s of 5m"), and its texts
 * without the words that claim a duration it has not been active for ({@link #unclaimed}); a firing alert's texts
 * are the rule's, whole.
 */
public final class Pending {
    /**
     * "for" and a duration: a number and a unit in words ({@code 5 minutes}, {@code 1 hour}, {@code 30 s}), "a" or
     * "one" and a unit, or Prometheus's own form ({@code 5m}, {@code 1h30m}); "more than", "at least" or "over" may
     * come between.
     */
    private static final Pattern CLAIM = Pattern.compile("\\s+for\\s+(?:more than\\s+|at least\\s+|over\\s+)?"
            + "(?:(?<n>\\d+(?:\\.\\d+)?|an?|one)\\s*(?<unit>seconds?|secs?|s|minutes?|mins?|m|hours?|h|days?|d)"
            + "|(?<prom>(?:\\d+[dhms])+))\\b", Pattern.CASE_INSENSITIVE);

    private Pending() {
    }

    /**
     * A pending alert's state and age: {@code pending for 12s of 5m} (its rule's {@code for:}, as the rule writes
     * it), {@code pending for 12s} when the rule has none or is unknown; the age as {@link AlertClock#age} writes
     * it, the one every view shows.
     */
    public static String state(Long activeSeconds, Long forSeconds) {
        if (activeSeconds == null) {
            return "pending (since when unknown: Prometheus gave no activeAt)";
        }
        return "pending for " + AlertClock.age(activeSeconds) + (forSeconds == null || forSeconds == 0 ? ""
                : " of " + AlertClock.forText(forSeconds));
    }

    /**
     * {@code text} (a pending alert's summary or description) without every "for DURATION" it holds that is longer
     * than the alert has been active ({@code activeSeconds}; every one when unknown): "(above 5 % for 5 minutes)"
     * becomes "(above 5 %)". A duration it has been active for is true, and stays; so do windows ("over the last
     * 5m", "in the last 5 minutes"), which do not claim how long the alert has held.
     */
    public static String unclaimed(String text, Long activeSeconds) {
        if (text == null) {
            return null;
        }
        Matcher m = CLAIM.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Duration d = duration(m);
            boolean met = d != null && activeSeconds != null && d.getSeconds() <= activeSeconds;
            m.appendReplacement(out, met ? Matcher.quoteReplacement(m.group()) : "");
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Duration duration(Matcher m) {
        if (m.group("prom") != null) {
            return Durations.parseOr(m.group("prom").toLowerCase(Locale.ROOT), null);
        }
        String n = m.group("n").toLowerCase(Locale.ROOT);
        double count = n.equals("a") || n.equals("an") || n.equals("one") ? 1 : Double.parseDouble(n);
        long unit = switch (m.group("unit").toLowerCase(Locale.ROOT).charAt(0)) {
            case 's' -> 1;
            case 'm' -> 60;
            case 'h' -> 3600;
            default -> 86_400;
        };
        return Duration.ofSeconds(Math.round(count * unit));
    }
}
