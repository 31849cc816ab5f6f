package io.exlm.mon.source;

/**
 * A properties file that {@code scripts/regenerate-docs} generates from an authority of the stack (the alert rules,
 * the SLO file) into the jar, read at run time instead of the YAML it comes from (parsing YAML at start-up cost
 * 250-350 ms of a cold start); a test holds each to its authority.
 */
final class GeneratedResource {
    private final String name;
    private final java.util.Properties properties = new java.util.Properties();

    /** The resource {@code name} beside this class in the jar; a missing or unreadable one is a broken build. */
    GeneratedResource(String name) {
        this.name = name;
        try (java.io.InputStream in = GeneratedResource.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the jar (a broken build?)");
            }
            properties.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** The number under {@code key}. */
    double number(String key) {
        return Double.parseDouble(text(key));
    }

    /** The text under {@code key}. */
    String text(String key) {
        String v = properties.getProperty(key);
        if (v == null) {
            throw new IllegalStateException(name + " has no " + key + " (run scripts/regenerate-docs)");
        }
        return v.strip();
    }
}
