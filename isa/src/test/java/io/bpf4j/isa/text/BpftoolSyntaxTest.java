package io.bpf4j.isa.text;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpf4j.isa.Call;
import io.bpf4j.isa.CallX;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.InstructionCodec;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Jump;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Register;
import io.bpf4j.isa.Slot;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Programs loaded into the Linux kernel and dumped with {@code bpftool prog dump xlated}
 * (goldens from isa/tools/gen_xlated_goldens.sh): the printer, fed the raw xlated bytes bpftool
 * wrote, reproduces bpftool's text line for line.
 */
class BpftoolSyntaxTest {
    private static final String DIR = "xlated/";
    private static final Pattern INSN = Pattern.compile(" *(\\d+): .*");
    private static final Pattern HELPER_CALL = Pattern.compile(" *(\\d+): \\(85\\) call ([^ #]+)#(-?\\d+)");
    private static final Pattern LOCAL_CALL = Pattern.compile(" *(\\d+): \\(85\\) call pc[+-]\\d+#(\\S+)");

    /**
     * The names bpftool looked up in kallsyms, read back from its output; everything else (helper
     * ids still in the table, map ids) comes from the printer's own defaults.
     */
    static BpftoolSyntax.Symbols namesFrom(List<String> golden) {
        Map<Integer, String> callees = new HashMap<>();
        Map<Integer, String> subprograms = new HashMap<>();
        Map<Integer, List<String>> before = new HashMap<>();
        List<String> pending = new ArrayList<>();
        for (String line : golden) {
            Matcher m;
            if ((m = HELPER_CALL.matcher(line)).matches()) {
                callees.put(Integer.parseInt(m.group(1)), m.group(2));
            }
            if ((m = LOCAL_CALL.matcher(line)).matches()) {
                subprograms.put(Integer.parseInt(m.group(1)), m.group(2));
            }
            if ((m = INSN.matcher(line)).matches()) {
                before.put(Integer.parseInt(m.group(1)), List.copyOf(pending));
                pending.clear();
            } else if (!line.startsWith("       ")) {
                pending.add(line);
            }
        }
        return new BpftoolSyntax.Symbols() {
            @Override
            public String callee(int index, Call call) {
                String fromTable = BpftoolSyntax.Symbols.super.callee(index, call);
                return io.bpf4j.isa.abi.HelperId.ofId(call.imm()) != null ? fromTable : callees.get(index);
            }

            @Override
            public String subprogram(int index, Call call) {
                return subprograms.get(index);
            }

            @Override
            public List<String> linesBefore(int index) {
                return before.getOrDefault(index, List.of());
            }
        };
    }

    static List<String> lines(String resource) {
        return List.of(TestElf.TestResources.text(DIR + resource).split("\n"));
    }

    @ParameterizedTest(name = "{0}{1}")
    @CsvSource({
        "xdp_maps, ''", "xdp_percpu, ''", "legacy_ld, ''", "tc_calls, ''", "v4_alu, ''", "v4_asm, ''",
        // bpftool 7.1 (Debian 12) agrees wherever no v4 instruction is involved
        "xdp_maps, .legacy", "legacy_ld, .legacy", "tc_calls, .legacy",
    })
    void reproducesBpftoolXlatedDump(String program, String variant) {
        Instructions insns = InstructionCodec.decode(TestElf.TestResources.bytes(DIR + program + ".bin"), ByteOrder.LITTLE_ENDIAN);
        for (boolean opcodes : new boolean[] {false, true}) {
            List<String> golden = lines(program + variant + (opcodes ? ".opcodes.txt" : ".txt"));
            BpftoolSyntax syntax = BpftoolSyntax.of(new BpftoolSyntax.Options(opcodes, ByteOrder.LITTLE_ENDIAN), namesFrom(golden));
            assertThat(syntax.format(insns)).as("opcodes %s", opcodes).containsExactlyElementsOf(golden);
        }
    }

    @Test
    void goldensCoverTheFormsTheBriefNames() {
        String all = String.join("\n", lines("xdp_maps.txt")) + String.join("\n", lines("tc_calls.txt"))
                + String.join("\n", lines("v4_asm.txt")) + String.join("\n", lines("v4_alu.txt")) + String.join("\n", lines("legacy_ld.txt")) + String.join("\n", lines("xdp_percpu.txt"));
        // LD_ABS/LD_IND never survive to the xlated dump (the verifier rewrites them), and helper
        // calls carry an address there, resolved through kallsyms: see oddEncodings... and
        // pseudoLoadsAndCalls... for those forms.
        assertThat(all).contains("call __htab_map_lookup_elem#", "call bpf_tail_call#12", "= map[id:", "][0]+", "= subprog[+", "call pc+", "goto pc",
                "lock *(u32 *)", "atomic64_fetch_add", "atomic64_xchg", "atomic64_cmpxchg", "load_acquire", "store_release",
                "gotol pc+1", "= &(void __percpu *)(r0)", "= (s8)", "s/=", "s%=", "= *(s8 *)", "bswap16", "if w", "exit");
    }

    private static String text(Instruction insn) {
        return BpftoolSyntax.defaults().format(0, insn);
    }

    @Test
    void indirectCallsAndJumpsPrintAsTheReferenceSays() {
        // docs/reference/indirect-calls-and-jumps.md §4.1 and §5: "(0d) gotox r3"; the pending
        // callx series prints "callx r2" in the verifier log and dump.
        assertThat(text(Jump.gotox(Register.R3))).isEqualTo("(0d) gotox r3");
        assertThat(text(CallX.of(Register.R2))).isEqualTo("(8d) callx r2");
        assertThat(text(new CallX(Slot.of(Opcodes.CODE_CALLX, 0, 0, 0, 2)))).isEqualTo("(8d) callx r2");
    }

    @Test
    void pseudoLoadsAndCallsWithoutSymbols() {
        // §5: map by id, map value, map by index, function address, bpf-to-bpf call without JIT
        assertThat(text(LoadImm64.of(Register.R1, Opcodes.PSEUDO_MAP_FD, 53858, 0))).isEqualTo("(18) r1 = map[id:53858]");
        assertThat(text(LoadImm64.of(Register.R4, Opcodes.PSEUDO_MAP_VALUE, 53860, 8))).isEqualTo("(18) r4 = map[id:53860][0]+8");
        assertThat(text(LoadImm64.of(Register.R4, Opcodes.PSEUDO_MAP_IDX_VALUE, 2, 16))).isEqualTo("(18) r4 = map[idx:2]+16");
        assertThat(text(LoadImm64.of(Register.R2, Opcodes.PSEUDO_FUNC, 39, 3))).isEqualTo("(18) r2 = subprog[+39]");
        assertThat(text(LoadImm64.of(Register.R2, Opcodes.PSEUDO_FUNC, -4, 0))).isEqualTo("(18) r2 = subprog[-4]");
        assertThat(text(LoadImm64.constant(Register.R0, -1L))).isEqualTo("(18) r0 = 0xffffffffffffffff");
        assertThat(text(new Call(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_CALL, 36, 1)))).isEqualTo("(85) call pc+36");
        assertThat(text(Call.helper(1))).isEqualTo("(85) call bpf_map_lookup_elem#1");
        assertThat(text(Call.helper(100000))).isEqualTo("(85) call unknown#100000");
        assertThat(text(Call.kfunc(1234))).isEqualTo("(85) call kernel-function#1234");
    }

    @Test
    void resolverNamesMapsSubprogramsAndAddsLines() {
        BpftoolSyntax.Symbols names = new BpftoolSyntax.Symbols() {
            @Override
            public String mapReference(LoadImm64 insn) {
                return insn.slot().src() == Opcodes.PSEUDO_MAP_FD ? "map[counts]" : null;
            }

            @Override
            public String subprogram(int index, Call call) {
                return "bpf_prog_b1d8fe3dc5466cc7_static_add";
            }

            @Override
            public List<String> linesBefore(int index) {
                return index == 0 ? List.of("int prog(struct __sk_buff * skb):", "; return add(1);") : List.of();
            }
        };
        Instructions insns = Instructions.of(LoadImm64.of(Register.R1, Opcodes.PSEUDO_MAP_FD, 5, 0),
                LoadImm64.of(Register.R2, Opcodes.PSEUDO_MAP_VALUE, 5, 4),
                new Call(Slot.of(Opcodes.CODE_CALL, 0, Opcodes.PSEUDO_CALL, 2, 1)), io.bpf4j.isa.Exit.INSTANCE);
        assertThat(BpftoolSyntax.of(BpftoolSyntax.Options.withOpcodes(), names).format(insns)).containsExactly(
                "int prog(struct __sk_buff * skb):",
                "; return add(1);",
                "   0: (18) r1 = map[counts]",
                "       18 11 00 00 05 00 00 00 00 00 00 00 00 00 00 00",
                "   2: (18) r2 = map[id:5][0]+4",
                "       18 22 00 00 05 00 00 00 00 00 00 00 04 00 00 00",
                "   4: (85) call pc+2#bpf_prog_b1d8fe3dc5466cc7_static_add",
                "       85 10 02 00 01 00 00 00",
                "   5: (95) exit",
                "       95 00 00 00 00 00 00 00");
    }

    @Test
    void oddEncodingsPrintAsBpftoolDoes() {
        assertThat(text(Instruction.of(Slot.of(0xdb, 1, 2, 0, 0x02)))).isEqualTo("BUG_db");
        assertThat(text(Instruction.of(Slot.of(0x62 | 0x80, 1, 0, 0, 0)))).isEqualTo("BUG_st_e2");
        assertThat(text(Instruction.of(Slot.of(Opcodes.ST | 0xc0, 0, 0, 0, 0)))).isEqualTo("(c2) nospec");
        assertThat(text(Instruction.of(Slot.of(0xbf, 1, 2, -1, 0)))).isEqualTo("(bf) r1 = &(void __percpu *)(r2)");
        assertThat(text(Instruction.of(Slot.of(0xbf, 1, 2, 1, 0x10000)))).isEqualTo("(bf) r1 = addr_space_cast(r2, 1, 0)");
        assertThat(text(Instruction.of(Slot.of(Opcodes.CODE_MAY_GOTO, 0, 0, -3, 0)))).isEqualTo("(e5) may_goto pc-3");
        assertThat(text(Instruction.of(Slot.of(0x20, 0, 0, 0, 12)))).isEqualTo("(20) r0 = *(u32 *)skb[12]");
        assertThat(text(Instruction.of(Slot.of(0x48, 0, 3, 0, -2)))).isEqualTo("(48) r0 = *(u16 *)skb[r3 + -2]");
    }
}
