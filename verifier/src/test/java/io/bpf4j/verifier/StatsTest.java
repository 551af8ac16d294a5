package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's statistics (processed insns, total/peak states, max states per insn) for
 * programs whose exploration does not depend on precision tracking, which bpf4j does not model
 * yet (it treats every scalar as precise: never less pruning than needed for soundness, but
 * where the kernel prunes on an imprecise scalar bpf4j explores more).
 */
@Tag("kernel")
class StatsTest {
    private static void sameStats(Instruction... p) {
        Parity.Outcome o = Parity.socket(p).logLevel(1).agrees();
        assertThat(new int[] {o.stats().processedInsns(), o.stats().totalStates(), o.stats().peakStates(),
                o.stats().maxStatesPerInsn()})
                .as("processed, total, peak, max states per insn")
                .containsExactly(o.kernel().processedInsns(), o.kernel().totalStates(), o.kernel().peakStates(),
                        o.kernel().maxStatesPerInsn());
    }

    @Test
    void boundedLoop() {
        sameStats(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 10, -2), exit());
    }

    @Test
    void longerLoopEvictsCheckpoints() {
        sameStats(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 100, -2), exit());
    }

    @Test
    void diamonds() {
        sameStats(ldx(Size.W, 2, 1, 0), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 1), alu(AluOp.ADD, 0, 1),
                jmp(JumpOp.JGT, 2, 20, 1), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JGT, 2, 30, 1), alu(AluOp.ADD, 0, 1),
                jmp(JumpOp.JGT, 2, 40, 1), alu(AluOp.ADD, 0, 1), mov(0, 0), exit());
    }

    @Test
    void diamondsWithDeadRegisters() {
        sameStats(ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 1), mov(3, 1),
                jmp(JumpOp.JGT, 2, 20, 1), mov(3, 2), jmp(JumpOp.JGT, 2, 30, 1), mov(3, 3),
                jmp(JumpOp.JGT, 2, 40, 1), mov(3, 4), mov(0, 0), exit());
    }

    @Test
    void loopOverCtxValue() {
        sameStats(ldx(Size.W, 2, 1, 0), mov(0, 0), alu(AluOp.ADD, 0, 1), alur(AluOp.ADD, 2, 0),
                jmp(JumpOp.JLT, 0, 20, -3), mov(0, 0), exit());
    }
}
