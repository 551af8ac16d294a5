package io.bpf4j.elf;

/** {@code ELF64_ST_TYPE}. Values without a name here read as {@link #OTHER}. */
public enum SymbolType {
    NOTYPE(0), OBJECT(1), FUNC(2), SECTION(3), FILE(4), COMMON(5), TLS(6), OTHER(-1);

    // values() clones its array on every call: these are read once per symbol and relocation
    private static final SymbolType[] ALL = values();

    private final int value;

    SymbolType(int value) { this.value = value; }

    /** {@return the {@code STT_*} number, -1 for {@link #OTHER}} */
    public int value() { return value; }

    /** {@return the type for an {@code STT_*} number} */
    public static SymbolType of(int value) {
        for (SymbolType t : ALL) {
            if (t.value == value) return t;
        }
        return OTHER;
    }
}
