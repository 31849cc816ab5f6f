package io.exlm.mon;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.testing.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The checkout's launcher and the distribution's supervise the dashboard with one and the same shell code. */
class LaunchersTest {
    private static String supervisor(Path launcher) throws Exception {
        String text = Files.readString(launcher);
        int start = text.indexOf("# >>> the dashboard's supervisor");
        int end = text.indexOf("# <<< the dashboard's supervisor");
        assertThat(start).as(launcher + " has the supervisor").isNotNegative();
        assertThat(end).isGreaterThan(start);
        return text.substring(start, end);
    }

    @Test
    void bothLaunchersHaveTheSameSupervisorAndRunTheDashboardWithXrsUnderIt() throws Exception {
        Path checkout = Launcher.script();
        Path dist = Launcher.root().resolve("cli/src/dist/bin/exlm-mon");
        assertThat(supervisor(dist)).isEqualTo(supervisor(checkout));
        for (Path launcher : new Path[] {checkout, dist}) {
            assertThat(Files.readString(launcher)).as(launcher.toString()).contains("dashboard \"$java\" -Xrs ")
                    .contains("EXLM_MON_RESTORE_FILE");
        }
    }

    /**
     * The launchers pick JVM flags by the first command word: every command's name is among their words, or a word
     * after it ({@code query top}) would be taken for the dashboard.
     */
    @Test
    void theLaunchersKnowEveryCommandWord() throws Exception {
        java.util.Set<String> names = new java.util.TreeSet<>();
        for (Class<?> c : io.exlm.mon.cli.Subcommands.ALL) {
            names.add(c.getAnnotation(picocli.CommandLine.Command.class).name());
        }
        for (Path launcher : new Path[] {Launcher.script(), Launcher.root().resolve("cli/src/dist/bin/exlm-mon")}) {
            String text = Files.readString(launcher);
            java.util.Set<String> words = new java.util.TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^    ([a-z|]+)\\) ").matcher(text);
            while (m.find()) {
                words.addAll(java.util.List.of(m.group(1).split("\\|")));
            }
            assertThat(words).as(launcher + "'s command words").containsAll(names);
        }
    }
}
