package io.exlm.mon.testing;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generates large, valid Prometheus text expositions that look like a busy web backend: for each (method, handler)
 * a latency histogram (14 buckets and +Inf, _sum, _count) and a request counter by status; cumulative counts,
 * fractional sums. Deterministic for a seed. About 20 samples and 1.9 KB per (method, handler) pair, so 3,750 pairs
 * make the 75,000-sample benchmark body of 7-8 MB and 53,000 pairs about 100 MB.
 */
public final class Expositions {
    static final String[] LE = {"0.005", "0.01", "0.025", "0.05", "0.075", "0.1", "0.25", "0.5", "0.75", "1", "2.5",
        "5", "7.5", "10"};
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    static final String[] STATUSES = {"200", "404", "500"};

    private Expositions() {
    }

    /** Samples per (method, handler) pair: 15 buckets, _sum, _count, and 3 statuses. */
    public static final int SAMPLES_PER_PAIR = LE.length + 1 + 2 + STATUSES.length;

    /** The body of about {@code samples} samples. */
    public static byte[] generate(int samples, long seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(samples * 100);
        write(out, samples / SAMPLES_PER_PAIR, seed);
        return out.toByteArray();
    }

    /** Writes a body of about the given size to a file. */
    public static void writeFile(Path file, long bytes, long seed) {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, (int) (bytes / 1900), seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the exposition of {@code pairs} (method, handler) pairs. */
    public static void write(OutputStream out, int pairs, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder(1 << 16);
        try {
            sb.append("# HELP http_request_duration_seconds HTTP request latency in seconds.\n");
            sb.append("# TYPE http_request_duration_seconds histogram\n");
            long[] counts = new long[LE.length + 1];
            for (int p = 0; p < pairs; p++) {
                String labels = "method=\"" + METHODS[p % METHODS.length] + "\",handler=\"/api/v1/resource/"
                        + (p / METHODS.length) + "\"";
                long total = 0;
                for (int i = 0; i < counts.length; i++) {
                    total += random.nextInt(i < 8 ? 5000 : 300);
                    counts[i] = total;
                }
                for (int i = 0; i < LE.length; i++) {
                    sb.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"").append(LE[i])
                            .append("\"} ").append(counts[i]).append('\n');
                }
                sb.append("http_request_duration_seconds_bucket{").append(labels).append(",le=\"+Inf\"} ")
                        .append(total).append('\n');
                sb.append("http_request_duration_seconds_sum{").append(labels).append("} ")
                        .append(String.format(Locale.ROOT, "%.6f", total * (0.05 + random.nextDouble() * 0.2)))
                        .append('\n');
                sb.append("http_request_duration_seconds_count{").append(labels).append("} ").append(total)
                        .append('\n');
                if (sb.length() > 60_000) {
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            sb.append("# HELP http_requests_total Total number of HTTP requests.\n");
            sb.append("# TYPE http_requests_total counter\n");
            for (int p = 0; p < pairs; p++) {
                for (String status : STATUSES) {
                    sb.append("http_requests_total{method=\"").append(METHODS[p % METHODS.length])
                            .append("\",handler=\"/api/v1/resource/").append(p / METHODS.length).append("\",status=\"")
                            .append(status).append("\"} ").append(random.nextInt(1_000_000)).append('\n');
                }
                if (sb.length() > 60_000) {
                    out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
                    sb.setLength(0);
                }
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a 75,000-sample body (or another size, in MB) to a file: {@code Expositions FILE [MB]}. */
    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        if (args.length > 1) {
            writeFile(file, Long.parseLong(args[1]) * 1_000_000, 42);
        } else {
            try {
                Files.write(file, generate(75_000, 42));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
