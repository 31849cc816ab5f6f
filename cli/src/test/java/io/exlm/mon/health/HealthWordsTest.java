package io.exlm.mon.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The words of health's tables and JSON (the README's): a verdict's label and an endpoint's name are the constant's
 * name in lower case, and {@code --check} reads a name in any case.
 */
class HealthWordsTest {
    @Test
    void verdictsAreWrittenInTheReadmesWords() {
        assertThat(Arrays.stream(HealthStatus.values()).map(HealthStatus::label))
                .containsExactly("healthy", "warn", "unhealthy", "unreachable");
        assertThat(HealthStatus.ofWord(HealthStatus.WARN.label())).isEqualTo(HealthStatus.WARN);
    }

    @Test
    void endpointsAreNamedAsTheCheckOptionTakesThem() {
        assertThat(Arrays.stream(Endpoint.values()).map(Endpoint::id)).containsExactly("basic", "live", "ready",
                "metrics");
        assertThat(Endpoint.parse("READY")).containsExactly(Endpoint.READY);
        assertThat(Endpoint.parse("all")).hasSize(4);
        assertThat(Endpoint.parse("metrics").get(0).path()).isEqualTo("/api/v1/health/metrics");
        assertThatThrownBy(() -> Endpoint.parse("deep")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown check 'deep'; expected basic, ready, live, metrics or all");
    }
}
