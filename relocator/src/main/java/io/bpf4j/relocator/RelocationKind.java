package io.bpf4j.relocator;

/**
 * libbpf's relocation kinds ({@code enum reloc_type}), in libbpf's order: the order breaks
 * ties when relocations on one instruction are sorted.
 */
public enum RelocationKind {
    /** {@code ld_imm64} of a map object (src {@code BPF_PSEUDO_MAP_FD}). */
    LD64,
    /** A BPF-to-BPF call into {@code .text}. */
    CALL,
    /** {@code ld_imm64} of a global variable's address (src {@code BPF_PSEUDO_MAP_VALUE}). */
    DATA,
    /** {@code ld_imm64} of an extern: a kconfig value or a kernel symbol. */
    EXTERN_LD64,
    /** A call to an extern function: a kfunc. */
    EXTERN_CALL,
    /** {@code ld_imm64} of a function's address (src {@code BPF_PSEUDO_FUNC}). */
    SUBPROG_ADDR
}
