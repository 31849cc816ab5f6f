package io.exlm.mon.cli;

/**
 * java.util.logging's configuration for a run of exlm-mon: none. The libraries that log through it (OkHttp, jline)
 * would print their records raw on stderr, beside the command's own one-line errors; exlm-mon says what went wrong
 * itself. Naming this class as the configuration also spares the JVM reading and parsing {@code logging.properties}
 * on the way to the first HTTP request. A user who sets {@code java.util.logging.config.file} or {@code .class}
 * (through {@code EXLM_MON_JAVA_OPTS}) keeps it.
 */
public final class LibraryLogging {
    private static final String CLASS = "java.util.logging.config.class";
    private static final String FILE = "java.util.logging.config.file";

    /** Called by the LogManager when it starts: configures nothing, so no handler is installed. */
    public LibraryLogging() {
    }

    /** Before anything touches java.util.logging. */
    static void install() {
        if (System.getProperty(CLASS) == null && System.getProperty(FILE) == null) {
            System.setProperty(CLASS, LibraryLogging.class.getName());
        }
    }
}
