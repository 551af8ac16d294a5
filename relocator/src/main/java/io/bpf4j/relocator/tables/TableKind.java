package io.bpf4j.relocator.tables;

/** What an instruction-array map made by the loader is for. */
public enum TableKind {
    /**
     * A bpf4j call table: a {@code SEC("callx")} array of function pointers (or a {@code .maps}
     * INSN_ARRAY definition with {@code map_extra = BPF_F_CALL_TABLE}); entries are callee starts,
     * reached by {@code callx} through a loaded element.
     */
    CALL_TABLE,
    /** An LLVM jump table from {@code .jumptables}; entries are {@code gotox} targets (libbpf 1.7). */
    JUMP_TABLE
}
