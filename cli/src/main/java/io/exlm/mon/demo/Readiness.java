package io.exlm.mon.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dependency checks behind {@code /api/v1/health/ready}: TCP reachability of the database and Redis (when their
 * addresses are given), and disk and memory against thresholds.
 */
final class Readiness {
    /** One dependency's state: {@code ok}, {@code fail}, or {@code not_configured}. */
    record Check(String status, Map<String, Object> details) {
        boolean failed() {
            return "fail".equals(status);
        }
    }

    private final String databaseAddr;
    private final String redisAddr;
    private final double memoryThreshold;
    private final double diskThreshold;

    Readiness(String databaseAddr, String redisAddr, double memoryThreshold, double diskThreshold) {
        this.databaseAddr = databaseAddr;
        this.redisAddr = redisAddr;
        this.memoryThreshold = memoryThreshold;
        this.diskThreshold = diskThreshold;
    }

    Map<String, Check> run(SystemReadings.Reading reading) {
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("database", tcp(databaseAddr));
        checks.put("redis", tcp(redisAddr));
        checks.put("disk", threshold(reading.diskPercent(), diskThreshold, reading.synthetic()));
        checks.put("memory", threshold(reading.memoryPercent(), memoryThreshold, reading.synthetic()));
        return checks;
    }

    private static Check tcp(String addr) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (addr == null || addr.isBlank()) {
            d.put("message", "not configured");
            return new Check("not_configured", d);
        }
        d.put("address", addr);
        int colon = addr.lastIndexOf(':');
        String host = addr.substring(0, colon);
        int port = Integer.parseInt(addr.substring(colon + 1));
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            d.put("latency_ms", (System.nanoTime() - start) / 1_000_000.0);
            return new Check("ok", d);
        } catch (IOException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            d.put("error", (e instanceof java.net.ConnectException ? "connection refused: " : "") + msg);
            return new Check("fail", d);
        }
    }

    private static Check threshold(double value, double threshold, boolean synthetic) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("usage_percent", Math.round(value * 10) / 10.0);
        d.put("threshold_percent", threshold);
        if (synthetic) {
            d.put("synthetic", true);
        }
        if (value >= threshold) {
            d.put("error", String.format(java.util.Locale.ROOT, "usage %.1f%% is at or above %.0f%%", value,
                    threshold));
            return new Check("fail", d);
        }
        return new Check("ok", d);
    }
}
