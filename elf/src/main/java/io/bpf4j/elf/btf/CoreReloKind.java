package io.bpf4j.elf.btf;

/** {@code enum bpf_core_relo_kind}, numbered as in {@code <linux/bpf.h>}. */
public enum CoreReloKind {
    FIELD_BYTE_OFFSET, FIELD_BYTE_SIZE, FIELD_EXISTS, FIELD_SIGNED, FIELD_LSHIFT_U64, FIELD_RSHIFT_U64,
    TYPE_ID_LOCAL, TYPE_ID_TARGET, TYPE_EXISTS, TYPE_SIZE, ENUMVAL_EXISTS, ENUMVAL_VALUE, TYPE_MATCHES;

    /** {@return the kind number in {@code .BTF.ext}} */
    public int number() { return ordinal(); }

    /** {@return whether the relocation is about a field (kinds 0-5)} */
    public boolean isFieldBased() { return ordinal() <= FIELD_RSHIFT_U64.ordinal(); }

    /** {@return whether the relocation is about a whole type (kinds 6-9 and 12)} */
    public boolean isTypeBased() {
        return this == TYPE_ID_LOCAL || this == TYPE_ID_TARGET || this == TYPE_EXISTS || this == TYPE_SIZE || this == TYPE_MATCHES;
    }

    /** {@return whether the relocation is about an enumerator (kinds 10-11)} */
    public boolean isEnumValueBased() { return this == ENUMVAL_EXISTS || this == ENUMVAL_VALUE; }
}
