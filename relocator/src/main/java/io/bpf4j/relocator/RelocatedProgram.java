package io.bpf4j.relocator;

import io.bpf4j.isa.Instructions;
import io.bpf4j.isa.abi.ProgramType;

import java.util.List;

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
 * @param mapReferences        every {@code ld_imm64} that refers to a map
 * @param relocations          the program's relocations after appending (slots in this program), as applied
 * @param coreSites            where the CO-RE records landed in this program (their results: {@link Relocator#relocateCore})
 */
public record RelocatedProgram(String name, String sectionName, ProgramType programType, int expectedAttachTypeId,
                               String attachTarget, boolean sleepable, boolean autoload, String license, int kernelVersion,
                               Instructions instructions, List<FunctionEntry> functions, int funcInfoRecordSize,
                               List<FuncInfoRecord> funcInfo, int lineInfoRecordSize, List<LineInfoRecord> lineInfo,
                               List<MapReference> mapReferences, List<RelocationRecord> relocations,
                               List<CoreSite> coreSites) {

    public RelocatedProgram {
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
