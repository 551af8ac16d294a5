package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Whole logs at levels 1 and 2 compared line by line with the kernel's, for programs whose
 * statistics do not depend on precision tracking (which bpf4j does not model yet).
 */
@Tag("kernel")
class LogTest {
    private static void sameLog(Parity p) {
        Parity.Outcome o = p.agrees();
        assertThat(o.log()).isEqualTo(o.kernel().log());
    }

    private static Instruction[] branchy() {
        return new Instruction[] {ldx(Size.W, 2, 1, 0), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 2), alu(AluOp.ADD, 0, 1),
                ja(1), alu(AluOp.ADD, 0, 2), exit()};
    }

    @Test
    void level2Accepted() {
        sameLog(Parity.socket(branchy()).logLevel(2));
    }

    @Test
    void level1Accepted() {
        sameLog(Parity.socket(branchy()).logLevel(1));
    }

    @Test
    void level1Rejected() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 2), alu(AluOp.ADD, 0, 1), ja(1),
                ldx(Size.B, 0, 9, 0), exit()).logLevel(1));
    }

    @Test
    void level2Rejected() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 2), alu(AluOp.ADD, 0, 1), ja(1),
                ldx(Size.B, 0, 9, 0), exit()).logLevel(2));
    }

    /** Level 1: stack slots, spilled pointers and packet ranges on the failing path (level 2 adds 6.18's stack-liveness lines, not modelled). */
    @Test
    void stackAndPointers() {
        sameLog(Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), stx(Size.DW, 10, -8, 2),
                st(Size.W, 10, -16, 7), movr(4, 2), alu(AluOp.ADD, 4, 14), jmpr(JumpOp.JGT, 4, 3, 2),
                ldx(Size.B, 0, 2, 13), ldx(Size.B, 0, 2, 14), mov(0, 2), exit()).logLevel(1));
    }

    @Test
    void staticCallLog() {
        sameLog(Parity.socket(mov(1, 3), callLocal(1), exit(), movr(0, 1), exit()).logLevel(2));
    }

    @Test
    void statsLines() {
        Parity.Outcome o = Parity.socket(branchy()).logLevel(6).agrees();
        assertThat(o.log().replaceAll("verification time \\d+", "verification time X"))
                .isEqualTo(o.kernel().log().replaceAll("verification time \\d+", "verification time X"));
    }
}
