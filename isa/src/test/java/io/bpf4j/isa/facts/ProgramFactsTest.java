package io.bpf4j.isa.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgramFactsTest {

    @Test
    void keysAreIdentityComparedAndTyped() {
        FactKey<Long> a = FactKey.of("x", Long.class);
        FactKey<Long> b = FactKey.of("x", Long.class);
        InsnFacts f = InsnFacts.empty().with(a, 5L);
        assertThat(f.get(a)).contains(5L);
        assertThat(f.get(b)).isEmpty();
        assertThat(InsnFacts.empty().isEmpty()).isTrue();
    }

    @Test
    void builderFreezesPerSlotFacts() {
        ProgramFacts.Builder b = ProgramFacts.builder(3);
        b.put(1, Facts.MEMORY_REGION, RegionKind.CTX).put(1, Facts.IN_BOUNDS, true).putProgram(Facts.MAX_CTX_OFFSET, 8);
        ProgramFacts pf = b.build();
        b.put(2, Facts.KNOWN_CONSTANT, 7L);
        assertThat(pf.get(1, Facts.MEMORY_REGION)).contains(RegionKind.CTX);
        assertThat(pf.at(2).isEmpty()).isTrue();
        assertThat(pf.at(99).isEmpty()).isTrue();
        assertThat(pf.program().get(Facts.MAX_CTX_OFFSET)).contains(8);
        assertThat(ProgramFacts.empty().isEmpty()).isTrue();
    }
}
