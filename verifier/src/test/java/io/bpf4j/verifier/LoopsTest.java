package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.ProgramType;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Loops and precision, each judged by the running kernel in the same run: bounded loops simulated
 * iteration by iteration, the infinite-loop check, may_goto (cond_break) budgets, and the
 * backtracking that decides which scalars pruning compares (level-2 {@code mark_precise} lines
 * and the {@code processed} statistics line compared with the kernel's).
 */
@Tag("kernel")
class LoopsTest {
    /** may_goto: code 0xe5 (BPF_JMP | BPF_JCOND), src 0 (BPF_MAY_GOTO). */
    static io.bpf4j.isa.Instruction mayGoto(int off) {
        return raw(0xe5, 0, 0, off, 0);
    }

    @Test
    void boundedLoopCountsLikeTheKernel() {
        Parity.socket(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 10, -2), exit()).acceptedSameStats();
    }

    @Test
    void boundedLoopBacktracksLikeTheKernel() {
        Parity.socket(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 4, -2), exit()).sameBacktracking();
    }

    @Test
    void longLoopCheckpointsAndBacktracksLikeTheKernel() {
        // checkpoints every 20 jumps or 40 history entries: the walks back stop at them
        Parity.socket(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 300, -2), exit()).sameBacktracking();
    }

    @Test
    void infiniteLoopDetected() {
        Parity.socket(mov(0, 0), jmp(JumpOp.JEQ, 0, 0, -1), exit()).rejected();
    }

    @Test
    void loopTooLongForTheBudget() {
        Parity.socket(mov(0, 0), alu(AluOp.ADD, 0, 1), jmp(JumpOp.JLT, 0, 2_000_000, -2), exit()).rejected();
    }

    @Test
    void mayGotoLoopConverges() {
        // r0 = 0; loop: may_goto out; r0 += 1; goto loop; out: r0 = 0; exit
        Parity.socket(mov(0, 0), mayGoto(2), alu(AluOp.ADD, 0, 1), ja(-3), mov(0, 0), exit()).acceptedSameStats();
    }

    @Test
    void mayGotoLoopOverUnknownValue() {
        Parity.socket(ldx(Size.W, 6, 1, 0), mayGoto(3), alu(AluOp.ADD, 6, 1), alu(AluOp.AND, 6, 0xff), ja(-4),
                movr(0, 6), exit()).acceptedSameStats();
    }

    @Test
    void mayGotoLoopStillChecksItsBody() {
        // the body reads the stack at a growing offset: out of bounds after a few iterations
        Parity.socket(st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), mayGoto(3), ldx(Size.DW, 0, 2, 0),
                alu(AluOp.ADD, 2, -8), ja(-4), mov(0, 0), exit()).rejected();
    }

    @Test
    void mayGotoBadEncoding() {
        Parity.socket(mov(0, 0), raw(0xe5, 0, 0, 1, 5), exit()).rejected();
    }

    @Test
    void mayGotoZeroOffset() {
        Parity.socket(mov(0, 0), raw(0xe5, 0, 0, 0, 0), exit()).agrees();
    }

    @Test
    void precisionThroughStackSpill() {
        // a constant spilled, filled back and used as a map-free stack offset: backtracking follows the spill
        Parity.socket(ldx(Size.W, 6, 1, 0), mov(7, 8), stx(Size.DW, 10, -16, 7), jmp(JumpOp.JGT, 6, 5, 1),
                mov(6, 0), ldx(Size.DW, 8, 10, -16), movr(2, 10), alur(AluOp.SUB, 2, 8), st(Size.DW, 2, 0, 0),
                mov(0, 0), exit()).sameBacktracking();
    }

    @Test
    void precisionOfHelperSizeArgument() {
        // bpf_get_current_comm(fp-16, r2) with r2 chosen on two paths
        Parity.of(ProgramType.KPROBE, ldx(Size.DW, 6, 1, 0), mov(2, 16), jmp(JumpOp.JGT, 6, 5, 1), mov(2, 8),
                movr(1, 10), alu(AluOp.ADD, 1, -16), call(16), mov(0, 0), exit()).sameBacktracking();
    }
}
