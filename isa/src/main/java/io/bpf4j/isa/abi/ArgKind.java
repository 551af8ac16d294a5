package io.bpf4j.isa.abi;

/**
 * Base kind of a helper argument ({@code enum bpf_arg_type} without its flag bits); the flags
 * ({@link TypeFlag}) travel beside it in {@link ArgSpec}. The kernel's named combinations map to:
 * <ul>
 * <li>{@code ARG_PTR_TO_MAP_VALUE_OR_NULL} = {@link #PTR_TO_MAP_VALUE} + {@link TypeFlag#PTR_MAYBE_NULL}</li>
 * <li>{@code ARG_PTR_TO_UNINIT_MEM} = {@link #PTR_TO_MEM} + {@link TypeFlag#MEM_UNINIT} + {@link TypeFlag#MEM_WRITE}</li>
 * <li>{@code ARG_PTR_TO_FIXED_SIZE_MEM} = {@link #PTR_TO_MEM} + {@link TypeFlag#MEM_FIXED_SIZE}</li>
 * <li>the removed {@code ARG_PTR_TO_LONG}/{@code ARG_PTR_TO_INT} = {@link #PTR_TO_MEM} + MEM_FIXED_SIZE(8/4)
 *     + MEM_UNINIT + MEM_WRITE + MEM_ALIGNED</li>
 * <li>{@code ARG_PTR_TO_RINGBUF_MEM} with {@link TypeFlag#OBJ_RELEASE} for submit/discard</li>
 * </ul>
 */
public enum ArgKind {
    DONTCARE,
    CONST_MAP_PTR,
    PTR_TO_MAP_KEY,
    PTR_TO_MAP_VALUE,
    PTR_TO_MEM,
    PTR_TO_ARENA,
    CONST_SIZE,
    CONST_SIZE_OR_ZERO,
    PTR_TO_CTX,
    ANYTHING,
    SCALAR,
    PTR_TO_SPIN_LOCK,
    PTR_TO_SOCK_COMMON,
    PTR_TO_SOCKET,
    PTR_TO_BTF_ID,
    PTR_TO_RINGBUF_MEM,
    CONST_ALLOC_SIZE_OR_ZERO,
    PTR_TO_BTF_ID_SOCK_COMMON,
    PTR_TO_PERCPU_BTF_ID,
    PTR_TO_FUNC,
    PTR_TO_STACK,
    PTR_TO_CONST_STR,
    PTR_TO_TIMER,
    KPTR_XCHG_DEST,
    PTR_TO_DYNPTR;

    /** True for the two size kinds that describe the preceding memory argument. */
    public boolean isSize() {
        return this == CONST_SIZE || this == CONST_SIZE_OR_ZERO;
    }
}
