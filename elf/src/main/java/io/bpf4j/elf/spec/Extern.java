package io.bpf4j.elf.spec;

/**
 * An extern an object declares (an undefined global symbol) with what libbpf learns about it
 * from BTF at open.
 *
 * @param name         the extern's name
 * @param symbolIndex  its symbol table index (what relocations refer to)
 * @param kind         {@code .kconfig} value or kernel symbol
 * @param btfId        the BTF VAR or FUNC declaring it
 * @param weak         whether it is {@code __weak} (may stay unresolved)
 * @param function     whether it is a function (a kfunc)
 * @param kcfgType     for kconfig externs: how the value is parsed; null otherwise
 * @param size         for kconfig externs: size in bytes
 * @param align        for kconfig externs: alignment in bytes
 * @param signed       for kconfig integers: whether signed
 * @param dataOffset   for kconfig externs: offset in the {@code .kconfig} map value
 * @param typeId       for kernel symbols: the type after modifiers and typedefs (0: typeless)
 */
public record Extern(String name, int symbolIndex, Kind kind, int btfId, boolean weak, boolean function,
                     KcfgType kcfgType, int size, int align, boolean signed, int dataOffset, int typeId) {

    /** Where an extern's value comes from. */
    public enum Kind {
        /** A {@code __kconfig} value, stored in the {@code .kconfig} map. */
        KCONFIG,
        /** A {@code __ksym} kernel variable or function. */
        KSYM
    }

    /** How libbpf reads a kconfig value ({@code enum kcfg_type}). */
    public enum KcfgType { BOOL, CHAR, INT, TRISTATE, CHAR_ARRAY }

    /** Whether this is a kernel symbol with no type (resolved by address through kallsyms). */
    public boolean typeless() {
        return kind == Kind.KSYM && !function && typeId == 0;
    }
}
