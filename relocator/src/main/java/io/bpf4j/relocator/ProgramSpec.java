package io.bpf4j.relocator;

import io.bpf4j.isa.Instructions;

import java.util.List;

/**
 * A function carved out of an executable section, before relocation: an entry program (any
 * section but {@code .text}) or a subprogram ({@code .text}), as libbpf's {@code bpf_program}
 * right after open.
 *
 * @param name              the symbol name (untruncated)
 * @param section           what the section name says (type, attach, autoload from {@code ?})
 * @param sectionIndex      the ELF section index
 * @param sectionSlotOffset the first instruction slot within the section ({@code st_value / 8})
 * @param instructions      the program's own instructions as in the object (host form)
 * @param subprogram        whether it lives in {@code .text} (never loaded on its own)
 * @param global            whether its symbol is not local
 * @param hidden            whether it is global with hidden or internal visibility
 * @param autoload          whether {@code load} loads it (false for {@code ?} sections or when switched off)
 * @param relocations       its relocations sorted by (slot, kind), slots relative to the program
 */
public record ProgramSpec(String name, ProgramSection section, int sectionIndex, int sectionSlotOffset,
                          Instructions instructions, boolean subprogram, boolean global, boolean hidden, boolean autoload,
                          List<RelocationRecord> relocations) {

    public ProgramSpec {
        relocations = List.copyOf(relocations);
    }

    /** The number of 8-byte slots ({@code st_size / 8}). */
    public int slotCount() {
        return instructions.slotCount();
    }

    /** Whether section slot {@code slot} lies inside this program. */
    public boolean containsSectionSlot(long slot) {
        return slot >= sectionSlotOffset && slot < sectionSlotOffset + slotCount();
    }

    public ProgramSpec withAutoload(boolean newAutoload) {
        return new ProgramSpec(name, section, sectionIndex, sectionSlotOffset, instructions, subprogram, global, hidden,
                newAutoload, relocations);
    }

    ProgramSpec withRelocations(List<RelocationRecord> newRelocations) {
        return new ProgramSpec(name, section, sectionIndex, sectionSlotOffset, instructions, subprogram, global, hidden,
                autoload, newRelocations);
    }
}
