package io.exlm.mon.demo;

import io.exlm.mon.source.AlertThresholds;
import java.io.File;
import java.util.concurrent.ThreadLocalRandom;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSFileStore;

/**
 * CPU, memory and disk usage of the host, read with oshi; in the overload scenario, made-up values above the
 * alert thresholds instead (and said so). CPU is the load between two successive readings, so the first reading
 * after start covers the time since start.
 */
public final class SystemReadings {
    /** One reading, in percent. */
    public record Reading(double cpuPercent, double memoryPercent, double diskPercent, boolean synthetic,
            String diskPath) {
    }

    private final boolean synthetic;
    private final AlertThresholds thresholds;
    private final File diskPath;
    private CentralProcessor processor;
    private GlobalMemory memory;
    private long[] previousTicks;
    private OSFileStore store;
    private volatile Reading last;

    /** Readings of this host, or made up above the alert rules' thresholds when {@code synthetic}. */
    public SystemReadings(boolean synthetic, File diskPath, AlertThresholds thresholds) {
        this.synthetic = synthetic;
        this.thresholds = thresholds;
        this.diskPath = diskPath;
        if (!synthetic) {
            SystemInfo si = new SystemInfo();
            processor = si.getHardware().getProcessor();
            memory = si.getHardware().getMemory();
            previousTicks = processor.getSystemCpuLoadTicks();
            store = storeOf(si, diskPath);
        }
        last = read();
    }

    /** The latest reading; {@link #refresh()} makes a new one. */
    public Reading last() {
        return last;
    }

    public synchronized Reading refresh() {
        last = read();
        return last;
    }

    private Reading read() {
        if (synthetic) {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            return new Reading(above(thresholds.cpuPercent(), r), above(thresholds.memoryPercent(), r),
                    above(thresholds.diskPercent(), r), true, diskPath.getPath());
        }
        double cpu = processor.getSystemCpuLoadBetweenTicks(previousTicks) * 100;
        previousTicks = processor.getSystemCpuLoadTicks();
        long total = memory.getTotal();
        double mem = total <= 0 ? 0 : 100.0 * (total - memory.getAvailable()) / total;
        long diskTotal;
        long diskFree;
        if (store != null && store.updateAttributes()) {
            diskTotal = store.getTotalSpace();
            diskFree = store.getUsableSpace();
        } else {
            diskTotal = diskPath.getTotalSpace();
            diskFree = diskPath.getUsableSpace();
        }
        double disk = diskTotal <= 0 ? 0 : 100.0 * (diskTotal - diskFree) / diskTotal;
        return new Reading(clamp(cpu), clamp(mem), clamp(disk), false, diskPath.getPath());
    }

    /** The file store that holds the path: the one with the longest mount point that is a prefix of it. */
    private static OSFileStore storeOf(SystemInfo si, File path) {
        String p = path.getAbsolutePath();
        OSFileStore best = null;
        for (OSFileStore fs : si.getOperatingSystem().getFileSystem().getFileStores(true)) {
            String mount = fs.getMount();
            boolean under = p.equals(mount) || p.startsWith(mount.endsWith("/") ? mount : mount + "/");
            if (under && (best == null || mount.length() > best.getMount().length())) {
                best = fs;
            }
        }
        return best;
    }

    /**
     * A synthetic overload figure: between 30 % and 80 % of the way from the alert threshold to 100 %, so above the
     * threshold (CPU 86-96 % over an alert at 80 %), whatever the rules say.
     */
    static double above(double threshold, java.util.Random r) {
        return threshold + (100 - threshold) * (0.3 + 0.5 * r.nextDouble());
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(100, v));
    }
}
