package io.exlm.mon.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Test JVMs side by side take their free ports from slices that do not overlap. */
class PortsTest {
    @Test
    void eachForkHasASliceOfItsOwn() {
        int[] one = Ports.slice("1", "3");
        int[] two = Ports.slice("2", "3");
        int[] three = Ports.slice("3", "3");
        assertThat(one[1]).isEqualTo(two[0]);
        assertThat(two[1]).isEqualTo(three[0]);
        assertThat(one[0]).isEqualTo(20000);
        assertThat(three[1]).isLessThanOrEqualTo(32000);
        assertThat(one[1] - one[0]).isGreaterThan(3000);
    }

    @Test
    void oneJvmOrNoNumbersTakeTheWholeRange() {
        assertThat(Ports.slice(null, null)).containsExactly(20000, 32000);
        assertThat(Ports.slice("1", "1")).containsExactly(20000, 32000);
        assertThat(Ports.slice("${surefire.forkNumber}", "2")).containsExactly(20000, 32000);
    }

    @Test
    void aPortIsInsideThisJvmsSliceAndGivenOnce() {
        int[] mine = Ports.slice(System.getProperty("exlm.fork"), System.getProperty("exlm.forks"));
        int a = Ports.free();
        int b = Ports.free();
        assertThat(a).isNotEqualTo(b);
        assertThat(a).isBetween(mine[0], mine[1] - 1);
        assertThat(b).isBetween(mine[0], mine[1] - 1);
    }
}
