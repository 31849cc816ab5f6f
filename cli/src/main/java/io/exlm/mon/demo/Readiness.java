package io.exlm.mon.demo;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dependency checks behind {@code /api/v1/health/ready}: TCP reachability of the database and Redis (when their
 * addresses are given), and disk and memory against thresholds (percent).
 */
record Readiness(String databaseAddr, String redisAddr, double memoryThreshold, double diskThreshold) {
    /**
     * One dependency's state in {@code /ready}'s answer, its output contract: {@code status} ({@code ok},
     * {@code fail} or {@code not_configured}), then the fields of its kind, in component order, snake_case, the
     * absent left out: a TCP check's {@code message} (not configured) or {@code address} and {@code latency_ms} or
     * {@code error}; a threshold's {@code usage_percent}, {@code threshold_percent}, {@code synthetic} (only when
     * true) and {@code error} (only when failing).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Check(String status, String message, String address, Double latencyMs, Double usagePercent,
            Double thresholdPercent, Boolean synthetic, String error) {
        boolean failed() {
            return "fail".equals(status);
        }
    }

    Map<String, Check> run(SystemReadings.Reading reading) {
        Map<String, Check> checks = new LinkedHashMap<>();
        for (Map.Entry<String, Check> e : List.of(Map.entry("database", tcp(databaseAddr)),
                Map.entry("redis", tcp(redisAddr)),
                Map.entry("disk", threshold(reading.diskPercent(), diskThreshold, reading.synthetic())),
                Map.entry("memory", threshold(reading.memoryPercent(), memoryThreshold, reading.synthetic())))) {
            checks.put(e.getKey(), e.getValue());
        }
        return checks;
    }

    private static Check tcp(String addr) {
        if (addr == null || addr.isBlank()) {
            return new Check("not_configured", "not configured", null, null, null, null, null, null);
        }
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, colon);
        int port = Integer.parseInt(addr.substring(colon + 1));
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return new Check("ok", null, addr, (System.nanoTime() - start) / 1_000_000.0, null, null, null, null);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Check("fail", null, addr, null, null, null, null,
                    (e instanceof java.net.ConnectException ? "connection refused: " : "") + msg);
        }
    }

    private static Check threshold(double value, double threshold, boolean synthetic) {
        String error = value >= threshold ? String.format(java.util.Locale.ROOT, "usage %.1f%% is at or above %.0f%%",
                value, threshold) : null;
        return new Check(error == null ? "ok" : "fail", null, null, null, Math.round(value * 10) / 10.0, threshold,
                synthetic ? Boolean.TRUE : null, error);
    }
}
