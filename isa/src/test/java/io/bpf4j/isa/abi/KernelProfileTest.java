package io.bpf4j.isa.abi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class KernelProfileTest {

    @Test
    void builtInProfileLoads() {
        KernelProfile p = KernelProfile.linux618();
        assertThat(p.helper(1)).hasValueSatisfying(h -> assertThat(h.name()).isEqualTo("map_lookup_elem"));
        assertThat(p.allows(ProgramType.XDP, 1)).isTrue();
        assertThat(p.withHelpers(ProgramType.XDP, Set.of(2)).allows(ProgramType.XDP, 1)).isFalse();
        ContextLayout x = p.context(ProgramType.XDP, AttachType.XDP);
        assertThat(x.access(0, 4, false).yields()).isEqualTo(RegKind.PTR_TO_PACKET);
        assertThat(x.access(0, 2, false).valid()).isFalse();
        assertThat(x.access(12, 1, false).valid()).isFalse();
        assertThat(x.access(12, 4, false).valid()).isTrue();
        assertThat(x.access(12, 4, true).valid()).isFalse();
    }
}
