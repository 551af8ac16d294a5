package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Registers: initialisation, the frame pointer, ALU encodings, pointer arithmetic, comparisons. */
@Tag("kernel")
class RegisterTest {
    @Test
    void uninitialisedReturnValue() {
        Parity.socket(exit()).rejected();
    }

    @Test
    void uninitialisedSource() {
        Parity.socket(movr(0, 3), exit()).rejected();
    }

    @Test
    void framePointerIsReadOnly() {
        Parity.socket(mov(10, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void invalidRegister() {
        Parity.socket(raw(0xb7, 11, 0, 0, 0), mov(0, 0), exit()).rejected();
    }

    @Test
    void divByZeroImmediate() {
        Parity.socket(mov(0, 1), alu(AluOp.DIV, 0, 0), exit()).rejected();
    }

    @Test
    void invalidShift() {
        Parity.socket(mov(0, 1), alu32(AluOp.LSH, 0, 32), exit()).rejected();
    }

    @Test
    void aluReservedFields() {
        Parity.socket(mov(0, 1), raw(0x07, 0, 1, 0, 1), exit()).rejected();
    }

    @Test
    void movReservedFields() {
        Parity.socket(raw(0xb7, 0, 0, 1, 0), exit()).rejected();
    }

    @Test
    void negReservedFields() {
        Parity.socket(mov(0, 1), raw(0x87, 0, 0, 0, 1), exit()).rejected();
    }

    @Test
    void endReservedFields() {
        Parity.socket(mov(0, 1), raw(0xd4, 0, 0, 0, 8), exit()).rejected();
    }

    @Test
    void returnValueOutOfRange() {
        Parity.of(ProgramType.CGROUP_SKB, mov(0, 7), exit()).rejected();
    }

    @Test
    void returnValueUnknownForCgroup() {
        Parity.of(ProgramType.CGROUP_SKB, ldx(Size.W, 0, 1, 0), exit()).rejected();
    }

    @Test
    void returnValueRefinedByBranch() {
        // r0 = skb->len; if r0 > 1 goto +1; exit; r0 = 0; exit
        Parity.of(ProgramType.CGROUP_SKB, ldx(Size.W, 0, 1, 0), jmp(JumpOp.JGT, 0, 1, 1), exit(), mov(0, 0), exit())
                .accepted();
    }

    @Test
    void returnPointerLeaksForRootIsFine() {
        Parity.socket(movr(0, 1), exit()).agrees();
    }

    @Test
    void pointerArithmeticOnCtxVariable() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alur(AluOp.ADD, 1, 2), mov(0, 0), exit()).agrees();
    }

    @Test
    void ctxPointerModifiedThenDereferenced() {
        Parity.socket(alu(AluOp.ADD, 1, 4), ldx(Size.W, 0, 1, 0), exit()).rejected();
    }

    @Test
    void pointer32BitArithmetic() {
        Parity.socket(movr(2, 10), alu32(AluOp.ADD, 2, 4), mov(0, 0), exit()).rejected();
    }

    @Test
    void bitwiseOnPointer() {
        Parity.socket(movr(2, 10), alu(AluOp.AND, 2, 4), mov(0, 0), exit()).rejected();
    }

    @Test
    void multiplyPointer() {
        Parity.socket(movr(2, 10), alu(AluOp.MUL, 2, 4), mov(0, 0), exit()).rejected();
    }

    @Test
    void subtractPointerFromScalar() {
        Parity.socket(mov(2, 4), alur(AluOp.SUB, 2, 10), mov(0, 0), exit()).rejected();
    }

    @Test
    void pointerMinusPointerIsScalarForRoot() {
        Parity.socket(movr(2, 10), alur(AluOp.SUB, 2, 10), movr(0, 2), exit()).accepted();
    }

    @Test
    void pointerPlusPointer() {
        Parity.socket(movr(2, 10), alur(AluOp.ADD, 2, 10), mov(0, 0), exit()).rejected();
    }

    @Test
    void unboundedMinForPointerMath() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.LSH, 2, 32), alu(AluOp.ARSH, 2, 32), movr(3, 10),
                alur(AluOp.ADD, 3, 2), mov(0, 0), exit()).agrees();
    }

    @Test
    void stackPointerSubtraction() {
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 7), movr(3, 10), alur(AluOp.SUB, 3, 2), mov(0, 0), exit())
                .rejected();
    }

    @Test
    void deadBranchNotExplored() {
        // r0 = 0; if r0 == 1 goto +1 (never); exit; r0 = *(u8 *)(r9 + 0) (dead)
        Parity.socket(mov(0, 0), jmp(JumpOp.JEQ, 0, 1, 1), exit(), ldx(Size.B, 0, 9, 0), exit()).accepted();
    }

    @Test
    void liveBranchExplored() {
        Parity.socket(ldx(Size.W, 0, 1, 0), jmp(JumpOp.JEQ, 0, 1, 1), exit(), ldx(Size.B, 0, 9, 0), exit()).rejected();
    }

    @Test
    void linkedScalarsLearnTogether() {
        // r2 = len & 0xff; r3 = r2; if r2 > 8 goto exit; r4 = fp; r4 += r3 (bounded through the link)...
        Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 0xff), movr(3, 2), mov(0, 0),
                jmp(JumpOp.JGT, 2, 8, 5), st(Size.DW, 10, -16, 0), movr(4, 10), alu(AluOp.ADD, 4, -16),
                alur(AluOp.ADD, 4, 3), ldx(Size.B, 0, 4, 0), exit()).accepted();
    }

    @Test
    void pointerComparisonAllowedForRoot() {
        Parity.socket(movr(2, 10), mov(0, 0), jmpr(JumpOp.JGT, 2, 1, 0), exit()).accepted();
    }

    @Test
    void jmpReservedFields() {
        Parity.socket(mov(0, 0), raw(0x15, 0, 1, 0, 0), exit()).rejected();
    }

    @Test
    void jaReservedFields() {
        Parity.socket(mov(0, 0), raw(0x05, 0, 0, 0, 1), exit()).rejected();
    }

    @Test
    void exitReservedFields() {
        Parity.socket(mov(0, 0), raw(0x95, 0, 0, 0, 1)).rejected();
    }

    @Test
    void callReservedFields() {
        Parity.socket(mov(0, 0), raw(0x85, 1, 0, 0, 7), exit()).rejected();
    }

    @Test
    void movsxAndSignedDivision() {
        Parity.socket(ldx(Size.W, 2, 1, 0), raw(0xbf, 3, 2, 8, 0), mov(4, 3), raw(0x3f, 3, 4, 1, 0), mov(0, 0), exit())
                .accepted();
    }
}
