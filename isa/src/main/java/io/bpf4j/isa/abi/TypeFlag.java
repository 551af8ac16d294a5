package io.bpf4j.isa.abi;

/**
 * Modifier bits the kernel ORs onto argument, return and register types ({@code enum bpf_type_flag}).
 * The verifier needs them to apply the per-argument rules: {@link #MEM_RDONLY} (helper only reads),
 * {@link #MEM_UNINIT} plus {@link #MEM_WRITE} (helper fills the buffer, it may be uninitialised),
 * {@link #MEM_FIXED_SIZE} (size is {@link ArgSpec#fixedSize()}, no size argument follows),
 * {@link #MEM_ALIGNED} (the pointer must be aligned to that size), {@link #PTR_MAYBE_NULL} (NULL is
 * accepted), {@link #OBJ_RELEASE} (the helper releases the reference held by this argument).
 */
public enum TypeFlag {
    PTR_MAYBE_NULL,
    MEM_RDONLY,
    MEM_RINGBUF,
    MEM_USER,
    MEM_PERCPU,
    OBJ_RELEASE,
    PTR_UNTRUSTED,
    MEM_UNINIT,
    DYNPTR_TYPE_LOCAL,
    DYNPTR_TYPE_RINGBUF,
    MEM_FIXED_SIZE,
    MEM_ALLOC,
    PTR_TRUSTED,
    MEM_RCU,
    NON_OWN_REF,
    DYNPTR_TYPE_SKB,
    DYNPTR_TYPE_XDP,
    MEM_ALIGNED,
    MEM_WRITE;

    /** The bit the kernel uses (flags start above the 8 bits of base type). */
    public int kernelBit() {
        return 1 << (8 + ordinal());
    }
}
