package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.alu;
import static io.bpf4j.verifier.Asm.alur;
import static io.bpf4j.verifier.Asm.call;
import static io.bpf4j.verifier.Asm.callLocal;
import static io.bpf4j.verifier.Asm.exit;
import static io.bpf4j.verifier.Asm.ja;
import static io.bpf4j.verifier.Asm.jmp;
import static io.bpf4j.verifier.Asm.ldMap;
import static io.bpf4j.verifier.Asm.ldx;
import static io.bpf4j.verifier.Asm.mov;
import static io.bpf4j.verifier.Asm.movr;
import static io.bpf4j.verifier.Asm.st;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The rules for a loader without CAP_BPF and CAP_PERFMON ({@link Privileges#UNPRIVILEGED}), each
 * judged by the running kernel as nobody in the same test ({@link KernelParity#unprivileged()}):
 * pointer leaks, pointer comparisons, uninitialized stack, the pointer-ALU sanitation and its
 * bounds, speculative paths (a check that fails only under misprediction gets a barrier, 6.17+),
 * back-edges, calls and program types. Where root is judged otherwise, root is compared too.
 */
@Tag("kernel")
class UnprivilegedTest {
    private static final MapShape ARRAY = MapShape.builder(MapType.ARRAY).keySize(4).valueSize(8).maxEntries(1).build();

    private static KernelParity.Comparison both(List<Instruction> insns, MapShape... maps) {
        KernelParity.of(ProgramType.SOCKET_FILTER, insns).maps(maps).assertSame();
        return KernelParity.of(ProgramType.SOCKET_FILTER, insns).maps(maps).unprivileged().assertSame();
    }

    private static List<Instruction> prog(Instruction... insns) {
        return List.of(insns);
    }

    /** r0 = a non-null value of map 0 (key 0), then {@code then}. */
    private static List<Instruction> mapValue(Instruction... then) {
        List<Instruction> p = new ArrayList<>(List.of(
                movr(6, 1),
                st(Size.W, 10, -4, 0),
                movr(2, 10),
                alu(AluOp.ADD, 2, -4),
                ldMap(1, 0),
                call(1),
                jmp(JumpOp.JNE, 0, 0, 2),
                mov(0, 0),
                exit()));
        p.addAll(List.of(then));
        return p;
    }

    @Test
    void pointerLeaks() {
        both(prog(movr(0, 1), exit()));
        both(prog(movr(3, 10), jmp(JumpOp.JNE, 3, 0, 1), mov(0, 0), exit()));
        both(mapValue(Asm.stx(Size.DW, 0, 0, 6), mov(0, 0), exit()), ARRAY);
        both(prog(movr(3, 10), Asm.alu32(AluOp.ADD, 3, 1), mov(0, 0), exit()));
    }

    @Test
    void uninitializedStack() {
        both(prog(ldx(Size.DW, 0, 10, -8), exit()));
        both(prog(st(Size.W, 10, -8, 1), ldx(Size.DW, 0, 10, -8), exit()));
    }

    @Test
    void stackPointerArithmetic() {
        both(prog(movr(3, 10), alu(AluOp.ADD, 3, 8), mov(0, 0), exit()));
        both(prog(movr(3, 10), alu(AluOp.ADD, 3, -8), mov(0, 0), exit()));
        // skb->len: an unknown u32
        KernelParity.Comparison c = both(prog(ldx(Size.W, 2, 1, 0), movr(3, 10), alur(AluOp.ADD, 3, 2), mov(0, 0), exit()));
        assertThat(c.bpf4j().errorLine()).contains("!root");
        // a scalar in [-4, 3]: mixed signed bounds
        both(prog(ldx(Size.W, 2, 1, 0), alu(AluOp.AND, 2, 7), alu(AluOp.SUB, 2, 4), movr(3, 10), alu(AluOp.ADD, 3, -16),
                alur(AluOp.ADD, 3, 2), mov(0, 0), exit()));
    }

    @Test
    void mapValueArithmetic() {
        // an offset in [0, 7] stays inside the 8-byte value; [0, 15] does not
        both(mapValue(ldx(Size.W, 2, 6, 0), alu(AluOp.AND, 2, 7), alur(AluOp.ADD, 0, 2), ldx(Size.B, 0, 0, 0), exit()), ARRAY);
        both(mapValue(ldx(Size.W, 2, 6, 0), alu(AluOp.AND, 2, 15), alur(AluOp.ADD, 0, 2), ldx(Size.B, 0, 0, 0), exit()),
                ARRAY);
        // scalar += pointer, and a constant in a register
        both(mapValue(ldx(Size.W, 2, 6, 0), alu(AluOp.AND, 2, 7), alur(AluOp.ADD, 2, 0), ldx(Size.B, 0, 2, 0), exit()), ARRAY);
        both(mapValue(mov(2, 4), alur(AluOp.ADD, 0, 2), ldx(Size.B, 0, 0, 0), exit()), ARRAY);
        // subtraction: the mask points the other way
        both(mapValue(alu(AluOp.ADD, 0, 7), ldx(Size.W, 2, 6, 0), alu(AluOp.AND, 2, 7), alur(AluOp.SUB, 0, 2),
                ldx(Size.B, 0, 0, 0), exit()), ARRAY);
        // one insn adding to a map value on one path and to a scalar on the other
        both(mapValue(ldx(Size.W, 2, 6, 0), alu(AluOp.AND, 2, 7), ldx(Size.W, 4, 6, 8), jmp(JumpOp.JEQ, 4, 0, 2), movr(3, 0),
                ja(1), mov(3, 0), alur(AluOp.ADD, 3, 2), mov(0, 0), exit()), ARRAY);
    }

    @Test
    void speculativePaths() {
        // the fall-through of a jump always taken reads uninitialized stack: only under misprediction
        both(prog(mov(2, 0), jmp(JumpOp.JEQ, 2, 0, 1), ldx(Size.DW, 0, 10, -8), mov(0, 0), exit()));
        // the same read on the path actually taken
        both(prog(mov(2, 0), jmp(JumpOp.JNE, 2, 0, 1), ldx(Size.DW, 0, 10, -8), mov(0, 0), exit()));
        // a pointer comparison on the mispredicted path
        both(prog(mov(2, 1), jmp(JumpOp.JNE, 2, 0, 2), movr(3, 10), jmp(JumpOp.JEQ, 3, 0, 0), mov(0, 0), exit()));
    }

    @Test
    void backEdgesCallsAndProgramTypes() {
        both(prog(mov(0, 3), alu(AluOp.SUB, 0, 1), jmp(JumpOp.JNE, 0, 0, -2), exit()));
        both(prog(callLocal(2), mov(0, 0), exit(), mov(0, 1), exit()));
        KernelParity.Comparison xdp = KernelParity.of(ProgramType.XDP, prog(mov(0, 2), exit())).unprivileged().assertSame();
        assertThat(xdp.bpf4j().accepted()).isFalse();
    }
}
