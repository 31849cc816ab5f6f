package io.exlm.mon.doctor;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/** The host as oshi reads it (on Linux from /proc); disks through java.nio, which needs no native code. */
public final class OshiHost implements HostProbe {
    static {
        // oshi keeps what it reads for 300 ms by default, the CPU's tick counters among them: two readings within
        // that time are the same reading, and a CPU sample shorter than it says 0 % busy on a busy host. A check
        // reads each figure once or twice, so nothing is kept.
        oshi.util.GlobalConfig.set("oshi.util.memoizer.expiration", 0);
    }

    private volatile SystemInfo si;

    private SystemInfo si() {
        SystemInfo s = si;
        if (s == null) {
            synchronized (this) {
                if (si == null) {
                    si = new SystemInfo();
                }
                s = si;
            }
        }
        return s;
    }

    @Override
    public Memory memory() {
        var m = si().getHardware().getMemory();
        return new Memory(m.getTotal(), m.getAvailable());
    }

    @Override
    public List<Proc> topByMemory(int n) {
        OperatingSystem os = si().getOperatingSystem();
        List<Proc> out = new ArrayList<>();
        for (OSProcess p : os.getProcesses(null, OperatingSystem.ProcessSorting.RSS_DESC, n)) {
            out.add(new Proc(p.getProcessID(), p.getName(), p.getResidentSetSize()));
        }
        return out;
    }

    /** Busy percent of all cores over the sample, without exlm-mon's own use (it is busy running the checks). */
    @Override
    public double cpuPercent(Duration sample) {
        CentralProcessor cpu = si().getHardware().getProcessor();
        OperatingSystem os = si().getOperatingSystem();
        int pid = os.getProcessId();
        long[] before = cpu.getSystemCpuLoadTicks();
        long ownBefore = ownMillis(os, pid);
        try {
            Thread.sleep(sample.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] after = cpu.getSystemCpuLoadTicks();
        long ownAfter = ownMillis(os, pid);
        long total = 0;
        for (int i = 0; i < after.length; i++) {
            total += after[i] - before[i];
        }
        long idle = after[CentralProcessor.TickType.IDLE.getIndex()] - before[CentralProcessor.TickType.IDLE.getIndex()]
                + after[CentralProcessor.TickType.IOWAIT.getIndex()]
                - before[CentralProcessor.TickType.IOWAIT.getIndex()];
        if (total <= 0) {
            return 0;
        }
        double busy = total - idle - Math.max(0, ownAfter - ownBefore);
        return Math.max(0, Math.min(100, 100.0 * busy / total));
    }

    private static long ownMillis(OperatingSystem os, int pid) {
        OSProcess p = os.getProcess(pid);
        return p == null ? 0 : p.getUserTime() + p.getKernelTime();
    }

    @Override
    public double[] loadAverage() {
        return si().getHardware().getProcessor().getSystemLoadAverage(3);
    }

    @Override
    public int cores() {
        return si().getHardware().getProcessor().getLogicalProcessorCount();
    }

    @Override
    public Disk disk(Path path) {
        try {
            if (!Files.exists(path)) {
                return null;
            }
            FileStore fs = Files.getFileStore(path);
            return new Disk(path.toString(), mountOf(fs), fs.getTotalSpace(), fs.getUnallocatedSpace(),
                    fs.getUsableSpace());
        } catch (IOException e) {
            return null;
        }
    }

    private static String mountOf(FileStore fs) {
        // "/ (/dev/vda)": the mount point is what comes before the device in parentheses
        String s = fs.toString();
        int paren = s.lastIndexOf(" (");
        return paren > 0 ? s.substring(0, paren) : s;
    }
}
