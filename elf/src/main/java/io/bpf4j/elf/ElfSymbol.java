package io.bpf4j.elf;

/**
 * One symbol table entry.
 *
 * @param index        the entry's index in {@code .symtab} (what relocations refer to)
 * @param name         the name from the symbol string table ("" when {@code st_name} is 0)
 * @param value        {@code st_value}, unsigned
 * @param size         {@code st_size}, unsigned
 * @param type         {@code ELF64_ST_TYPE(st_info)}
 * @param binding      {@code ELF64_ST_BIND(st_info)}
 * @param visibility   {@code ELF64_ST_VISIBILITY(st_other)}
 * @param sectionIndex {@code st_shndx} as an unsigned 16-bit number; see {@link #UNDEFINED},
 *                     {@link #ABSOLUTE}, {@link #COMMON}
 */
public record ElfSymbol(int index, String name, long value, long size, SymbolType type, SymbolBinding binding,
                        SymbolVisibility visibility, int sectionIndex) {
    /** {@code SHN_UNDEF}: an extern. */
    public static final int UNDEFINED = 0;
    /** {@code SHN_ABS}. */
    public static final int ABSOLUTE = 0xfff1;
    /** {@code SHN_COMMON}. */
    public static final int COMMON = 0xfff2;
    /** The first reserved section index ({@code SHN_LORESERVE}). */
    public static final int LORESERVE = 0xff00;

    /** {@return whether the symbol is defined elsewhere ({@code SHN_UNDEF})} */
    public boolean isUndefined() { return sectionIndex == UNDEFINED; }

    /** {@return whether the symbol has an absolute value ({@code SHN_ABS})} */
    public boolean isAbsolute() { return sectionIndex == ABSOLUTE; }

    /** {@return whether the symbol is a common block ({@code SHN_COMMON})} */
    public boolean isCommon() { return sectionIndex == COMMON; }

    /** {@return whether {@link #sectionIndex} names a real section} */
    public boolean isInSection() { return sectionIndex != UNDEFINED && sectionIndex < LORESERVE; }
}
