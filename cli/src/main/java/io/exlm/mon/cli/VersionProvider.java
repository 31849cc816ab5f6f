package io.exlm.mon.cli;

import io.exlm.mon.Version;
import picocli.CommandLine.IVersionProvider;

/** The version from a resource Maven fills in. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {line()};
    }

    /** What {@code --version} prints, also on the lean path that skips picocli. */
    public static String line() {
        return "exlm-mon " + Version.get();
    }
}
