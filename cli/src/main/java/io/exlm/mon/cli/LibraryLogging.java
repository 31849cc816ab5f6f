package io.exlm.mon.cli;

/**
 * java.util.logging's configuration for a run of exlm-mon: none. The libraries that log through it (OkHttp, jline)
 * would print their records raw on stderr, beside the command's own one-line errors; exlm-mon says what went wrong
 * itself. Naming this class as the configuration also spares the JVM reading and parsing {@code logging.properties}
 * on the way to the first HTTP request. A user who sets {@code java.util.logging.config.file} or {@code .class}
 * (through {@code EXLM_MON_JAVA_OPTS}) keeps it. With {@code --verbose} the warnings are printed, one line each
 * ({@link #verbose}).
 */
public final class LibraryLogging {
    private static final String CLASS = "java.util.logging.config.class";
    private static final String FILE = "java.util.logging.config.file";

    /** Called by the LogManager when it starts: configures nothing, so no handler is installed. */
    public LibraryLogging() {
    }

    /**
     * With {@code --verbose}: a library's warnings and errors (OkHttp's "a connection was leaked", which would be a
     * bug of exlm-mon's) on stderr, one line each, {@code exlm-mon: LOGGER: message}; the writer keeps them
     * printable.
     */
    static void verbose(java.io.PrintWriter err) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        root.addHandler(new java.util.logging.Handler() {
            private final java.util.logging.Formatter text = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() < java.util.logging.Level.WARNING.intValue()) {
                    return;
                }
                String m = text.formatMessage(r).replaceAll("\\s+", " ").strip();
                Throwable t = r.getThrown();
                err.println("exlm-mon: " + r.getLoggerName() + ": " + m + (t == null ? "" : " (" + t + ")"));
                err.flush();
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                // stderr is not ours to close
            }
        });
    }

    /** Before anything touches java.util.logging. */
    static void install() {
        if (System.getProperty(CLASS) == null && System.getProperty(FILE) == null) {
            System.setProperty(CLASS, LibraryLogging.class.getName());
        }
    }
}
