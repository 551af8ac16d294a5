package io.bpf4j.verifier;

import static io.bpf4j.verifier.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.AluOp;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.JumpOp;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Size;
import io.bpf4j.isa.abi.MapShape;
import io.bpf4j.isa.abi.MapType;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.verifier.Explanation.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Explanations of rejections on hand-assembled programs, one per rule: each slice must name the
 * instructions that made the offending value (by slot, with the source line the program's
 * line_info gives them: line 100 + slot here) and nothing the value does not depend on; the
 * hint must name the place and the bound. The kernel's error line is what the other tests check
 * against the live kernel; here it only picks the program.
 */
class ExplanationTest {
    static final MapShape HASH = MapShape.builder(MapType.HASH).name("h").keySize(4).valueSize(8).maxEntries(4).build();
    static final MapShape ARRAY = MapShape.builder(MapType.ARRAY).name("arr").keySize(4).valueSize(64).maxEntries(4).build();
    static final MapShape RINGBUF = MapShape.builder(MapType.RINGBUF).name("rb").maxEntries(4096).build();

    /** One line_info record per slot: slot i is "line 100 + i" of prog.c. */
    private static List<LineInfo> lines(Instruction... insns) {
        List<LineInfo> out = new ArrayList<>();
        int slot = 0;
        for (Instruction i : insns) {
            out.add(new LineInfo(slot, "/src/prog.c", 100 + slot, 1, "  stmt" + slot + ";"));
            slot += i.slots();
        }
        return out;
    }

    /** Root without CAP_PERFMON's leave to read never-written stack (what makes uninitialized stack a rejection). */
    static final Privileges NO_UNINIT_STACK = new Privileges(true, true, true, false, true);

    private static VerifierException reject(ProgramType type, List<MapShape> maps, List<FuncInfo> funcs, Instruction... insns) {
        return reject(Privileges.ROOT, type, maps, funcs, insns);
    }

    private static VerifierException reject(Privileges priv, ProgramType type, List<MapShape> maps, List<FuncInfo> funcs,
                                            Instruction... insns) {
        try {
            Verifier.verify(VerifierInput.builder(List.of(insns), type).maps(maps).funcInfo(funcs).lineInfo(lines(insns))
                    .privileges(priv).build());
        } catch (VerifierException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    private static Explanation explain(ProgramType type, List<MapShape> maps, Instruction... insns) {
        return reject(type, maps, List.of(), insns).explanation().orElseThrow();
    }

    private static String hint(Explanation e) {
        return e.hint().orElseThrow();
    }

    private static List<Integer> lineNumbers(Explanation e) {
        return e.slice().stream().map(s -> s.sourceLine().orElseThrow().line()).toList();
    }

    @Test
    void packetReadWithoutACheck() {
        // r2 = data; r3 = data_end; r6 = 7 (unrelated); r0 = *(u64 *)(r2 + 0)
        Explanation e = explain(ProgramType.XDP, List.of(), ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), mov(6, 7),
                ldx(Size.DW, 0, 2, 0), mov(0, 0), exit());
        assertThat(e.rule()).isEqualTo(Rule.PACKET_RANGE);
        assertThat(e.insns()).containsExactly(0, 1, 3);
        assertThat(lineNumbers(e)).containsExactly(100, 101, 103);
        assertThat(e.slice().get(2).text()).isEqualTo("(79) r0 = *(u64 *)(r2 +0)");
        assertThat(hint(e)).contains("add a check that data + 8 <= data_end before line 103");
    }

    @Test
    void packetReadPastTheCheckedRange() {
        // r2 = data; r3 = data_end; r4 = r2 + 4; if r4 > r3 goto out; r0 = *(u64 *)(r2 + 0)
        Explanation e = explain(ProgramType.XDP, List.of(), ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), mov(7, 1),
                movr(4, 2), alu(AluOp.ADD, 4, 4), jmpr(JumpOp.JGT, 4, 3, 2), ldx(Size.DW, 0, 2, 0), exit(), mov(0, 0), exit());
        assertThat(e.rule()).isEqualTo(Rule.PACKET_RANGE);
        assertThat(e.insns()).containsExactly(0, 1, 3, 4, 5, 6);
        assertThat(hint(e)).contains("add a check that data + 8 <= data_end before line 106 (the checks on this path prove 4 bytes)");
    }

    @Test
    void packetCheckOnACopyThatIsGoneAtTheFailure() {
        // the check is on r4 = r2 + 4, and r3, r4 are overwritten before the read: the slice still shows the check
        Explanation e = explain(ProgramType.XDP, List.of(), ldx(Size.W, 2, 1, 0), ldx(Size.W, 3, 1, 4), movr(4, 2),
                alu(AluOp.ADD, 4, 4), jmpr(JumpOp.JGT, 4, 3, 5), mov(4, 0), mov(3, 0), mov(7, 0), ldx(Size.DW, 0, 2, 0),
                exit(), mov(0, 0), exit());
        assertThat(e.insns()).containsExactly(0, 1, 2, 3, 4, 8);
        assertThat(e.slice().get(4).role()).isEqualTo("compares R4 with R3");
    }

    /** key = 0 on the stack; r0 = lookup(map 0, &key): insns 0-5 (the map load takes slots 3-4). */
    private static List<Instruction> lookup() {
        return List.of(st(Size.W, 10, -4, 0), movr(2, 10), alu(AluOp.ADD, 2, -4), ldMap(1, 0), call(1));
    }

    private static Instruction[] with(List<Instruction> head, Instruction... tail) {
        List<Instruction> all = new ArrayList<>(head);
        all.addAll(List.of(tail));
        return all.toArray(new Instruction[0]);
    }

    @Test
    void nullMapValue() {
        Explanation e = explain(ProgramType.XDP, List.of(HASH), with(lookup(), mov(6, 1), ldx(Size.DW, 0, 0, 0), exit()));
        assertThat(e.rule()).isEqualTo(Rule.NULL_POINTER);
        assertThat(e.insns()).containsExactly(5, 7);
        assertThat(hint(e)).contains("check the result of bpf_map_lookup_elem (line 105) for NULL before line 107");
    }

    @Test
    void unboundedMapValueIndex() {
        // v = lookup(); if (!v) return; r1 = *(u32 *)v; v += r1; r0 = *(u8 *)v
        Explanation e = explain(ProgramType.XDP, List.of(ARRAY), with(lookup(), jmp(JumpOp.JNE, 0, 0, 2), mov(0, 0),
                exit(), ldx(Size.W, 1, 0, 0), mov(5, 3), alur(AluOp.ADD, 0, 1), ldx(Size.B, 0, 0, 0), exit()));
        assertThat(e.rule()).isEqualTo(Rule.VARIABLE_OFFSET);
        assertThat(e.insns()).containsExactly(5, 6, 9, 11, 12);
        assertThat(hint(e)).contains("bound R1 (added at line 111) with an upper check before using it as an index at line 112");
    }

    @Test
    void aLoopWalksPastTheValueAcrossCheckpoints() {
        // v = lookup(); if (!v) return 0; for (i = 0; i < 9; i++) { r2 = *v; v += 8; }: the ninth read is past 64 bytes
        Explanation e = explain(ProgramType.XDP, List.of(ARRAY), with(lookup(), jmp(JumpOp.JNE, 0, 0, 2), mov(0, 0), exit(),
                mov(1, 0), ldx(Size.DW, 2, 0, 0), alu(AluOp.ADD, 0, 8), alu(AluOp.ADD, 1, 1), jmp(JumpOp.JLT, 1, 9, -4),
                mov(0, 0), exit()));
        assertThat(e.rule()).as(e.render()).isEqualTo(Rule.OUT_OF_BOUNDS);
        // one step per insn however many iterations the path made
        assertThat(e.insns()).containsExactly(5, 6, 11, 10);
        assertThat(hint(e)).isEqualTo("the access of 8 bytes at offset 64 is outside the 64-byte map value: keep offset + size"
                + " <= 64 at line 110");
    }

    @Test
    void registerScratchedByAHelperCall() {
        Explanation e = explain(ProgramType.XDP, List.of(), mov(3, 1), mov(6, 2), call(7), movr(0, 3), exit());
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_REGISTER);
        assertThat(e.insns()).containsExactly(2, 3);
        assertThat(hint(e)).contains("R3 does not survive the call at line 102 (bpf_get_prandom_u32)");
    }

    @Test
    void returnValueNeverSet() {
        Explanation e = explain(ProgramType.XDP, List.of(), mov(3, 1), jmp(JumpOp.JEQ, 3, 1, 1), mov(0, 2), exit());
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_REGISTER);
        assertThat(e.insns()).containsExactly(3);
        assertThat(hint(e)).contains("set the return value (R0) on every path to the exit at line 103");
    }

    @Test
    void uninitializedStackRead() {
        // fp-8 gets 4 bytes; an 8-byte read finds the other 4 unwritten
        Explanation e = reject(NO_UNINIT_STACK, ProgramType.XDP, List.of(), List.of(), st(Size.W, 10, -8, 1), mov(6, 0),
                ldx(Size.DW, 0, 10, -8), exit()).explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_STACK);
        assertThat(e.insns()).containsExactly(0, 2);
        assertThat(hint(e)).contains("initialize all 8 bytes from fp-8").contains("before line 102");
    }

    @Test
    void uninitializedKeyForAHelper() {
        // the key's stack slot is never written
        Explanation e = reject(NO_UNINIT_STACK, ProgramType.XDP, List.of(HASH), List.of(), movr(2, 10), alu(AluOp.ADD, 2, -4),
                ldMap(1, 0), call(1), mov(0, 0), exit()).explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_STACK);
        assertThat(e.insns()).containsExactly(0, 1, 4);
        assertThat(hint(e)).startsWith("the 4 bytes at fp-4 that R2 points to are read before this path writes all of them")
                .endsWith("before line 104");
    }

    @Test
    void scalarPassedAsAKeyPointer() {
        Explanation e = explain(ProgramType.KPROBE, List.of(HASH), ldx(Size.W, 2, 1, 0), mov(6, 0), ldMap(1, 0), call(1),
                mov(0, 0), exit());
        assertThat(e.rule()).isEqualTo(Rule.HELPER_ARGUMENT);
        assertThat(e.insns()).containsExactly(0, 4);
        assertThat(hint(e)).startsWith("argument 2 of bpf_map_lookup_elem must be fp")
                .endsWith("but R2 holds scalar at line 104");
    }

    @Test
    void ringbufRecordNeverSubmitted() {
        Explanation e = explain(ProgramType.KPROBE, List.of(RINGBUF), ldMap(1, 0), mov(2, 8), mov(3, 0), call(131),
                jmp(JumpOp.JEQ, 0, 0, 1), st(Size.DW, 0, 0, 1), mov(0, 0), exit());
        assertThat(e.rule()).isEqualTo(Rule.REFERENCE_LEAK);
        assertThat(e.insns()).containsExactly(4, 8);
        assertThat(hint(e)).contains("release the reference bpf_ringbuf_reserve returned at line 104 on every path before line 108"
                + " (bpf_ringbuf_submit or bpf_ringbuf_discard)");
    }

    @Test
    void returnValueOutOfRange() {
        // cgroup_skb (ingress) returns 0 or 1
        Explanation e = explain(ProgramType.CGROUP_SKB, List.of(), ldx(Size.W, 2, 1, 0), mov(6, 1), movr(0, 2),
                alu(AluOp.AND, 0, 3), exit());
        assertThat(e.rule()).isEqualTo(Rule.RETURN_VALUE);
        assertThat(e.insns()).containsExactly(0, 2, 3, 4);
        assertThat(hint(e)).contains("return a value in [0, 1] at line 104");
    }

    @Test
    void returnValueComputedInACallee() {
        // main: r1 = 5; r7 = 0; call f; exit   f: r0 = r1; r0 += 1; exit
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(4, "f", false));
        Explanation e = reject(ProgramType.CGROUP_SKB, List.of(), funcs, mov(1, 5), mov(7, 0), callLocal(1), exit(),
                movr(0, 1), alu(AluOp.ADD, 0, 1), exit()).explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.RETURN_VALUE);
        assertThat(e.insns()).containsExactly(0, 2, 4, 5, 6, 3);
        assertThat(e.slice().get(1).role()).isEqualTo("passes R1 to the callee");
        assertThat(e.slice().get(4).role()).isEqualTo("returns R0 to the caller");
    }

    @Test
    void calleeReadsACallerRegister() {
        // main: r6 = 1; call f; exit   f: r0 = r6; exit
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(3, "f", false));
        Explanation e = reject(ProgramType.XDP, List.of(), funcs, mov(6, 1), callLocal(1), exit(), movr(0, 6), exit())
                .explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_REGISTER);
        assertThat(e.insns()).containsExactly(3);
        assertThat(hint(e)).isEqualTo("R6 is not set in this function before line 103: a function starts with only its"
                + " arguments (R1-R5) and R10");
    }

    @Test
    void callxThroughAScalar() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false));
        VerifierException ex = reject(ProgramType.SOCKET_FILTER, List.of(), funcs, ldx(Size.W, 2, 1, 0), mov(6, 0),
                raw(Opcodes.CODE_CALLX, 2, 0, 0, 0), mov(0, 0), exit());
        Explanation e = ex.explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.INDIRECT_CALL);
        assertThat(e.insns()).containsExactly(0, 2);
        assertThat(hint(e)).contains("callx needs a function pointer in R2 (&func, or an entry loaded from a call table),"
                + " but it holds scalar at line 102");
    }

    @Test
    void callxScratchesArguments() {
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(6, "f", false));
        Explanation e = reject(ProgramType.SOCKET_FILTER, List.of(), funcs, mov(3, 1), LoadImm64.of(r(2), Opcodes.PSEUDO_FUNC, 4, 0),
                raw(Opcodes.CODE_CALLX, 2, 0, 0, 0), movr(0, 3), exit(), mov(0, 2), exit()).explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.UNINIT_REGISTER);
        // the path: 0 1 3 -> f: 6 7 -> 4: the callx is what scratched R3
        assertThat(e.insns()).containsExactly(3, 4);
        assertThat(hint(e)).startsWith("R3 does not survive the call at line 103 (callx r2)");
    }

    private static MapShape callTable(String name, Integer... entries) {
        return MapShape.builder(MapType.INSN_ARRAY).name(name).keySize(4).valueSize(16).maxEntries(entries.length)
                .frozen(true).insnOffsets(List.of(entries)).mapExtra(MapShape.CALL_TABLE_EXTRA).build();
    }

    @Test
    void callTableIndexPastTheTable() {
        // r1 = ctx->len & 1; r1 <<= 3; r2 = &ops[1]; r2 += r1; r2 = *r2; callx r2 -- entries 1 and 2 of a 2-entry table
        List<FuncInfo> funcs = List.of(new FuncInfo(0, "main", false), new FuncInfo(9, "a", false),
                new FuncInfo(11, "b", false));
        Explanation e = reject(ProgramType.SOCKET_FILTER, List.of(callTable("ops", 9, 11)), funcs, ldx(Size.W, 1, 1, 0),
                alu(AluOp.AND, 1, 1), alu(AluOp.LSH, 1, 3), ldMapValue(2, 0, 8), alur(AluOp.ADD, 2, 1), ldx(Size.DW, 2, 2, 0),
                raw(Opcodes.CODE_CALLX, 2, 0, 0, 0), exit(), mov(0, 1), exit(), mov(0, 2), exit()).explanation().orElseThrow();
        assertThat(e.rule()).isEqualTo(Rule.CALL_TABLE);
        assertThat(e.insns()).containsExactly(0, 1, 2, 3, 5, 6);
        assertThat(hint(e)).contains("check the index R1 (added at line 105) against 2 (index < 2) before line 106");
    }

    /** Random short programs (fixed seed): every rejection's explanation ends at the rejected insn, once per insn, within bounds. */
    @Test
    void randomRejectionsGiveWellFormedExplanations() {
        java.util.Random rnd = new java.util.Random(0x5eed_e8a1L);
        int explained = 0;
        for (int round = 0; round < 2000; round++) {
            List<Instruction> p = new ArrayList<>();
            int n = 3 + rnd.nextInt(10);
            for (int i = 0; i < n; i++) {
                int left = n - i;
                p.add(switch (rnd.nextInt(9)) {
                    case 0 -> mov(rnd.nextInt(10), rnd.nextInt(16));
                    case 1 -> movr(rnd.nextInt(10), rnd.nextInt(11));
                    case 2 -> alur(AluOp.ADD, rnd.nextInt(10), rnd.nextInt(10));
                    case 3 -> ldx(Size.W, rnd.nextInt(10), rnd.nextBoolean() ? 1 : rnd.nextInt(10), 4 * rnd.nextInt(3));
                    case 4 -> ldx(Size.DW, rnd.nextInt(10), 10, -8 * (1 + rnd.nextInt(2)));
                    case 5 -> st(Size.W, 10, -4 * (1 + rnd.nextInt(4)), rnd.nextInt(8));
                    case 6 -> jmp(JumpOp.JGT, rnd.nextInt(10), rnd.nextInt(8), rnd.nextInt(left));
                    case 7 -> call(rnd.nextBoolean() ? 7 : 1);
                    default -> alu(AluOp.ADD, rnd.nextInt(10), 8);
                });
            }
            p.add(exit());
            Instruction[] insns = p.toArray(new Instruction[0]);
            List<MapShape> maps = List.of(HASH);
            try {
                Verifier.verify(VerifierInput.builder(List.of(insns), rnd.nextBoolean() ? ProgramType.XDP : ProgramType.SOCKET_FILTER)
                        .maps(maps).lineInfo(lines(insns)).build());
            } catch (VerifierException e) {
                if (e.explanation().isEmpty() || e.insnIndex() < 0) {
                    continue;
                }
                Explanation x = e.explanation().get();
                String where = "round " + round + ": " + e.kernelMessage() + "\n" + x.render();
                assertThat(x.slice()).as(where).isNotEmpty().hasSizeLessThanOrEqualTo(40);
                assertThat(x.insns().get(x.insns().size() - 1)).as(where).isEqualTo(e.insnIndex());
                assertThat(x.insns()).as(where).doesNotHaveDuplicates();
                assertThat(x.slice()).as(where).allMatch(s -> !s.role().isEmpty() && s.sourceLine().isPresent());
                explained++;
            }
        }
        assertThat(explained).isGreaterThan(500);
    }

    @Test
    void wholeProgramRejectionsHaveNoPath() {
        VerifierException ex = reject(ProgramType.XDP, List.of(), List.of(), mov(0, 0));
        assertThat(ex.explanation()).isEmpty();
    }

    @Test
    void renderShowsEachStepWithItsSourceLine() {
        Explanation e = explain(ProgramType.XDP, List.of(HASH), with(lookup(), mov(6, 1), ldx(Size.DW, 0, 0, 0), exit()));
        assertThat(e.render()).isEqualTo(
                "    5: (85) call bpf_map_lookup_elem#1      ; sets R0 to what the call returns   @ prog.c:105: stmt5;\n"
                + "    7: (79) r0 = *(u64 *)(r0 +0)            ; rejected: R0 invalid mem access 'map_value_or_null'"
                + "   @ prog.c:107: stmt7;\n"
                + "hint: check the result of bpf_map_lookup_elem (line 105) for NULL before line 107\n");
    }
}
