package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.doctor.Checks;
import io.exlm.mon.testing.Cli;
import io.exlm.mon.testing.Ports;
import org.junit.jupiter.api.Test;

/** doctor's help and text report name every group of checks the registry has: a new group cannot be left out. */
class DoctorGroupsTest {
    @Test
    void theHelpAndTheReportKnowEveryGroup() {
        String help = Cli.exec("doctor", "--help").out().replaceAll("\\s+", " ");
        for (String g : Checks.groups()) {
            assertThat(help).as("doctor --help names " + g).containsPattern("--check=ID.*[ (]" + g + "[,)]");
            assertThat(DoctorOutput.GROUP_TITLES).as("a title for " + g).containsKey(g);
        }
    }

    @Test
    void verboseTextShowsTheFiguresAsJsonNotAsJavaObjects() {
        String url = "http://127.0.0.1:" + Ports.closed();
        Cli.Result r = Cli.exec("doctor", "--check", "alertmanager.ready", "--alertmanager-url", url, "-v",
                "--no-color");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.out()).as(r.toString()).containsPattern("figures: \\{\"url\":\"" + url.replace(".", "\\.")
                + "\"\\} \\(\\d+ ms\\)");
    }

    @Test
    void sinceMustBePositiveAndDefaultsToOverTimes() {
        Cli.Result zero = Cli.exec("doctor", "--since", "0s");
        assertThat(zero.exitCode()).as(zero.toString()).isEqualTo(2);
        assertThat(zero.err()).contains("--since must be positive");
        assertThat(Cli.exec("doctor", "--help").out().replaceAll("\\s+", " ")).contains("which they say (default: "
                + io.exlm.mon.doctor.OverTime.DEFAULT_SINCE_TEXT + ")");
    }
}
