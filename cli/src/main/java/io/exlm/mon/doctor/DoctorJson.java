package io.exlm.mon.doctor;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The documents of {@code doctor -o json} and {@code doctor --list-checks -o json}: the contract the README states
 * and the golden files ({@code CommandGoldenTest}) hold. Fields in record order, snake_case, nulls included.
 */
public final class DoctorJson {
    private DoctorJson() {
    }

    /**
     * One run: the verdict, the count of each status (every status, in {@link Status}'s order), the endpoints the
     * checks ran against (prometheus, backend, alertmanager, grafana) and each check in the order it is listed.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Document(String status, int exitCode, boolean strict, long elapsedMs, Map<String, Integer> counts,
            Endpoints endpoints, List<Entry> checks) {
    }

    /** The endpoints the checks ran against. */
    public record Endpoints(String prometheus, String backend, String alertmanager, String grafana) {
        public static Endpoints of(DoctorEnv env) {
            return new Endpoints(env.prometheusUrl(), env.backendUrl(), env.alertmanagerUrl(), env.grafanaUrl());
        }

        /** The endpoint of a check group, null for a group that has none (the host, the dashboards' rows). */
        public String of(String group) {
            return switch (group) {
                case "prometheus" -> prometheus;
                case "backend" -> backend;
                case "alertmanager" -> alertmanager;
                case "grafana" -> grafana;
                default -> null;
            };
        }
    }

    /**
     * One check: its verdict, what it found and what to do; {@code caused_by} the root cause its verdict follows
     * from ({@link RootCauses}; null when it has none: a root cause itself, or a check on its own),
     * {@code expected_at} when warming up (RFC 3339), the check's own {@code figures}, and how long it took.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Entry(String id, String group, String title, String status, String summary, List<String> details,
            String remediation, List<String> requires, String skippedBecause, String causedBy, String expectedAt,
            Map<String, Object> figures, long durationMs) {
    }

    /** {@code --list-checks}: every check in registry order. */
    public record Listing(List<Listed> checks) {
    }

    /** One check as listed: its id, group, title and the checks it needs. */
    public record Listed(String id, String group, String title, List<String> requires) {
    }

    public static Document of(DoctorReport report, Endpoints endpoints) {
        return of(report, endpoints, report.results());
    }

    /**
     * The document of a run with only {@code shown} of its checks ({@code --problems}); the status, exit code and
     * counts stay those of the whole run.
     */
    public static Document of(DoctorReport report, Endpoints endpoints, List<CheckResult> shown) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        report.counts().forEach((k, v) -> counts.put(k.label(), v));
        Map<String, String> causes = report.causes();
        List<Entry> checks = shown.stream().map(r -> new Entry(r.id(), r.group(), r.title(),
                r.status().label(), r.summary(), r.details(), r.remediation(), r.requires(), r.skippedBecause(),
                causes.get(r.id()), r.expectedAt() == null ? null : r.expectedAt().toString(), r.figures(), r.millis())).toList();
        return new Document(report.status().label(), report.exitCode(), report.strict(), report.elapsedMillis(),
                counts, endpoints, checks);
    }

    public static Listing listing(List<Check> all) {
        return new Listing(all.stream().map(c -> new Listed(c.id(), c.group(), c.title(), c.requires())).toList());
    }
}
