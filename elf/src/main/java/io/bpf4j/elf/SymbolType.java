package io.bpf4j.elf;

/** {@code ELF64_ST_TYPE}. Values without a name here read as {@link #OTHER}. */
public enum SymbolType {
    NOTYPE(0), OBJECT(1), FUNC(2), SECTION(3), FILE(4), COMMON(5), TLS(6), OTHER(-1);

    private final int value;

    SymbolType(int value) { this.value = value; }

    /** {@return the {@code STT_*} number, -1 for {@link #OTHER}} */
    public int value() { return value; }

    /** {@return the type for an {@code STT_*} number} */
    public static SymbolType of(int value) {
        for (SymbolType t : values()) {
            if (t.value == value) return t;
        }
        return OTHER;
    }
}
