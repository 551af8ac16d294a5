package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.facts.Facts;
import io.bpf4j.isa.facts.ProgramFacts;
import io.bpf4j.isa.facts.RegionKind;
import org.junit.jupiter.api.Test;

/** Per-instruction facts of accepted programs: what every path proved, by slot index. */
class FactsTest {
    @Test
    void regionsConstantsBranchesAndDeadCode() {
        // 0: r2 = data  1: r3 = data_end  2: r0 = 7  3: if r0 == 8 goto +3 (never)
        // 4: *(u64 *)(r10 -8) = r2  5: r0 = *(u64 *)(r10 -8)  6: r0 = 2 (dead? no: fall-through)
        ProgramFacts f = Verifier.verify(VerifierInput.builder(java.util.List.of(
                ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), mov(0, 7), jmp(JumpOp.JEQ, 0, 8, 3),
                stx(Size.DW, 10, -8, 2), ldx(Size.DW, 4, 10, -8), ja(1), mov(0, 1), mov(0, 2), exit()),
                ProgramType.XDP).build()).facts();
        assertThat(f.get(0, Facts.MEMORY_REGION)).contains(RegionKind.CTX);
        assertThat(f.get(0, Facts.CTX_FIELD)).contains(0 << 8 | 4);
        assertThat(f.get(1, Facts.CTX_FIELD)).contains(4 << 8 | 4);
        assertThat(f.get(0, Facts.DST_IS_POINTER)).contains(true);
        assertThat(f.get(2, Facts.KNOWN_CONSTANT)).contains(7L);
        assertThat(f.get(3, Facts.BRANCH_TAKEN)).contains(0);
        assertThat(f.get(4, Facts.MEMORY_REGION)).contains(RegionKind.STACK);
        assertThat(f.get(4, Facts.IN_BOUNDS)).contains(true);
        assertThat(f.get(5, Facts.DST_IS_POINTER)).contains(true);
        assertThat(f.get(7, Facts.DEAD)).contains(true);
        assertThat(f.get(8, Facts.KNOWN_CONSTANT)).contains(2L);
        assertThat(f.program().get(Facts.MAX_CTX_OFFSET)).contains(8);
    }

    @Test
    void pathsThatDisagreeDropTheFact() {
        // r0 = len; if r0 > 5 goto +1; r0 = 1; r0 += 1 (2 on one path, unknown on the other)
        ProgramFacts f = Verifier.verify(VerifierInput.builder(java.util.List.of(
                ldx(Size.W, 0, 1, 0), jmp(JumpOp.JGT, 0, 5, 1), mov(0, 1), alu(AluOp.ADD, 0, 1), exit()),
                ProgramType.SOCKET_FILTER).build()).facts();
        assertThat(f.get(2, Facts.KNOWN_CONSTANT)).contains(1L);
        assertThat(f.get(3, Facts.KNOWN_CONSTANT)).isEmpty();
        assertThat(f.get(1, Facts.BRANCH_TAKEN)).isEmpty();
        assertThat(f.get(3, Facts.DST_IS_POINTER)).contains(false);
    }
}
