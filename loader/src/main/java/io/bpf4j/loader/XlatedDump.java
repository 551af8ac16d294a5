package io.bpf4j.loader;

import io.bpf4j.elf.btf.Btf;
import io.bpf4j.elf.btf.BtfSignatures;
import io.bpf4j.isa.Call;
import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.LoadImm64;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.text.BpftoolSyntax;
import io.bpf4j.elf.spec.MapSpec;
import io.bpf4j.relocator.FuncInfoRecord;
import io.bpf4j.relocator.FunctionEntry;
import io.bpf4j.relocator.LineInfoRecord;
import io.bpf4j.relocator.RelocatedProgram;
import java.util.ArrayList;
import java.util.List;

/**
 * A relocated program as {@code bpftool prog dump xlated} prints a loaded one, with the names
 * bpftool cannot know: maps by name ({@code map[counts]}, {@code map[.data][0]+4}), calls and
 * function addresses with their callee ({@code call pc+2#helper}, {@code subprog[+10]#cb}),
 * function signatures from func_info and source lines from line_info.
 */
final class XlatedDump implements BpftoolSyntax.Symbols {
    private final RelocatedProgram program;
    private final List<MapSpec> maps;
    private final Btf btf;

    XlatedDump(RelocatedProgram program, List<MapSpec> maps, Btf btf) {
        this.program = program;
        this.maps = maps;
        this.btf = btf;
    }

    List<String> lines(boolean opcodes) {
        return BpftoolSyntax.of(opcodes ? BpftoolSyntax.Options.withOpcodes() : BpftoolSyntax.Options.plain(), this)
                .format(program.instructions());
    }

    /** Every instruction's fields and what it references. */
    List<XlatedInstruction> instructions() {
        Instructions insns = program.instructions();
        BpftoolSyntax text = BpftoolSyntax.of(BpftoolSyntax.Options.plain(), this);
        List<XlatedInstruction> out = new ArrayList<>();
        for (int i = 0; i < insns.size(); i++) {
            Instruction insn = insns.get(i);
            int slot = insns.slotOf(i);
            Integer immHi = null;
            String map = null;
            if (insn instanceof LoadImm64 ld) {
                immHi = ld.second().imm();
                MapSpec m = mapOf(ld);
                map = m == null ? null : m.name();
            }
            out.add(new XlatedInstruction(slot, insn.code(), insn.dstReg(), insn.srcReg(), insn.off(), insn.imm(), immHi, map,
                    calleeOf(slot, insn), text.format(slot, insn).replaceFirst("^\\s*(\\d+: )?\\(\\w\\w\\) ", "")));
        }
        return out;
    }

    private String calleeOf(int slot, Instruction insn) {
        if (insn instanceof Call c && c.kind() == Call.Kind.LOCAL) {
            return subprogram(slot, c);
        }
        if (insn instanceof LoadImm64 ld && ld.slot().src() == Opcodes.PSEUDO_FUNC) {
            return function(slot, ld);
        }
        return null;
    }

    private MapSpec mapOf(LoadImm64 ld) {
        int src = ld.slot().src();
        boolean map = src == Opcodes.PSEUDO_MAP_FD || src == Opcodes.PSEUDO_MAP_VALUE
                || src == Opcodes.PSEUDO_MAP_IDX || src == Opcodes.PSEUDO_MAP_IDX_VALUE;
        int idx = ld.slot().imm();
        return map && idx >= 0 && idx < maps.size() ? maps.get(idx) : null;
    }

    private String functionStartingAt(int slot) {
        for (FunctionEntry f : program.functions()) {
            if (f.startSlot() == slot) {
                return f.name();
            }
        }
        return null;
    }

    /** A kfunc call's name (from the kernel BTF it was resolved against), else bpftool's default. */
    @Override
    public String callee(int slot, Call call) {
        // bpftool names a loaded kfunc call by its kernel symbol; bpf4j keeps the BTF id as imm
        if (call.slot().src() == Opcodes.PSEUDO_KFUNC_CALL && program.kfuncs().containsKey(call.imm())) {
            return program.kfuncs().get(call.imm());
        }
        return BpftoolSyntax.Symbols.super.callee(slot, call);
    }

    /** The function a local call leads to. */
    @Override
    public String subprogram(int slot, Call call) {
        return functionStartingAt(slot + 1 + call.imm());
    }

    /** The function whose address an {@code ld_imm64} loads. */
    @Override
    public String function(int slot, LoadImm64 insn) {
        return functionStartingAt(slot + 1 + insn.slot().imm());
    }

    /** The map an {@code ld_imm64} refers to, by name. */
    @Override
    public String mapReference(LoadImm64 insn) {
        MapSpec map = mapOf(insn);
        if (map == null) {
            return null;
        }
        int src = insn.slot().src();
        boolean value = src == Opcodes.PSEUDO_MAP_VALUE || src == Opcodes.PSEUDO_MAP_IDX_VALUE;
        return "map[" + map.name() + "]" + (value ? "[0]+" + insn.second().imm() : "");
    }

    /** The function signature and source line before an instruction. */
    @Override
    public List<String> linesBefore(int slot) {
        List<String> out = new ArrayList<>();
        if (btf != null) {
            for (FuncInfoRecord f : program.funcInfo()) {
                if (f.insnOffset() == slot) {
                    String sig = BtfSignatures.function(btf, f.typeId());
                    if (sig != null) {
                        out.add(sig + ":");
                    }
                }
            }
        }
        for (LineInfoRecord l : program.lineInfo()) {
            if (l.insnOffset() == slot && l.line() != null && !l.line().isBlank()) {
                out.add("; " + l.line().strip());
            }
        }
        return out;
    }
}
