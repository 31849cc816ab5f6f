package io.exlm.mon.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.exlm.mon.ExitException;
import io.exlm.mon.stack.Topology;
import org.junit.jupiter.api.Test;

/**
 * The topology up starts: a plain up after a sharded down brings the sharded stack back (it brought up the single
 * one, the setting's default, and the sharded history seemed gone); --topology and a set stack.topology still win.
 */
class UpTopologyTest {
    @Test
    void aPlainUpStartsTheRecordedTopology() {
        assertThat(StackSupport.topologyForUp(null, "single", "default", Topology.SHARDED))
                .isEqualTo(Topology.SHARDED);
        assertThat(StackSupport.topologyForUp(null, "single", "default", Topology.SINGLE)).isEqualTo(Topology.SINGLE);
    }

    @Test
    void withNothingRecordedTheDefault() {
        assertThat(StackSupport.topologyForUp(null, "single", "default", null)).isEqualTo(Topology.SINGLE);
    }

    @Test
    void theFlagAndASetSettingWin() {
        assertThat(StackSupport.topologyForUp("single", "single", "default", Topology.SHARDED))
                .isEqualTo(Topology.SINGLE);
        assertThat(StackSupport.topologyForUp(null, "single", "EXLM_STACK_TOPOLOGY", Topology.SHARDED))
                .isEqualTo(Topology.SINGLE);
        assertThatThrownBy(() -> StackSupport.topologyForUp("triple", "single", "default", Topology.SHARDED))
                .isInstanceOf(ExitException.class).hasMessage("--topology: 'triple' is not one of single, sharded");
    }

    @Test
    void aChangeIsOneLine() {
        assertThat(StackSupport.topologyChange(Topology.SINGLE, Topology.SHARDED))
                .isEqualTo("topology: single (the last up here ran sharded; each topology keeps its own history)");
    }
}
