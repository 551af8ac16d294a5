package io.bpf4j.relocator.tables;

import java.util.List;

/**
 * A table as the object declares it, before any program is relocated.
 *
 * @param kind          call table or jump table
 * @param name          the table's symbol ({@code calculon_ops}, {@code BPF.JT.1.0}) or map name
 * @param sectionName   the section holding it ({@code callx}, {@code .jumptables}, {@code .maps})
 * @param sectionOffset the symbol's value: its byte offset in that section
 * @param size          its size in bytes (8 per entry)
 * @param targets       per entry, the byte offset of the target in its code section: the
 *                      callee's start in {@code .text} for a call table, the target block for a
 *                      jump table (relative to the code section of the function using it)
 * @param functions     per entry, the callee's name for a call table; empty for a jump table
 */
public record TableDeclaration(TableKind kind, String name, String sectionName, long sectionOffset, long size,
                               List<Long> targets, List<String> functions) {
    public TableDeclaration {
        targets = List.copyOf(targets);
        functions = List.copyOf(functions);
    }

    /** The number of entries ({@code size / 8}). */
    public int entryCount() {
        return targets.size();
    }

    /** Whether byte {@code offset} of {@link #sectionName()} lies inside this table. */
    public boolean contains(long offset) {
        return offset >= sectionOffset && offset < sectionOffset + size;
    }
}
