package io.bpf4j.elf;

/** {@code ELF64_ST_BIND}. Values without a name here read as {@link #OTHER}. */
public enum SymbolBinding {
    LOCAL(0), GLOBAL(1), WEAK(2), OTHER(-1);

    // values() clones its array on every call: these are read once per symbol and relocation
    private static final SymbolBinding[] ALL = values();

    private final int value;

    SymbolBinding(int value) { this.value = value; }

    /** {@return the {@code STB_*} number, -1 for {@link #OTHER}} */
    public int value() { return value; }

    /** {@return the binding for an {@code STB_*} number} */
    public static SymbolBinding of(int value) {
        for (SymbolBinding b : ALL) {
            if (b.value == value) return b;
        }
        return OTHER;
    }
}
