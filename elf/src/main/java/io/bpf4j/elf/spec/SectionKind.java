package io.bpf4j.elf.spec;

/**
 * What libbpf makes of an ELF section when it first walks them ({@code bpf_object__elf_collect}),
 * decided by the first matching rule in libbpf's order.
 */
public enum SectionKind {
    /** String tables, {@code .llvm_addrsig}, an empty {@code .text}, DWARF and its relocations, {@code .rel.BTF*}. */
    IGNORED,
    /** {@code license}. */
    LICENSE,
    /** {@code version}. */
    VERSION,
    /** The legacy {@code maps} section (libbpf 0.x {@code struct bpf_map_def}). */
    LEGACY_MAPS,
    /** {@code .maps}. */
    MAPS,
    /** {@code .BTF}. */
    BTF,
    /** {@code .BTF.ext}. */
    BTF_EXT,
    /** The symbol table. */
    SYMTAB,
    /** Non-empty executable PROGBITS: programs ({@code .text}: subprograms). */
    PROGRAM,
    /** {@code .data}, {@code .data.*}. */
    DATA,
    /** {@code .rodata}, {@code .rodata.*}. */
    RODATA,
    /** {@code .struct_ops}, {@code .struct_ops.link} and their {@code ?} forms. */
    STRUCT_OPS,
    /** {@code .addr_space.1}: arena globals. */
    ARENA,
    /** {@code .jumptables}: LLVM indirect-jump tables. */
    JUMPTABLES,
    /** {@code .bss}, {@code .bss.*} (NOBITS). */
    BSS,
    /** A REL section libbpf keeps (its target is executable, or it is {@code .rel.maps} or {@code .rel.struct_ops*}). */
    RELOCATIONS,
    /** A REL section libbpf skips ("skipping relo section"). */
    SKIPPED_RELOCATIONS,
    /** Other non-empty PROGBITS ("skipping unrecognized data section"). */
    UNRECOGNIZED_DATA,
    /** Anything else ("skipping section"). */
    SKIPPED;

    /** Whether the section's variables live in a global-data map. */
    public boolean isGlobalData() {
        return this == DATA || this == RODATA || this == BSS;
    }
}
