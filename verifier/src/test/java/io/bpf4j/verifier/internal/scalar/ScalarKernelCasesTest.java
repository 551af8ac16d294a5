package io.bpf4j.verifier.internal.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.verifier.internal.scalar.ScalarProgram.Insn;
import io.bpf4j.verifier.internal.scalar.ScalarProgram.Kind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hand-picked shapes (the ones programs and the verifier's own comments talk about) run through
 * the live kernel; every register state it prints for r6..r9 must equal the model's.
 */
@Tag("kernel")
class ScalarKernelCasesTest {
    @BeforeAll
    static void kernel() {
        KernelVerifierLog.assumeKernel();
    }

    private static Insn jmp(JumpOp op, boolean wide, int dst, int src, int imm) {
        return new Insn(Kind.JMP, null, op, wide, dst, src, 0, imm, "if r" + dst + " " + op.symbol() + " " + imm);
    }

    private static Insn movsx(int bits, boolean wide, int reg) {
        return new Insn(Kind.MOV, AluOp.MOV, null, wide, reg, reg, bits, 0, "movsx" + bits);
    }

    private static Arguments c(String name, Consumer<ScalarProgram> body) {
        return Arguments.of(name, body);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
            c("byte mask", p -> p.alu(AluOp.AND, true, 6, -1, 0xff, 0)),
            c("u32 then <<32 s>>32", p -> p.alu(AluOp.AND, false, 6, -1, 0x7fff, 0).alu(AluOp.LSH, true, 6, -1, 32, 0)
                    .alu(AluOp.ARSH, true, 6, -1, 32, 0)),
            c("negative s32 <<32", p -> p.alu(AluOp.OR, false, 6, -1, -16, 0).alu(AluOp.LSH, true, 6, -1, 32, 0)),
            c("bswap16 of 0x3f00", p -> p.alu(AluOp.AND, true, 6, -1, 0x3f00, 0)
                    .add(new Insn(Kind.END, null, null, true, 6, 0, 0, 16, "bswap16"))),
            c("be32 and le16", p -> p.alu(AluOp.AND, true, 6, -1, 0xff0, 0)
                    .add(new Insn(Kind.END, null, null, false, 6, 1, 0, 32, "be32"))
                    .add(new Insn(Kind.END, null, null, false, 6, 0, 0, 16, "le16"))),
            c("jset single bit both edges", p -> p.alu(AluOp.AND, true, 6, -1, 0xf0, 0).add(jmp(JumpOp.JSET, true, 6, -1, 0x10))),
            c("unsigned window", p -> p.add(jmp(JumpOp.JGT, true, 6, -1, 1000)).add(jmp(JumpOp.JLT, true, 6, -1, 10))),
            c("signed window 32", p -> p.add(jmp(JumpOp.JSGT, false, 6, -1, 100)).add(jmp(JumpOp.JSLT, false, 6, -1, -100))),
            c("jne at the range end", p -> p.alu(AluOp.AND, true, 6, -1, 7, 0).add(jmp(JumpOp.JNE, true, 6, -1, 7))
                    .add(jmp(JumpOp.JEQ, true, 6, -1, 0))),
            c("register compare", p -> p.alu(AluOp.AND, true, 6, -1, 0xff, 0).alu(AluOp.AND, true, 7, -1, 0xfff, 0)
                    .add(jmp(JumpOp.JLT, true, 7, 6, 0)).add(jmp(JumpOp.JSGE, false, 6, 7, 0))),
            c("self compare contradiction", p -> p.alu(AluOp.AND, true, 6, -1, 1, 0).add(jmp(JumpOp.JGE, false, 6, 6, 0))),
            c("tnum with a single member in range", p -> p.alu(AluOp.OR, true, 6, -1, 0xe00, 0)
                    .alu(AluOp.AND, true, 6, -1, 0xf00, 0).add(jmp(JumpOp.JEQ, true, 6, -1, 0xe00))),
            c("arsh 31 then and: fork", p -> p.alu(AluOp.ARSH, false, 6, -1, 31, 0).alu(AluOp.AND, false, 6, -1, -134, 0)),
            c("sign extension of a zero-crossing range", p -> p.alu(AluOp.RSH, false, 6, -1, 28, 0)
                    .add(new Insn(Kind.NEG, AluOp.NEG, null, true, 6, -1, 0, 0, "neg")).add(movsx(16, true, 6))
                    .add(movsx(8, false, 6))),
            c("s32 crossing sign then unsigned compare", p -> p.alu(AluOp.SUB, false, 6, -1, 0, 0).add(movsx(16, false, 6))
                    .add(jmp(JumpOp.JLE, true, 6, -1, 0xac4999))),
            c("mul and overflow", p -> p.alu(AluOp.AND, true, 6, -1, 0xffff, 0).alu(AluOp.MUL, true, 6, -1, 0x10001, 0)
                    .alu(AluOp.MUL, false, 6, -1, 0x10001, 0)),
            c("neg32 and sub wrap", p -> p.alu(AluOp.AND, true, 6, -1, 0xff0, 0)
                    .add(new Insn(Kind.NEG, AluOp.NEG, null, false, 6, -1, 0, 0, "neg32"))
                    .alu(AluOp.SUB, true, 6, -1, 0x7fffffff, 0)),
            c("division and unknown shift are unknown", p -> p.alu(AluOp.AND, true, 6, -1, 0xff, 0)
                    .alu(AluOp.DIV, false, 6, -1, 3, 0).alu(AluOp.AND, true, 7, -1, 0xff, 0).alu(AluOp.LSH, true, 7, 8, 0, 0)),
            c("alu32 shift amount constant only in the low half", p -> p.alu(AluOp.LSH, true, 7, -1, 32, 0)
                    .alu(AluOp.OR, true, 7, -1, 5, 0).alu(AluOp.AND, true, 6, -1, 0xff, 0).alu(AluOp.LSH, false, 6, 7, 0, 0)
                    .alu(AluOp.AND, true, 8, -1, 0xff, 0).alu(AluOp.ADD, false, 8, 7, 0, 0)),
            c("jmp32 jset with a register constant in the low half", p -> p.alu(AluOp.LSH, true, 7, -1, 32, 0)
                    .alu(AluOp.OR, true, 7, -1, 4, 0).add(jmp(JumpOp.JSET, false, 6, 7, 0)).add(jmp(JumpOp.JEQ, false, 6, 7, 0))),
            c("narrow fill and ldsx", p -> p.alu(AluOp.OR, true, 6, -1, 0x180, 0).alu(AluOp.AND, true, 6, -1, 0x1ff, 0)
                    .add(new Insn(Kind.SPILL, null, null, true, 10, 6, 0, 0, "spill"))
                    .add(new Insn(Kind.FILL, null, null, true, 7, 10, 1, 1, "ldsx1"))
                    .add(new Insn(Kind.FILL, null, null, true, 8, 10, 0, 2, "ldx2"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void kernelPrintsWhatTheModelPrints(String name, Consumer<ScalarProgram> body) throws IOException {
        ScalarProgram p = ScalarProgram.withPrologue();
        body.accept(p);
        List<String> failures = new ArrayList<>();
        int compared = ScalarKernelParityTest.compare(p, failures);
        assertThat(failures).as(name).isEmpty();
        assertThat(compared).as(name).isPositive();
    }
}
