package io.exlm.mon.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.exlm.mon.slo.Slo;
import io.exlm.mon.stack.StackFiles;
import io.exlm.mon.testing.Launcher;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The demo's scenarios against the service level objectives (stack/slo/exlm-backend.yml): the normal backend burns
 * neither budget, so no burn-rate alert fires for it; errors and slow burn the budget each is about faster than any
 * page allows. Latency is the scenario's log-normal (DemoServer.api), read at the objective's bucket.
 */
class ScenarioSloTest {
    private static Slo slo() throws Exception {
        Path file = Launcher.root().resolve("stack").resolve(StackFiles.SLO);
        return Slo.parse(Files.readString(file), file.toString());
    }

    /** The share of a scenario's API answers slower than {@code seconds}. */
    private static double slower(Scenario s, double seconds) {
        return 1 - phi(Math.log(seconds * 1000 / s.latencyMedianMs()) / s.latencySigma());
    }

    /** The standard normal distribution function (Abramowitz and Stegun 7.1.26: within 1.5e-7). */
    private static double phi(double z) {
        double x = Math.abs(z) / Math.sqrt(2);
        double t = 1 / (1 + 0.3275911 * x);
        double erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592)
                * t * Math.exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    @Test
    void theNormalBackendBurnsNeitherBudgetAndTheOthersBurnTheirsFasterThanAnyPage() throws Exception {
        Slo slo = slo();
        double maxFactor = slo.alerts().stream().mapToDouble(a -> a.factor().doubleValue()).max().orElseThrow();
        double minFactor = slo.alerts().stream().mapToDouble(a -> a.factor().doubleValue()).min().orElseThrow();
        for (Slo.Objective o : slo.objectives()) {
            double budget = o.budget().doubleValue();
            if (o.kind() == Slo.Kind.LATENCY) {
                double le = Double.parseDouble(o.le());
                // the slowest alert (1x) would still not fire for these: a tenth of the budget at most
                for (Scenario quiet : new Scenario[] {Scenario.NORMAL, Scenario.ERRORS}) {
                    assertThat(slower(quiet, le)).as(quiet.name() + " slower than " + le + " s")
                            .isLessThan(budget * minFactor / 10);
                }
                assertThat(slower(Scenario.SLOW, le)).as("slow").isGreaterThan(budget * 6);
            } else {
                for (Scenario quiet : new Scenario[] {Scenario.NORMAL, Scenario.SLOW}) {
                    assertThat(quiet.errorRatio()).as(quiet.name() + "'s errors").isLessThan(budget * minFactor);
                }
                assertThat(Scenario.ERRORS.errorRatio()).as("errors").isGreaterThan(budget * maxFactor);
            }
        }
    }
}
