package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.isa.facts.Facts;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Indirect control flow on hand-written programs, for the rules C cannot reach (encodings, map
 * contents, subprogram layout) and for the facts: the messages are 6.19's for gotox, the
 * pending series' for callx and call-tables-design.md's for call tables.
 */
class IndirectTest {
    private static final int CALLX = Opcodes.CODE_CALLX;
    private static final int GOTOX = Opcodes.CODE_GOTOX;

    private static MapShape jumpTable(String name, Integer... entries) {
        return MapShape.builder(MapType.INSN_ARRAY).name(name).keySize(4).valueSize(16).maxEntries(entries.length)
                .frozen(true).insnOffsets(List.of(entries)).build();
    }

    private static MapShape callTable(String name, Integer... entries) {
        return jumpTable(name, entries).toBuilder().mapExtra(MapShape.CALL_TABLE_EXTRA).build();
    }

    private static Instruction ldFunc(int dst, int imm) {
        return LoadImm64.of(r(dst), Opcodes.PSEUDO_FUNC, imm, 0);
    }

    private static VerifierInput.Builder program(List<MapShape> maps, List<FuncInfo> funcs, Instruction... insns) {
        return VerifierInput.builder(List.of(insns), ProgramType.SOCKET_FILTER).maps(maps).funcInfo(funcs).logLevel(1);
    }

    private static String rejection(VerifierInput.Builder b) {
        try {
            Verifier.verify(b.build());
        } catch (VerifierException e) {
            return e.kernelMessage();
        }
        throw new AssertionError("accepted");
    }

    /** r0 = ctx->len & 1; gotox through a 2-entry table; targets at 8 and 10. */
    private static Instruction[] gotoxProgram() {
        return new Instruction[] {
            ldx(Size.W, 1, 1, 0),       // 0
            alu(AluOp.AND, 1, 1),       // 1
            alu(AluOp.LSH, 1, 3),       // 2
            ldMapValue(2, 0, 0),        // 3-4
            alur(AluOp.ADD, 2, 1),      // 5
            ldx(Size.DW, 1, 2, 0),      // 6
            raw(GOTOX, 1, 0, 0, 0),     // 7
            mov(0, 1), exit(),          // 8, 9
            mov(0, 2), exit()};         // 10, 11
    }

    @Test
    void gotoxCarriesItsTargetsInTheFacts() {
        VerifiedProgram v = Verifier.verify(program(List.of(jumpTable(".jumptables", 8, 10)), List.of(), gotoxProgram()).build());
        assertThat(v.facts().get(7, Facts.INDIRECT_TARGETS).orElseThrow()).containsExactly(8, 10);
        assertThat(v.facts().get(8, Facts.DEAD)).isEmpty();
        assertThat(v.facts().get(10, Facts.DEAD)).isEmpty();
    }

    @Test
    void aJumpTableMustStayInsideTheSubprogramOfItsGotox() {
        // entry 2 lies in the subprogram at 12
        Instruction[] body = gotoxProgram();
        Instruction[] p = new Instruction[body.length + 2];
        System.arraycopy(body, 0, p, 0, body.length);
        p[body.length] = mov(0, 0);
        p[body.length + 1] = exit();
        // a static call keeps the subprogram at 12 reachable
        p[8] = callLocal(2);
        assertThat(rejection(program(List.of(jumpTable(".jumptables", 8, 10, 12)), List.of(), p)))
                .isEqualTo("jump table for insn 7 points outside of the subprog [0,12]");
    }

    @Test
    void gotoxNeedsAJumpTableInItsSubprogram() {
        assertThat(rejection(program(List.of(), List.of(), mov(1, 0), raw(GOTOX, 1, 0, 0, 0), mov(0, 0), exit())))
                .isEqualTo("no jump tables found for subprog starting at 0");
    }

    @Test
    void insnArrayEntriesAreInstructions() {
        // entry 1 is the second half of the ld_imm64 at 3
        assertThat(rejection(program(List.of(jumpTable(".jumptables", 8, 4)), List.of(), gotoxProgram())))
                .isEqualTo("insn array '.jumptables': entry 1 (insn 4) is not an instruction of the program");
    }

    @Test
    void callxEncoding() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(4, "f", false));
        Instruction[] p = {ldFunc(2, 3), raw(CALLX, 2, 0, 0, 1), exit(), mov(0, 7), exit()};
        assertThat(rejection(program(List.of(), funcs, p))).isEqualTo("BPF_CALL|BPF_X uses reserved fields");
        Instruction[] jmp32 = {ldFunc(2, 3), raw((CALLX & ~7) | Opcodes.JMP32, 2, 0, 0, 0), exit(), mov(0, 7), exit()};
        assertThat(rejection(program(List.of(), funcs, jmp32))).isEqualTo("unknown opcode 8e");
    }

    @Test
    void callxReturnsTheCalleesR0AndKeepsR6ToR9() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(6, "f", false));
        // r6 = 40; r2 = &f; callx r2; r0 += r6; exit   f: r0 = 2; exit
        VerifiedProgram v = Verifier.verify(program(List.of(), funcs, mov(6, 40), ldFunc(2, 4), raw(CALLX, 2, 0, 0, 0),
                alur(AluOp.ADD, 0, 6), exit(), mov(0, 2), exit()).build());
        assertThat(v.facts().get(3, Facts.INDIRECT_TARGETS).orElseThrow()).containsExactly(6);
        assertThat(v.facts().get(4, Facts.KNOWN_CONSTANT)).contains(42L);
    }

    @Test
    void callxScratchesR1ToR5() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(6, "f", false));
        assertThat(rejection(program(List.of(), funcs, mov(3, 1), ldFunc(2, 4), raw(CALLX, 2, 0, 0, 0),
                movr(0, 3), exit(), mov(0, 2), exit()))).isEqualTo("R3 !read_ok");
    }

    @Test
    void callTableEntriesMustBeInsideTheProgram() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false));
        assertThat(rejection(program(List.of(callTable("ops", 3, 99)), funcs, ldMapValue(1, 0, 0), mov(0, 0), exit(),
                mov(0, 1), exit()))).isEqualTo("call table 'ops': entry 1 names insn 99 outside the program of 6 insns");
    }

    @Test
    void callTableTargetsFollowTheIndexRange() {
        // main: r1 = ctx->len & 1; r1 <<= 3; r2 = &ops; r2 += r1; r2 = *r2; callx r2; exit
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(9, "a", false),
                new FuncInfo(11, "b", false), new FuncInfo(13, "c", false));
        Instruction[] p = {ldx(Size.W, 1, 1, 0), alu(AluOp.AND, 1, 1), alu(AluOp.LSH, 1, 3), ldMapValue(2, 0, 8),
            alur(AluOp.ADD, 2, 1), ldx(Size.DW, 2, 2, 0), raw(CALLX, 2, 0, 0, 0), exit(),
            mov(0, 1), exit(), mov(0, 2), exit(), mov(0, 3), exit()};
        // the load starts at entry 1 (offset 8) and may add one: entries 1 and 2, never 0
        VerifiedProgram v = Verifier.verify(program(List.of(callTable("ops", 9, 11, 13)), funcs, p).build());
        assertThat(v.facts().get(7, Facts.INDIRECT_TARGETS).orElseThrow()).containsExactly(11, 13);
        assertThatThrownBy(() -> Verifier.verify(program(List.of(callTable("ops", 9, 11)), funcs.subList(0, 3),
                java.util.Arrays.copyOf(p, 12)).build()))
                .isInstanceOf(VerifierException.class)
                .hasMessageContaining("call table 'ops': R2 may read entries [1, 2] of 2");
    }

    @Test
    void jumpTableValuesAreNotForHelpers() {
        Instruction[] p = {st(Size.DW, 10, -8, 0), movr(2, 10), alu(AluOp.ADD, 2, -8), ldMap(1, 0), call(1),
            mov(0, 0), exit()};
        assertThat(rejection(program(List.of(jumpTable(".jumptables", 5)), List.of(), p)))
                .isEqualTo("cannot pass map_type 34 into func bpf_map_lookup_elem#1");
    }
}
