package io.bpf4j.elf;

/** The {@code sh_type} values a BPF object uses; other values are kept as raw numbers. */
public final class SectionType {
    public static final long NULL = 0;
    public static final long PROGBITS = 1;
    public static final long SYMTAB = 2;
    public static final long STRTAB = 3;
    public static final long RELA = 4;
    public static final long NOBITS = 8;
    public static final long REL = 9;
    /** {@code .llvm_addrsig}. */
    public static final long LLVM_ADDRSIG = 0x6fff4c03L;

    /** {@code SHF_WRITE}. */
    public static final long FLAG_WRITE = 0x1;
    /** {@code SHF_ALLOC}. */
    public static final long FLAG_ALLOC = 0x2;
    /** {@code SHF_EXECINSTR}. */
    public static final long FLAG_EXECINSTR = 0x4;

    private SectionType() {}

    /** {@return the name llvm-readelf prints for a section type, or the number in hex} */
    public static String name(long type) {
        if (type == NULL) return "NULL";
        if (type == PROGBITS) return "PROGBITS";
        if (type == SYMTAB) return "SYMTAB";
        if (type == STRTAB) return "STRTAB";
        if (type == RELA) return "RELA";
        if (type == NOBITS) return "NOBITS";
        if (type == REL) return "REL";
        if (type == LLVM_ADDRSIG) return "LLVM_ADDRSIG";
        return "0x" + Long.toHexString(type);
    }
}
