package io.exlm.mon;

/**
 * Running out of heap anyway, whatever the caps: one line that names the command, what was being read, the heap and
 * how to give it more, and exit code 4, instead of a stack trace. What is being read is recorded as each read starts
 * (a URL, a file), so that the line can name it; the record is one reference, cheap to keep current.
 */
public final class OutOfMemory {
    private static volatile String reading;
    private static volatile java.util.function.Supplier<String> command = () -> null;

    private OutOfMemory() {
    }

    /** The command being run, for the line ({@code top}); asked only when the line is written. */
    public static void command(java.util.function.Supplier<String> name) {
        command = name;
    }

    /** A read (a URL, a file) is starting. */
    public static void reading(String what) {
        reading = what;
    }

    /** The one line, without the leading {@code exlm-mon: } ({@code top ran out of memory (Java heap 96 MiB) ...}). */
    public static String line() {
        long max = Runtime.getRuntime().maxMemory();
        String heap = max == Long.MAX_VALUE ? "no set maximum" : (max >> 20) + " MiB";
        String what = reading;
        String name;
        try {
            name = command.get();
        } catch (RuntimeException e) {
            name = null;
        }
        return (name == null ? "it" : name) + " ran out of memory (Java heap " + heap + ")" + (what == null ? "" : " reading "
                + Text.printable(what)) + "; lower --max-series or --max-label-bytes, or give it more heap with"
                + " EXLM_MON_JAVA_OPTS=-Xmx" + Math.max(256, 4 * (max == Long.MAX_VALUE ? 256 : max >> 20)) + "m";
    }

    /**
     * Makes every thread's uncaught failure one line on {@code err} (the run's stderr): out of memory exits 4 (the
     * shutdown hooks still give a terminal back), and another failure of a background thread is reported as the bug it
     * is.
     */
    public static void install(java.io.PrintWriter err) {
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> {
            if (e instanceof OutOfMemoryError) {
                err.println("exlm-mon: " + line());
                err.flush();
                System.exit(ExitCode.INTERNAL);
            }
            err.println("exlm-mon: internal error in " + thread.getName() + ": " + Text.printable(String.valueOf(e))
                    + " (a bug; please report it)");
            err.flush();
        });
    }
}
