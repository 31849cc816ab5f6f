package io.exlm.mon.doctor;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The machine exlm-mon runs on: memory, CPU, processes and disks. {@link OshiHost} reads them with oshi. */
public interface HostProbe {
    /** Bytes of physical memory, and how much of it is available without swapping. */
    record Memory(long totalBytes, long availableBytes) {
        public double usedPercent() {
            return totalBytes <= 0 ? 0 : 100.0 * (totalBytes - availableBytes) / totalBytes;
        }
    }

    /** A process and its resident memory. */
    record Proc(long pid, String name, long residentBytes) {
    }

    /**
     * The file system that holds a path.
     *
     * @param freeBytes   unallocated, including what is reserved for root
     * @param usableBytes what an ordinary process can still write
     */
    record Disk(String path, String mount, long totalBytes, long freeBytes, long usableBytes) {
        /** As df computes Use%: used over what users can have (used plus usable), reserved blocks left out. */
        public double usedPercent() {
            long used = totalBytes - freeBytes;
            return used + usableBytes <= 0 ? 0 : 100.0 * used / (used + usableBytes);
        }
    }

    Memory memory();

    /** The processes with the most resident memory, largest first. */
    List<Proc> topByMemory(int n);

    /** CPU busy percent of all cores over a sample of this length, without exlm-mon's own use. */
    double cpuPercent(Duration sample);

    /** The 1, 5 and 15 minute load averages (negative where the system does not say). */
    double[] loadAverage();

    int cores();

    /** The file system holding {@code path}; null when the path does not exist here. */
    Disk disk(Path path);
}
