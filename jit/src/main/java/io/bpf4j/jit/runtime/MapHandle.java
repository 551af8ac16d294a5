package io.bpf4j.jit.runtime;

/**
 * The seam between the runtime and a map implementation: what the map helpers and
 * {@code ld_imm64} map loads need from a map, nothing more. Values are handed out as live
 * {@link MemorySlice}s, so a program writing through a looked-up pointer changes the map.
 *
 * <p>Results follow the kernel's helpers: 0 on success, a negative errno otherwise.
 */
public interface MapHandle {
    /** The map's name, for messages. */
    String name();

    int keySize();

    int valueSize();

    int maxEntries();

    /** The live value for {@code key}, or {@code null} when there is none. */
    MemorySlice lookup(byte[] key);

    /** {@code bpf_map_update_elem}: 0, or -EEXIST, -ENOENT, -E2BIG, -EINVAL ... */
    int update(byte[] key, byte[] value, long flags);

    /** {@code bpf_map_delete_elem}: 0, or -ENOENT, -EINVAL ... */
    int delete(byte[] key);

    /**
     * The memory a direct value load ({@code ld_imm64} with {@code BPF_PSEUDO_MAP_VALUE}) points
     * into: the single value of an array map holding global data; {@code null} when the map has none.
     */
    default MemorySlice directValue() {
        return null;
    }

    /** Whether programs may write through value pointers ({@code BPF_F_RDONLY_PROG} clear). */
    default boolean writableByProgram() {
        return true;
    }
}
