package io.exlm.mon.explain;

import io.exlm.mon.http.Loopback;
import io.exlm.mon.source.AlertThresholds;
import java.net.URI;
import java.util.Locale;

/**
 * A host figure read for a host alert (by the node exporter on one of its instances, or by doctor on this machine)
 * against the alert's threshold, in words that name where it was read and the alert's instance. The alert reads the
 * backend's own figure of its host: a reading below the threshold under an alert above it is said to be so, with why
 * the two may differ, never as a bare "ok".
 */
final class HostReading {
    /** Where doctor's host checks read. */
    static final String THIS_MACHINE = "this machine";

    private HostReading() {
    }

    /** The host of an instance: "127.0.0.1" of "127.0.0.1:9100", "[::1]" of "[::1]:9100"; without a port, itself. */
    static String host(String instance) {
        try {
            String h = URI.create("http://" + instance).getHost();
            return h == null ? instance : h;
        } catch (IllegalArgumentException e) {
            return instance;
        }
    }

    /**
     * Whether two instances of one Prometheus's targets are known to be on one host: the same host name, or both on
     * loopback. Two names may still be one host (a container's and its host's): not known, so false.
     */
    static boolean sameHost(String a, String b) {
        String ha = host(a);
        String hb = host(b);
        return ha.toLowerCase(Locale.ROOT).equals(hb.toLowerCase(Locale.ROOT)) || Loopback.host(ha)
                && Loopback.host(hb);
    }

    /**
     * "below 80 % now on 127.0.0.1:9100, the alert's host (127.0.0.1:8000): ...", "above 90 % on this machine (the
     * alert is on backend:8000)".
     *
     * @param where         the instance read, or {@link #THIS_MACHINE}
     * @param alertInstance the alert's instance, or null when it has none
     * @param sameHost      whether {@code where} is known to be the alert's instance's host
     */
    static String verdict(double percent, double threshold, String where, String alertInstance, boolean sameHost) {
        return verdict(percent, threshold, where, alertInstance, sameHost, null);
    }

    /**
     * As {@link #verdict(double, double, String, String, boolean)} for a figure averaged over {@code over} (CPU by
     * mode, a rate): "below 80 % over the last 5m", which the minutes before the alert began can hold down while
     * the instant figure the rule reads is above; null for an instant figure ("now").
     */
    static String verdict(double percent, double threshold, String where, String alertInstance, boolean sameHost,
            java.time.Duration over) {
        String limit = AlertThresholds.number(threshold) + " %";
        boolean above = percent > threshold;
        String when = over == null ? " now" : " over the last " + io.exlm.mon.config.Durations.format(over);
        String out = (above ? "above " + limit + (over == null ? "" : when) : "below " + limit + when) + " on "
                + where;
        if (alertInstance == null) {
            return out;
        }
        if (!sameHost) {
            return out + " (the alert is on " + alertInstance + ")";
        }
        return out + ", the alert's host (" + alertInstance + ")" + (above ? "" : over != null
                ? ": an average that holds the time before the alert began, or counted otherwise"
                : ": its figure has fallen since, or is counted otherwise");
    }
}
