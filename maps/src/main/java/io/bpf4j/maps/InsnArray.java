package io.bpf4j.maps;

/**
 * {@code BPF_MAP_TYPE_INSN_ARRAY} (Linux 6.19): a frozen table of instruction offsets, the
 * jump table of {@code gotox} or, with {@link MapFlags#BPF_F_CALL_TABLE} in {@code map_extra},
 * a bpf4j call table for {@code callx}.
 *
 * <p>Key u32 index; value 16 bytes {@code {u32 orig_off, u32 xlated_off, u32 jitted_off, u32 pad}}.
 * User space sets only {@code orig_off} (non-zero xlated or jitted offsets are {@code EINVAL};
 * {@code BPF_NOEXIST} is {@code EEXIST}; delete is {@code EINVAL}), then freezes the map. A
 * load {@link #bind}s it to one program, after which the loader records where each instruction
 * ended up. Programs only read it: their view ({@link #programView()}) is a
 * {@code u64[max_entries]} of targets, where the kernel has absolute JIT addresses and bpf4j
 * puts the instruction index in the final (xlated) program.
 */
public interface InsnArray extends BpfMap {
    /** The value of {@code xlated_off} for an instruction the verifier removed. */
    int INSN_DELETED = 0xFFFFFFFF;

    /** Whether {@code map_extra} carries {@link MapFlags#BPF_F_CALL_TABLE}. */
    boolean isCallTable();

    int origOffset(int index);

    int xlatedOffset(int index);

    int jittedOffset(int index);

    /**
     * Binds the map to a program of {@code programLength} instructions being loaded:
     * {@code EINVAL} unless frozen and every {@code orig_off < programLength}, {@code EBUSY} when
     * already bound. Sets every {@code xlated_off} to its {@code orig_off}.
     */
    void bind(int programLength);

    /** Releases a binding after a failed verification, so a retry may bind again. */
    void unbind();

    /** Records where entry {@code index}'s instruction is in the final program ({@link #INSN_DELETED} when removed). */
    void setXlatedOffset(int index, int xlatedOffset);

    /** Records the byte offset of entry {@code index}'s instruction in the compiled function. */
    void setJittedOffset(int index, int jittedOffset);

    /**
     * The program's read-only view after load: {@code u64} per entry holding its
     * {@code xlated_off} (refreshed by each {@link #setXlatedOffset}).
     */
    ValueRef programView();
}
