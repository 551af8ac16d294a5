package io.bpf4j.elf.internal;

import java.nio.ByteOrder;

/**
 * The ELF file header fields bpf4j needs, already widened from jelf's signed types.
 *
 * @param order                 {@code EI_DATA}
 * @param elfClass              {@code EI_CLASS} (2 = ELFCLASS64)
 * @param type                  {@code e_type}
 * @param machine               {@code e_machine}
 * @param sectionHeaderOffset   {@code e_shoff}, unsigned
 * @param sectionHeaderSize     {@code e_shentsize}
 * @param sectionCount          {@code e_shnum} (0 may mean "see section 0")
 * @param sectionNameTableIndex {@code e_shstrndx} (0xffff may mean "see section 0")
 */
public record ElfHeader(ByteOrder order, int elfClass, int type, int machine, long sectionHeaderOffset,
                        int sectionHeaderSize, int sectionCount, int sectionNameTableIndex) {
    public static final int ELFCLASS64 = 2;
    public static final int ET_REL = 1;
    public static final int EM_BPF = 247;
    public static final int SIZE = 64;
}
