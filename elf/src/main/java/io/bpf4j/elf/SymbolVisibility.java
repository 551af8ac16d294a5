package io.bpf4j.elf;

/** {@code ELF64_ST_VISIBILITY}: the low two bits of {@code st_other}. */
public enum SymbolVisibility {
    DEFAULT, INTERNAL, HIDDEN, PROTECTED;

    /** {@return the visibility for the low two bits of {@code st_other}} */
    public static SymbolVisibility of(int other) {
        return values()[other & 3];
    }
}
