package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How the running kernel learns from comparisons and ALU results where its scalar domain meets
 * its own limits: contradictory refinements are reported as {@code verifier bug} lines yet both
 * edges stay live, a register compared with itself is refined through two aliases, linked
 * registers with different offsets learn the refined range shifted by their delta. Whole logs are compared with the
 * kernel's, so every line of these quirks comes from the kernel.
 */
@Tag("kernel")
class RefinementTest {
    private static Parity.Outcome sameLog(Parity p) {
        Parity.Outcome o = p.agrees();
        assertThat(o.log()).isEqualTo(o.kernel().log());
        return o;
    }

    /** {@code if w2 >= w2} with w2 in [0, 1]: the fall-through refinement contradicts itself. */
    @Test
    void selfCompareContradictionKeepsBothEdges() {
        Parity.Outcome o = sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 1),
                raw(0x3e, 2, 2, 2, 0) /* if w2 >= w2 goto +2 */, mov(0, 1), exit(), mov(0, 0), exit()).logLevel(2));
        assertThat(o.kernel().log()).contains("verifier bug: REG INVARIANTS VIOLATION");
    }

    /** The contradictory edge is explored: an error on it rejects the program. */
    @Test
    void contradictoryEdgeIsNotDead() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 1),
                raw(0x3e, 2, 2, 2, 0) /* if w2 >= w2 goto +2 */, ldx(Size.B, 0, 9, 0), exit(), mov(0, 0), exit())
                .logLevel(2));
    }

    /** 64-bit {@code if r2 > r2}: the taken edge is the contradictory one. */
    @Test
    void selfCompare64() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 7), jmpr(JumpOp.JGT, 2, 2, 2), mov(0, 1), exit(),
                ldx(Size.B, 0, 9, 0), exit()).logLevel(2));
    }

    /**
     * Two different registers: {@code if r8 != r6} where r8 is a multiple of 2^31 and r6 is in
     * [2, 0xffffffff] with w6 > 1: the fall-through's r6 contradicts itself (false_reg2), the
     * kernel reports it and still explores both edges.
     */
    @Test
    void contradictionBetweenTwoRegisters() {
        Parity.Outcome o = sameLog(Parity.socket(call(7), movr(6, 0), call(7), movr(7, 0), call(7), movr(8, 0), call(7),
                movr(9, 0), alur(AluOp.MUL, 9, 7), jmpr(JumpOp.JSET, 8, 7, 6), jmp32(JumpOp.JLE, 6, 1, 5),
                alu(AluOp.AND, 9, 1774138), jmpr(JumpOp.JLE, 6, 7, 3), jmp32(JumpOp.JSLE, 6, -2, 2),
                alu(AluOp.AND, 8, Integer.MIN_VALUE), jmpr(JumpOp.JNE, 8, 6, 0), mov(0, 0), exit()).logLevel(2));
        assertThat(o.kernel().log()).contains("verifier bug: REG INVARIANTS VIOLATION (false_reg2)");
    }

    /** {@code if r2 == r2} on an unknown value: undecided, nothing to refine. */
    @Test
    void selfCompareEquality() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), jmpr(JumpOp.JNE, 2, 2, 2), mov(0, 1), exit(), mov(0, 0), exit())
                .logLevel(2));
    }

    /** r3 = r2 + 5 linked to r2: r2's refined range reaches r3 (plus 5, then synchronised). */
    @Test
    void linkedRegisterWithOffset() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), movr(3, 2), alu(AluOp.ADD, 3, 5), jmp(JumpOp.JGT, 2, 10, 2), movr(0, 3),
                exit(), movr(0, 3), exit()).logLevel(2));
    }

    /** A linked register dead at the jump is not collected, so it keeps its old range. */
    @Test
    void deadLinkedRegisterNotSynced() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), movr(3, 2), alu(AluOp.ADD, 3, 5), jmp(JumpOp.JGT, 2, 10, 2), mov(0, 1),
                exit(), mov(0, 0), exit()).logLevel(2));
    }

    /** ALU32 results are sanity-checked like refinements; ordinary ones pass silently. */
    @Test
    void aluResultsPassTheSanityCheck() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.LSH, 2, 63), alu(AluOp.ARSH, 2, 63), alu(AluOp.OR, 2, 3),
                alu32(AluOp.ADD, 2, -1), raw(0x87, 2, 0, 0, 0) /* r2 = -r2 */, mov(0, 0), exit()).logLevel(2));
    }
}
