package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Opcodes;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Program structure: subprograms, jump ranges, opcodes, ld_imm64 forms, the CFG walk. */
@Tag("kernel")
class StructureTest {
    @Test
    void smallestProgram() {
        Parity.socket(mov(0, 0), exit()).accepted();
    }

    @Test
    void jumpOutOfRange() {
        Parity.socket(mov(0, 0), ja(5), exit()).rejected();
    }

    @Test
    void jumpBackOutOfRange() {
        Parity.socket(mov(0, 0), ja(-3), exit()).rejected();
    }

    @Test
    void lastInsnNotExit() {
        Parity.socket(mov(0, 0), exit(), mov(0, 1)).rejected();
    }

    @Test
    void unreachableInsn() {
        Parity.socket(mov(0, 0), exit(), mov(0, 1), exit()).rejected();
    }

    @Test
    void jumpIntoMiddleOfLdImm64() {
        Parity.socket(mov(0, 0), jmp(JumpOp.JEQ, 0, 0, 1), ld64(1, 5), exit()).rejected();
    }

    @Test
    void truncatedLdImm64() {
        Parity.socket(mov(0, 0), raw(Opcodes.CODE_LD_IMM64, 1, 0, 0, 0), exit()).rejected();
    }

    @Test
    void ldImm64WithBadSecondHalf() {
        Parity.socket(mov(0, 0), raw(Opcodes.CODE_LD_IMM64, 1, 0, 0, 0), raw(0x18, 0, 0, 0, 0), exit()).rejected();
    }

    @Test
    void unknownOpcode() {
        Parity.socket(mov(0, 0), raw(0xff, 0, 0, 0, 0), exit()).rejected();
    }

    @Test
    void ldxReservedFields() {
        Parity.socket(mov(0, 0), raw(0x61, 0, 10, -4, 1), exit()).rejected();
    }

    @Test
    void unknownMapIndex() {
        Parity.socket(ldMap(1, 3), mov(0, 0), exit()).rejected();
    }

    @Test
    void boundedLoopAccepted() {
        // r0 = 0; loop: r0 += 1; if r0 < 10 goto loop; exit
        Parity.socket(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 10, -2), exit()).accepted();
    }

    @Test
    void infiniteLoopDetected() {
        Parity.socket(mov(0, 0), ja(-1), exit()).rejected();
    }

    @Test
    void callToInvalidDestination() {
        Parity.socket(mov(0, 0), callLocal(10), exit()).rejected();
    }

    @Test
    void subprogramFallingThrough() {
        // main: call +1; exit... subprog: r0 = 0 (no exit)
        Parity.socket(callLocal(1), exit(), mov(0, 0)).rejected();
    }

    @Test
    void staticCallReturnsValue() {
        Parity.socket(callLocal(1), exit(), mov(0, 0), exit()).accepted();
    }
}
