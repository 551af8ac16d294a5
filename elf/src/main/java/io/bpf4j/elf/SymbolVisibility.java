package io.bpf4j.elf;

/** {@code ELF64_ST_VISIBILITY}: the low two bits of {@code st_other}. */
public enum SymbolVisibility {
    DEFAULT, INTERNAL, HIDDEN, PROTECTED;

    // values() clones its array on every call: these are read once per symbol and relocation
    private static final SymbolVisibility[] ALL = values();

    /** {@return the visibility for the low two bits of {@code st_other}} */
    public static SymbolVisibility of(int other) {
        return ALL[other & 3];
    }
}
