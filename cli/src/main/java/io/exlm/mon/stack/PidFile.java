package io.exlm.mon.stack;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What {@code up} records of a process it started. A pid alone is not trusted: the kernel reuses pids, and
 * {@code down} must never stop a process that is not ours. The process must still be alive, have started at the
 * recorded instant, and run the recorded executable.
 *
 * @param pid        the process id
 * @param startMillis when the process started (epoch milliseconds, as the kernel reports it)
 * @param executable the real path of the binary it runs
 * @param url        where it listens
 * @param version    the binary's version, as it reported it
 */
public record PidFile(@JsonProperty("pid") long pid, @JsonProperty("start_ms") long startMillis,
        @JsonProperty("executable") String executable, @JsonProperty("url") String url,
        @JsonProperty("version") String version) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The kernel counts start time in clock ticks; two readings of one process may round differently. */
    private static final long START_TOLERANCE_MS = 1000;

    /** Reads a pid file; null when there is none, or it cannot be understood (then it proves nothing). */
    public static PidFile read(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), PidFile.class);
        } catch (IOException e) {
            return null;
        }
    }

    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Describes a process just started. */
    public static PidFile of(ProcessHandle process, Path executable, String url, String version) {
        long start = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return new PidFile(process.pid(), start, executable.toString(), url, version);
    }

    /** The process, if it is alive and is still the one that was started. */
    public Optional<ProcessHandle> verified() {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return Optional.empty();
        }
        ProcessHandle.Info info = handle.get().info();
        Optional<Instant> start = info.startInstant();
        if (start.isEmpty() || Math.abs(start.get().toEpochMilli() - startMillis) > START_TOLERANCE_MS) {
            return Optional.empty();
        }
        if (!runs(info, executable)) {
            return Optional.empty();
        }
        return handle;
    }

    private static boolean runs(ProcessHandle.Info info, String executable) {
        Optional<String> command = info.command();
        if (command.isPresent()) {
            String c = command.get();
            // a binary replaced by a package upgrade shows as "path (deleted)"; it is still the same process
            if (c.equals(executable) || c.equals(executable + " (deleted)")) {
                return true;
            }
            // a wrapper script runs as its interpreter, with the script as its first argument
            return info.arguments().map(a -> a.length > 0 && a[0].equals(executable)).orElse(false);
        }
        // the kernel hides /proc/PID/exe of another user's process: fall back to its command line
        return info.commandLine().map(l -> l.startsWith(executable) || l.contains("/" + Path.of(executable)
                .getFileName())).orElse(false);
    }
}
