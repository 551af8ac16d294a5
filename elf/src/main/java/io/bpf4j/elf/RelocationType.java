package io.bpf4j.elf;

/**
 * The BPF ELF relocation types, as listed in LLVM's {@code ELFRelocs/BPF.def} and the kernel's
 * {@code Documentation/bpf/llvm_reloc.rst}. Types outside that list read as {@link #UNKNOWN};
 * libbpf classifies program relocations by symbol and instruction, not by type, so such an
 * entry is kept rather than rejected.
 */
public enum RelocationType {
    /** No relocation. */
    R_BPF_NONE(0, 0, 0),
    /** {@code ld_imm64}: S + A into the 32-bit imm at {@code r_offset + 4}. */
    R_BPF_64_64(1, 4, 4),
    /** 64-bit data: S + A into the 64 bits at {@code r_offset}. */
    R_BPF_64_ABS64(2, 0, 8),
    /** 32-bit data (DWARF, {@code .BTF}): S + A into the 32 bits at {@code r_offset}. */
    R_BPF_64_ABS32(3, 0, 4),
    /** Like ABS32, but not to be resolved by a dynamic loader ({@code .BTF}, {@code .BTF.ext}). */
    R_BPF_64_NODYLD32(4, 0, 4),
    /** {@code call}: (S + A) / 8 - 1 into the imm at {@code r_offset + 4}. */
    R_BPF_64_32(10, 4, 4),
    /** A type number LLVM does not define; the raw number is in {@link Relocation#rawType()}. */
    UNKNOWN(-1, 0, 0);

    // values() clones its array on every call: these are read once per symbol and relocation
    private static final RelocationType[] ALL = values();

    private final int value;
    private final int fieldOffset;
    private final int fieldWidth;

    RelocationType(int value, int fieldOffset, int fieldWidth) {
        this.value = value;
        this.fieldOffset = fieldOffset;
        this.fieldWidth = fieldWidth;
    }

    /** {@return the {@code ELF64_R_TYPE} number, -1 for {@link #UNKNOWN}} */
    public int value() { return value; }

    /** {@return where the patched field starts, relative to {@code r_offset}} */
    public int fieldOffset() { return fieldOffset; }

    /** {@return the width in bytes of the patched field (0 when nothing is patched)} */
    public int fieldWidth() { return fieldWidth; }

    /** {@return the type for an {@code ELF64_R_TYPE} number} */
    public static RelocationType of(long value) {
        for (RelocationType t : ALL) {
            if (t.value == value && t != UNKNOWN) return t;
        }
        return UNKNOWN;
    }
}
