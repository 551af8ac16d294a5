package io.bpf4j.relocator;

import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.text.BpftoolSyntax;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.relocator.tables.TableMap;

import java.util.ArrayList;
import java.util.List;

/**
 * What a dump of a relocated program needs: the instructions in the form
 * {@code bpftool prog dump xlated} shows them, and the names bpftool would look up.
 *
 * <p>The kernel keeps a bpf-to-bpf call's relative offset in {@code off} and the callee's
 * subprogram index in {@code imm}, and puts the subprogram index into the second half of a
 * {@code BPF_PSEUDO_FUNC} load (indirect-calls-and-jumps.md §1.5); {@link #kernelView} does the
 * same to a relocated program, so {@code call pc+N} and {@code subprog[+N]} print the offsets the
 * program carries. Map loads name the map ({@code map[calculon_ops][0]+16}) where bpftool would
 * print a map id.
 */
public final class ProgramDump {
    private ProgramDump() {}

    /** The names of the maps a program's {@code ld_imm64} instructions refer to, by the index they carry. */
    public static List<String> mapNames(ObjectSpec obj, RelocatedProgram program) {
        List<String> out = new ArrayList<>();
        for (MapSpec m : obj.maps()) {
            out.add(m.name());
        }
        for (TableMap t : program.indirect().tables()) {
            out.add(t.name());
        }
        return out;
    }

    /**
     * The program as the kernel's dump holds it: calls {@code off} = relative offset,
     * {@code imm} = callee's function index; function-address loads with the callee's function
     * index in {@code insn[1].imm}. Everything else is unchanged.
     */
    public static Instructions kernelView(RelocatedProgram program) {
        Instructions insns = program.instructions();
        List<Instruction> out = new ArrayList<>(insns.size());
        for (int i = 0; i < insns.size(); i++) {
            Instruction insn = insns.get(i);
            int slot = insns.slotOf(i);
            Slot s = insn.slot();
            FunctionEntry callee = program.calleeAt(slot).orElse(null);
            if (callee != null && s.code() == Opcodes.CODE_CALL) {
                insn = insn.withSlot(s.withOff(s.imm()).withImm(callee.index()));
            } else if (callee != null && insn instanceof LoadImm64) {
                insn = Instruction.of(s, ((LoadImm64) insn).second().withImm(callee.index()));
            }
            out.add(insn);
        }
        return Instructions.of(out);
    }

    /**
     * bpftool's look-ups answered from the program: a call's callee by its name, a map
     * reference by the map's name ({@code map[name]}, {@code map[name][0]+off}).
     *
     * @param mapNames {@link #mapNames}
     */
    public static BpftoolSyntax.Symbols symbols(RelocatedProgram program, List<String> mapNames) {
        List<FunctionEntry> functions = program.functions();
        return new BpftoolSyntax.Symbols() {
            @Override
            public String subprogram(int index, Call call) {
                int f = call.slot().src() == Opcodes.PSEUDO_CALL ? call.slot().imm() : -1;
                return f >= 0 && f < functions.size() ? functions.get(f).name() : null;
            }

            @Override
            public String mapReference(LoadImm64 insn) {
                int m = insn.slot().imm();
                if (m < 0 || m >= mapNames.size()) {
                    return null;
                }
                String name = "map[" + mapNames.get(m) + "]";
                return insn.slot().src() == Opcodes.PSEUDO_MAP_VALUE ? name + "[0]+" + insn.second().imm() : name;
            }
        };
    }

    /** The whole dump: {@link #kernelView} printed with {@link #symbols}. */
    public static List<String> bpftool(ObjectSpec obj, RelocatedProgram program, BpftoolSyntax.Options options) {
        return BpftoolSyntax.of(options, symbols(program, mapNames(obj, program))).format(kernelView(program));
    }
}
