package io.bpf4j.elf;

/**
 * One {@code Elf64_Rel} entry of a REL section.
 *
 * @param index   the entry's position in its REL section
 * @param offset  {@code r_offset}: the byte offset in the target section
 * @param type    the relocation type
 * @param rawType {@code ELF64_R_TYPE(r_info)}, kept for {@link RelocationType#UNKNOWN}
 * @param symbol  the symbol {@code ELF64_R_SYM(r_info)} refers to
 * @param addend  the implicit addend: the value already stored in the patched field of the
 *                target section, sign-extended for 32-bit fields (0 for NONE and unknown types)
 */
public record Relocation(int index, long offset, RelocationType type, long rawType, ElfSymbol symbol, long addend) {}
