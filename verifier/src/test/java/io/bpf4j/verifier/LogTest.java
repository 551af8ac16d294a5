package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.testdata.KernelVerifier;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whole logs at levels 1 and 2 compared line by line with the kernel's, for programs whose
 * statistics do not depend on precision tracking (which bpf4j does not model yet).
 */
@Tag("kernel")
class LogTest {
    private static Parity.Outcome sameLog(Parity p) {
        Parity.Outcome o = p.agrees();
        assertThat(o.log()).isEqualTo(o.kernel().log());
        return o;
    }

    /** The kernel's log holds stack-liveness lines of the given shapes (so the comparison covered them). */
    private static void hasLivenessLines(Parity.Outcome o, String... fragments) {
        assertThat(o.kernel().log()).contains(" live stack update done in ").contains(fragments);
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

    /** Level 1: stack slots, spilled pointers and packet ranges on the failing path. */
    @Test
    void stackAndPointers() {
        sameLog(Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), stx(Size.DW, 10, -8, 2),
                st(Size.W, 10, -16, 7), movr(4, 2), alu(AluOp.ADD, 4, 14), jmpr(JumpOp.JGT, 4, 3, 2),
                ldx(Size.B, 0, 2, 13), ldx(Size.B, 0, 2, 14), mov(0, 2), exit()).logLevel(1));
    }

    /** 6.18 bounds helper results: get_smp_processor_id by nr_cpu_ids, string reads by the buffer size. */
    @Test
    void helperResultRanges() {
        sameLog(Parity.of(ProgramType.KPROBE, call(8), movr(6, 0), movr(1, 10), alu(AluOp.ADD, 1, -16), mov(2, 16),
                ldx(Size.DW, 3, 1, 0), call(115), movr(7, 0), ldx(Size.B, 0, 9, 0), exit()).logLevel(1));
    }

    /** 6.18 forks a [-1, 0] value before AND/OR with a constant (the s>>= 63; &= K idiom). */
    @Test
    void andOfSignMaskForks() {
        sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), alu(AluOp.LSH, 2, 63), alu(AluOp.ARSH, 2, 63), alu(AluOp.AND, 2, 8),
                movr(3, 10), alu(AluOp.ADD, 3, -16), alur(AluOp.ADD, 3, 2), st(Size.DW, 3, 0, 0), ldx(Size.B, 0, 9, 0), exit())
                .logLevel(1));
    }

    /** Level 2, a spilled packet pointer filled on one path: 6.18's stack-liveness lines ({@code (0) frame 0 insn 2 +written -8}). */
    @Test
    void stackLivenessLines() {
        Parity.Outcome o = sameLog(Parity.of(ProgramType.XDP, ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), stx(Size.DW, 10, -8, 2),
                st(Size.W, 10, -16, 7), movr(4, 2), alu(AluOp.ADD, 4, 14), jmpr(JumpOp.JGT, 4, 3, 3),
                ldx(Size.B, 0, 2, 13), ldx(Size.DW, 2, 10, -8), ldx(Size.B, 0, 2, 12), mov(0, 2), exit()).logLevel(2));
        hasLivenessLines(o, "(0) frame 0 insn ");
    }

    /**
     * Spills on two paths, a slot read only on one of them and a slot written on every path:
     * the may-read/must-write merge, the fixed point and the cleaned checkpoints that prune.
     */
    @Test
    void stackLivenessMergedPaths() {
        Parity.Outcome o = sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), st(Size.DW, 10, -8, 1), stx(Size.DW, 10, -16, 2),
                jmp(JumpOp.JGT, 2, 10, 3), st(Size.DW, 10, -24, 0), ldx(Size.DW, 3, 10, -16), ja(2),
                st(Size.DW, 10, -24, 5), mov(3, 0), jmp(JumpOp.JGT, 2, 20, 1), alu(AluOp.ADD, 3, 1),
                ldx(Size.DW, 0, 10, -24), alur(AluOp.ADD, 0, 3), exit()).logLevel(2));
        hasLivenessLines(o, "+live -16", "+written -24");
    }

    /** A callee reads its caller's slot through a pointer: marks handed to the call insn of the caller's chain. */
    @Test
    void stackLivenessThroughCall() {
        Parity.Outcome o = sameLog(Parity.socket(ldx(Size.W, 2, 1, 0), st(Size.DW, 10, -8, 1), st(Size.DW, 10, -16, 2),
                movr(1, 10), alu(AluOp.ADD, 1, -8), jmp(JumpOp.JGT, 2, 10, 1), alu(AluOp.ADD, 1, -8), callLocal(2),
                ldx(Size.DW, 0, 10, -16), exit(), ldx(Size.DW, 0, 1, 0), st(Size.DW, 10, -8, 3), exit()).logLevel(2));
        hasLivenessLines(o, "(7,10) live stack update done", "(7,10) frame 0 insn 10 +live");
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

    /**
     * A log longer than its buffer keeps its end, as the kernel's rotating log does, and reports the
     * size it needed at its longest (level 1 rewinds, so that can exceed the final log); the kernel
     * then fails even a safe program with ENOSPC.
     */
    @ParameterizedTest
    @CsvSource({"2, 200", "2, 64", "1, 100", "1, 40", "2, 1"})
    void logLongerThanItsBufferKeepsItsEnd(int level, int size) {
        Instruction[] prog = new Instruction[] {ldx(Size.W, 2, 1, 0), mov(0, 0), jmp(JumpOp.JGT, 2, 10, 2),
                alu(AluOp.ADD, 0, 1), ja(1), alu(AluOp.ADD, 0, 2), ldx(Size.W, 3, 1, 4), jmp(JumpOp.JEQ, 3, 7, 1),
                alu(AluOp.ADD, 0, 4), exit()};
        byte[] code = InstructionCodec.encode(java.util.List.of(prog), ByteOrder.LITTLE_ENDIAN);
        KernelVerifier.FixedLog k = KernelVerifier.require().verifyWithLogSize(
                KernelVerifier.Program.of(ProgramType.SOCKET_FILTER.id(), code).withLogLevel(level), size);
        assertThat(k.errno()).as("the kernel's errno for a cut log, log:\n%s", k.log()).isEqualTo(28);
        VerifiedProgram p = Verifier.verify(VerifierInput.builder(java.util.List.of(prog), ProgramType.SOCKET_FILTER)
                .logLevel(level).limits(VerifierLimits.KERNEL.withLogSize(size)).build());
        assertThat(p.log()).isEqualTo(k.log());
        assertThat(p.logTrueSize()).isEqualTo(k.logTrueSize()).isGreaterThan(size);
    }
}
