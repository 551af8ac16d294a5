package io.bpf4j.relocator;

import io.bpf4j.isa.Instruction;
import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.Opcodes;
import io.bpf4j.isa.Slot;
import io.bpf4j.isa.abi.ProgramType;
import io.bpf4j.relocator.tables.IndirectTargets;

import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * An entry program after libbpf's relocation: subprograms appended in libbpf's order, every
 * relocation applied, func_info and line_info rebased. Map references carry the map's index
 * in {@link ObjectSpec#maps()} where libbpf puts a file descriptor; see {@link #mapReferences()}.
 *
 * @param name                 the program name
 * @param sectionName          the section name without a leading {@code ?}
 * @param programType          the type from the section table ({@link ProgramType#UNSPEC} when none matched)
 * @param expectedAttachTypeId the expected attach type number from the section table
 * @param attachTarget         the attach target written in the section name, or null
 * @param sleepable            whether the section asks for a sleepable program
 * @param autoload             whether {@code load} loads it
 * @param license              the object's license
 * @param kernelVersion        {@code kern_version}
 * @param instructions         the relocated instructions (host form)
 * @param functions            the program (index 0) and its appended subprograms
 * @param funcInfoRecordSize   {@code func_info_rec_size} (0 without func_info)
 * @param funcInfo             func_info records with slot offsets in this program
 * @param lineInfoRecordSize   {@code line_info_rec_size} (0 without line_info)
 * @param lineInfo             line_info records with slot offsets in this program
 * @param mapReferences        every {@code ld_imm64} that refers to a map; a map index at or above
 *                             the object's map count names the program's own table map
 *                             {@code indirect.tables().get(mapIndex - objectMapCount)}
 * @param relocations          the program's relocations after appending (slots in this program), as applied
 * @param coreSites            where the CO-RE records landed in this program (their results: {@link Relocator#relocateCore})
 * @param indirect             function pointers, call tables and jump tables of this program
 */
public record RelocatedProgram(String name, String sectionName, ProgramType programType, int expectedAttachTypeId,
                               String attachTarget, boolean sleepable, boolean autoload, String license, int kernelVersion,
                               Instructions instructions, List<FunctionEntry> functions, int funcInfoRecordSize,
                               List<FuncInfoRecord> funcInfo, int lineInfoRecordSize, List<LineInfoRecord> lineInfo,
                               List<MapReference> mapReferences, List<RelocationRecord> relocations,
                               List<CoreSite> coreSites, IndirectTargets indirect) {

    public RelocatedProgram {
        indirect = indirect == null ? IndirectTargets.NONE : indirect;
        functions = List.copyOf(functions);
        funcInfo = List.copyOf(funcInfo);
        lineInfo = List.copyOf(lineInfo);
        mapReferences = List.copyOf(mapReferences);
        relocations = List.copyOf(relocations);
        coreSites = List.copyOf(coreSites);
    }

    /** The names of the subprograms this program uses, in appending order. */
    public List<String> subprograms() {
        return functions.stream().skip(1).map(FunctionEntry::name).toList();
    }

    /**
     * The function a bpf-to-bpf call or a function-address load ({@code BPF_PSEUDO_FUNC}) at
     * {@code slot} targets ({@code slot + imm + 1}); empty for any other instruction.
     */
    public Optional<FunctionEntry> calleeAt(int slot) {
        int idx = instructions.indexAtSlot(slot);
        if (idx < 0) {
            return Optional.empty();
        }
        Slot s = instructions.get(idx).slot();
        boolean call = s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_CALL;
        boolean func = s.code() == Opcodes.CODE_LD_IMM64 && s.src() == Opcodes.PSEUDO_FUNC;
        if (!call && !func) {
            return Optional.empty();
        }
        int target = slot + s.imm() + 1;
        return functions.stream().filter(f -> f.startSlot() == target).findFirst();
    }

    /** The map reference of the {@code ld_imm64} at {@code slot}. */
    public Optional<MapReference> mapReferenceAt(int slot) {
        return mapReferences.stream().filter(r -> r.slot() == slot).findFirst();
    }

    /**
     * The possible targets of the {@code gotox} at {@code slot} (kernel rule: every jump table
     * whose smallest entry lies in the function holding the {@code gotox}); empty when the
     * instruction is no {@code gotox}.
     */
    public TreeSet<Integer> gotoxTargets(int slot) {
        int idx = instructions.indexAtSlot(slot);
        FunctionEntry f = functionAt(slot);
        if (idx < 0 || f == null || instructions.get(idx).slot().code() != Opcodes.CODE_GOTOX) {
            return new TreeSet<>();
        }
        return indirect.gotoxTargets(f.startSlot(), f.startSlot() + f.slotCount());
    }

    /** The slots of every {@code gotox} instruction. */
    public List<Integer> gotoxSlots() {
        List<Integer> out = new java.util.ArrayList<>();
        for (int i = 0; i < instructions.size(); i++) {
            Instruction insn = instructions.get(i);
            if (insn.slot().code() == Opcodes.CODE_GOTOX) {
                out.add(instructions.slotOf(i));
            }
        }
        return out;
    }

    /**
     * The kernel functions this program calls, by the BTF id its {@code call} instructions
     * ({@code src_reg} = {@code BPF_PSEUDO_KFUNC_CALL}) carry: the extern's name without a
     * {@code ___flavor} suffix. Unresolved (poisoned) kfunc calls are not listed.
     */
    public java.util.Map<Integer, String> kfuncs() {
        java.util.Map<Integer, String> out = new java.util.TreeMap<>();
        for (RelocationRecord r : relocations) {
            if (r.kind() != RelocationKind.EXTERN_CALL) {
                continue;
            }
            int idx = instructions.indexAtSlot(r.slot());
            Slot s = idx < 0 ? null : instructions.get(idx).slot();
            if (s != null && s.code() == Opcodes.CODE_CALL && s.src() == Opcodes.PSEUDO_KFUNC_CALL) {
                out.put(s.imm(), ExternResolver.essentialName(r.symbol()));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    /** The function whose code contains {@code slot}, or null. */
    public FunctionEntry functionAt(int slot) {
        for (FunctionEntry f : functions) {
            if (slot >= f.startSlot() && slot < f.startSlot() + f.slotCount()) {
                return f;
            }
        }
        return null;
    }
}
