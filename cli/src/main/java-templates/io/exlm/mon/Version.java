package io.exlm.mon;

/**
 * The version, written into this source by Maven (resource filtering of src/main/java-templates) so that it is a
 * constant: reading it costs no jar lookup, which {@code --version}'s start-up time would notice.
 */
public final class Version {
    private static final String VALUE = "${project.version}";

    private Version() {
    }

    public static String get() {
        return VALUE;
    }
}
